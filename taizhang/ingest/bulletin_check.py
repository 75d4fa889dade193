"""Checking a bulletin with the reader: every figure in its text is either a slot's (and so
traced to records), written from a record (各地动态, a role model's story), or flagged as
typed by hand, so a number typed into an official report cannot pass unnoticed."""

from dataclasses import dataclass

from taizhang.ingest.clean import clean
from taizhang.ingest.extract import extract


@dataclass
class Typed:
    heading: str
    text: str  # the figure as written
    sentence: str


def _paragraph_text(paragraph, texts):
    """(text, [(start, end) of traced spans])."""
    out, traced, at = [], [], 0
    for segment in paragraph:
        piece = texts.get(segment["slot"], "") if "slot" in segment else segment.get("text", "")
        if "slot" in segment or "record" in segment:
            traced.append((at, at + len(piece)))
        out.append(piece)
        at += len(piece)
    return "".join(out), traced


def hand_typed(bulletin) -> list[Typed]:
    texts = dict(bulletin.figures.values_list("key", "text"))
    found = []
    for section in bulletin.body:
        for paragraph in section["paragraphs"]:
            if len(paragraph) == 1 and "subheading" in paragraph[0]:
                paragraph = [{"text": paragraph[0]["subheading"]}]
            text, traced = _paragraph_text(paragraph, texts)
            cleaned = clean(text)
            for figure in extract(cleaned.text):
                start, end = cleaned.span(figure.start, figure.end)
                if not any(a <= start and end <= b for a, b in traced):
                    found.append(Typed(section["heading"], text[start:end], figure.sentence))
    return found
