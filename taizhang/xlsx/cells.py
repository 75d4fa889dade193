"""Cell readers: each returns the value or raises ValueError with the problem in words."""

import datetime
import functools
import re

from django.utils import translation
from django.utils.translation import gettext as _

_TRUE_WORDS = {"是", "y", "yes", "true", "1", "启用", "在职"}
_FALSE_WORDS = {"否", "n", "no", "false", "0", "停用", "离任"}


def text_cell(value, *, required=False, max_length=None):
    if value is None or value == "":
        if required:
            raise ValueError(_("this column is required"))
        return ""
    if isinstance(value, bool):
        raise ValueError(_("expected text, found a true/false value"))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("expected text or a whole number"))
        value = int(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise ValueError(_("expected text, found a date or time"))
    text = str(value).strip()
    if required and not text:
        raise ValueError(_("this column is required"))
    if max_length is not None and len(text) > max_length:
        raise ValueError(_("longer than %(n)s characters") % {"n": max_length})
    return text


def bool_cell(value, *, default=True):
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    word = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    word = word.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(_("expected 是 or 否"))


def choice_cell(value, choices, *, required=True):
    """Match a cell against TextChoices by label (Chinese or English) or by code."""
    text = text_cell(value, required=required)
    if not text:
        return ""
    lookup, allowed = _choice_lookup(choices)
    if text in lookup:
        return lookup[text]
    raise ValueError(_("not one of: %(choices)s") % {"choices": allowed})


@functools.cache
def _choice_lookup(choices):
    """Every accepted spelling of each choice, and the Chinese list for error messages;
    computed once per choices class (an import reads the same column 100,000 times)."""
    lookup = {label: choice.value for choice in choices for label in choice_labels(choice)}
    with translation.override("zh-hans"):
        allowed = "、".join(str(c.label) for c in choices)
    return lookup, allowed


def choice_labels(choice):
    """The code, the Chinese and the English label of a choice: files may use any."""
    labels = {choice.value}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.add(str(choice.label))
    return labels


def int_cell(value, *, required=False, minimum=0, maximum=10**12):
    if value is None or value == "":
        if required:
            raise ValueError(_("this column is required"))
        return None
    if isinstance(value, bool):
        raise ValueError(_("expected a whole number"))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("expected a whole number"))
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        digits = text.removeprefix("-")
        if not digits.isascii() or not digits.isdigit():
            raise ValueError(_("expected a whole number"))
        if len(digits) > 15:
            raise ValueError(_("must be at most %(n)s") % {"n": f"{maximum:,}"})
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(_("expected a whole number"))
    if value < minimum:
        raise ValueError(
            _("must be %(n)s or more") % {"n": minimum} if minimum else _("must not be negative")
        )
    if value > maximum:
        raise ValueError(_("must be at most %(n)s") % {"n": f"{maximum:,}"})
    return value


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date_cell(value, *, required=False):
    """A date cell, or text such as 2019-06-05, 2019/6/5 or 2019年6月5日."""
    if value is None or value == "":
        if required:
            raise ValueError(_("this column is required"))
        return None
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise ValueError(_("expected a date without a time"))
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise ValueError(_("not a real date")) from None
    raise ValueError(_("expected a date such as 2019-06-05"))


def zh_label(choice_class, value):
    with translation.override("zh-hans"):
        return str(choice_class(value).label)
