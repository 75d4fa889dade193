"""Pages for the campaign's special work beside the problem list: assigning liaisons,
research topics and reports, lagging villages, role models, required reading and reading
classes. Lists show the user's subtree; writes go through the services, which check the
user's role and scope again."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang import params
from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.ledger import services as ledger
from taizhang.ledger.access import get_activity, get_campaign
from taizhang.ledger.models import Activity, ReadingRecord, ReadingSession, RoleModel
from taizhang.orgs import services as orgs
from taizhang.orgs.access import get_org, require_manage, require_record
from taizhang.orgs.forms import apply_errors
from taizhang.orgs.models import Liaison, Org, Person
from taizhang.orgs.scope import Scope, in_subtree
from taizhang.pagination import paginate
from taizhang.research import services, summaries
from taizhang.research.access import (
    get_liaison,
    get_rectification,
    get_report,
    get_role_model,
    get_session,
    get_topic,
)
from taizhang.research.forms import (
    LiaisonForm,
    ReadingForm,
    RectificationForm,
    ReportForm,
    RoleModelForm,
    SessionForm,
    StepForm,
    TopicForm,
    TraineesForm,
)
from taizhang.research.models import (
    REPORT_PARTS,
    Problem,
    Rectification,
    RectificationState,
    ResearchReport,
    ResearchTopic,
)
from taizhang.stats.reading import reading_coverage


def with_campaign(view):
    """Pass the campaign the page is for; without one, the page says how to load one."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        campaign = get_campaign(request)
        if campaign is None:
            return render(request, "ledger/no_campaign.html")
        return view(request, *args, campaign=campaign, **kwargs)

    return wrapped


