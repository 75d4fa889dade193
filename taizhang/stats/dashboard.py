"""What an org's dashboard shows, assembled from `figures` and `targets` (views, the
benchmark and the tests all call `build`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.campaigns.models import Aggregate, Target
from taizhang.orgs.models import SubtreeCount
from taizhang.orgs.scope import in_subtree
from taizhang.research.models import Problem, ProblemState
from taizhang.stats import figures, targets

SORT_NAME = "name"


@dataclass
class Dashboard:
    org: object
    campaign: object
    period: object
    as_of: object
    metrics: list
    headline: dict  # code -> Figure
    columns: list  # metrics in the children's table
    children: list  # (child, [Figure per column]), sorted
    sort: str
    descending: bool
    progress: list  # Progress for the targets that apply to the org
    coverage_metric: object | None
    charts: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)

    @property
    def own_figures(self):
        """The org's own figures (e.g. the committee's own meetings)."""
        return [(m, self.headline[m.code]) for m in self.metrics if m.scope == "self"]

    @property
    def subtree_figures(self):
        return [(m, self.headline[m.code]) for m in self.metrics if m.scope != "self"]


def metrics_of(campaign):
    return list(campaign.metrics.select_related("kind", "campaign"))


def applicable(metrics, org, present=None):
    """The metrics that can mean something for `org`: a kind some org of its subtree may
    record (its own records for an own-scope metric), over kinds of org present there.
    With `org` None, for a sector system whose units are of the kinds `present`: only the
    subtree metrics."""
    if present is None:
        present = set(
            SubtreeCount.objects.filter(org=org, orgs__gt=0).values_list("kind", flat=True)
        )
    shown = []
    for m in metrics:
        if m.scope == "self":
            if org is not None and m.kind.allows_org(org):
                shown.append(m)
            continue
        counted = (
            m.org_kinds if m.aggregate in (*figures.PER_ORG, Aggregate.AVERAGE_PER_ORG) else []
        )
        if counted and not present.intersection(counted):
            continue
        if m.kind.org_kinds and not present.intersection(m.kind.org_kinds):
            continue
        shown.append(m)
    return shown


def build(org, campaign, period, *, sort=None, descending=True, coverage_code=None, as_of=None):
    metrics = applicable(metrics_of(campaign), org)
    as_of = as_of or targets.default_as_of(campaign)
    headline, children, by_child = figures.with_children(metrics, org, period)
    columns = [m for m in metrics if m.scope != "self"]
    codes = {m.code for m in columns}
    sort = sort if sort in codes else SORT_NAME
    if sort == SORT_NAME:
        rows = sorted(((c, by_child[c.pk]) for c in children), key=lambda r: r[0].path)
        if descending:
            rows.reverse()
    else:
        known = [(c, by_child[c.pk]) for c in children if by_child[c.pk][sort].value is not None]
        unknown = [(c, by_child[c.pk]) for c in children if by_child[c.pk][sort].value is None]
        known.sort(key=lambda r: (r[1][sort].value, r[0].path), reverse=descending)
        rows = known + unknown
    coverage_metrics = [m for m in metrics if m.aggregate == Aggregate.COVERAGE]
    coverage_metric = next(
        (m for m in coverage_metrics if m.code == coverage_code),
        coverage_metrics[0] if coverage_metrics else None,
    )
    # Targets are judged from the campaign's start to `as_of`: the headline's figures when
    # that is the period shown.
    known = headline if (period.start, period.end) == (campaign.starts_on, as_of) else None
    progress = [
        targets.progress(t, org, as_of, known=known)
        for t in Target.objects.filter(metric__campaign=campaign).select_related(
            "metric__kind", "metric__campaign"
        )
        if targets.applies(t, org)
    ]
    board = Dashboard(
        org=org,
        campaign=campaign,
        period=period,
        as_of=as_of,
        metrics=metrics,
        headline=headline,
        columns=columns,
        children=rows,
        sort=sort,
        descending=descending,
        progress=progress,
        coverage_metric=coverage_metric,
    )
    board.charts = {
        "series": series_chart(org, campaign, period),
        "ranking": ranking_chart(coverage_metric, rows) if coverage_metric else None,
    }
    board.children = [(child, [by_code[m.code] for m in columns]) for child, by_code in rows]
    board.problems = problem_counts(org, campaign)
    return board


def problem_counts(org, campaign):
    """The problem list of the org's subtree: how many in each state, and how many overdue."""
    problems = Problem.objects.filter(in_subtree(org), campaign=campaign)
    counts = dict(problems.order_by().values_list("state").annotate(n=Count("id")))
    return {
        "states": [(s, ProblemState(s).label, counts.get(s, 0)) for s in ProblemState.values],
        "total": sum(counts.values()),
        "on_spot": problems.filter(solved_on_spot=True).count(),
        "overdue": problems.overdue(timezone.localdate()).count(),
    }


def series_chart(org, campaign, period):
    """Weekly sums of each kind's count over the period, for an ECharts line chart."""
    kinds = list(campaign.kinds.all())
    return series_chart_from(kinds, figures.series(org, kinds, period, field="count"))


def series_chart_from(kinds, weekly):
    """The line chart of `weekly` ({kind id: {week start: n}})."""
    found = sorted({w for by_week in weekly.values() for w in by_week})
    weeks = []
    if found:  # every week from the first recorded to the last, empty ones too
        week = found[0]
        while week <= found[-1]:
            weeks.append(week)
            week += datetime.timedelta(days=7)
    return {
        "title": _("Work recorded per week"),
        "weeks": [f"{w:%m-%d}" for w in weeks],
        "series": [
            {
                "name": f"{k.name}（{k.unit}）",
                "data": [weekly[k.pk].get(w, 0) for w in weeks],
            }
            for k in kinds
            if k.pk in weekly
        ],
    }


def ranking_chart(metric, rows):
    """Children by their coverage of `metric`, highest first."""
    ranked = sorted(
        ((child, by_code[metric.code]) for child, by_code in rows),
        key=lambda r: (r[1].value is None, -(r[1].value or 0), r[0].path),
    )
    return {
        "title": metric.name,
        "names": [child.label for child, _f in ranked],
        "values": [None if f.value is None else round(float(f.value), 1) for _c, f in ranked],
    }
