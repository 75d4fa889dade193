"""The one strict parser of request input: ids, dates and numbers from URLs, query strings
and forms. Anything malformed or out of range is an object that does not exist (404) or a
form error, never a 500 from deep inside a query or a date computation."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404

# Database ids are signed 64-bit integers.
MAX_ID = 2**63 - 1
# Dates anyone may ask about: far enough for any campaign, near enough that a day or a week
# added to them is still a date.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


def parse_id(value) -> int | None:
    """A database id from text, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value or "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def object_id(value) -> int:
    """A database id, or 404."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def get_or_404(queryset, pk):
    """The object of `queryset` with id `pk`; 404 for any malformed or unknown id."""
    return get_object_or_404(queryset, pk=object_id(pk))


def parse_date(value) -> datetime.date | None:
    """A date written YYYY-MM-DD within the range anyone may ask about, or None."""
    text = str(value or "").strip()
    if len(text) != 10 or not text.isascii():
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def in_range(day: datetime.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
