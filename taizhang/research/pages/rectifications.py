"""Lagging villages (后进村整转): the list by child org, flagging one, and each step of its
rectification."""

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
from taizhang.orgs.access import require_record
from taizhang.orgs.models import Org
from taizhang.orgs.scope import Scope
from taizhang.pages import form_page, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.research import services, summaries
from taizhang.research.access import get_rectification
from taizhang.research.filtersets import RectificationFilterSet
from taizhang.research.forms import (
    RectificationForm,
    StepForm,
)
from taizhang.research.models import (
    RectificationState,
)


@login_required
@with_campaign
def rectification_list(request, campaign):
    user = request.user
    scope_org = requested_org(request) or user.org
    data = request.GET.copy()
    if scope_org is not None and "org" not in data:
        data["org"] = str(scope_org.pk)
    state = data.pop("state", [""])[-1]
    # the counts per state are of the org's list before the state is chosen
    rectifications = RectificationFilterSet(data, user=user, campaign=campaign).qs
    counts = dict(rectifications.order_by().values_list("state").annotate(n=Count("id")))
    if state in RectificationState.values:
        rectifications = rectifications.filter(state=state)
    by_child = [
        (child, [counts_of[s] for s in RectificationState.values])
        for child, counts_of in (
            summaries.rectifications_by_child(scope_org, campaign) if scope_org else []
        )
    ]
    page = paginate(request, rectifications.select_related("village"))
    # Where each village sits: its town, read for the page in one query.
    # Only towns in the user's scope are named: a village viewer sees no org above it.
    scope = Scope.of(request.user)
    towns = {r.village.path[: -Org.steplen] for r in page.object_list}
    names = dict(
        Org.objects.filter(path__in={t for t in towns if scope.has_path(t)}).values_list(
            "path", "name"
        )
    )
    for r in page.object_list:
        r.town = names.get(r.village.path[: -Org.steplen], "")
    return render(
        request,
        "research/rectifications.html",
        {
            "page": page,
            "states": [(s, label, counts.get(s, 0)) for s, label in RectificationState.choices],
            "state": state,
            "by_child": by_child,
            "scope_org": scope_org,
        },
    )


@login_required
@with_campaign
def rectification_create(request, campaign):
    require_record(request.user)
    form = RectificationForm(
        request.POST or None, user=request.user, initial={"on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda d: services.identify_lagging_village(
            Actor.web(request.user), campaign=campaign, **d
        ),
        lambda r: reverse("research:rectification", args=[r.pk]),
        title=_("Flag a lagging village"),
        cancel=reverse("research:rectifications"),
    )


@login_required
def rectification_detail(request, pk):
    rectification = get_rectification(request.user, pk)
    history = Change.objects.of(rectification)
    step = services.RECTIFICATION_STEPS.get(rectification.state)
    form = StepForm(initial={"on": timezone.localdate(), "plan": rectification.plan})
    return render(
        request,
        "research/rectification.html",
        {
            "rectification": rectification,
            "history": history,
            "next_state": RectificationState(step[0]).label if step else None,
            "form": form,
        },
    )


@login_required
@require_POST
def rectification_advance(request, pk):
    rectification = get_rectification(request.user, pk)
    require_record(request.user)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the step."))
        return redirect("research:rectification", pk)
    plan = (
        form.cleaned_data["plan"] if rectification.state == RectificationState.IDENTIFIED else None
    )
    try:
        services.advance_rectification(
            Actor.web(request.user), rectification, on=form.cleaned_data["on"], plan=plan
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Now: %(state)s.") % {"state": rectification.get_state_display()}
        )
    return redirect("research:rectification", pk)
