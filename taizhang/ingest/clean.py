"""Cleaning a report's text before reading its figures, keeping a map from every character
of the cleaned text back to its place in what the user gave:

- pinyin inserted in parentheses after characters is removed, toned or toneless
  (`領(lǐng)導(dǎo)` → 領導), while real parentheses stay (`黨組(黨委)`, `家(户)`);
- mojibake runs (`寧??h`, U+FFFD) and leftover HTML are marked, not guessed at;
- full-width digits, letters and signs become half-width, and spaces inside numbers go
  ("30 多万个" → 30多万个);
- traditional characters become simplified (the `opencc` package)."""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

# Lower case only: "(GDP)" or "(AI)" after a word is not pinyin.
PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
# A CJK character, then (pinyin): the pinyin of one or two syllables, spaces or tone digits.
PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]\s*[{PINYIN_LETTERS}]{{1,8}}(?:[\s1-5]*[{PINYIN_LETTERS}]{{1,8}})?[1-5]?\s*[)）]"
)
MOJIBAKE = re.compile(r"[?？\ufffd]{2,}[A-Za-z]?|\ufffd")
HTML = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|&(?:[a-z]{2,8}|#\d{2,6});")
# Spaces between a digit and what continues the number (a digit, a point, 万/亿, 余/多, a
# measure word): "8.4 万名", "30 多万个", "1 004".
NUMBER_SPACE = re.compile(r"(?<=\d)[ \t\u00a0\u3000]+(?=[\d.万亿余多\u3400-\u9fff%])")
SPACE_IN_NUMBER = re.compile(r"(?<=[\d.])[ \t\u00a0]+(?=\d)")


@dataclass
class Artifact:
    kind: str  # "mojibake" or "html"
    start: int  # in the original text
    end: int
    text: str


@dataclass
class Cleaned:
    original: str
    text: str
    positions: list  # positions[i]: the original index of text[i]; one more for the end
    artifacts: list = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span of cleaned text[start:end]."""
        if end <= start:
            return self.positions[start], self.positions[start]
        return self.positions[start], self.positions[end - 1] + 1


def _drop(text, positions, pattern):
    """Remove every match of `pattern`, keeping the map of what stays."""
    out, kept, at = [], [], 0
    for match in pattern.finditer(text):
        out.append(text[at : match.start()])
        kept.extend(positions[at : match.start()])
        at = match.end()
    out.append(text[at:])
    kept.extend(positions[at:])
    return "".join(out), kept


def _width(char: str) -> str:
    """Full-width ASCII (digits, letters, ％, ．) as half-width; CJK punctuation as it is."""
    code = ord(char)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if char in "％．＋":
        return unicodedata.normalize("NFKC", char)
    if char == "\u3000":
        return " "
    return char


@cache
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as simplified, one for one (so positions stay)."""
    converted = _simplifier().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase changed length: convert character by character instead.
    convert = _simplifier().convert
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)


def clean(original: str) -> Cleaned:
    text = original.replace("\r\n", "\n").replace("\r", "\n")
    positions = list(range(len(original)))
    if len(text) != len(original):  # \r\n became \n: rebuild the map
        positions, at = [], 0
        while at < len(original):
            positions.append(at)
            at += 2 if original.startswith("\r\n", at) else 1
    artifacts = [
        Artifact(kind, positions[m.start()], positions[m.end() - 1] + 1, m.group())
        for kind, pattern in (("mojibake", MOJIBAKE), ("html", HTML))
        for m in pattern.finditer(text)
    ]
    text, positions = _drop(text, positions, HTML)
    text, positions = _drop(text, positions, PINYIN)
    text = "".join(_width(c) for c in text)
    text, positions = _drop(text, positions, SPACE_IN_NUMBER)
    text, positions = _drop(text, positions, NUMBER_SPACE)
    text = to_simplified(text)
    positions.append(positions[-1] + 1 if positions else 0)
    artifacts.sort(key=lambda a: a.start)
    return Cleaned(original, text, positions, artifacts)
