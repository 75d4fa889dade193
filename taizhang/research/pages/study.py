"""Study records: role models, required reading (coverage of the focus group), and reading
classes with their sessions and trainees."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.services import Actor
from taizhang.ledger import services as ledger
from taizhang.ledger.models import ReadingSession, RoleModel
from taizhang.orgs.access import require_record
from taizhang.orgs.models import Person
from taizhang.pages import confirm_delete, form_page, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.research.access import (
    get_role_model,
    get_session,
)
from taizhang.research.forms import (
    ReadingForm,
    RoleModelForm,
    SessionForm,
    TraineesForm,
)
from taizhang.stats.reading import reading_coverage


@login_required
@with_campaign
def role_model_list(request, campaign):
    models = RoleModel.objects.visible_to(request.user).filter(campaign=campaign)
    return render(
        request,
        "research/role_models.html",
        {"page": paginate(request, models.select_related("org", "person", "honoured_org"))},
    )


@login_required
@with_campaign
def role_model_create(request, campaign):
    require_record(request.user)
    user = request.user
    form = RoleModelForm(
        request.POST or None,
        user=user,
        initial={"org": user.org.code if user.org_id else "", "shared_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda d: ledger.present_role_model(Actor.web(user), campaign=campaign, **d),
        lambda m: reverse("research:role-models"),
        title=_("Present a role model"),
        cancel=reverse("research:role-models"),
    )


@login_required
@with_campaign
def reading(request, campaign):
    user = request.user
    org = requested_org(request) or user.org
    if org is None:
        coverage = None
        page = paginate(request, [])
    else:
        coverage = reading_coverage(org, campaign)
        page = paginate(request, coverage.missing)
    return render(
        request,
        "research/reading.html",
        {
            "coverage": coverage,
            "page": page,
            "org": org,
            "titles": campaign.readings.all(),
        },
    )


@login_required
@with_campaign
def reading_create(request, campaign):
    require_record(request.user)
    form = ReadingForm(
        request.POST or None,
        user=request.user,
        campaign=campaign,
        initial={"finished_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda d: ledger.record_reading(Actor.web(request.user), **d),
        lambda r: reverse("research:reading"),
        title=_("Record a title read"),
        cancel=reverse("research:reading"),
    )


@login_required
@with_campaign
def session_list(request, campaign):
    sessions = (
        ReadingSession.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("org")
        .annotate(trainee_count=Count("trainees"))
    )
    rows = list(sessions)
    batches = list(campaign.batches.all())
    for session in rows:
        session.batch = next((b for b in batches if b.covers(session.starts_on)), None)
    return render(
        request,
        "research/sessions.html",
        {
            "sessions": rows,
            "batches": len({s.batch.number for s in rows if s.batch}),
            "trainees": Person.objects.filter(reading_sessions__in=[s.pk for s in rows])
            .distinct()
            .count(),
            "topics": len({t for s in rows for t in s.topics}),
        },
    )


@login_required
def session_detail(request, pk):
    session = get_session(request.user, pk)
    trainees = session.trainees.visible_to(request.user).select_related("org")
    return render(
        request,
        "research/session.html",
        {
            "session": session,
            "page": paginate(request, trainees.order_by("org__path", "code")),
            "trainees_outside": session.trainees.count() - trainees.count(),
            "codes": " ".join(trainees.values_list("code", flat=True)),
        },
    )


@login_required
@with_campaign
def session_create(request, campaign):
    require_record(request.user)
    user = request.user
    form = SessionForm(
        request.POST or None,
        user=user,
        initial={"org": user.org.code if user.org_id else ""},
    )
    return form_page(
        request,
        form,
        lambda d: ledger.hold_reading_session(Actor.web(user), campaign=campaign, **d),
        lambda s: reverse("research:session", args=[s.pk]),
        title=_("Record a reading class session"),
        cancel=reverse("research:sessions"),
    )


@login_required
@require_POST
def session_trainees(request, pk):
    """Replace a session's trainees from the person numbers given."""
    session = get_session(request.user, pk)
    require_record(request.user)
    form = TraineesForm(request.POST, user=request.user)
    if not form.is_valid():
        for message in form.errors.get("trainees", []):
            messages.error(request, message)
        return redirect("research:session", pk)
    ledger.set_trainees(Actor.web(request.user), session, form.cleaned_data["trainees"])
    messages.success(request, _("Trainees saved: %(n)s.") % {"n": session.trainees.count()})
    return redirect("research:session", pk)


@login_required
def role_model_delete(request, pk):
    model = get_role_model(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        model,
        ledger.remove_role_model,
        detail=f"{model.org.name} · {model.shared_on:%Y-%m-%d}",
        cancel=reverse("research:role-models"),
        done=reverse("research:role-models"),
    )


@login_required
def session_delete(request, pk):
    session = get_session(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        session,
        ledger.cancel_reading_session,
        detail=f"{session.org.name} · {session.starts_on:%Y-%m-%d}",
        cancel=reverse("research:session", args=[pk]),
        done=reverse("research:sessions"),
    )
