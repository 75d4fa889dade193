"""A sector system's figures: its dashboard (headline figures, its members' table, the
weekly chart) and its gap lists, for the whole system or within one org's subtree. A user
sees the whole system only when they may read every member (the responsible department,
an office above them all); anyone else sees its part within their own org."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from taizhang.campaigns.models import Aggregate
from taizhang.ledger.access import get_campaign
from taizhang.orgs.access import get_org, get_sector
from taizhang.orgs.models import Org, OrgKind
from taizhang.orgs.scope import Scope
from taizhang.stats import dashboard, figures, periods, sectors
from taizhang.stats.gaps import gap_rows
from taizhang.stats.views import _metric, _period, gap_list

PER_PAGE = 50


def _subject(request, sector):
    """The subject asked for (?within=org id, which the user must be able to read)."""
    within = request.GET.get("within")
    within = get_org(request.user, within) if within else None
    return sectors.subject_for(request.user, sector, within)


def _areas(user, sector):
    """The orgs one level below the top that hold members the user may read (the choices
    of "within"), and whether the whole system may be shown."""
    whole = sectors.subject(sector)
    scope = Scope.of(user)
    shown = [m for m in whole.parts if scope.reads_org(m)]
    if not shown:
        return [], False
    length = min(len(m.path) for m in shown)
    step = Org.steplen
    top = min(length, step * 2)
    paths = {m.path[:top] for m in shown}
    areas = [o for o in Org.objects.filter(path__in=paths) if scope.reads_org(o)]
    return areas, scope.reads_all(whole.paths)


def _page(request, sector, campaign, template, **extra):
    return render(request, template, {"sector": sector, "campaign": campaign, **extra})


@login_required
@require_GET
def sector_dashboard(request, pk):
    sector = get_sector(request.user, pk)
    campaign = get_campaign(request)
    if campaign is None:
        return render(request, "ledger/no_campaign.html")
    subject = _subject(request, sector)
    period, period_error = _period(request, campaign)
    keys, tables = sectors.reading(subject)
    present = {
        kind
        for kind, n in tables.of(tables.counts, [k.pk for k in keys]).values_list("kind", "orgs")
        if n > 0
    }
    metrics = dashboard.applicable(dashboard.metrics_of(campaign), None, present)
    # Coverage first: "the education system's lecture coverage" is what it is opened for.
    metrics.sort(key=lambda m: m.aggregate != Aggregate.COVERAGE)
    headline = sectors.figures_of(metrics, subject, period)
    parts = Paginator(subject.parts, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    parts.querystring = params.urlencode()
    by_part = sectors.part_figures(metrics, list(parts.object_list), period)
    rows = [(part, [by_part[part.pk][m.code] for m in metrics]) for part in parts.object_list]
    kinds = list(campaign.kinds.all())
    weekly = sectors.series_of(subject, kinds, period)
    areas, may_whole = _areas(request.user, sector)
    return _page(
        request,
        sector,
        campaign,
        "stats/sector.html",
        subject=subject,
        period=period,
        period_error=period_error,
        period_groups=periods.choices(campaign),
        figures=[(m, headline[m.code]) for m in metrics],
        columns=metrics,
        page=parts,
        rows=rows,
        chart=_chart(kinds, weekly),
        areas=areas,
        may_whole=may_whole,
        may_bulletin=subject.whole
        and request.user.can_record
        and Scope.of(request.user).has_org(sector.department),
        within_query=f"&within={subject.within.pk}" if subject.within else "",
        keep=[("within", subject.within.pk)] if subject.within else [],
    )


def _chart(kinds, weekly):
    chart = dashboard.series_chart_from(kinds, weekly)
    return chart if chart["weeks"] else None


@login_required
@require_GET
def sector_gaps(request, pk, code):
    sector = get_sector(request.user, pk)
    campaign = get_campaign(request)
    if campaign is None:
        return render(request, "ledger/no_campaign.html")
    metric = _metric(campaign, code)
    subject = _subject(request, sector)
    period, period_error = _period(request, campaign)
    scope = Scope.of(request.user)
    found = gap_list(
        request,
        metric,
        lambda offset, limit: sectors.gap_ids(metric, subject, period, offset=offset, limit=limit),
        lambda ids: gap_rows(None, ids, scope=scope),
        sector.name,
    )
    if not isinstance(found, tuple):
        return found
    rows, page = found
    covered, eligible = sectors.coverage_of(metric, subject, period)
    return _page(
        request,
        sector,
        campaign,
        "stats/sector_gaps.html",
        subject=subject,
        metric=metric,
        period=period,
        period_error=period_error,
        period_groups=periods.choices(campaign),
        rows=rows,
        page=page,
        covered=covered,
        eligible=eligible,
        figure=figures.per_org_figure(metric, covered, eligible),
        metric_kind_labels=[OrgKind(k).label for k in metric.org_kinds],
        keep=[("within", subject.within.pk)] if subject.within else [],
        within_query=f"&within={subject.within.pk}" if subject.within else "",
    )
