"""A bulletin as text: its sections numbered 一、二、…, each figure written as stored, and
the same in traditional characters on request (the `opencc` package)."""

from functools import cache

NUMERALS = "一二三四五六七八九十"


def heading_number(n: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else NUMERALS[tens - 1]}十{NUMERALS[ones - 1] if ones else ''}"


def is_subheading(paragraph) -> bool:
    """A paragraph that is a sub-heading （一）… (written "## …" when editing)."""
    return len(paragraph) == 1 and "subheading" in paragraph[0]


def sections(bulletin, texts=None) -> list[tuple[str, list[tuple[bool, str]]]]:
    """[(numbered heading, [(is a sub-heading, text), …]), …] with each figure's text in
    place and sub-headings numbered （一）（二）… within their section."""
    if texts is None:
        texts = dict(bulletin.figures.values_list("key", "text"))
    out = []
    for n, section in enumerate(bulletin.body, start=1):
        paragraphs, sub = [], 0
        for paragraph in section["paragraphs"]:
            if is_subheading(paragraph):
                sub += 1
                paragraphs.append((True, f"（{heading_number(sub)}）{paragraph[0]['subheading']}"))
                continue
            text = "".join(s.get("text", "") if "slot" not in s else texts.get(s["slot"], "")
                           for s in paragraph)  # fmt: skip
            paragraphs.append((False, text))
        out.append((f"{heading_number(n)}、{section['heading']}", paragraphs))
    return out


def issue_line(bulletin) -> str:
    return f"第{bulletin.number}期" if bulletin.number else "（草稿）"


def plain(bulletin, traditional=False) -> str:
    date = bulletin.issued_on or bulletin.created_at.date()
    lines = [
        bulletin.name,
        issue_line(bulletin),
        f"{bulletin.office}　　{date.year}年{date.month}月{date.day}日",
        "",
        bulletin.title,
        "",
    ]
    for heading, paragraphs in sections(bulletin):
        lines.append(heading)
        lines.extend(f"　　{text}" for _sub, text in paragraphs)
        lines.append("")
    for label, recipients in bulletin.footer:
        lines.append(f"{label}：{recipients}")
    lines.append(f"共印{bulletin.copies}份")
    text = "\n".join(lines) + "\n"
    return to_traditional(text) if traditional else text


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _converter().convert(text)
