"""Record sources: work that has its own records and lifecycle (a research report, a problem
solved on the spot, a rectified village) is counted by the statistics engine like ledger
work. A campaign definition gives such a kind `source: <code>`; the app that owns the
records registers here what one record counts, and its services pass the change to
`ledger.totals.recount`. The ledger's own forms and imports refuse kinds with a source."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    model: type[models.Model]
    # What one record counts: [(campaign id, org, day, {field: number})], empty if nothing.
    counts: Callable[[models.Model], list]
    # The records to read for a rebuild, with what `counts` needs selected.
    records: Callable[[], models.QuerySet]


SOURCES: dict[str, Source] = {}


def register(source: Source):
    SOURCES[source.code] = source


def counted(record) -> list:
    """[(source code, campaign id, org, day, values)] of every source `record` feeds."""
    out = []
    for source in SOURCES.values():
        if isinstance(record, source.model):
            out.extend((source.code, *entry) for entry in source.counts(record))
    return out


def one(campaign_id, org, day, **values):
    """A single entry of `Source.counts`: one record counted on `org` on `day`."""
    values.setdefault("count", 1)
    return [(campaign_id, org, day, values)]
