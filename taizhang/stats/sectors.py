"""A sector system's figures (条块结合): the education system's lecture coverage, its gap
list, or the same within one org's subtree ("education units in 海曙").

The whole system is read from the sector totals the ledger keeps (as fast as one org's
subtree); a system within an org is read from the org totals of its parts, the members in
that subtree (or the org itself, when it lies inside a member), summed. Members never nest,
so the parts are disjoint and every figure is a plain sum over them."""

from dataclasses import dataclass

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
    for metric in metrics:
        if metric.aggregate == Aggregate.VENUES:
            out[metric.code] = figures.Figure(metric, figures.venue_value(metric, venues))
        elif metric.aggregate == Aggregate.AVERAGE_PER_ORG:
            n = sum(coverage.org_counts(keys, metric.org_kinds, tables).values())
            figures.per_org(out[metric.code], n)
        elif metric.aggregate in figures.PER_ORG:
            out[metric.code] = figures.per_org_figure(metric, *coverage_of(metric, subject, period))
    return out


def _pooled(source, ids, kind_id):
    rows = [source[(i, kind_id)] for i in ids if (i, kind_id) in source]
    if not rows:
        return None
    return {v: sum(r[v] for r in rows) for v in figures.VALUES}


def coverage_of(metric, subject, period):
    """(covered, eligible) of the subject."""
    if not subject.parts:
        return 0, 0
    keys, tables = reading(subject)
    eligible = sum(coverage.eligible_of(metric, keys, tables).values())
    if coverage.counted(metric, period):
        covered = sum(coverage.reached(metric, [k.pk for k in keys], period, tables).values())
    else:
        covered = coverage.covered_in_paths(metric, period, subject.paths)
    return covered, eligible


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
