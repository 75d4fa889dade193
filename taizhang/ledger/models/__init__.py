"""The ledger: one record per piece of work (or per aggregate a unit reports), on the org
that did it. Every figure Taizhang shows is a sum over these records. One module per
concern; every model is importable from `taizhang.ledger.models`."""

from taizhang.ledger.models.activities import (
    BASE_FIELDS,
    EDITABLE_FIELDS,
    REFERENCE_FIELDS,
    SNAPSHOT_FIELDS,
    Activity,
    ActivityImport,
    ActivityQuerySet,
    LecturerRole,
    Source,
    values_snapshot,
)
from taizhang.ledger.models.sums import (
    KindTotal,
    MonthReach,
    MonthReachCount,
    Reach,
    ReachCount,
    SectorKindTotal,
    SectorMonthReachCount,
    SectorReachCount,
    SectorTotal,
    Sums,
    Total,
)
from taizhang.ledger.models.venues import (
    SectorVenueCount,
    Venue,
    VenueCount,
    VenueKind,
    VenueQuerySet,
    VenueTier,
)

__all__ = [
    "BASE_FIELDS",
    "EDITABLE_FIELDS",
    "REFERENCE_FIELDS",
    "SNAPSHOT_FIELDS",
    "Activity",
    "ActivityImport",
    "ActivityQuerySet",
    "KindTotal",
    "LecturerRole",
    "MonthReach",
    "MonthReachCount",
    "Reach",
    "ReachCount",
    "SectorKindTotal",
    "SectorMonthReachCount",
    "SectorReachCount",
    "SectorTotal",
    "SectorVenueCount",
    "Source",
    "Sums",
    "Total",
    "Venue",
    "VenueCount",
    "VenueKind",
    "VenueQuerySet",
    "VenueTier",
    "values_snapshot",
]
