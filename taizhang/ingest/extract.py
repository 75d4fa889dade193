"""Every statistic of a cleaned report: value, unit (measure word), approximate, the phrase
naming what is counted, the sentence, and its place in the original text.

A statistic is a number with a measure word (or a percentage, or 全覆盖). Never reported:
dates and years, ordinals (第一批), session names (十九届四中全会, 十四届六次全会), numbers in
quotation marks (slogans and named campaigns: “五个始终”, “自学5条”, “千名支书讲党课”), rules
(每位常委联系1家…), bare 十/百/千/万 (百个红色基地), 一 and 两 on their own (一批, 两个批次:
idioms, not counts), a count followed by another number (“10个100”)."""

import re
from dataclasses import dataclass
from decimal import Decimal

from taizhang.ingest.numerals import value_of

# Longest first, so 场次 wins over 场 and 家(户) over 家.
MEASURES = sorted(
    [
        "场次", "人次", "批次", "家(户)", "家（户）", "万元", "亿元", "小时", "平方米", "公里",
        "方面", "个", "名", "份", "项", "次", "场", "天", "期", "例", "条", "件", "起", "类",
        "所", "户", "家", "位", "人", "座", "处", "支", "篇", "本", "元", "亩", "吨", "套",
        "台", "批", "届", "周",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
# Measure words that are not counts when they follow a number (ordinals, dates, terms).
NOT_MEASURES = {"批", "届", "周"}
CN = "零〇一二两三四五六七八九十百千"
NUMBER = re.compile(
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN}]+)"
    r"(?P<more1>余|多)?(?P<mult>万亿|万|亿)?(?P<more2>余|多)?"
    rf"(?P<unit>{'|'.join(re.escape(m) for m in MEASURES)})"
    r"(?P<tail>左右|以上|之多)?"
)
PERCENT = re.compile(rf"(?P<num>\d+(?:\.\d+)?)%|百分之(?P<cn>[{CN}点]+)")
FULL = re.compile(r"全覆盖")
APPROX_BEFORE = ("超过", "近", "超", "约", "逾", "将近", "接近")
QUOTES = re.compile(
    r"“[^“”]{1,20}”|\"[^\"]{1,20}\"|「[^「」]{1,20}」|《[^《》]{1,30}》|‘[^‘’]{1,20}’"
)
SESSION = re.compile(rf"[{CN}]+届[{CN}]*[中次]?全[会体]|[{CN}]+届[{CN}]+次会议")
CLAUSE_END = "，,。；;！!？?\n：:"
SENTENCE_END = "。；;！!？?\n"
# Words that end a phrase after the number ("1004名干部围绕…") or start one before it.
STOP_AFTER = ("围绕", "深入", "参加", "参与", "开展", "基本", "完成", "聚焦", "共", "全部",
              "实现", "通过", "进行", "累计", "在", "的", "为", "等")  # fmt: skip
TRIM_BEFORE = ("累计", "共", "共计", "总计", "合计", "其中", "全市", "目前")
CUT_BEFORE = ("的", "等一批", "等", "其中", "累计")
LEAD_WORDS = ("聚焦", "围绕", "依托")
MAX_PHRASE = 20
MAX_LIST_PHRASE = 40


@dataclass
class Figure:
    value: Decimal
    unit: str
    approximate: bool
    phrase: str
    sentence: str
    start: int  # in the cleaned text; see Cleaned.span for the original
    end: int
    clause: str = ""
    clause_at: int = 0  # where the number stands in `clause`
    sentence_at: int = 0  # and in `sentence`
    relation: str = ""  # "total" (共…) or "part" (其中…) when the text says so
    # For an approximate figure: "more" (余, 多, 超过, 以上), "less" (近) or "about" (约,
    # 左右); `precision` is the place of the last digit written (2700余: 100; 5.28万: 100).
    direction: str = ""
    precision: Decimal = Decimal(1)

    @property
    def number(self):
        """The value as JSON wants it: a whole number as int."""
        return (
            int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        )


def _spans(pattern, text):
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(spans, start, end):
    return any(a <= start and end <= b for a, b in spans)


def _bounds(text, at, ends):
    start = max(text.rfind(c, 0, at) for c in ends) + 1
    stops = [i for c in ends if (i := text.find(c, at)) != -1]
    return start, min(stops) if stops else len(text)


def _after_phrase(text, at, limit):
    rest = text[at:limit].strip()
    if rest.startswith("“") and "”" in rest:
        return rest[1 : rest.index("”")]
    if rest.startswith(STOP_AFTER):  # "近2000个参加": what is counted stands before
        return ""
    cut = len(rest)
    for word in STOP_AFTER:
        i = rest.find(word)
        if 0 < i < cut:
            cut = i
    if rest[:cut] == "时间":  # "8天时间开展专题学习研讨": the verb belongs to the phrase
        cut = len(rest)
    phrase, depth = rest[:cut], 0
    for i, char in enumerate(phrase):
        depth += char in "(（"
        depth -= char in ")）"
        if char in "“”" or (char == "、" and depth == 0):  # a list's next item, not 县(市、区)
            phrase = phrase[:i]
            break
    return phrase[:MAX_PHRASE]


