"""Coverage: which orgs of some kinds under an org have at least N records of a kind in a
period, and which have not (the gap list). Since the campaign's start with N = 1 — the
usual question, "which branches have held their lecture by now" — the answer comes from
counts the ledger and the org tree keep (`ReachCount`, `SubtreeCount`) without visiting
orgs. Other periods count the eligible orgs the same way and visit only the orgs with
records of the kind in the period's months: one `MonthReach` row per org and month, and
an org's daily totals only when its records that month lie on both sides of the period's
edge."""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Q, Sum

from taizhang.ledger.models import MonthReach, MonthReachCount, Reach, ReachCount, Total
from taizhang.orgs.models import Org, SubtreeCount
from taizhang.orgs.scope import in_subtree


def org_counts(orgs, kinds):
    """{org id: number of active orgs of `kinds` (any kind if empty) in its subtree}, from
    the subtree counts the org tree keeps."""
    rows = SubtreeCount.objects.filter(org_id__in=[o.pk for o in orgs]).order_by()
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return dict(rows.values_list("org_id").annotate(n=Sum("orgs")))


def eligible_of(metric, orgs):
    """{org id: the metric's eligible orgs in its subtree}: the active orgs of its kinds,
    and with `among`, only those with a record of that kind (from the reach counts)."""
    if metric.among_id is None:
        return org_counts(orgs, metric.org_kinds)
    rows = ReachCount.objects.filter(
        org_id__in=[o.pk for o in orgs], kind_id=metric.among_id
    ).order_by()
    if metric.org_kinds:
        rows = rows.filter(org_kind__in=metric.org_kinds)
    return {k: n for k, n in rows.values_list("org_id").annotate(n=Sum("orgs")) if n}


def _among(metric, orgs):
    """`orgs` (a queryset) narrowed to those the metric's `among` kind makes eligible."""
    if metric.among_id is None:
        return orgs
    return orgs.filter(id__in=Reach.objects.filter(kind_id=metric.among_id).values("org_id"))


def _by_span(metric, period):
    """Whether each org's whole span (`Reach`) decides the period: it starts with the
    campaign and asks for one record, or it covers the whole campaign (every record lies
    inside its campaign)."""
    campaign = metric.campaign
    n = max(metric.min_records, 1)
    return period.start <= campaign.starts_on and (n == 1 or period.end >= campaign.ends_on)


def _met(metric, period, org_id):
    """An SQL condition (with its parameters) that holds when the org whose id is the SQL
    expression `org_id` has at least `min_records` records of the metric's kind in the
    period.

    Where the whole span decides, one `Reach` row is read. Otherwise one `MonthReach` row
    per month the period touches: a month whose records all lie in the period counts whole,
    one whose records lie outside counts nothing, and only a month with records on both
    sides of the period's edge has its daily rows summed."""
    n = max(metric.min_records, 1)
    start, end = period.start, period.end
    if _by_span(metric, period):
        return (
            f"EXISTS (SELECT 1 FROM {Reach._meta.db_table} r WHERE r.kind_id = %s "
            f"AND r.org_id = {org_id} AND r.first_on <= %s AND r.records >= %s)",
            [metric.kind_id, end, n],
        )
    daily = (
        f"(SELECT COALESCE(SUM(t.records), 0) FROM {Total._meta.db_table} t "
        "WHERE t.org_id = m.org_id AND t.kind_id = m.kind_id AND t.own = %s "
        "AND t.day BETWEEN %s AND %s AND t.day BETWEEN m.first_on AND m.last_on)"
    )
    rows = (
        f"FROM {MonthReach._meta.db_table} m WHERE m.kind_id = %s AND m.org_id = {org_id} "
        "AND m.month BETWEEN %s AND %s AND m.first_on <= %s AND m.last_on >= %s"
    )
    params = [metric.kind_id, start.replace(day=1), end.replace(day=1), end, start]
    if n == 1:
        return (
            f"EXISTS (SELECT 1 {rows} AND (m.first_on >= %s OR m.last_on <= %s OR {daily} > 0))",
            [*params, start, end, True, start, end],
        )
    counted = f"CASE WHEN m.first_on >= %s AND m.last_on <= %s THEN m.records ELSE {daily} END"
    return (
        f"(SELECT COALESCE(SUM({counted}), 0) {rows}) >= %s",
        [start, end, True, start, end, *params, n],
    )


