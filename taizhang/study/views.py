"""The study pages: required reading (coverage of the focus group), reading classes with
their trainees, and role models."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.services import Actor
from taizhang.orgs.access import require_record
from taizhang.orgs.models import Person
from taizhang.pages import confirm_delete, form_page, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.study import services
from taizhang.study.access import get_reading_class, get_role_model
from taizhang.study.coverage import reading_coverage
from taizhang.study.forms import ReadingClassForm, ReadingForm, RoleModelForm, TraineesForm
from taizhang.study.models import ReadingClass, RoleModel


@login_required
@with_campaign
def role_model_list(request, campaign):
    models = RoleModel.objects.visible_to(request.user).filter(campaign=campaign)
    return render(
        request,
        "study/role_models.html",
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
        lambda d: services.present_role_model(Actor.web(user), campaign=campaign, **d),
        lambda m: reverse("study:role-models"),
        title=_("Present a role model"),
        cancel=reverse("study:role-models"),
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
        "study/reading.html",
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
        lambda d: services.record_reading(Actor.web(request.user), **d),
        lambda r: reverse("study:reading"),
        title=_("Record a title read"),
        cancel=reverse("study:reading"),
    )


@login_required
@with_campaign
def class_list(request, campaign):
    classes = (
        ReadingClass.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("org")
        .annotate(trainee_count=Count("trainees"))
    )
    rows = list(classes)
    batches = list(campaign.batches.all())
    for reading_class in rows:
        reading_class.batch = next((b for b in batches if b.covers(reading_class.starts_on)), None)
    return render(
        request,
        "study/classes.html",
        {
            "classes": rows,
            "batches": len({s.batch.number for s in rows if s.batch}),
            "trainees": Person.objects.filter(reading_classes__in=[s.pk for s in rows])
            .distinct()
            .count(),
            "topics": len({t for s in rows for t in s.topics}),
        },
    )


@login_required
def class_detail(request, pk):
    reading_class = get_reading_class(request.user, pk)
    trainees = reading_class.trainees.visible_to(request.user).select_related("org")
    return render(
        request,
        "study/class.html",
        {
            "reading_class": reading_class,
            "page": paginate(request, trainees.order_by("org__path", "code")),
            "trainees_outside": reading_class.trainees.count() - trainees.count(),
            "codes": " ".join(trainees.values_list("code", flat=True)),
        },
    )


@login_required
@with_campaign
def class_create(request, campaign):
    require_record(request.user)
    user = request.user
    form = ReadingClassForm(
        request.POST or None,
        user=user,
        initial={"org": user.org.code if user.org_id else ""},
    )
    return form_page(
        request,
        form,
        lambda d: services.hold_reading_class(Actor.web(user), campaign=campaign, **d),
        lambda s: reverse("study:class", args=[s.pk]),
        title=_("Record a reading class session"),
        cancel=reverse("study:classes"),
    )


@login_required
@require_POST
def class_trainees(request, pk):
    """Replace a reading class's trainees from the person numbers given."""
    reading_class = get_reading_class(request.user, pk)
    require_record(request.user)
    form = TraineesForm(request.POST, user=request.user)
    if not form.is_valid():
        for message in form.errors.get("trainees", []):
            messages.error(request, message)
        return redirect("study:class", pk)
    services.set_trainees(Actor.web(request.user), reading_class, form.cleaned_data["trainees"])
    messages.success(request, _("Trainees saved: %(n)s.") % {"n": reading_class.trainees.count()})
    return redirect("study:class", pk)


@login_required
def role_model_delete(request, pk):
    model = get_role_model(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        model,
        services.remove_role_model,
        detail=f"{model.org.name} · {model.shared_on:%Y-%m-%d}",
        cancel=reverse("study:role-models"),
        done=reverse("study:role-models"),
    )


@login_required
def class_delete(request, pk):
    reading_class = get_reading_class(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        reading_class,
        services.cancel_reading_class,
        detail=f"{reading_class.org.name} · {reading_class.starts_on:%Y-%m-%d}",
        cancel=reverse("study:class", args=[pk]),
        done=reverse("study:classes"),
    )
