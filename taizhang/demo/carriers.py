"""Visitors received at the city's model red education bases: a record per base and month
of the first batch with its person-times and open days, so that the daily visitors at
city-level bases (figures.md row 19) come out at 400 a day."""

import datetime

from taizhang.demo.records import allot
from taizhang.ledger.models import VenueTier

DAILY_VISITORS = 400  # [19]
MONTHS = (datetime.date(2019, 6, 1), datetime.date(2019, 7, 1), datetime.date(2019, 8, 1))
OPEN_DAYS = 26


def base_visits(records):
    """`records` is the city's `demo.records.CityRecords` (its bases, `make`, random source)."""
    bases = [b for b in records.red_bases if b.tier == VenueTier.CITY_MODEL]
    entries = [(base, month) for base in bases for month in MONTHS]
    total = DAILY_VISITORS * OPEN_DAYS * len(entries) * records.density
    for (base, month), visitors in zip(
        entries, allot(total, [1] * len(entries), records.rng), strict=True
    ):
        yield records.make(
            "base_visit",
            records.city,
            starts_on=month,
            ends_on=month + datetime.timedelta(days=OPEN_DAYS - 1),
            person_times=visitors,
            days=OPEN_DAYS,
            venue=base,
            title=f"{base.name}{month.month}月接待学习考察",
        )
