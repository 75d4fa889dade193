"""Numbers as Chinese reports write them: Arabic with thousands separators and decimals
(3,050, 55.68), Chinese numerals (七千, 一百二十, 两千七百, 三十五万), and 万/亿 after
either (3.77万, 5.28万, 1.3亿)."""

from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}  # fmt: skip
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10**4, "亿": 10**8}
CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千万亿"


def chinese_value(text: str) -> int:
    """一百二十 → 120, 两千七百 → 2700, 十五 → 15, 三十五万 → 350000, 七千 → 7000."""
    if not text or any(c not in CHINESE_NUMERAL for c in text):
        raise ValueError(text)
    total, section, digit = 0, 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        else:  # 万 or 亿
            section += digit or 0
            total = (
                (total + section) * LARGE_UNITS[char]
                if char == "亿"
                else total + section * LARGE_UNITS[char]
            )
            section, digit = 0, None
    return total + section + (digit or 0)


def arabic_value(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(text) from None


def value_of(number: str, multiplier: str = "") -> Decimal:
    """The value of a number as written, with 万/亿 after it."""
    if number and number[0].isdigit():
        value = arabic_value(number)
    else:
        value = Decimal(chinese_value(number))
    for char in multiplier:
        value *= LARGE_UNITS[char]
    return value
