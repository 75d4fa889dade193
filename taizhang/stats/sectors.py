"""A sector system's figures (条块结合): the education system's lecture coverage, its gap
list, or the same within one org's subtree ("education units in 海曙").

The whole system is read from the sector totals the ledger keeps (as fast as one org's
subtree); a system within an org is read from the org totals of its parts, the members in
that subtree (or the org itself, when it lies inside a member), summed. Members never nest,
so the parts are disjoint and every figure is a plain sum over them."""

from dataclasses import dataclass

from django.db.models import Sum

from taizhang.campaigns.models import Aggregate
from taizhang.orgs.models import Org, SectorMember
from taizhang.orgs.scope import Scope
from taizhang.stats import coverage, figures
from taizhang.stats.tables import ORGS, SECTORS


@dataclass
class Subject:
    sector: object
    within: Org | None  # None: the whole system
    parts: list  # disjoint orgs whose subtrees make up the subject, in tree order

    @property
    def whole(self):
        return self.within is None

    @property
    def paths(self):
        return [p.path for p in self.parts]


def members(sector):
    """The sector's current member orgs, in tree order."""
    ids = SectorMember.objects.current().filter(sector=sector).values("org_id")
    return list(Org.objects.filter(pk__in=ids))


def subject(sector, within=None) -> Subject:
    """The whole system, or its part in `within`'s subtree."""
    current = members(sector)
    if within is None:
        return Subject(sector, None, current)
    holder = next((m for m in current if within.path.startswith(m.path)), None)
    if holder is not None:
        return Subject(sector, within, [within])
    return Subject(sector, within, [m for m in current if m.path.startswith(within.path)])


def subject_for(user, sector, within=None) -> Subject:
    """What `user` may see of the sector: the whole system only when they read every
    member's subtree; otherwise its part within their own org (or `within`, which the
    caller has checked they may read)."""
    if within is None:
        whole = subject(sector)
        if Scope.of(user).reads_all(whole.paths):
            return whole
        within = user.org
    return subject(sector, within)


def reading(subject):
    """(keys, tables) the subject's rows are read from."""
    if subject.whole:
        return [subject.sector], SECTORS
    return subject.parts, ORGS


def figures_of(metrics, subject, period) -> dict:
    """{metric code: Figure} of the subject over the period."""
    keys, tables = reading(subject)
    ids = [k.pk for k in keys]
    out = {}
    sum_metrics = [m for m in metrics if m.aggregate not in figures.PER_ORG]
    campaign = metrics[0].campaign if metrics else None
    subtree, own = figures.sums(
        ids, {m.kind_id for m in sum_metrics}, period, campaign=campaign, tables=tables
    )
    for metric in sum_metrics:
        source = own if metric.scope == "self" else subtree
        out[metric.code] = figures.sum_figure(metric, _pooled(source, ids, metric.kind_id))
    venues = {}
    if any(m.aggregate == Aggregate.VENUES for m in metrics):
        for counts in figures.venue_counts(keys, tables).values():
            for key, n in counts.items():
                venues[key] = venues.get(key, 0) + n
    per_org = [m for m in metrics if m.aggregate in figures.PER_ORG]
    found = coverages(per_org, subject, period)
    orgs = None
    for metric in metrics:
        if metric.aggregate == Aggregate.VENUES:
            out[metric.code] = figures.Figure(metric, figures.venue_value(metric, venues))
        elif metric.aggregate == Aggregate.AVERAGE_PER_ORG:
            orgs = orgs if orgs is not None else _org_counts(keys, tables)
            n = (
                sum(orgs.get(k, 0) for k in metric.org_kinds)
                if metric.org_kinds
                else sum(orgs.values())
            )
            figures.per_org(out[metric.code], n)
        elif metric.aggregate in figures.PER_ORG:
            out[metric.code] = figures.per_org_figure(metric, *found[metric.code])
    return out


