"""The roll-up totals, kept by the ledger's services inside their transaction:

- `Total` (org, kind, day, own): a record adds to its org's own row and to one "below" row of
  each ancestor, for its kind and its first day;
- `KindTotal` (org, kind, own): the same over all days;
- `Reach` (org, kind): how many records an org has of a kind, first and last day;
- `ReachCount` (org, kind, org kind, day): how many orgs of each kind in the subtree had
  their first record of a kind that day.

Changes are summed in a `Tally` first, so an import of 100,000 records writes each row once.
`rebuild` recomputes everything from the records and reports any drift."""

from collections import defaultdict

from django.db import connection

from taizhang.campaigns.models import NUMBER_FIELDS, ActivityKind
from taizhang.campaigns.sources import SOURCES
from taizhang.ledger.models import Activity, KindTotal, Reach, ReachCount, Total
from taizhang.orgs.models import Org

VALUES = ("records", *NUMBER_FIELDS)
TOTAL = Total._meta.db_table
KIND_TOTAL = KindTotal._meta.db_table
REACH = Reach._meta.db_table
REACH_COUNT = ReachCount._meta.db_table
CHUNK = 5000


def _zeros():
    return [0] * len(VALUES)


class Tally:
    """Changes to the totals, summed in memory: each record into its org's own row first,
    then level by level into each ancestor's "below" row, deepest first, so a row of the
    city is added to once per town rather than once per record. `ancestors` maps an org
    path to the ids of its ancestors, filled from the database as new orgs come up."""

    def __init__(self):
        self.own = {}  # (org_id, kind_id, day) -> values
        self.rows = defaultdict(_zeros)  # (org_id, kind_id, day, own) -> values, set directly
        self.added = {}  # (org_id, kind_id) -> [records, first day, last day]
        self.removed = set()  # (org_id, kind_id) whose span must be recomputed
        self.orgs = {}  # org id -> org, for the orgs whose spans change
        self.ancestors = {}

    def add(self, org, kind_id, day, values, sign=1):
        """Count one record (`values`: field → number or None) on `org`; sign -1 takes it out."""
        numbers = [sign] + [sign * (values.get(name) or 0) for name in NUMBER_FIELDS]
        key = (org.pk, kind_id, day)
        row = self.own.get(key)
        if row is None:
            self.own[key] = numbers
        else:
            for i in range(len(VALUES)):
                row[i] += numbers[i]
        pair = (org.pk, kind_id)
        if org.pk not in self.orgs:
            self.orgs[org.pk] = org
            self.ancestors_of(org)
        if sign < 0:
            self.removed.add(pair)
        elif pair in self.added:
            span = self.added[pair]
            span[0] += 1
            if day < span[1]:
                span[1] = day
            elif day > span[2]:
                span[2] = day
        else:
            self.added[pair] = [1, day, day]

    def bump(self, key, numbers):
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

    def _rolled_up(self):
        """The own rows and every ancestor's "below" rows, plus rows set directly."""
        parent, depth = {}, {}
        for org in self.orgs.values():
            chain = [*self.ancestors[org.path], org.pk]
            for level, org_id in enumerate(chain, start=1):
                depth[org_id] = level
                parent[org_id] = chain[level - 2] if level > 1 else None
        by_depth = defaultdict(list)
        for (org_id, kind_id, day), numbers in self.own.items():
            by_depth[depth[org_id]].append((org_id, kind_id, day, numbers))
        below = {}
        width = range(len(VALUES))
        for level in range(max(by_depth, default=0), 1, -1):
            for org_id, kind_id, day, numbers in by_depth[level]:
                key = (parent[org_id], kind_id, day)
                row = below.get(key)
                if row is None:
                    below[key] = row = list(numbers)
                    by_depth[level - 1].append((*key, row))  # summed in full before it is read
                else:
                    for i in width:
                        row[i] += numbers[i]
        rows = self.rows
        for own, found in ((True, self.own), (False, below)):
            for (org_id, kind_id, day), numbers in found.items():
                key = (org_id, kind_id, day, own)
                if key in rows:
                    rows[key] = [a + b for a, b in zip(rows[key], numbers, strict=True)]
                else:
                    rows[key] = numbers
        return rows

    def write(self):
        pairs = set(self.added) | self.removed
        firsts_before = _first_days(pairs)
        all_rows = self._rolled_up()
        rows = [(*key, *values) for key, values in all_rows.items() if any(values)]
        _upsert(TOTAL, ("org_id", "kind_id", "day", "own", *VALUES), rows, _TOTAL_CONFLICT, [2])
        by_kind = defaultdict(_zeros)
        for (org_id, kind_id, _day, own), values in all_rows.items():
            acc = by_kind[(org_id, kind_id, own)]
            for i, n in enumerate(values):
                acc[i] += n
        rows = [(*key, *values) for key, values in by_kind.items() if any(values)]
        _upsert(KIND_TOTAL, ("org_id", "kind_id", "own", *VALUES), rows, _KIND_CONFLICT, [])
        shrunk = [key for key, values in all_rows.items() if values[0] < 0]
        if shrunk:
            _delete_empty(Total, shrunk)
            _delete_empty(KindTotal, {(o, k, own) for o, k, _d, own in shrunk})
        _upsert_reach([(*pair, *span) for pair, span in self.added.items()])
        if self.removed:
            _refresh_reach(self.removed)
        # Only a span that lost records needs reading back; an added one moves its first day
        # to the earlier of the two.
        firsts_after = _first_days(self.removed)
        for pair, (_n, first, _last) in self.added.items():
            if pair not in self.removed:
                before = firsts_before.get(pair)
                firsts_after[pair] = first if before is None else min(before, first)
        counts = defaultdict(int)
        for pair in pairs:
            before, after = firsts_before.get(pair), firsts_after.get(pair)
            org = self.orgs[pair[0]]
            if before == after or not org.active:
                continue
            for target in (org.pk, *self.ancestors_of(org)):
                if before is not None:
                    counts[(target, pair[1], org.kind, before)] -= 1
                if after is not None:
                    counts[(target, pair[1], org.kind, after)] += 1
        write_reach_counts(counts)
        self.own.clear()
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


