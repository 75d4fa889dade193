"""Writing the totals tables in SQL: the one place that knows their columns and conflicts."""

import datetime
from collections import defaultdict

from django.db import connection

from taizhang.campaigns.models import NUMBER_FIELDS
from taizhang.ledger.models import (
    KindTotal,
    MonthReach,
    MonthReachCount,
    Reach,
    ReachCount,
    SectorKindTotal,
    SectorMonthReachCount,
    SectorReachCount,
    SectorTotal,
    Total,
)
from taizhang.orgs.mirror import Twin, mirror
from taizhang.orgs.models import Org

VALUES = ("records", *NUMBER_FIELDS)
TOTAL = Total._meta.db_table
KIND_TOTAL = KindTotal._meta.db_table
REACH = Reach._meta.db_table
REACH_COUNT = ReachCount._meta.db_table
MONTH_REACH = MonthReach._meta.db_table
MONTH_REACH_COUNT = MonthReachCount._meta.db_table
CHUNK = 5000

# The sector systems' twins of the tables above (orgs/mirror.py).
SECTOR_TOTALS = Twin(TOTAL, SectorTotal._meta.db_table, ("kind_id", "day", "own"), VALUES)
SECTOR_KIND_TOTALS = Twin(KIND_TOTAL, SectorKindTotal._meta.db_table, ("kind_id", "own"), VALUES)
SECTOR_REACH_COUNTS = Twin(
    REACH_COUNT, SectorReachCount._meta.db_table, ("kind_id", "org_kind", "day"), ("orgs",)
)
SECTOR_MONTH_COUNTS = Twin(
    MONTH_REACH_COUNT,
    SectorMonthReachCount._meta.db_table,
    ("kind_id", "org_kind", "month"),
    ("orgs",),
)


def zeros():
    return [0] * len(VALUES)


# SQL. Both databases take INSERT … ON CONFLICT DO UPDATE; PostgreSQL gets large batches
# through COPY into a temporary table first.


def adding(table):
    return ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in VALUES)


TOTAL_CONFLICT = f"ON CONFLICT (org_id, kind_id, day, own) DO UPDATE SET {adding(TOTAL)}"
KIND_CONFLICT = f"ON CONFLICT (org_id, kind_id, own) DO UPDATE SET {adding(KIND_TOTAL)}"
COPY_THRESHOLD = 2000


def dates(rows, positions):
    if connection.vendor != "sqlite" or not positions:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for p in positions:
            row[p] = row[p].isoformat()
        out.append(row)
    return out


def copy_line(row):
    # COPY's text format: numbers, ISO dates (str of a date), True/False (PostgreSQL reads
    # booleans in any case) and org kinds, none with a character to escape.
    return "\t".join(map(str, row)) + "\n"


def lock_pairs(pairs):
    """Hold, until the transaction ends, a lock on each (org id, kind id): a write that
    reads an org's reach before changing it waits for another one writing the same org and
    kind to commit, so neither counts the org's first record twice. Taken in one order, so
    two writers never wait on each other. (SQLite has one writer at a time.)"""
    if connection.vendor != "postgresql" or not pairs:
        return
    ordered = sorted(pairs)
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), 50_000):
            chunk = ordered[start : start + 50_000]
            cursor.execute(
                "SELECT COUNT(pg_advisory_xact_lock(o, k)) FROM "
                "(SELECT o, k FROM unnest(%s::int[], %s::int[]) AS t(o, k) ORDER BY o, k) s",
                [[o for o, _k in chunk], [k for _o, k in chunk]],
            )


def upsert(table, columns, rows, conflict, date_positions):
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD:
            staging = f"staging_{table}"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
                for start in range(0, len(rows), 10_000):
                    copy.write("".join(copy_line(r) for r in rows[start : start + 10_000]))
            # In the unique key's order: the index is walked once, not jumped about.
            key = conflict.split("(", 1)[1].split(")", 1)[0]
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} "
                f"ORDER BY {key} {conflict}"
            )
            cursor.execute(f"DROP TABLE {staging}")
            return
        # Rows in one order in every writer, so concurrent upserts lock them in that order.
        rows = sorted(rows)
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {conflict}",
            dates(rows, date_positions),
        )


def upsert_reach(rows):
    low, high = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    conflict = (
        f"ON CONFLICT (kind_id, org_id) DO UPDATE SET records = {REACH}.records + excluded.records, "
        f"first_on = {low}({REACH}.first_on, excluded.first_on), "
        f"last_on = {high}({REACH}.last_on, excluded.last_on)"
    )
    upsert(REACH, ("org_id", "kind_id", "records", "first_on", "last_on"), rows, conflict, [3, 4])


def month_of(day):
    return day.replace(day=1)


