from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.campaigns.models import ACTIVITY_FIELDS
from taizhang.downloads import xlsx_response
from taizhang.jobs import services as jobs
from taizhang.ledger import imports, services
from taizhang.ledger.access import get_activity, get_campaign, get_kind, get_venue
from taizhang.ledger.filtersets import ActivityFilterSet, VenueFilterSet
from taizhang.ledger.forms import ActivityForm, VenueForm
from taizhang.ledger.models import Activity, Total, Venue, VenueKind, VenueTier
from taizhang.orgs.access import get_org, require_manage, require_record
from taizhang.orgs.forms import apply_errors
from taizhang.orgs.scope import Scope
from taizhang.pagination import paginate
from taizhang.uploads import upload_page


def _no_campaign(request):
    return render(request, "ledger/no_campaign.html", status=200)


def _filtered(request, campaign):
    """The list's FilterSet (shared with the export and the API) and the org it is
    narrowed to; a page naming an org outside the scope answers 404."""
    user = request.user
    scope_org = get_org(user, request.GET["org"]) if request.GET.get("org") else None
    filters = ActivityFilterSet(request.GET or None, user=user, campaign=campaign)
    return filters.form, filters.qs, scope_org


@login_required
@require_GET
def activity_list(request):
    campaign = get_campaign(request)
    if campaign is None:
        return _no_campaign(request)
    form, activities, scope_org = _filtered(request, campaign)
    if request.GET.get("format") == "xlsx":
        total = activities.count()
        if total > imports.EXPORT_LIMIT:
            messages.error(
                request,
                _("%(n)s records match; an export holds at most %(limit)s. Narrow the filters.")
                % {"n": total, "limit": imports.EXPORT_LIMIT},
            )
            query = request.GET.copy()
            query.pop("format")
            return redirect(f"{request.path}?{query.urlencode()}")
        if total > settings.EXPORT_BACKGROUND_ROWS:
            query = request.GET.copy()
            query.pop("format")
            job = jobs.start(
                request.user,
                "ledger.export",
                _("Export of %(n)s ledger records") % {"n": f"{total:,}"},
                params={"campaign": campaign.pk, "query": query.urlencode(), "total": total},
            )
            return redirect(job)
        return xlsx_response(imports.export(activities, Scope.of(request.user)), "活动台账")
    totals = activities.order_by().aggregate(records=Count("id"), count=Sum("count"))
    page = paginate(
        request,
        activities.select_related("org", "kind", "batch").order_by("-starts_on", "-id"),
    )
    kind = (
        campaign.kinds.filter(code=form.cleaned_data.get("kind")).first()
        if form.is_valid()
        else None
    )
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "scope_org": scope_org,
        "totals": totals,
        "kind": kind,
        "kinds": campaign.kinds.recordable(),
    }
    return render(request, "ledger/list.html", context)


@login_required
@require_GET
def org_activities(request, pk):
    """What one org recorded: per kind, its own records and its subtree's."""
    user = request.user
    org = get_org(user, pk)
    campaign = get_campaign(request)
    if campaign is None:
        return _no_campaign(request)
    activities = Activity.objects.of_campaign(campaign)
    # From the roll-up totals: the org's own rows, and its own plus its descendants' rows.
    totals = Total.objects.filter(org=org, kind__campaign=campaign).order_by()
    own = dict(
        totals.filter(own=True)
        .values_list("kind")
        .annotate(n=Sum("count"))
        .values_list("kind", "n")
    )
    subtree = dict(totals.values_list("kind").annotate(n=Sum("count")).values_list("kind", "n"))
    rows = [(k, own.get(k.pk, 0), subtree.get(k.pk, 0)) for k in campaign.kinds.all()]
    recent = paginate(
        request,
        activities.filter(org=org).select_related("kind", "batch").order_by("-starts_on", "-id"),
    )
    context = {
        "org": org,
        "campaign": campaign,
        "rows": rows,
        "page": recent,
        "breadcrumb": org.breadcrumb(user),
        "missing_required": [
            k for k, n_own, _n in rows if k.required and k.allows_org(org) and not n_own
        ],
    }
    return render(request, "ledger/org.html", context)


