"""Where figures are read from: the totals and counts kept per org (an org's subtree), or
their twins kept per sector system (the sum of its members' subtrees). Both sets have the
same columns but the key, so every figure is computed by the same code from either."""

from dataclasses import dataclass

from taizhang.ledger.models import (
    KindTotal,
    MonthReachCount,
    ReachCount,
    SectorKindTotal,
    SectorMonthReachCount,
    SectorReachCount,
    SectorTotal,
    SectorVenueCount,
    Total,
    VenueCount,
)
from taizhang.orgs.models import SectorCount, SubtreeCount


@dataclass(frozen=True)
class Tables:
    key: str  # the column naming what a row is about
    total: type
    kind_total: type
    reach_count: type
    month_reach_count: type
    counts: type  # active orgs of each kind
    venue_count: type

    def of(self, model, ids):
        """`model`'s rows of the keys `ids`."""
        return model.objects.filter(**{f"{self.key}__in": list(ids)}).order_by()


ORGS = Tables("org_id", Total, KindTotal, ReachCount, MonthReachCount, SubtreeCount, VenueCount)
SECTORS = Tables(
    "sector_id",
    SectorTotal,
    SectorKindTotal,
    SectorReachCount,
    SectorMonthReachCount,
    SectorCount,
    SectorVenueCount,
)
