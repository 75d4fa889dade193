"""Supervision: the groups, setting one up, each group's units and visits, recording a
visit, a visit's findings and turning one into a problem."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.office.access import get_finding, get_group, get_visit
from taizhang.office.forms import FindingProblemForm, GroupForm, VisitForm
from taizhang.office.models import SupervisionGroup, SupervisionVisit
from taizhang.office.services import supervision as services
from taizhang.orgs.access import require_manage, require_record
from taizhang.orgs.forms import apply_errors
from taizhang.orgs.scope import Scope, in_subtree
from taizhang.pages import confirm_delete, requested_org, with_campaign
from taizhang.pagination import paginate


def _coverage_metric(campaign):
    return campaign.metrics.filter(kind__source="supervision_visits", aggregate="coverage").first()


@login_required
@with_campaign
def group_list(request, campaign):
    groups = (
        SupervisionGroup.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("org", "leader")
        .annotate(
            units=Count("assignments", distinct=True), visit_count=Count("visits", distinct=True)
        )
    )
    return render(
        request,
        "office/groups.html",
        {"page": paginate(request, groups), "metric": _coverage_metric(campaign)},
    )


@login_required
@with_campaign
def group_create(request, campaign):
    require_manage(request.user)
    form = GroupForm(
        request.POST or None,
        user=request.user,
        initial={"org": request.user.org.code if request.user.org_id else "",
                 "assigned_on": campaign.starts_on},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.create_group(
                Actor.web(request.user), campaign=campaign, org=data["org"], name=data["name"],
                kind=data["kind"], leader=data["leader"], members=data["members"],
                units=data["units"], assigned_on=data["assigned_on"],
            )  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": group})
            return redirect("office:group", group.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("Set up a supervision group"),
         "cancel": reverse("office:groups")},
    )  # fmt: skip


@login_required
def group_detail(request, pk):
    group = get_group(request.user, pk)
    metric = _coverage_metric(group.campaign)
    needed = max(metric.min_records, 1) if metric else 1
    visits = SupervisionVisit.objects.visible_to(request.user).filter(group=group)
    by_unit = dict(visits.order_by().values_list("unit_id").annotate(n=Count("id")))
    units = [
        (a, by_unit.get(a.unit_id, 0))
        for a in group.assignments.visible_to(request.user).select_related("unit")
    ]
    return render(
        request,
        "office/group.html",
        {
            "group": group,
            "members": group.members.all(),
            "units": units,
            "needed": needed,
            "done": sum(1 for _a, n in units if n >= needed),
            "page": paginate(request, visits.select_related("unit").annotate(
                findings_count=Count("findings"))),
            "history": Change.objects.of(group),
        },
    )  # fmt: skip


@login_required
def visit_create(request, pk):
    group = get_group(request.user, pk)
    require_record(request.user)
    units = [a.unit for a in group.assignments.select_related("unit")]
    form = VisitForm(
        request.POST or None,
        units=units,
        initial={"visited_on": min(timezone.localdate(), group.campaign.ends_on),
                 "unit": request.GET.get("unit")},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["unit"])
        try:
            visit = services.record_visit(
                Actor.web(request.user), group=group, unit=unit, visited_on=data["visited_on"],
                checked=data["checked"], findings=data["findings"].splitlines(),
            )  # fmt: skip
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": visit})
            return redirect("office:visit", visit.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("Record a supervision visit of %(group)s") % {"group": group},
         "cancel": reverse("office:group", args=[group.pk])},
    )  # fmt: skip


@login_required
def visit_list(request):
    scope_org = requested_org(request)
    visits = SupervisionVisit.objects.visible_to(request.user).select_related("unit", "group__org")
    if scope_org is not None:
        visits = visits.filter(in_subtree(scope_org, "unit__path"))
    visits = visits.annotate(findings_count=Count("findings"))
    return render(
        request, "office/visits.html", {"page": paginate(request, visits), "scope_org": scope_org}
    )


@login_required
def visit_detail(request, pk):
    visit = get_visit(request.user, pk)
    findings = visit.findings.select_related("problem")
    return render(
        request,
        "office/visit.html",
        {
            "visit": visit,
            "group_visible": Scope.of(request.user).has_org(visit.group.org),
            "findings": findings,
            "form": FindingProblemForm(
                user=request.user, initial={"deadline": services.default_deadline(visit)}
            ),
            "history": Change.objects.of(visit),
        },
    )


@login_required
@require_POST
def finding_problem(request, pk):
    finding = get_finding(request.user, pk)
    require_record(request.user)
    form = FindingProblemForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            problem = services.raise_problem(
                Actor.web(request.user), finding, deadline=form.cleaned_data["deadline"],
                leader=form.cleaned_data["leader"],
            )  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("On the problem list: %(what)s.") % {"what": problem})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("office:visit", finding.visit_id)


@login_required
def visit_delete(request, pk):
    visit = get_visit(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        visit,
        services.delete_visit,
        detail=_("Its findings go with it."),
        cancel=reverse("office:visit", args=[visit.pk]),
        done=reverse("office:visits"),
    )
