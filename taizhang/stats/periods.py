"""The periods figures are asked for: the whole campaign, a batch, a month, a week or any
date range, named in URLs by a short code (`batch-2`, `month-2019-09`, `week-2019-W37`,
`2019-09-01..2019-09-30`)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from taizhang import params


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of the same length just before this one (last week for this week)."""
        end = self.start - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=self.days - 1)
        if self.code.startswith("week-"):
            return week(start)
        return date_range(start, end)


def whole(campaign):
    return Period("campaign", _("Whole campaign"), campaign.starts_on, campaign.ends_on)


def of_batch(batch):
    return Period(f"batch-{batch.number}", batch.name, batch.starts_on, batch.ends_on)


def month(year, number):
    start = datetime.date(year, number, 1)
    following = datetime.date(year + number // 12, number % 12 + 1, 1)
    label = _("%(year)d-%(month)02d") % {"year": year, "month": number}
    return Period(f"month-{year}-{number:02d}", label, start, following - datetime.timedelta(1))


def week(day):
    """The ISO week (Monday to Sunday) holding `day`."""
    year, number, weekday = day.isocalendar()
    start = day - datetime.timedelta(days=weekday - 1)
    end = start + datetime.timedelta(6)
    label = _("Week %(number)d of %(year)d (%(start)s–%(end)s)") % {
        "year": year,
        "number": number,
        "start": f"{start:%m-%d}",
        "end": f"{end:%m-%d}",
    }
    return Period(f"week-{year}-W{number:02d}", label, start, end)


def date_range(start, end):
    label = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    return Period(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}", label, start, end)


def months(campaign):
    day = campaign.starts_on.replace(day=1)
    while day <= campaign.ends_on:
        yield month(day.year, day.month)
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def weeks(campaign):
    day = campaign.starts_on
    while day <= campaign.ends_on:
        yield week(day)
        day = week(day).end + datetime.timedelta(days=1)


def choices(campaign):
    """The period menu: (group label, periods), the whole campaign and batches first."""
    return [
        ("", [whole(campaign), *(of_batch(b) for b in campaign.batches.all())]),
        (_("By month"), list(months(campaign))),
        (_("By week"), list(weeks(campaign))),
    ]


_MONTH = re.compile(r"month-(\d{4})-(\d{2})")
_WEEK = re.compile(r"week-(\d{4})-W(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


def parse(campaign, code):
    """The period named by `code` ('' for the whole campaign); ValueError if it names none."""
    if not code or code == "campaign":
        return whole(campaign)
    if code.startswith("batch-"):
        for batch in campaign.batches.all():
            if code == f"batch-{batch.number}":
                return of_batch(batch)
        raise ValueError(code)
    try:
        if m := _MONTH.fullmatch(code):
            period = month(int(m[1]), int(m[2]))
        elif m := _WEEK.fullmatch(code):
            period = week(datetime.date.fromisocalendar(int(m[1]), int(m[2]), 1))
        elif m := _RANGE.fullmatch(code):
            start, end = (datetime.date.fromisoformat(m[i]) for i in (1, 2))
            period = date_range(start, end) if start <= end else None
        else:
            period = None
    except (ValueError, OverflowError):
        period = None
    # Far-off years are refused: the period before one must still be a date.
    if period is None or not (params.in_range(period.start) and params.in_range(period.end)):
        raise ValueError(code)
    return period