def form_page(request, form, write, done, *, title, cancel, intro=""):
    """A page with one form that writes through a service: on a valid POST run
    `write(cleaned_data)`, flash and go to `done(result)`; a refusal shows the service's
    errors on the form, nothing written."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": result})
            return redirect(done(result))
    return render(
        request,
        "research/form.html",
        {"form": form, "title": title, "cancel": cancel, "intro": intro},
    )


def requested_org(request):
    """The org a list is narrowed to (?org=), checked against the user's scope; a malformed
    or foreign one answers 404."""
    pk = request.GET.get("org", "")
    if not pk:
        return None
    return get_org(request.user, pk)


def _in(queryset, org, field="org__path"):
    return queryset.filter(in_subtree(org, field)) if org else queryset


@login_required
@with_campaign
def work_home(request, campaign):
    """专项工作: what there is beside the ledger, with the user's subtree's counts."""
    user = request.user
    sections = [
        (
            _("Problem list"),
            reverse("research:problems"),
            Problem.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s problems"),
        ),
        (
            _("Research topics"),
            reverse("research:topics"),
            ResearchTopic.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s topics claimed"),
        ),
        (
            _("Research reports"),
            reverse("research:reports"),
            ResearchReport.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s reports"),
        ),
        (
            _("Liaisons and town adoption"),
            reverse("research:liaisons"),
            Liaison.objects.visible_to(user).count(),
            _("%(n)s liaisons"),
        ),
        (
            _("Lagging villages"),
            reverse("research:rectifications"),
            Rectification.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s villages"),
        ),
        (
            _("Required reading"),
            reverse("research:reading"),
            ReadingRecord.objects.visible_to(user).filter(reading__campaign=campaign).count(),
            _("%(n)s reading records"),
        ),
        (
            _("Reading classes"),
            reverse("research:sessions"),
            ReadingSession.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s sessions"),
        ),
        (
            _("Role models"),
            reverse("research:role-models"),
            RoleModel.objects.visible_to(user).filter(campaign=campaign).count(),
            _("%(n)s role models"),
        ),
    ]
    sections = [(label, url, unit % {"n": intcomma(n)}) for label, url, n, unit in sections]
    return render(request, "research/work.html", {"sections": sections, "campaign": campaign})


# Liaisons


@login_required
def liaison_create(request):
    require_manage(request.user)
    form = LiaisonForm(
        request.POST or None, user=request.user, initial={"started_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda d: orgs.assign_liaison(Actor.web(request.user), **d),
        lambda liaison: reverse("research:liaison", args=[liaison.pk]),
        title=_("Assign a liaison"),
        cancel=reverse("research:liaisons"),
        intro=_(
            "Each standing committee member guides one city-level unit and one district or "
            "zone; an adopting leader adopts a town and visits every village of it."
        ),
    )


@login_required
@require_POST
def liaison_end(request, pk):
    liaison = get_liaison(request.user, pk)
    require_manage(request.user)
    orgs.end_liaison(Actor.web(request.user), liaison)
    messages.success(request, _("Ended: %(what)s.") % {"what": liaison})
    return redirect("research:liaisons")


# Research topics and reports


@login_required
@with_campaign
def topic_list(request, campaign):
    scope_org = requested_org(request)
    topics = _in(ResearchTopic.objects.visible_to(request.user), scope_org).filter(
        campaign=campaign
    )
    area = request.GET.get("area", "")
    if area:
        topics = topics.filter(area=area)
    topics = topics.select_related("org", "leader").annotate(
        work=Count("activities", distinct=True), reports_n=Count("reports", distinct=True)
    )
    return render(
        request,
        "research/topics.html",
        {
            "page": paginate(request, topics.order_by("claimed_on", "id")),
            "areas": campaign.focus_areas,
            "area": area,
            "scope_org": scope_org,
        },
    )


@login_required
@with_campaign
def topic_create(request, campaign):
    require_record(request.user)
    user = request.user
    form = TopicForm(
        request.POST or None,
        user=user,
        campaign=campaign,
        initial={"org": user.org.code if user.org_id else "", "claimed_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda d: services.claim_topic(Actor.web(user), campaign=campaign, **d),
        lambda topic: reverse("research:topics"),
        title=_("Claim a research topic"),
        cancel=reverse("research:topics"),
    )


@login_required
@with_campaign
def report_list(request, campaign):
    scope_org = requested_org(request)
    reports = _in(ResearchReport.objects.visible_to(request.user), scope_org).filter(
        campaign=campaign
    )
    q = request.GET.get("q", "").strip()
    if q:
        reports = reports.filter(Q(title__icontains=q) | Q(topic__title__icontains=q))
    topic = params.parse_id(request.GET.get("topic"))
    if topic is not None:
        reports = reports.filter(topic_id=topic)
    return render(
        request,
        "research/reports.html",
        {
            "page": paginate(request, reports.select_related("org", "author", "topic")),
            "total": reports.count(),
            "scope_org": scope_org,
            "q": q,
        },
    )


@login_required
def report_detail(request, pk):
    report = get_report(request.user, pk)
    parts = [(label, getattr(report, part)) for part, label in REPORT_PARTS.items()]
    meetings = report.meetings.visible_to(request.user).select_related("org", "kind")
    return render(
        request,
        "research/report.html",
        {
            "report": report,
            "parts": parts,
            "meetings": meetings.order_by("starts_on"),
            "meetings_outside": report.meetings.count() - meetings.count(),
            "candidates": findings_meetings_for(request.user, report)
            if request.user.can_record
            else [],
        },
    )


@login_required
@with_campaign
def report_create(request, campaign):
    require_record(request.user)
    user = request.user
    form = ReportForm(
        request.POST or None,
        user=user,
        campaign=campaign,
        initial={
            "org": user.org.code if user.org_id else "",
            "submitted_on": timezone.localdate(),
        },
    )
    return form_page(
        request,
        form,
        lambda d: services.submit_report(Actor.web(user), campaign=campaign, **d),
        lambda report: reverse("research:report", args=[report.pk]),
        title=_("Submit a research report"),
        cancel=reverse("research:reports"),
        intro=_(
            "A report has four parts — situation, problems, analysis, measures — all required."
        ),
    )


# Lagging villages


@login_required
@with_campaign
def rectification_list(request, campaign):
    user = request.user
    scope_org = requested_org(request) or user.org
    rectifications = _in(Rectification.objects.visible_to(user), scope_org, "village__path").filter(
        campaign=campaign
    )
    state = request.GET.get("state", "")
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


# Role models


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


# Required reading and reading classes


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
def topic_link(request, activity_pk):
    """On a research trip's, seminar's or questionnaire's page: the topics it may be done
    for (GET, a fragment), or link it to one (POST)."""
    activity = get_activity(request.user, activity_pk)
    topics = ResearchTopic.objects.visible_to(request.user).filter(campaign=activity.kind.campaign)
    if request.method == "POST":
        require_record(request.user)
        chosen = request.POST.get("topic", "")
        if not chosen.isdigit():
            raise Http404
        topic = get_topic(request.user, int(chosen), activity.kind.campaign)
        try:
            services.link_to_topic(Actor.web(request.user), topic, [activity])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Linked to %(topic)s.") % {"topic": topic})
        return redirect("ledger:detail", activity.pk)
    return render(
        request,
        "research/_topic_link.html",
        {"activity": activity, "topics": topics.exclude(activities=activity)},
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


def findings_meetings_for(user, report):
    """The findings meetings that may have discussed a report: its org's and those of the
    orgs above it, in the user's scope."""
    paths = [*report.org.ancestor_paths(), report.org.path]
    return (
        Activity.objects.visible_to(user)
        .filter(kind__campaign=report.campaign, kind__code__in=services.FINDINGS_KINDS)
        .filter(org__path__in=paths)
        .exclude(reports_discussed=report)
        .select_related("org", "kind")
        .order_by("-starts_on")[:200]
    )


