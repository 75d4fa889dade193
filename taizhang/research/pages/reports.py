"""Research topics claimed by leaders, research reports with their four parts, and the findings
meetings that discussed them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.audit.services import Actor
from taizhang.ledger.access import get_activity
from taizhang.ledger.models import Activity
from taizhang.orgs.access import require_record
from taizhang.pages import confirm_delete, form_page, requested_org, with_campaign
from taizhang.pagination import paginate
from taizhang.research import services
from taizhang.research.access import (
    get_report,
    get_topic,
)
from taizhang.research.filtersets import ReportFilterSet, TopicFilterSet
from taizhang.research.forms import (
    ReportForm,
    TopicForm,
)
from taizhang.research.models import (
    REPORT_PARTS,
    ResearchTopic,
)


@login_required
@with_campaign
def topic_list(request, campaign):
    scope_org = requested_org(request)
    filters = TopicFilterSet(request.GET or None, user=request.user, campaign=campaign)
    area = request.GET.get("area", "")
    topics = filters.qs.select_related("org", "leader").annotate(
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
    reports = ReportFilterSet(request.GET or None, user=request.user, campaign=campaign).qs
    q = request.GET.get("q", "").strip()
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