def _before_phrase(text, start, at):
    phrase = text[start:at].strip()
    if phrase.endswith("等"):  # "聚焦A、B、C等五方面": the list before is what is counted
        phrase = phrase[:-1]
        for word in LEAD_WORDS:
            if word in phrase:
                phrase = phrase[phrase.find(word) + len(word) :]
        return phrase[-MAX_LIST_PHRASE:]
    for word in CUT_BEFORE:
        i = phrase.rfind(word)
        if i != -1 and phrase[i + len(word) :]:
            phrase = phrase[i + len(word) :]
    for word in TRIM_BEFORE:
        if phrase.startswith(word):
            phrase = phrase[len(word) :]
    for word in ("达到", "达", "为", "约", "近", "超过", "超", "逾"):
        if phrase.endswith(word):
            phrase = phrase[: -len(word)]
    return phrase.replace("“", "").replace("”", "")[-MAX_PHRASE:]


def _relation(text, clause_start, at):
    before = text[clause_start:at]
    if "其中" in before:
        return "part"
    if any(w in before for w in ("共", "合计", "总计", "累计")):
        return "total"
    return ""


def _is_rule(text, clause_start, at):
    return "每" in text[clause_start:at]


def extract(text: str) -> list[Figure]:
    """Every statistic of cleaned `text`, in the order they stand."""
    quoted, sessions = _spans(QUOTES, text), _spans(SESSION, text)
    figures = []
    for match in NUMBER.finditer(text):
        num, unit = match.group("num"), match.group("unit")
        start, end = match.start(), match.end()
        if unit in NOT_MEASURES or _inside(quoted, start, end) or _inside(sessions, start, end):
            continue
        if start and text[start - 1] == "第":
            continue
        if not num[0].isdigit() and (num in "一两二" or num in "十百千"):
            continue
        if end < len(text) and text[end].isdigit():
            continue  # "10个100": a slogan
        clause_start, clause_end = _bounds(text, start, CLAUSE_END)
        if _is_rule(text, clause_start, start):
            continue
        sentence_start, sentence_end = _bounds(text, start, SENTENCE_END)
        before = text[max(0, start - 2) : start]
        approximate = bool(
            match.group("more1") or match.group("more2") or match.group("tail")
            or any(before.endswith(w) for w in APPROX_BEFORE)
        )  # fmt: skip
        phrase = _after_phrase(text, end, clause_end) or _before_phrase(text, clause_start, start)
        direction = ""
        if approximate:
            words = (match.group("more1") or "") + (match.group("more2") or "")
            words += match.group("tail") or ""
            near = any(before.endswith(w) for w in ("近", "将近", "接近"))
            if near and not words:
                direction = "less"
            elif near or words == "左右" or (before.endswith("约") and not words):
                direction = "about"
            else:
                direction = "more"
        figures.append(
            Figure(
                value=value_of(num, match.group("mult") or ""),
                unit=unit.replace("（", "(").replace("）", ")"),
                approximate=approximate,
                phrase=phrase,
                sentence=text[sentence_start:sentence_end].strip(),
                start=start,
                end=end,
                clause=text[clause_start:clause_end],
                clause_at=start - clause_start,
                sentence_at=start - sentence_start - _lead(text, sentence_start),
                relation=_relation(text, clause_start, start),
                direction=direction,
                precision=_precision(num, match.group("mult") or "", approximate),
            )
        )
    figures += _percentages(text, quoted)
    figures.sort(key=lambda f: f.start)
    return figures


def _percentages(text, quoted):
    out = []
    for match in (*PERCENT.finditer(text), *FULL.finditer(text)):
        start, end = match.start(), match.end()
        if _inside(quoted, start, end):
            continue
        precision = Decimal("0.001")
        if match.re is FULL:
            value = Decimal(1)
        elif match.group("num"):
            value = Decimal(match.group("num")) / 100
            places = len(match.group("num").partition(".")[2])
            precision = Decimal("0.01") / Decimal(10) ** places
        else:
            whole, _point, decimals = match.group("cn").partition("点")
            digits = "".join(str(value_of(c)) for c in decimals)
            value = (value_of(whole) + (Decimal(f"0.{digits}") if digits else 0)) / 100
        clause_start, clause_end = _bounds(text, start, CLAUSE_END)
        sentence_start, sentence_end = _bounds(text, start, SENTENCE_END)
        phrase = _before_phrase(text, clause_start, start)
        for word in ("实现", "达到", "覆盖"):
            if phrase.startswith(word):
                phrase = phrase[len(word) :]
        out.append(
            Figure(
                value=value,
                unit="%",
                approximate=False,
                phrase=phrase,
                sentence=text[sentence_start:sentence_end].strip(),
                start=start,
                end=end,
                clause=text[clause_start:clause_end],
                clause_at=start - clause_start,
                sentence_at=start - sentence_start - _lead(text, sentence_start),
                precision=precision,
            )
        )
    return out


def _precision(num, multiplier, approximate) -> Decimal:
    """The place of the last digit written: 5.28万 → 100, 7 → 1; for an approximate figure
    the trailing zeros count too (2700余 → 100, 七千余 → 1000)."""
    scale = Decimal(10) ** (4 * multiplier.count("万") + 8 * multiplier.count("亿"))
    digits = num.replace(",", "") if num[0].isdigit() else str(value_of(num))
    if "." in digits:
        return scale / Decimal(10) ** len(digits.split(".")[1])
    if not approximate:
        return scale
    zeros = len(digits) - len(digits.rstrip("0"))
    return scale * Decimal(10) ** min(zeros, len(digits) - 1)


def _lead(text, start):
    """How many spaces `.strip()` takes off the front of the sentence starting at `start`."""
    return len(text[start:]) - len(text[start:].lstrip())
