"""The roll-up totals (`Total`, `Reach`), kept by the ledger's services inside their
transaction: a record adds to its org's own row and to one "below" row of each ancestor,
for its kind and its first day. Changes are summed in a `Tally` first, so an import of
100,000 records writes each (org, kind, day) row once. `rebuild` recomputes everything
from the records and reports any drift."""

from collections import defaultdict

from django.db import connection

from taizhang.campaigns.models import NUMBER_FIELDS
from taizhang.ledger.models import Activity, Reach, Total
from taizhang.orgs.models import Org

VALUES = ("records", *NUMBER_FIELDS)
KEYS = ("org_id", "kind_id", "day", "own")
TOTAL = Total._meta.db_table
REACH = Reach._meta.db_table


class Tally:
    """Changes to the totals, summed in memory. `ancestors` maps an org path to the ids of
    the org's ancestors; it is filled from the database as new orgs come up."""

    def __init__(self):
        self.rows = defaultdict(lambda: [0] * len(VALUES))
        self.added = {}  # (org_id, kind_id) -> [records, first day, last day]
        self.removed = set()  # (org_id, kind_id) whose span must be recomputed
        self.ancestors = {}

    def add(self, org, kind_id, day, values, sign=1):
        """Count one record (`values`: field → number or None) on `org`; sign -1 takes it out."""
        numbers = [sign] + [sign * (values.get(name) or 0) for name in NUMBER_FIELDS]
        self._bump((org.pk, kind_id, day, True), numbers)
        for ancestor_id in self.ancestors_of(org):
            self._bump((ancestor_id, kind_id, day, False), numbers)
        pair = (org.pk, kind_id)
        if sign < 0:
            self.removed.add(pair)
        elif pair in self.added:
            span = self.added[pair]
            span[0] += 1
            span[1] = min(span[1], day)
            span[2] = max(span[2], day)
        else:
            self.added[pair] = [1, day, day]

    def _bump(self, key, numbers):
        row = self.rows[key]
        for i, n in enumerate(numbers):
            row[i] += n

    def ancestors_of(self, org):
        ids = self.ancestors.get(org.path)
        if ids is None:
            self.load_ancestors([org])
            ids = self.ancestors[org.path]
        return ids

    def load_ancestors(self, orgs):
        """Look up the ancestors of all `orgs` in one query."""
        wanted = {o.path: o.ancestor_paths() for o in orgs if o.path not in self.ancestors}
        paths = {p for ancestors in wanted.values() for p in ancestors}
        found = dict(Org.objects.filter(path__in=paths).values_list("path", "id")) if paths else {}
        for path, ancestors in wanted.items():
            self.ancestors[path] = [found[p] for p in ancestors]

    def write(self):
        rows = [(*key, *values) for key, values in self.rows.items() if any(values)]
        _upsert_totals(rows)
        if any(v[0] < 0 for v in self.rows.values()):
            _delete_empty_totals([key for key, values in self.rows.items() if values[0] < 0])
        _upsert_reach([(*pair, *span) for pair, span in self.added.items()])
        if self.removed:
            _refresh_reach(self.removed)
        self.rows.clear()
        self.added.clear()
        self.removed.clear()


def add_activity(activity, sign=1):
    """Count one saved activity into the totals (sign -1: take it out)."""
    tally = Tally()
    tally.add(activity.org, activity.kind_id, activity.starts_on, _numbers(activity), sign)
    tally.write()


def _numbers(activity):
    return {name: getattr(activity, name) for name in NUMBER_FIELDS}


def replace_activity(before: dict, activity):
    """An edited activity: take out what it counted before (`before`: org, kind_id,
    starts_on and the number fields), count what it counts now."""
    tally = Tally()
    tally.add(before["org"], before["kind_id"], before["starts_on"], before, -1)
    tally.add(activity.org, activity.kind_id, activity.starts_on, _numbers(activity))
    tally.write()


def counted(activity) -> dict:
    """What an activity contributes to the totals, for `replace_activity`."""
    return {
        "org": activity.org,
        "kind_id": activity.kind_id,
        "starts_on": activity.starts_on,
        **_numbers(activity),
    }


def move_subtree(org, old_ancestor_ids, new_ancestor_ids):
    """An org moved with its subtree: its ancestors' "below" rows change by the subtree's
    totals; rows inside the subtree stay as they are."""
    subtree = defaultdict(lambda: [0] * len(VALUES))
    for row in Total.objects.filter(org_id=org.pk).values_list("kind_id", "day", *VALUES):
        acc = subtree[row[:2]]
        for i, n in enumerate(row[2:]):
            acc[i] += n
    tally = Tally()
    for (kind_id, day), numbers in subtree.items():
        for ancestor_id in old_ancestor_ids:
            tally._bump((ancestor_id, kind_id, day, False), [-n for n in numbers])
        for ancestor_id in new_ancestor_ids:
            tally._bump((ancestor_id, kind_id, day, False), numbers)
    tally.write()


# SQL. Both databases take INSERT … ON CONFLICT DO UPDATE; PostgreSQL gets large batches
# through COPY into a temporary table first.

_COLUMNS = (*KEYS, *VALUES)
_ADD_VALUES = ", ".join(f"{v} = {TOTAL}.{v} + excluded.{v}" for v in VALUES)
_TOTAL_CONFLICT = f"ON CONFLICT (org_id, kind_id, day, own) DO UPDATE SET {_ADD_VALUES}"
_COPY_THRESHOLD = 2000