def _eligible_sql(metric, subtrees, singles, by_prefix=False):
    """WHERE conditions for the active orgs of the metric's kinds in the `subtrees` (paths)
    or among the `singles` (paths). `by_prefix` tests each org's path prefixes against
    the subtrees instead of searching the path index once per subtree: faster when the
    orgs to test are few (those with records of a rare kind) and the subtrees many."""
    if by_prefix and subtrees and not singles:
        by_length = defaultdict(list)
        for path in subtrees:
            by_length[len(path)].append(path)
        if connection.vendor == "postgresql":
            places = [f"SUBSTR(o.path, 1, {n}) = ANY(%s)" for n in by_length]
            params = [*by_length.values()]
        else:
            places = [f"SUBSTR(o.path, 1, {n}) IN ({', '.join(['%s'] * len(p))})"
                      for n, p in by_length.items()]  # fmt: skip
            params = [path for p in by_length.values() for path in p]
        conditions = [f"({' OR '.join(places)})", "o.active = %s"]
        params.append(True)
        return _kinds_sql(metric, conditions, params)
    places = ["o.path LIKE %s"] * len(subtrees) + ["o.path = %s"] * len(singles)
    conditions = [f"({' OR '.join(places)})", "o.active = %s"]
    params = [p + "%" for p in subtrees] + list(singles) + [True]
    return _kinds_sql(metric, conditions, params)


def _kinds_sql(metric, conditions, params):
    if metric.org_kinds:
        conditions.append(f"o.kind IN ({', '.join(['%s'] * len(metric.org_kinds))})")
        params += list(metric.org_kinds)
    if metric.among_id is not None:
        conditions.append(
            f"EXISTS (SELECT 1 FROM {Reach._meta.db_table} ra "
            "WHERE ra.org_id = o.id AND ra.kind_id = %s)"
        )
        params.append(metric.among_id)
    return " AND ".join(conditions), params


def _dates(params):
    if connection.vendor == "sqlite":
        return [p.isoformat() if hasattr(p, "isoformat") else p for p in params]
    return params


def counted_since_start(metric, period):
    """Whether the reach counts answer: at least one record, in a period from the campaign's
    start (coverage "by" a day)."""
    return max(metric.min_records, 1) == 1 and period.start <= metric.campaign.starts_on


def one_month(period):
    """Whether the period is exactly one calendar month."""
    following = (period.start + datetime.timedelta(days=32)).replace(day=1)
    return period.start.day == 1 and period.end == following - datetime.timedelta(days=1)


def counted(metric, period):
    """Whether the counts answer without visiting orgs: at least one record, since the
    campaign's start or in one calendar month."""
    return counted_since_start(metric, period) or (
        max(metric.min_records, 1) == 1 and one_month(period)
    )


def eligible_counts(metric, org, length):
    """{path prefix of `length`: active orgs of the metric's kinds under it} within `org`'s
    subtree; an org above that depth is a group of its own. From the subtree counts."""
    depth = length // Org.steplen
    if depth <= org.depth:
        nodes = {org.pk: org.path}
    else:
        nodes = dict(
            Org.objects.filter(in_subtree(org, "path"), depth=depth)
            .order_by()
            .values_list("id", "path")
        )
    counts = eligible_of(metric, [Org(pk=pk) for pk in nodes])
    out = {nodes[pk]: n for pk, n in counts.items() if n}
    if depth > org.depth:
        above = Org.objects.filter(in_subtree(org, "path"), depth__lt=depth, active=True).order_by()
        if metric.org_kinds:
            above = above.filter(kind__in=metric.org_kinds)
        above = _among(metric, above)
        out.update(dict.fromkeys(above.values_list("path", flat=True), 1))
    return out


def reached(metric, org_ids, period):
    """{org id: active orgs of the metric's kinds in its subtree that have met it in the
    period}, from the counts (`counted` tells whether they answer): since the campaign's
    start, the reach counts by first day; for a calendar month, the month counts."""
    if counted_since_start(metric, period):
        rows = ReachCount.objects.filter(day__lte=period.end)
    else:
        rows = MonthReachCount.objects.filter(month=period.start)
    rows = rows.filter(org_id__in=org_ids, kind_id=metric.kind_id).order_by()
    if metric.org_kinds:
        rows = rows.filter(org_kind__in=metric.org_kinds)
    return dict(rows.values_list("org_id").annotate(n=Sum("orgs")))