def counted(activity) -> dict:
    """What an activity contributes to the totals, for `replace_activity`."""
    return {
        "org": activity.org,
        "kind_id": activity.kind_id,
        "starts_on": activity.starts_on,
        **_numbers(activity),
    }


def replace_activity(before: dict, activity):
    """An edited activity: take out what it counted before (`counted` of it then), count
    what it counts now."""
    tally = Tally()
    tally.add(before["org"], before["kind_id"], before["starts_on"], before, -1)
    tally.add(activity.org, activity.kind_id, activity.starts_on, _numbers(activity))
    tally.write()


def recount(before, after):
    """A record kept outside the ledger changed (a report, a problem, a rectification…):
    take out what it counted before and count what it counts now; both are
    `campaigns.sources.counted` of the record. Sources the campaign has no kind for count
    nowhere."""
    if _comparable(before) == _comparable(after):
        return
    codes = {entry[0] for entry in (*before, *after)}
    kinds = {
        (k.campaign_id, k.source): k.pk
        for k in ActivityKind.objects.filter(source__in=codes).only("campaign_id", "source")
    }
    tally = Tally()
    for entries, sign in ((before, -1), (after, 1)):
        for code, campaign_id, org, day, values in entries:
            kind_id = kinds.get((campaign_id, code))
            if kind_id is not None:
                tally.add(org, kind_id, day, values, sign)
    tally.write()


def _comparable(entries):
    return sorted(
        (code, campaign_id, org.pk, day, sorted(values.items()))
        for code, campaign_id, org, day, values in entries
    )


def move_subtree(org, old_ancestor_ids, new_ancestor_ids):
    """An org moved with its subtree: its old ancestors lose the subtree's totals and counts
    and its new ones gain them; rows inside the subtree stay as they are."""
    subtree = defaultdict(_zeros)
    for row in Total.objects.filter(org_id=org.pk).values_list("kind_id", "day", *VALUES):
        acc = subtree[row[:2]]
        for i, n in enumerate(row[2:]):
            acc[i] += n
    tally = Tally()
    for (kind_id, day), numbers in subtree.items():
        for ancestor_id in old_ancestor_ids:
            tally.bump((ancestor_id, kind_id, day, False), [-n for n in numbers])
        for ancestor_id in new_ancestor_ids:
            tally.bump((ancestor_id, kind_id, day, False), numbers)
    tally.write()
    counts = defaultdict(int)
    rows = ReachCount.objects.filter(org_id=org.pk).values_list(
        "kind_id", "org_kind", "day", "orgs"
    )
    for kind_id, org_kind, day, n in rows:
        for ancestor_id in old_ancestor_ids:
            counts[(ancestor_id, kind_id, org_kind, day)] -= n
        for ancestor_id in new_ancestor_ids:
            counts[(ancestor_id, kind_id, org_kind, day)] += n
    write_reach_counts(counts)


def reclassify(org, before, after):
    """An org's kind or active flag changed: move its own reach between the counts' kinds
    (an inactive org is counted nowhere)."""
    (old_kind, was_active), (new_kind, is_active) = before, after
    targets = [org.pk, *Tally().ancestors_of(org)]
    counts = defaultdict(int)
    for kind_id, first_on in Reach.objects.filter(org_id=org.pk).values_list("kind_id", "first_on"):
        for target in targets:
            if was_active:
                counts[(target, kind_id, old_kind, first_on)] -= 1
            if is_active:
                counts[(target, kind_id, new_kind, first_on)] += 1
    write_reach_counts(counts)