def _org_counts(keys, tables):
    """{org kind: active orgs of the subject}."""
    out = {}
    for kind, n in tables.of(tables.counts, [k.pk for k in keys]).values_list("kind", "orgs"):
        out[kind] = out.get(kind, 0) + n
    return out


def _reach(tables, ids, kind_ids, **when):
    """{(kind id, org kind): orgs} from the reach counts (or, with `month`, the month
    counts), summed over the keys."""
    model = tables.month_reach_count if "month" in when else tables.reach_count
    rows = tables.of(model, ids).filter(kind_id__in=kind_ids, **when)
    out = {}
    for kind_id, org_kind, n in rows.values_list("kind_id", "org_kind").annotate(n=Sum("orgs")):
        out[(kind_id, org_kind)] = out.get((kind_id, org_kind), 0) + n
    return out


def _among(counts, kind_id, org_kinds):
    return sum(n for (k, org_kind), n in counts.items()
               if k == kind_id and (not org_kinds or org_kind in org_kinds))  # fmt: skip


def coverages(metrics, subject, period) -> dict:
    """{metric code: (covered, eligible)} of the subject for coverage-like metrics, in a
    few queries for them all (the counts are read once, not once per metric)."""
    if not metrics or not subject.parts:
        return {m.code: (0, 0) for m in metrics}
    keys, tables = reading(subject)
    ids = [k.pk for k in keys]
    orgs = _org_counts(keys, tables)
    among = _reach(tables, ids, {m.among_id for m in metrics if m.among_id})
    counted = [m for m in metrics if coverage.counted(m, period)]
    since = [m for m in counted if coverage.counted_since_start(m, period)]
    reached = _reach(tables, ids, {m.kind_id for m in since}, day__lte=period.end)
    monthly = _reach(tables, ids, {m.kind_id for m in counted if m not in since},
                     month=period.start)  # fmt: skip
    out = {}
    for m in metrics:
        if m.among_id is None:
            eligible = (
                sum(orgs.get(k, 0) for k in m.org_kinds) if m.org_kinds else sum(orgs.values())
            )
        else:
            eligible = _among(among, m.among_id, m.org_kinds)
        if m in since:
            covered = _among(reached, m.kind_id, m.org_kinds)
        elif m in counted:
            covered = _among(monthly, m.kind_id, m.org_kinds)
        else:
            covered = coverage.covered_in_paths(m, period, subject.paths)
        out[m.code] = (covered, eligible)
    return out


def _pooled(source, ids, kind_id):
    rows = [source[(i, kind_id)] for i in ids if (i, kind_id) in source]
    if not rows:
        return None
    return {v: sum(r[v] for r in rows) for v in figures.VALUES}


def coverage_of(metric, subject, period):
    """(covered, eligible) of the subject."""
    return coverages([metric], subject, period)[metric.code]


def gap_ids(metric, subject, period, *, offset=0, limit=None):
    """(ids of the subject's orgs that have not met the metric, in tree order; how many)."""
    if not subject.parts:
        return [], 0
    return coverage.gap_ids_among(metric, subject.parts, period, offset=offset, limit=limit)


def part_figures(metrics, parts, period) -> dict:
    """{part id: {metric code: Figure}}: each part's own subtree figures (the members'
    table), each coverage metric counted for all parts in a few queries."""
    simple = [m for m in metrics if m.aggregate not in figures.PER_ORG]
    out = figures.figures(simple, parts, period) if parts else {}
    for metric in metrics:
        if metric.aggregate in figures.PER_ORG and parts:
            found = coverage.parts_coverage(metric, parts, period)
            for part in parts:
                out[part.pk][metric.code] = figures.per_org_figure(metric, *found[part.pk])
    return out


def series_of(subject, kinds, period, field="count"):
    """Weekly sums of the whole system (from its kept totals); {} for a part of it."""
    if not subject.whole:
        return {}
    return figures.series(subject.sector, kinds, period, field=field, tables=SECTORS)
