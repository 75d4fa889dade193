import functools

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from taizhang import params
from taizhang.campaigns.models import Aggregate, Target
from taizhang.downloads import xlsx_response
from taizhang.ledger.access import get_campaign
from taizhang.orgs.access import get_org
from taizhang.orgs.models import Org, OrgKind, Sector
from taizhang.pagination import paginate
from taizhang.params import get_or_404
from taizhang.stats import coverage, dashboard, figures, periods, targets
from taizhang.stats.gaps import gap_rows
from taizhang.xlsx import write_rows


def _period(request, campaign, name="period"):
    """The period asked for (?period=code, or ?start=&end= for a range) and an error
    message when the request named none that exists (the whole campaign is shown then)."""
    start, end = request.GET.get(f"{name}_start"), request.GET.get(f"{name}_end")
    code = request.GET.get(name, "")
    if start or end:
        code = f"{start}..{end}"
    try:
        return periods.parse(campaign, code), None
    except ValueError:
        return periods.whole(campaign), _(
            "“%(code)s” is not a period; the whole campaign is shown."
        ) % {"code": code}


def _as_of(request, campaign):
    return params.parse_date(request.GET.get("as_of")) or targets.default_as_of(campaign)


def _context(request, org, campaign, **extra):
    return {
        "org": org,
        "campaign": campaign,
        "breadcrumb": org.breadcrumb(request.user),
        "period_groups": periods.choices(campaign),
        **extra,
    }