@login_required
@require_GET
def activity_detail(request, pk):
    activity = get_activity(request.user, pk)
    history = _history(activity)
    context = {
        "activity": activity,
        "history": history,
        "fields": _shown_fields(activity),
        "breadcrumb": activity.org.breadcrumb(request.user) + [activity.org],
    }
    return render(request, "ledger/detail.html", context)


def _history(activity):
    """The record's own changes, and for an imported record the entry of its file."""
    entries = Q(model="ledger.activity", object_id=str(activity.pk))
    if activity.source_import_id:
        entries |= Q(model="ledger.activityimport", object_id=str(activity.source_import_id))
    return Change.objects.filter(entries).order_by("-at", "-id")[:20]


def _shown_fields(activity):
    rows = []
    for name in activity.kind.field_names():
        value = getattr(activity, name)
        if name == "lecturer_role":
            value = activity.get_lecturer_role_display()
        label = ACTIVITY_FIELDS[name]
        if name == "count":
            label = _("Count (%(unit)s)") % {"unit": activity.kind.unit}
        rows.append((name, label, value))
    return rows


def _kind_choice(request, campaign, action):
    return render(
        request,
        "ledger/choose_kind.html",
        {"campaign": campaign, "kinds": campaign.kinds.recordable(), "action": action},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    user = request.user
    initial = {"org": user.org.code if user.org_id else ""}
    if request.GET.get("org"):
        initial["org"] = get_org(user, request.GET["org"]).code  # outside the scope: 404
    require_record(user)
    campaign = get_campaign(request)
    if campaign is None:
        return _no_campaign(request)
    if not request.GET.get("kind"):
        return _kind_choice(request, campaign, "create")
    kind = get_kind(campaign, request.GET["kind"])
    form = ActivityForm(request.POST or None, user=user, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                Actor.web(user), kind=kind, org=form.cleaned_data["org"], **form.values()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded: %(what)s.") % {"what": activity})
            if "again" in request.POST:
                return redirect(f"{reverse('ledger:create')}?kind={kind.code}")
            return redirect("ledger:detail", activity.pk)
    context = {
        "form": form,
        "kind": kind,
        "campaign": campaign,
        "kinds": campaign.kinds.recordable(),
        "title": _("Record an activity"),
    }
    template = (
        "ledger/_form.html" if request.htmx and request.method == "GET" else "ledger/form.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    user = request.user
    activity = get_activity(user, pk)
    require_record(user)
    kind = activity.kind
    initial = {
        name: getattr(activity, name)
        for name in ["starts_on", "ends_on", "title", "note", *kind.field_names()]
    }
    initial["org"] = activity.org.code
    if activity.visited_org_id:
        initial["visited_org"] = activity.visited_org.code
    if activity.leader_id:
        initial["leader"] = activity.leader.code
    form = ActivityForm(request.POST or None, user=user, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                Actor.web(user), activity, org=form.cleaned_data["org"], **form.values()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("ledger:detail", activity.pk)
    history = _history(activity)
    context = {
        "form": form,
        "kind": kind,
        "campaign": kind.campaign,
        "activity": activity,
        "history": history,
        "title": _("Edit: %(what)s") % {"what": activity},
    }
    return render(request, "ledger/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    user = request.user
    activity = get_activity(user, pk)
    require_record(user)
    if request.method == "POST":
        org = activity.org
        services.delete_activity(Actor.web(user), activity)
        messages.success(request, _("Deleted: %(what)s.") % {"what": activity})
        return redirect(f"{reverse('ledger:list')}?org={org.pk}")
    return render(request, "ledger/delete.html", {"activity": activity})


# Excel


@login_required
@require_GET
def activity_template(request):
    campaign = get_campaign(request)
    if campaign is None:
        return _no_campaign(request)
    kind = get_kind(campaign, request.GET.get("kind", ""))
    return xlsx_response(imports.template(request.user, kind), f"{kind.name_zh}-导入模板")


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request):
    user = request.user
    require_record(user)
    campaign = get_campaign(request)
    if campaign is None:
        return _no_campaign(request)
    if not request.GET.get("kind"):
        return _kind_choice(request, campaign, "import")
    kind = get_kind(campaign, request.GET["kind"])
    return upload_page(
        request,
        lambda actor, data, name: imports.import_activities(actor, kind, data, name),
        result_template="ledger/_import_result.html",
        job=("ledger.import", {"kind": kind.pk}),
        kind=kind,
        title=_("Import from Excel") + " · " + kind.name,
        template_url=reverse("ledger:template") + f"?kind={kind.code}",
        template_note=_(
            "Chinese headers, this kind's columns, drop-downs for codes, and an example row on the instructions sheet."
        ),
        steps=[
            _(
                "Fill one row per activity, or per aggregate (e.g. a month's lectures with their count)."
            ),
            _(
                "Upload it. The whole file is checked first; nothing is written unless every row passes. A file already imported is refused."
            ),
        ],
    )


# Venues


@login_required
@require_GET
def venue_list(request):
    # Only visits recorded inside the user's scope are counted (a village sees its own
    # trips to the city's base, not the whole city's).
    in_scope = Scope.of(request.user).q("visits__org__path")  # Q() for the operator
    venues = (
        VenueFilterSet(request.GET or None, user=request.user)
        .qs.select_related("owner")
        .annotate(visit_count=Count("visits", filter=in_scope or None))
    )
    kind, tier, query = (
        request.GET.get("kind", ""),
        request.GET.get("tier", ""),
        request.GET.get("q", "").strip(),
    )
    counts = dict(
        Venue.objects.visible_to(request.user)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    context = {
        "page": paginate(request, venues.order_by("kind", "tier", "code")),
        "kinds": [(k, counts.get(k.value, 0)) for k in VenueKind],
        "tiers": VenueTier.choices,
        "kind": kind,
        "tier": tier,
        "query": query,
    }
    return render(request, "ledger/venues.html", context)


@login_required
@require_GET
def venue_detail(request, pk):
    user = request.user
    venue = get_venue(user, pk)
    visits = venue.visits.visible_to(user).select_related("org", "kind")
    totals = visits.order_by().aggregate(
        records=Count("id"), count=Sum("count"), person_times=Sum("person_times")
    )
    history = Change.objects.visible_to(Scope.of(user)).filter(
        model="ledger.venue", object_id=str(venue.pk)
    )[:20]
    context = {
        "venue": venue,
        "page": paginate(request, visits.order_by("-starts_on", "-id")),
        "totals": totals,
        "history": history,
        "can_edit": user.can_manage and Scope.of(user).has_org(venue.owner),
    }
    return render(request, "ledger/venue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def venue_create(request):
    user = request.user
    require_manage(user)
    initial = {"owner": user.org.code if user.org_id else "", "active": True}
    form = VenueForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        venue = services.create_venue(Actor.web(user), **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("ledger:venue", venue.pk)
    return render(request, "orgs/form.html", {"form": form, "title": _("Add a venue")})


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk):
    user = request.user
    venue = get_venue(user, pk)
    require_manage(user)
    if not Scope.of(user).has_org(venue.owner):
        raise PermissionDenied
    initial = venue.snapshot()
    form = VenueForm(request.POST or None, user=user, initial=initial, instance=venue)
    if request.method == "POST" and form.is_valid():
        services.update_venue(Actor.web(user), venue, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("ledger:venue", venue.pk)
    return render(request, "orgs/form.html", {"form": form, "title": _("Edit venue")})
