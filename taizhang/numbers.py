"""Figures written the way Chinese reports write them: 4619, 1.23万, 55.68万, 5.28万余."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


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