def _covered_among(metric, period, org_ids):
    """The ids among `org_ids` that have met the metric by their own records."""
    if not org_ids:
        return set()
    met, met_params = _met(metric, period, "o.id")
    placeholders = ", ".join(["%s"] * len(org_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT o.id FROM {Org._meta.db_table} o WHERE o.id IN ({placeholders}) AND {met}",
            _dates([*org_ids, *met_params]),
        )
        return {row[0] for row in cursor.fetchall()}


def coverage_groups(metric, org, period, length):
    """{path prefix of `length`: (covered, eligible)} for the orgs under `org`; the prefix
    is a child's path when `length` is one step longer than the org's (an org above that
    depth is a group of its own)."""
    if not counted(metric, period):
        return _coverage_groups_sql(metric, org, period, length)
    eligible = eligible_counts(metric, org, length)
    out = {}
    nodes = _ids([g for g in eligible if len(g) == length])
    counts = reached(metric, list(nodes), period) if nodes else {}
    for pk, path in nodes.items():
        out[path] = (counts.get(pk, 0), eligible[path])
    above = _ids([g for g in eligible if len(g) < length])
    covered = _covered_among(metric, period, list(above))
    for pk, path in above.items():
        out[path] = (1 if pk in covered else 0, eligible[path])
    return out


def _ids(paths):
    if not paths:
        return {}
    return dict(Org.objects.filter(path__in=paths).order_by().values_list("id", "path"))


def _covered_groups(metric, period, subtrees, length, by_prefix=False):
    """{path prefix of `length`: orgs under it that have met the metric} within the
    `subtrees` (paths), for any period, by visiting only the orgs with records of the kind
    in the period's months (for the whole campaign, at all)."""
    met, met_params = _met(metric, period, "o.id")
    where, params = _eligible_sql(metric, subtrees, [], by_prefix)
    if _by_span(metric, period):
        candidates = f"SELECT org_id FROM {Reach._meta.db_table} WHERE kind_id = %s"
        candidate_params = [metric.kind_id]
    else:
        candidates = (
            f"SELECT DISTINCT org_id FROM {MonthReach._meta.db_table} "
            "WHERE kind_id = %s AND month BETWEEN %s AND %s"
        )
        candidate_params = [metric.kind_id, period.start.replace(day=1), period.end.replace(day=1)]
    group = f"SUBSTR(o.path, 1, {int(length)})"
    sql = (
        f"SELECT {group}, COUNT(*) FROM {Org._meta.db_table} o "
        f"WHERE o.id IN ({candidates}) AND {where} AND {met} GROUP BY {group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, _dates([*candidate_params, *params, *met_params]))
        return dict(cursor.fetchall())


def _coverage_groups_sql(metric, org, period, length):
    """The same groups for any period: the eligible orgs from the subtree counts, the
    covered ones from `_covered_groups`."""
    eligible = eligible_counts(metric, org, length)
    if not eligible:
        return {}
    covered = _covered_groups(metric, period, [org.path], length)
    return {g: (covered.get(g, 0), n) for g, n in eligible.items()}


def coverage(metric, org, period):
    """(covered, eligible) for the org's subtree."""
    if counted(metric, period):
        eligible = eligible_of(metric, [org]).get(org.pk, 0)
        return reached(metric, [org.pk], period).get(org.pk, 0), eligible
    return _coverage_groups_sql(metric, org, period, len(org.path)).get(org.path, (0, 0))


SCAN_BELOW = 3000  # eligible orgs few enough to scan for gaps directly


def _scan_gaps(metric, period, places, *, offset=0, limit=None):
    """The gap orgs' ids among `places` (paths of subtrees, and of single orgs as (path,)
    tuples), in tree order: the orgs scanned against their spans."""
    subtrees = [p for p in places if isinstance(p, str)]
    singles = [p[0] for p in places if isinstance(p, tuple)]
    met, met_params = _met(metric, period, "o.id")
    where, params = _eligible_sql(metric, subtrees, singles)
    # Sorting on an expression lets the planner filter by the kind and path index first
    # instead of walking every org in path order.
    page = f"SELECT o.id FROM {Org._meta.db_table} o WHERE {where} AND NOT ({met}) ORDER BY o.path || ''"
    if limit is not None:
        page += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    with connection.cursor() as cursor:
        cursor.execute(page, _dates([*params, *met_params]))
        return [r[0] for r in cursor.fetchall()]


def _groups_below(metric, period, parent_paths):
    """{parent path: [(path, gaps, eligible, single)] in tree order}: the parent itself when
    it is an eligible org that has not met the metric (single), then each child's subtree
    with gaps. In a few queries per depth, however many parents there are."""
    by_depth = defaultdict(list)
    for path in parent_paths:
        by_depth[len(path)].append(path)
    out = {}
    for paths in by_depth.values():
        out.update(_groups_below_level(metric, period, paths))
    return out


def _groups_below_level(metric, period, parent_paths):
    """`_groups_below` for parents of one depth."""
    parents = list(Org.objects.filter(path__any=parent_paths).order_by())
    depth = parents[0].depth + 1
    below = Q()
    for path in parent_paths:
        below |= in_subtree(path, "path")
    children = dict(Org.objects.filter(below, depth=depth).order_by().values_list("id", "path"))
    eligible = eligible_of(metric, [Org(pk=pk) for pk in children])
    if not eligible:
        counts = {}
    elif counted(metric, period):
        counts = reached(metric, list(eligible), period)
    else:
        ids = {path: pk for pk, path in children.items()}
        found = _covered_groups(metric, period, parent_paths, depth * Org.steplen)
        counts = {ids[path]: n for path, n in found.items() if path in ids}
    singles = [
        p for p in parents if p.active and (not metric.org_kinds or p.kind in metric.org_kinds)
    ]
    if singles and metric.among_id is not None:
        among = set(_among(metric, Org.objects.filter(id__in=[p.pk for p in singles])).order_by()
                    .values_list("id", flat=True))  # fmt: skip
        singles = [p for p in singles if p.pk in among]
    covered = _covered_among(metric, period, [p.pk for p in singles])
    out = {path: [] for path in parent_paths}
    for p in singles:
        if p.pk not in covered:
            out[p.path].append((p.path, 1, 1, True))
    steplen = Org.steplen
    for pk, n in sorted(eligible.items(), key=lambda item: children[item[0]]):
        if n - counts.get(pk, 0) > 0:
            path = children[pk]
            out[path[: len(path) - steplen]].append((path, n - counts.get(pk, 0), n, False))
    return out


def _trim(entries, skip, need):
    """The entries holding gaps skip+1 … skip+need, and how many gaps of the first come
    before them."""
    kept, taken = [], 0
    for entry in entries:
        gaps = entry[1]
        if not kept and skip >= gaps:
            skip -= gaps
            continue
        kept.append(entry)
        taken += gaps - (skip if len(kept) == 1 else 0)
        if need is not None and taken >= need:
            break
    return kept, skip


def _window_places(metric, entries, period, skip, need):
    """Where gaps number skip+1 … skip+need (in tree order) among `entries` (subtrees as
    (path, gaps, eligible, single), gaps None when unknown) lie: (places to scan, how many
    gaps of the first place come before the window). The counts tell how many gaps each
    subtree holds, so subtrees before or after the window are passed over, and large ones
    it reaches are opened, a level at a time for all of them together; the window's places
    are then scanned in one query."""

    def final(entry):
        _path, _gaps, eligible, single = entry
        return single or (eligible is not None and (eligible <= SCAN_BELOW or need is None))

    while opening := [e[0] for e in entries if not final(e)]:
        below = _groups_below(metric, period, opening)
        entries = [x for e in entries for x in ([e] if final(e) else below[e[0]])]
        entries, skip = _trim(entries, skip, need)
    places = [(path,) if single else path for path, _gaps, _eligible, single in entries]
    return places, skip


def gap_ids(metric, org, period, *, offset=0, limit=None):
    """(ids of the orgs under `org` that have not met the metric, in tree order; how many)."""
    covered, eligible = coverage(metric, org, period)
    total = eligible - covered
    if total <= 0 or offset >= total:
        return [], max(total, 0)
    places, lead = _window_places(metric, [(org.path, None, None, False)], period, offset, limit)
    return _scan_gaps(metric, period, places, offset=lead, limit=limit), total


# Several subtrees at once: a sector system's members, or those within an org.


def parts_coverage(metric, parts, period):
    """{part id: (covered, eligible)} for disjoint subtrees `parts` (orgs), in a few
    queries however many there are."""
    eligible = eligible_of(metric, parts)
    if counted(metric, period):
        covered = reached(metric, [p.pk for p in parts], period)
    else:
        covered, by_length = {}, defaultdict(list)
        for part in parts:
            by_length[len(part.path)].append(part)
        for length, group in by_length.items():
            found = _covered_groups(metric, period, [p.path for p in group], length)
            covered.update({p.pk: found.get(p.path, 0) for p in group})
    return {p.pk: (covered.get(p.pk, 0), eligible.get(p.pk, 0)) for p in parts}


def covered_in_paths(metric, period, paths):
    """How many eligible orgs in the subtrees at `paths` have met the metric (any period)."""
    if not paths:
        return 0
    # Where the records' spans decide, the orgs to test are those with a record of the
    # kind at all: for the rarer kinds that count at least N, few.
    by_prefix = _by_span(metric, period)
    return sum(_covered_groups(metric, period, list(paths), Org.steplen, by_prefix).values())


def gap_ids_among(metric, parts, period, *, offset=0, limit=None):
    """`gap_ids` over disjoint subtrees `parts` (orgs) taken together, in tree order."""
    found = parts_coverage(metric, parts, period)
    entries = [
        (p.path, found[p.pk][1] - found[p.pk][0], found[p.pk][1], False)
        for p in sorted(parts, key=lambda p: p.path)
        if found[p.pk][1] > found[p.pk][0]
    ]
    total = sum(e[1] for e in entries)
    if total <= 0 or offset >= total:
        return [], max(total, 0)
    entries, skip = _trim(entries, offset, limit)
    places, lead = _window_places(metric, entries, period, skip, limit)
    return _scan_gaps(metric, period, places, offset=lead, limit=limit), total