def org_page(view):
    """A page about one org in the user's scope (404 outside it) for the current campaign:
    the view gets (request, org, campaign, …)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, pk, **kwargs):
        org = get_org(request.user, pk)
        campaign = get_campaign(request)
        if campaign is None:
            return render(request, "ledger/no_campaign.html")
        return view(request, org, campaign, **kwargs)

    return wrapper


@login_required
def home(request):
    user = request.user
    if user.org_id is None:
        root = Org.get_first_root_node()
        if root is None or not user.is_superuser:
            raise Http404
        return redirect("stats:org", root.pk)
    return redirect("stats:org", user.org_id)


@org_page
def org_dashboard(request, org, campaign):
    period, period_error = _period(request, campaign)
    sort = request.GET.get("sort", dashboard.SORT_NAME)
    descending = request.GET.get("dir", "asc" if sort == dashboard.SORT_NAME else "desc") == "desc"
    board = dashboard.build(
        org,
        campaign,
        period,
        sort=sort,
        descending=descending,
        coverage_code=request.GET.get("coverage"),
        as_of=_as_of(request, campaign),
    )
    rows = Paginator(board.children, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    rows.querystring = params.urlencode()
    sorting = request.GET.copy()
    for key in ("sort", "dir", "page"):
        sorting.pop(key, None)
    return render(
        request,
        "stats/dashboard.html",
        _context(
            request,
            org,
            campaign,
            board=board,
            period=period,
            period_error=period_error,
            page=rows,
            sorting=sorting.urlencode(),
            keep=[(k, request.GET[k]) for k in ("sort", "dir", "coverage") if k in request.GET],
            coverage_metrics=[m for m in board.metrics if m.aggregate == Aggregate.COVERAGE],
            sectors=_sectors_of(request.user, org),
        ),
    )


def _sectors_of(user, org):
    """The sector systems `org` answers for or belongs to, as the user may see them."""
    led = Sector.objects.visible_to(user).filter(department=org)
    member_of = Sector.objects.visible_to(user).filter(
        members__org=org, members__left_on__isnull=True
    )
    return list((led | member_of).distinct().order_by("code"))


def _metric(campaign, code):
    metric = campaign.metrics.select_related("kind", "campaign").filter(code=code).first()
    if metric is None or metric.aggregate not in figures.PER_ORG:
        raise Http404
    return metric


GAPS_PER_PAGE = 50


def gap_list(request, metric, fetch, rows_of, filename):
    """A gap list's page or its .xlsx: `fetch(offset, limit)` gives (ids, how many),
    `rows_of(ids)` the (org, trail, person) rows. Returns the download, or (rows, page) of
    the page asked for (a page past the end shows the last)."""
    if request.GET.get("format") == "xlsx":
        ids, _total = fetch(0, None)
        rows = (
            [o.code, o.name, str(OrgKind(o.kind).label), trail,
             person.name if person else "", person.title if person else ""]
            for o, trail, person in rows_of(ids)
        )  # fmt: skip
        headers = [_("Code"), _("Organisation"), _("Kind"), _("Under"),
                   _("Person responsible"), _("Position")]  # fmt: skip
        data = write_rows(_("Not yet met"), [str(h) for h in headers], rows)
        return xlsx_response(data, f"{metric.name_zh}-{filename}-{_('gap list')}")
    try:
        number = max(int(request.GET.get("page") or 1), 1)
    except ValueError:
        number = 1
    ids, total = fetch((number - 1) * GAPS_PER_PAGE, GAPS_PER_PAGE)
    if not ids and total and number > 1:
        number = (total - 1) // GAPS_PER_PAGE + 1
        ids, total = fetch((number - 1) * GAPS_PER_PAGE, GAPS_PER_PAGE)
    page = Paginator(range(total), GAPS_PER_PAGE).get_page(number)
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()
    return list(rows_of(ids)), page


@org_page
def gaps(request, org, campaign, code):
    metric = _metric(campaign, code)
    period, period_error = _period(request, campaign)
    found = gap_list(
        request,
        metric,
        lambda offset, limit: coverage.gap_ids(metric, org, period, offset=offset, limit=limit),
        lambda ids: gap_rows(org, ids),
        org.label,
    )
    if not isinstance(found, tuple):
        return found
    rows, page = found
    covered, eligible = coverage.coverage(metric, org, period)
    return render(
        request,
        "stats/gaps.html",
        _context(
            request,
            org,
            campaign,
            metric=metric,
            period=period,
            period_error=period_error,
            rows=rows,
            page=page,
            covered=covered,
            eligible=eligible,
            figure=figures.per_org_figure(metric, covered, eligible),
            metric_kind_labels=[OrgKind(k).label for k in metric.org_kinds],
        ),
    )


@org_page
def target_progress(request, org, campaign, target_pk):
    target = get_or_404(
        Target.objects.filter(metric__campaign=campaign).select_related(
            "metric__kind", "metric__campaign"
        ),
        target_pk,
    )
    as_of = _as_of(request, campaign)
    everything = targets.progress_below(target, org, as_of)
    counts = {state: 0 for state in targets.State.values}
    for p in everything:
        counts[p.state] += 1
    state = request.GET.get("state")
    shown = [p for p in everything if p.state == state] if state in counts else everything
    return render(
        request,
        "stats/target.html",
        _context(
            request,
            org,
            campaign,
            target=target,
            as_of=as_of,
            states=[(s, targets.State(s).label, counts[s]) for s in targets.State.values],
            state=state,
            page=paginate(request, shown),
        ),
    )


@org_page
def compare(request, org, campaign):
    """Two periods side by side: this week against last by default, or batch 1 against 2."""
    as_of = _as_of(request, campaign)
    errors = []
    if request.GET.get("preset") == "batches":
        batches = list(campaign.batches.all()[:2])
        if len(batches) < 2:
            raise Http404
        first, second = periods.of_batch(batches[0]), periods.of_batch(batches[1])
    elif "a" in request.GET or "a_start" in request.GET:
        first, e1 = _period(request, campaign, "a")
        second, e2 = _period(request, campaign, "b")
        errors = [e for e in (e1, e2) if e]
    else:
        second = periods.week(as_of)
        first = second.previous()
    metrics = dashboard.metrics_of(campaign)
    left = figures.figures(metrics, [org], first)[org.pk]
    right = figures.figures(metrics, [org], second)[org.pk]
    rows = []
    for m in metrics:
        a, b = left[m.code], right[m.code]
        rows.append((m, a, b, figures.change(m, a, b)))
    return render(
        request,
        "stats/compare.html",
        _context(
            request,
            org,
            campaign,
            first=first,
            second=second,
            rows=rows,
            errors=errors,
            as_of=as_of,
        ),
    )
