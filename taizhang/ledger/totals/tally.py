"""The `Tally`: changes to the totals summed in memory, then written once per row."""

from collections import defaultdict

from taizhang.campaigns.models import NUMBER_FIELDS
from taizhang.ledger.models import KindTotal, Total
from taizhang.ledger.totals.sql import (
    KIND_CONFLICT,
    KIND_TOTAL,
    SECTOR_KIND_TOTALS,
    SECTOR_TOTALS,
    TOTAL,
    TOTAL_CONFLICT,
    VALUES,
    delete_empty,
    first_days,
    lock_pairs,
    mirror,
    month_of,
    months_present,
    refresh_month_reach,
    refresh_reach,
    upsert,
    upsert_month_reach,
    upsert_reach,
    write_month_counts,
    write_reach_counts,
    zeros,
)
from taizhang.orgs.models import Org


def _widen(spans, key, day):
    """Count one more record on `day` into the span [records, first day, last day]."""
    span = spans.get(key)
    if span is None:
        spans[key] = [1, day, day]
        return
    span[0] += 1
    if day < span[1]:
        span[1] = day
    elif day > span[2]:
        span[2] = day


class Tally:
    """Changes to the totals, summed in memory: each record into its org's own row first,
    then level by level into each ancestor's "below" row, deepest first, so a row of the
    city is added to once per town rather than once per record. `ancestors` maps an org
    path to the ids of its ancestors, filled from the database as new orgs come up."""

    def __init__(self):
        self.own = {}  # (org_id, kind_id, day) -> values
        self.rows = defaultdict(zeros)  # (org_id, kind_id, day, own) -> values, set directly
        self.added = {}  # (org_id, kind_id) -> [records, first day, last day]
        self.removed = set()  # (org_id, kind_id) whose span must be recomputed
        self.months_added = {}  # (org_id, kind_id, month) -> [records, first day, last day]
        self.months_removed = set()  # (org_id, kind_id, month) to recompute
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
        month = (org.pk, kind_id, month_of(day))
        if sign < 0:
            self.removed.add(pair)
            self.months_removed.add(month)
        else:
            _widen(self.added, pair, day)
            _widen(self.months_added, month, day)

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
        found = (
            dict(Org.objects.filter(path__any=list(paths)).values_list("path", "id"))
            if paths
            else {}
        )
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

    def _write_months(self):
        """The month spans, and the month counts of each org and its ancestors where a
        month gained its first record or lost its last."""
        months = set(self.months_added) | self.months_removed
        before = months_present(months)
        upsert_month_reach([(*key, *span) for key, span in self.months_added.items()])
        after = {key for key in self.months_added if key not in self.months_removed}
        if self.months_removed:
            refresh_month_reach(self.months_removed)
            after |= months_present(self.months_removed)
        counts = defaultdict(int)
        for key in before ^ after:
            org_id, kind_id, month = key
            org = self.orgs[org_id]
            if not org.active:
                continue
            change = 1 if key in after else -1
            for target in (org_id, *self.ancestors_of(org)):
                counts[(target, kind_id, org.kind, month)] += change
        write_month_counts(counts)

    def write(self):
        pairs = set(self.added) | self.removed
        lock_pairs(pairs)
        firsts_before = first_days(pairs)
        all_rows = self._rolled_up()
        rows = [(*key, *values) for key, values in all_rows.items() if any(values)]
        upsert(TOTAL, ("org_id", "kind_id", "day", "own", *VALUES), rows, TOTAL_CONFLICT, [2])
        by_kind = defaultdict(zeros)
        for (org_id, kind_id, _day, own), values in all_rows.items():
            acc = by_kind[(org_id, kind_id, own)]
            for i, n in enumerate(values):
                acc[i] += n
        rows = [(*key, *values) for key, values in by_kind.items() if any(values)]
        upsert(KIND_TOTAL, ("org_id", "kind_id", "own", *VALUES), rows, KIND_CONFLICT, [])
        shrunk = [key for key, values in all_rows.items() if values[0] < 0]
        if shrunk:
            delete_empty(Total, shrunk)
            delete_empty(KindTotal, {(o, k, own) for o, k, _d, own in shrunk})
        mirror(SECTOR_TOTALS, all_rows)
        mirror(SECTOR_KIND_TOTALS, by_kind)
        upsert_reach([(*pair, *span) for pair, span in self.added.items()])
        if self.removed:
            refresh_reach(self.removed)
        self._write_months()
        # Only a span that lost records needs reading back; an added one moves its first day
        # to the earlier of the two.
        firsts_after = first_days(self.removed)
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
        self.months_added.clear()
        self.months_removed.clear()