def month_sql(column):
    """SQL for the first day of the month of a date column."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def upsert_month_reach(rows):
    """Add (org id, kind id, month, records, first day, last day) rows of new records."""
    low, high = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    conflict = (
        f"ON CONFLICT (kind_id, org_id, month) DO UPDATE "
        f"SET records = {MONTH_REACH}.records + excluded.records, "
        f"first_on = {low}({MONTH_REACH}.first_on, excluded.first_on), "
        f"last_on = {high}({MONTH_REACH}.last_on, excluded.last_on)"
    )
    columns = ("org_id", "kind_id", "month", "records", "first_on", "last_on")
    upsert(MONTH_REACH, columns, rows, conflict, [2, 4, 5])


def delete_empty(model, keys):
    """Delete the rows left without records among those of the orgs in `keys` (tuples
    starting with an org id): a row counts at least one record or is gone."""
    org_ids = sorted({key[0] for key in keys})
    for start in range(0, len(org_ids), CHUNK):
        model.objects.filter(org_id__any=org_ids[start : start + CHUNK], records__lte=0).delete()


def _refresh_span(model, key, days):
    """Set the `model` row of `key` (field → value) to the span of `days`, the (day,
    records) of its own daily rows; no rows, no row."""
    days = sorted(days)
    if not days:
        model.objects.filter(**key).delete()
        return
    model.objects.update_or_create(
        **key,
        defaults={
            "records": sum(n for _day, n in days),
            "first_on": days[0][0],
            "last_on": days[-1][0],
        },
    )


def refresh_reach(pairs):
    """Recompute the span of each (org, kind) from its own daily rows."""
    for org_id, kind_id in pairs:
        rows = Total.objects.filter(org_id=org_id, kind_id=kind_id, own=True)
        _refresh_span(
            Reach, {"org_id": org_id, "kind_id": kind_id}, rows.values_list("day", "records")
        )


def refresh_month_reach(triples):
    """Recompute each (org, kind, month)'s span from its own daily rows of that month."""
    for org_id, kind_id, month in triples:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        rows = Total.objects.filter(
            org_id=org_id, kind_id=kind_id, own=True, day__gte=month, day__lt=following
        )
        key = {"org_id": org_id, "kind_id": kind_id, "month": month}
        _refresh_span(MonthReach, key, rows.values_list("day", "records"))


def roll_up_sql(table, keys, value):
    """Statements adding each level's rows of an org-count table (`keys`: its columns
    besides org_id and the `value` counted) into its parent's, deepest level first, so
    each level's rows are whole before they are added up."""
    org, steplen = Org._meta.db_table, Org.steplen
    depth = Org.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    names = ", ".join(keys)
    grouped = ", ".join(f"t.{k}" for k in keys)
    for level in range(depth, 1, -1):
        yield (
            f"INSERT INTO {table} (org_id, {names}, {value}) "
            f"SELECT p.id, {grouped}, SUM(t.{value}) FROM {table} t "
            f"JOIN {org} o ON o.id = t.org_id "
            f"JOIN {org} p ON p.path = SUBSTR(o.path, 1, {(level - 1) * steplen}) "
            f"WHERE o.depth = {int(level)} GROUP BY p.id, {grouped} "
            f"ON CONFLICT (org_id, {names}) DO UPDATE SET {value} = {table}.{value} + excluded.{value}",
            [],
        )


# Rebuild


def _write_counts(model, columns, counts, date_position, twin):
    """Add `counts` ({key: change}, the key in the order of `columns` but the last) to a
    table of org counts and its sector twin; rows left at zero are deleted."""
    table = model._meta.db_table
    rows = [(*key, n) for key, n in counts.items() if n]
    conflict = (
        f"ON CONFLICT ({', '.join(columns[:-1])}) DO UPDATE SET orgs = {table}.orgs + excluded.orgs"
    )
    upsert(table, columns, rows, conflict, [date_position])
    org_ids = sorted({key[0] for key, n in counts.items() if n < 0})
    for start in range(0, len(org_ids), CHUNK):
        model.objects.filter(org_id__any=org_ids[start : start + CHUNK], orgs__lte=0).delete()
    mirror(twin, counts)


def write_reach_counts(counts):
    """{(org, kind, org kind, first day): change} into `ReachCount`."""
    columns = ("org_id", "kind_id", "org_kind", "day", "orgs")
    _write_counts(ReachCount, columns, counts, 3, SECTOR_REACH_COUNTS)


def write_month_counts(counts):
    """{(org, kind, org kind, month): change} into `MonthReachCount`."""
    columns = ("org_id", "kind_id", "org_kind", "month", "orgs")
    _write_counts(MonthReachCount, columns, counts, 3, SECTOR_MONTH_COUNTS)


def months_present(keys):
    """The (org id, kind id, month) among `keys` that have records (a `MonthReach` row)."""
    by_kind = defaultdict(set)
    for org_id, kind_id, _month in keys:
        by_kind[kind_id].add(org_id)
    months = sorted({key[2] for key in keys})
    found = set()
    for kind_id, org_ids in by_kind.items():
        org_ids = sorted(org_ids)
        for start in range(0, len(org_ids), CHUNK):
            rows = MonthReach.objects.filter(
                kind_id=kind_id, org_id__any=org_ids[start : start + CHUNK], month__any=months
            )
            found.update((o, kind_id, m) for o, m in rows.values_list("org_id", "month"))
    return found & set(keys)


def first_days(pairs):
    """{(org id, kind id): first day} of the pairs that have records."""
    by_kind = defaultdict(list)
    for org_id, kind_id in pairs:
        by_kind[kind_id].append(org_id)
    out = {}
    for kind_id, org_ids in by_kind.items():
        for start in range(0, len(org_ids), CHUNK):
            chunk = org_ids[start : start + CHUNK]
            rows = Reach.objects.filter(kind_id=kind_id, org_id__any=chunk)
            for org_id, first_on in rows.values_list("org_id", "first_on"):
                out[(org_id, kind_id)] = first_on
    return out
