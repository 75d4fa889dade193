"""`rebuild`: every totals table recomputed from the records, with the drift reported."""

from collections import defaultdict

from django.db import connection, transaction

from taizhang.campaigns.models import NUMBER_FIELDS, ActivityKind
from taizhang.campaigns.sources import SOURCES
from taizhang.ledger.models import Activity
from taizhang.ledger.totals import venues
from taizhang.ledger.totals.changes import TWINS
from taizhang.ledger.totals.sql import (
    KIND_TOTAL,
    MONTH_REACH,
    MONTH_REACH_COUNT,
    REACH,
    REACH_COUNT,
    TOTAL,
    VALUES,
    dates,
    month_sql,
    roll_up_sql,
    zeros,
)
from taizhang.orgs import counts
from taizhang.orgs.mirror import rebuild_sql as sector_sql
from taizhang.orgs.models import Org

TABLES = {
    "totals": (TOTAL, "org_id, kind_id, day, own, " + ", ".join(VALUES)),
    "kind_totals": (KIND_TOTAL, "org_id, kind_id, own, " + ", ".join(VALUES)),
    "reach": (REACH, "org_id, kind_id, records, first_on, last_on"),
    "month_reach": (MONTH_REACH, "org_id, kind_id, month, records, first_on, last_on"),
    "reach_counts": (REACH_COUNT, "org_id, kind_id, org_kind, day, orgs"),
    "month_reach_counts": (MONTH_REACH_COUNT, "org_id, kind_id, org_kind, month, orgs"),
    "venue_counts": (venues.TABLE, "org_id, kind, tier, venues"),
    **{
        name: (twin.sector_table, ", ".join(("sector_id", *twin.keys, *twin.values)))
        for name, twin in TWINS.items()
    },
}


def _rebuild_sql():
    """Statements that fill the empty tables from the records: own rows, then each level's
    "below" rows from the level under it, deepest first; then the rest from those."""
    org = Org._meta.db_table
    total_columns = TABLES["totals"][1]
    sums = ", ".join(f"SUM(t.{v})" for v in VALUES)
    numbers = ", ".join(f"COALESCE(SUM({f}), 0)" for f in NUMBER_FIELDS)
    steplen = Org.steplen
    depth = Org.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    yield (
        f"INSERT INTO {TOTAL} ({total_columns}) SELECT org_id, kind_id, starts_on, %s, COUNT(*), "
        f"{numbers} FROM {Activity._meta.db_table} GROUP BY org_id, kind_id, starts_on",
        [True],
    )
    yield from _source_rows_sql(total_columns)

    def parent_join(level):
        return (
            f"JOIN {org} o ON o.id = t.org_id "
            f"JOIN {org} p ON p.path = SUBSTR(o.path, 1, {(level - 1) * steplen}) "
            f"WHERE o.depth = {int(level)}"
        )

    for level in range(depth, 1, -1):
        yield (
            f"INSERT INTO {TOTAL} ({total_columns}) SELECT p.id, t.kind_id, t.day, %s, {sums} "
            f"FROM {TOTAL} t {parent_join(level)} GROUP BY p.id, t.kind_id, t.day",
            [False],
        )
    yield (
        f"INSERT INTO {KIND_TOTAL} ({TABLES['kind_totals'][1]}) "
        f"SELECT org_id, kind_id, own, {sums} FROM {TOTAL} t GROUP BY org_id, kind_id, own",
        [],
    )
    yield (
        f"INSERT INTO {REACH} ({TABLES['reach'][1]}) "
        f"SELECT org_id, kind_id, SUM(records), MIN(day), MAX(day) FROM {TOTAL} "
        f"WHERE own = %s GROUP BY org_id, kind_id",
        [True],
    )
    yield month_reach_sql(), [True]
    months = TABLES["month_reach_counts"][1]
    yield (
        f"INSERT INTO {MONTH_REACH_COUNT} ({months}) SELECT r.org_id, r.kind_id, o.kind, r.month, 1 "
        f"FROM {MONTH_REACH} r JOIN {org} o ON o.id = r.org_id WHERE o.active = %s",
        [True],
    )
    yield from roll_up_sql(MONTH_REACH_COUNT, ("kind_id", "org_kind", "month"), "orgs")
    counts = TABLES["reach_counts"][1]
    yield (
        f"INSERT INTO {REACH_COUNT} ({counts}) SELECT r.org_id, r.kind_id, o.kind, r.first_on, 1 "
        f"FROM {REACH} r JOIN {org} o ON o.id = r.org_id WHERE o.active = %s",
        [True],
    )
    # The parent's row sums its children's; its own reach is already there.
    yield from roll_up_sql(REACH_COUNT, ("kind_id", "org_kind", "day"), "orgs")
    yield from venues.rebuild_sql()
    for twin in TWINS.values():
        yield sector_sql(twin)


def month_reach_sql():
    """The statement filling `MonthReach` from the own daily rows (parameter: True)."""
    month = month_sql("day")
    return (
        f"INSERT INTO {MONTH_REACH} ({TABLES['month_reach'][1]}) "
        f"SELECT org_id, kind_id, {month}, SUM(records), MIN(day), MAX(day) FROM {TOTAL} "
        f"WHERE own = %s GROUP BY org_id, kind_id, {month}"
    )


def _source_rows_sql(columns):
    """The own rows of the kinds counted from other records (`campaigns.sources`)."""
    kinds = {(k.campaign_id, k.source): k.pk for k in ActivityKind.objects.exclude(source="")}
    own = defaultdict(zeros)
    for code, source in SOURCES.items():
        if not any(key[1] == code for key in kinds):
            continue
        for record in source.records().iterator(chunk_size=2000):
            for campaign_id, org, day, values in source.counts(record):
                kind_id = kinds.get((campaign_id, code))
                if kind_id is None:
                    continue
                row = own[(org.pk, kind_id, day)]
                row[0] += 1
                for i, name in enumerate(NUMBER_FIELDS, start=1):
                    row[i] += values.get(name) or 0
    placeholders = ", ".join(["%s"] * (4 + len(VALUES)))
    for (org_id, kind_id, day), numbers in own.items():
        yield (
            f"INSERT INTO {TOTAL} ({columns}) VALUES ({placeholders})",
            dates([(org_id, kind_id, day, True, *numbers)], [2])[0],
        )


def rebuild() -> dict:
    """Recompute all totals from the records (the caller holds the transaction); return
    each table's row count and how many rows differed from what was kept (the drift)."""
    with connection.cursor() as cursor:
        for name, (table, columns) in TABLES.items():
            cursor.execute(f"CREATE TEMPORARY TABLE kept_{name} AS SELECT {columns} FROM {table}")
            cursor.execute(f"DELETE FROM {table}")
        for sql, params in _rebuild_sql():
            cursor.execute(sql, params)
        result = {"drift": 0}
        for name, (table, columns) in TABLES.items():
            for left, right in ((f"kept_{name}", table), (table, f"kept_{name}")):
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT {columns} FROM {left} "
                    f"EXCEPT SELECT {columns} FROM {right}) a"
                )
                result["drift"] += cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE kept_{name}")
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            result[name] = cursor.fetchone()[0]
    return result


def rebuild_everything(check=False) -> dict:
    """The ledger's totals and the org tree's subtree counts rebuilt in one transaction
    (with `check`, rolled back: only the drift is reported)."""
    with transaction.atomic():
        result = rebuild()
        tree = counts.rebuild()
        result["subtree_counts"] = tree["subtree_counts"]
        result["drift"] += tree["drift"]
        if check:
            transaction.set_rollback(True)
    return result