@login_required
@require_POST
def report_discuss(request, pk):
    report = get_report(request.user, pk)
    require_record(request.user)
    chosen = request.POST.get("meeting", "")
    meeting = next(
        (m for m in findings_meetings_for(request.user, report) if str(m.pk) == chosen), None
    )
    if meeting is None:
        raise Http404
    services.discuss_reports(Actor.web(request.user), meeting, [report])
    messages.success(request, _("Saved: %(what)s.") % {"what": meeting})
    return redirect("research:report", pk)


# Corrections: edit a report; delete what was entered by mistake.


@login_required
def report_edit(request, pk):
    report = get_report(request.user, pk)
    require_record(request.user)
    initial = {
        "title": report.title,
        "org": report.org.code,
        "author": report.author.code if report.author_id else "",
        "topic": report.topic_id,
        "submitted_on": report.submitted_on,
        **{part: getattr(report, part) for part in REPORT_PARTS},
    }
    form = ReportForm(
        request.POST or None, user=request.user, campaign=report.campaign, initial=initial
    )
    return form_page(
        request,
        form,
        lambda d: services.update_report(Actor.web(request.user), report, **d),
        lambda r: reverse("research:report", args=[r.pk]),
        title=_("Edit the research report"),
        cancel=reverse("research:report", args=[report.pk]),
    )


def confirm_delete(request, obj, delete, *, detail, cancel, done):
    """GET: ask; POST: delete through the service and go to `done`."""
    if request.method == "POST":
        try:
            delete(Actor.web(request.user), obj)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(cancel)
        messages.success(request, _("Deleted: %(what)s.") % {"what": obj})
        return redirect(done)
    return render(
        request,
        "research/confirm_delete.html",
        {"what": obj, "detail": detail, "cancel": cancel},
    )


@login_required
def report_delete(request, pk):
    report = get_report(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        report,
        services.withdraw_report,
        detail=f"{report.org.name} · {report.submitted_on:%Y-%m-%d}",
        cancel=reverse("research:report", args=[pk]),
        done=reverse("research:reports"),
    )


@login_required
def topic_delete(request, pk):
    topic = get_topic(request.user, pk)
    require_record(request.user)
    return confirm_delete(
        request,
        topic,
        services.drop_topic,
        detail=f"{topic.leader.name} · {topic.area}",
        cancel=reverse("research:topics"),
        done=reverse("research:topics"),
    )


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
