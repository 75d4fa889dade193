"""Figures written the way Chinese reports write them, for pages and bulletins alike:
4619, 1.23万, 55.68万, 5.28万余, 2700余, 98.5%, 全覆盖. `parse_cn` reads them back."""

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

STYLES = ("number", "approx", "percent", "coverage", "plain")
UNITS = {"万": 10**4, "亿": 10**8}


def _trim(value: Decimal, places: int, rounding=ROUND_HALF_UP) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=rounding):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _large(number: Decimal, unit: int, name: str, places: int) -> str:
    shown = _trim(number / unit, places, ROUND_DOWN)
    # What the shortened figure leaves off is written 余 ("more than"), as reports do.
    return f"{shown}{name}" if Decimal(shown) * unit == number else f"{shown}{name}余"


def cn_number(value, places: int = 2) -> str:
    """`value` with 万 (10⁴) or 亿 (10⁸) from ten thousand up, cut to at most `places`
    decimals and followed by 余 when that leaves something off; smaller numbers as they are
    (rounded to `places`, trailing zeros trimmed)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    number = abs(number)
    if number >= 10**8:
        return sign + _large(number, 10**8, "亿", places)
    if number >= 10**4:
        return sign + _large(number, 10**4, "万", places)
    return f"{sign}{_trim(number, places)}"


def cn_approx(value) -> str:
    """An approximate statement: below ten thousand, cut to two significant figures and
    written with 余 when that leaves something off (2716 → 2700余, 2700 → 2700); from ten
    thousand up as `cn_number` (52816 → 5.28万余)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if abs(number) >= 10**4 or abs(number) < 100:
        return cn_number(number)
    step = Decimal(10) ** (len(str(int(abs(number)))) - 2)
    shown = (abs(number) / step).to_integral_value(rounding=ROUND_DOWN) * step
    sign = "-" if number < 0 else ""
    return f"{sign}{shown:f}" + ("余" if shown != abs(number) else "")


def cn_percent(value, places: int = 1) -> str:
    if value is None:
        return "—"
    return f"{_trim(Decimal(str(value)), places)}%"


def cn_styled(value, style: str = "number") -> str:
    """`value` in one of the bulletin template's styles: number (cn_number), approx
    (cn_approx), percent (98.5%), coverage (全覆盖 at 100%, else the percent), plain (the
    whole number as it is)."""
    if value is None:
        return "—"
    if style == "approx":
        return cn_approx(value)
    if style == "percent":
        return cn_percent(value)
    if style == "coverage":
        return "全覆盖" if Decimal(str(value)) >= 100 else cn_percent(value)
    if style == "plain":
        return _trim(Decimal(str(value)), 2)
    return cn_number(value)


_FIGURE = re.compile(r"^(-?\d+(?:\.\d+)?)([万亿]?)(余?)(%?)$")


def parse_cn(text: str) -> tuple[Decimal, Decimal, bool]:
    """(value, precision, approximate) of a figure written by `cn_styled`: the true value
    lies in [value, value + precision) when approximate, else equals value (to within
    half a unit of the last place written). 全覆盖 reads as 100."""
    if text == "全覆盖":
        return Decimal(100), Decimal(0), False
    match = _FIGURE.match(text)
    if match is None:
        raise ValueError(f"not a figure: {text!r}")
    digits, unit, more, _percent = match.groups()
    scale = UNITS.get(unit, 1)
    value = Decimal(digits) * scale
    places = len(digits.split(".")[1]) if "." in digits else 0
    last = Decimal(1).scaleb(-places) * scale
    if more:
        # 2700余: cut at its second significant figure, so the next step is the precision.
        if not unit:
            last = Decimal(10) ** (len(digits.lstrip("-")) - 2)
        return value, last, True
    return value, last / 2, False