def _dates(rows, *positions):
    if connection.vendor != "sqlite":
        return rows
    out = []
    for row in rows:
        row = list(row)
        for p in positions:
            row[p] = row[p].isoformat()
        out.append(row)
    return out


def _upsert(table, columns, rows, conflict, date_positions):
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= _COPY_THRESHOLD:
            staging = f"staging_{table}"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {conflict}"
            )
            cursor.execute(f"DROP TABLE {staging}")
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {conflict}",
            _dates(rows, *date_positions),
        )


def _upsert_totals(rows):
    _upsert(TOTAL, _COLUMNS, rows, _TOTAL_CONFLICT, [2])


def _upsert_reach(rows):
    low, high = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    conflict = (
        f"ON CONFLICT (kind_id, org_id) DO UPDATE SET records = {REACH}.records + excluded.records, "
        f"first_on = {low}({REACH}.first_on, excluded.first_on), "
        f"last_on = {high}({REACH}.last_on, excluded.last_on)"
    )
    _upsert(REACH, ("org_id", "kind_id", "records", "first_on", "last_on"), rows, conflict, [3, 4])


def _delete_empty_totals(keys):
    by_kind_day = defaultdict(list)
    for org_id, kind_id, day, _own in keys:
        by_kind_day[(kind_id, day)].append(org_id)
    for (kind_id, day), org_ids in by_kind_day.items():
        Total.objects.filter(kind_id=kind_id, day=day, org_id__in=org_ids, records__lte=0).delete()


def _refresh_reach(pairs):
    """Recompute the span of each (org, kind) from its own daily rows."""
    for org_id, kind_id in pairs:
        rows = Total.objects.filter(org_id=org_id, kind_id=kind_id, own=True)
        days = sorted(rows.values_list("day", "records"))
        if not days:
            Reach.objects.filter(org_id=org_id, kind_id=kind_id).delete()
            continue
        Reach.objects.update_or_create(
            org_id=org_id,
            kind_id=kind_id,
            defaults={
                "records": sum(n for _day, n in days),
                "first_on": days[0][0],
                "last_on": days[-1][0],
            },
        )


# Rebuild


def _own_sums_sql():
    sums = ", ".join(f"COALESCE(SUM({f}), 0)" for f in NUMBER_FIELDS)
    return (
        f"SELECT org_id, kind_id, starts_on, %s, COUNT(*), {sums} "
        f"FROM {Activity._meta.db_table} GROUP BY org_id, kind_id, starts_on"
    )


def _rebuild_sql():
    """Statements that fill empty tables from the records: own rows, then each level's
    "below" rows from the level under it, deepest first."""
    org = Org._meta.db_table
    names = ", ".join(_COLUMNS)
    sums = ", ".join(f"SUM(t.{v})" for v in VALUES)
    steplen = Org.steplen
    yield f"INSERT INTO {TOTAL} ({names}) {_own_sums_sql()}", [True]
    depth = Org.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    for level in range(depth, 1, -1):
        yield (
            f"INSERT INTO {TOTAL} ({names}) "
            f"SELECT p.id, t.kind_id, t.day, %s, {sums} FROM {TOTAL} t "
            f"JOIN {org} o ON o.id = t.org_id "
            f"JOIN {org} p ON p.path = SUBSTR(o.path, 1, {(level - 1) * steplen}) "
            f"WHERE o.depth = %s GROUP BY p.id, t.kind_id, t.day",
            [False, level],
        )
    yield (
        f"INSERT INTO {REACH} (org_id, kind_id, records, first_on, last_on) "
        f"SELECT org_id, kind_id, SUM(records), MIN(day), MAX(day) FROM {TOTAL} "
        f"WHERE own = %s GROUP BY org_id, kind_id",
        [True],
    )


def rebuild() -> dict:
    """Recompute all totals from the records (the caller holds the transaction); return
    how many rows there are and how many differed from what was kept (the drift)."""
    columns = ", ".join(_COLUMNS)
    reach_columns = "org_id, kind_id, records, first_on, last_on"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE kept_total AS SELECT {columns} FROM {TOTAL}")
        cursor.execute(f"CREATE TEMPORARY TABLE kept_reach AS SELECT {reach_columns} FROM {REACH}")
        cursor.execute(f"DELETE FROM {TOTAL}")
        cursor.execute(f"DELETE FROM {REACH}")
        for sql, params in _rebuild_sql():
            cursor.execute(sql, params)
        drift = {}
        for name, table, kept, cols in (
            ("totals", TOTAL, "kept_total", columns),
            ("reach", REACH, "kept_reach", reach_columns),
        ):
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {cols} FROM {kept} EXCEPT SELECT {cols} FROM {table}) a"
            )
            missing = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {cols} FROM {table} EXCEPT SELECT {cols} FROM {kept}) a"
            )
            drift[name] = missing + cursor.fetchone()[0]
        cursor.execute("DROP TABLE kept_total")
        cursor.execute("DROP TABLE kept_reach")
    return {
        "totals": Total.objects.count(),
        "reach": Reach.objects.count(),
        "drift": drift["totals"] + drift["reach"],
    }