def write_reach_counts(counts):
    rows = [(*key, n) for key, n in counts.items() if n]
    conflict = (
        "ON CONFLICT (org_id, kind_id, org_kind, day) DO UPDATE "
        f"SET orgs = {REACH_COUNT}.orgs + excluded.orgs"
    )
    _upsert(REACH_COUNT, ("org_id", "kind_id", "org_kind", "day", "orgs"), rows, conflict, [3])
    org_ids = sorted({key[0] for key, n in counts.items() if n < 0})
    for start in range(0, len(org_ids), CHUNK):
        ReachCount.objects.filter(org_id__in=org_ids[start : start + CHUNK], orgs__lte=0).delete()


def _first_days(pairs):
    """{(org id, kind id): first day} of the pairs that have records."""
    by_kind = defaultdict(list)
    for org_id, kind_id in pairs:
        by_kind[kind_id].append(org_id)
    out = {}
    for kind_id, org_ids in by_kind.items():
        for start in range(0, len(org_ids), CHUNK):
            chunk = org_ids[start : start + CHUNK]
            rows = Reach.objects.filter(kind_id=kind_id, org_id__in=chunk)
            for org_id, first_on in rows.values_list("org_id", "first_on"):
                out[(org_id, kind_id)] = first_on
    return out


# SQL. Both databases take INSERT … ON CONFLICT DO UPDATE; PostgreSQL gets large batches
# through COPY into a temporary table first.


def _adding(table):
    return ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in VALUES)


_TOTAL_CONFLICT = f"ON CONFLICT (org_id, kind_id, day, own) DO UPDATE SET {_adding(TOTAL)}"
_KIND_CONFLICT = f"ON CONFLICT (org_id, kind_id, own) DO UPDATE SET {_adding(KIND_TOTAL)}"
_COPY_THRESHOLD = 2000


def _dates(rows, positions):
    if connection.vendor != "sqlite" or not positions:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for p in positions:
            row[p] = row[p].isoformat()
        out.append(row)
    return out


def _copy_text(value):
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)  # numbers, dates (ISO), org kinds: nothing to escape


def _copy_line(row):
    return "\t".join(map(_copy_text, row)) + "\n"


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
                for start in range(0, len(rows), 10_000):
                    copy.write("".join(_copy_line(r) for r in rows[start : start + 10_000]))
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {conflict}"
            )
            cursor.execute(f"DROP TABLE {staging}")
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {conflict}",
            _dates(rows, date_positions),
        )


def _upsert_reach(rows):
    low, high = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    conflict = (
        f"ON CONFLICT (kind_id, org_id) DO UPDATE SET records = {REACH}.records + excluded.records, "
        f"first_on = {low}({REACH}.first_on, excluded.first_on), "
        f"last_on = {high}({REACH}.last_on, excluded.last_on)"
    )
    _upsert(REACH, ("org_id", "kind_id", "records", "first_on", "last_on"), rows, conflict, [3, 4])


def _delete_empty(model, keys):
    """Delete the rows left without records among those of the orgs in `keys` (tuples
    starting with an org id): a row counts at least one record or is gone."""
    org_ids = sorted({key[0] for key in keys})
    for start in range(0, len(org_ids), CHUNK):
        model.objects.filter(org_id__in=org_ids[start : start + CHUNK], records__lte=0).delete()


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

TABLES = {
    "totals": (TOTAL, "org_id, kind_id, day, own, " + ", ".join(VALUES)),
    "kind_totals": (KIND_TOTAL, "org_id, kind_id, own, " + ", ".join(VALUES)),
    "reach": (REACH, "org_id, kind_id, records, first_on, last_on"),
    "reach_counts": (REACH_COUNT, "org_id, kind_id, org_kind, day, orgs"),
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
    counts = TABLES["reach_counts"][1]
    yield (
        f"INSERT INTO {REACH_COUNT} ({counts}) SELECT r.org_id, r.kind_id, o.kind, r.first_on, 1 "
        f"FROM {REACH} r JOIN {org} o ON o.id = r.org_id WHERE o.active = %s",
        [True],
    )
    for level in range(depth, 1, -1):
        # The parent's row sums its children's; its own reach is already there.
        yield (
            f"INSERT INTO {REACH_COUNT} ({counts}) "
            f"SELECT p.id, t.kind_id, t.org_kind, t.day, SUM(t.orgs) FROM {REACH_COUNT} t "
            f"{parent_join(level)} GROUP BY p.id, t.kind_id, t.org_kind, t.day "
            f"ON CONFLICT (org_id, kind_id, org_kind, day) DO UPDATE "
            f"SET orgs = {REACH_COUNT}.orgs + excluded.orgs",
            [],
        )


def _source_rows_sql(columns):
    """The own rows of the kinds counted from other records (`campaigns.sources`)."""
    kinds = {(k.campaign_id, k.source): k.pk for k in ActivityKind.objects.exclude(source="")}
    own = defaultdict(_zeros)
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
            _dates([(org_id, kind_id, day, True, *numbers)], [2])[0],
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
