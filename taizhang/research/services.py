"""Every write of the research records — the problem list, lagging villages, research topics
and reports — goes through these functions: each runs in one transaction, checks the actor's
rights, scope and the lifecycle, writes the change history (who, when, before and after) and
passes what the record counts to the roll-up totals."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record, record_many
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.orgs.access import require_writer
from taizhang.orgs.models import OrgKind
from taizhang.orgs.scope import Scope
from taizhang.research.models import (
    OPEN_STATES,
    REPORT_PARTS,
    Problem,
    ProblemState,
    Rectification,
    RectificationState,
    ResearchReport,
    ResearchTopic,
)

# Kinds of the campaign definition that link to research topics and discuss reports.
TOPIC_KINDS = ("research_trip", "seminar", "questionnaire")
FINDINGS_KINDS = ("findings_meeting",)

# The one way forward from each state; reopening is separate and needs a reason.
NEXT = {
    ProblemState.OPEN: ProblemState.IN_PROGRESS,
    ProblemState.IN_PROGRESS: ProblemState.RESOLVED,
    ProblemState.RESOLVED: ProblemState.CLOSED,
}


def _require_people(actor: Actor, *people):
    """Leaders and authors named on a record lie in the actor's scope too."""
    scope = Scope.of(actor.user)
    if any(person is not None and not scope.has_org(person.org) for person in people):
        raise PermissionDenied


def _today(day):
    return day or timezone.localdate()


@transaction.atomic
def raise_problem(
    actor: Actor, *, campaign, org, title, source, deadline, raised_on=None, **fields
) -> Problem:
    """Put a problem on the list. One solved on the spot (`solved_on_spot=True`) needs its
    resolution and is resolved at once, on the day it was raised."""
    require_writer(actor.user, org)
    _require_people(actor, fields.get("leader"))
    raised_on = _today(raised_on)
    problem = Problem(
        campaign=campaign,
        org=org,
        title=title,
        source=source,
        deadline=deadline,
        raised_on=raised_on,
        recorded_by=actor.user,
        **fields,
    )
    if problem.solved_on_spot:
        if not problem.resolution.strip():
            raise ValidationError(
                {"resolution": _("A problem solved on the spot needs its resolution.")}
            )
        problem.state = ProblemState.RESOLVED
        problem.resolved_on = raised_on
        problem.resolved_by = actor.label[:150]
    problem.full_clean()
    problem.save()
    record(actor, Action.CREATE, problem, after=problem.snapshot(), scope_path=org.path)
    totals.recount([], counted(problem))
    return problem


def _move(actor, problem, state, note="", **changes):
    require_writer(actor.user, problem.org)
    before, counted_before = problem.snapshot(), counted(problem)
    problem.state = state
    for name, value in changes.items():
        setattr(problem, name, value)
    problem.full_clean()
    problem.save()
    record(
        actor,
        Action.UPDATE,
        problem,
        before=before,
        after=problem.snapshot(),
        scope_path=problem.org.path,
        note=note,
    )
    totals.recount(counted_before, counted(problem))
    return problem


def _step(problem, state):
    if NEXT.get(problem.state) != state:
        raise ValidationError(
            _("A problem that is “%(now)s” cannot become “%(next)s”.")
            % {"now": problem.get_state_display(), "next": ProblemState(state).label}
        )


@transaction.atomic
def start(actor: Actor, problem: Problem) -> Problem:
    _step(problem, ProblemState.IN_PROGRESS)
    return _move(actor, problem, ProblemState.IN_PROGRESS)


@transaction.atomic
def resolve(actor: Actor, problem: Problem, *, resolution, on=None) -> Problem:
    """Record how the problem was solved; it must be in progress."""
    _step(problem, ProblemState.RESOLVED)
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the problem was solved.")})
    return _move(
        actor,
        problem,
        ProblemState.RESOLVED,
        resolution=resolution.strip(),
        resolved_on=_today(on),
        resolved_by=actor.label[:150],
    )


@transaction.atomic
def close(actor: Actor, problem: Problem, *, on=None) -> Problem:
    """销号: take a resolved problem off the list."""
    _step(problem, ProblemState.CLOSED)
    return _move(
        actor, problem, ProblemState.CLOSED, closed_on=_today(on), closed_by=actor.label[:150]
    )


@transaction.atomic
def reopen(actor: Actor, problem: Problem, *, reason) -> Problem:
    """Back to work on a resolved or closed problem; the reason goes into the history."""
    if problem.state in OPEN_STATES:
        raise ValidationError(_("Only a resolved or closed problem can be reopened."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the problem is reopened.")})
    return _move(
        actor,
        problem,
        ProblemState.IN_PROGRESS,
        note=reason.strip(),
        solved_on_spot=False,
        resolution="",
        resolved_on=None,
        resolved_by="",
        closed_on=None,
        closed_by="",
    )


# Rectification of lagging villages

RECTIFICATION_STEPS = {
    RectificationState.IDENTIFIED: (RectificationState.RECTIFYING, "started_on"),
    RectificationState.RECTIFYING: (RectificationState.RECTIFIED, "rectified_on"),
    RectificationState.RECTIFIED: (RectificationState.VERIFIED, "verified_on"),
}


@transaction.atomic
def identify_lagging_village(
    actor: Actor, *, campaign, village, reason, plan="", on=None
) -> Rectification:
    require_writer(actor.user, village)
    if village.kind not in (OrgKind.VILLAGE, OrgKind.COMMUNITY):
        raise ValidationError({"village": _("Only a village or community can be flagged lagging.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the village lags.")})
    rectification = Rectification(
        campaign=campaign,
        village=village,
        reason=reason.strip(),
        plan=plan,
        identified_on=_today(on),
    )
    rectification.full_clean()
    rectification.save()
    record(
        actor, Action.CREATE, rectification, after=rectification.snapshot(), scope_path=village.path
    )
    totals.recount([], counted(rectification))
    return rectification


@transaction.atomic
def advance_rectification(actor: Actor, rectification: Rectification, *, on=None, plan=None):
    """The next step: being rectified (a plan is needed), rectified, verified (signed)."""
    require_writer(actor.user, rectification.village)
    if rectification.state not in RECTIFICATION_STEPS:
        raise ValidationError(_("This rectification has been verified already."))
    state, dated = RECTIFICATION_STEPS[rectification.state]
    before, counted_before = rectification.snapshot(), counted(rectification)
    if plan is not None:
        rectification.plan = plan.strip()
    if state == RectificationState.RECTIFYING and not rectification.plan:
        raise ValidationError({"plan": _("A rectification starts from its plan.")})
    day = _today(on)
    previous = max(
        d
        for d in (
            rectification.identified_on,
            rectification.started_on,
            rectification.rectified_on,
        )
        if d
    )
    if day < previous:
        raise ValidationError(_("A step cannot be dated before the one before it."))
    rectification.state = state
    setattr(rectification, dated, day)
    if state == RectificationState.VERIFIED:
        rectification.verified_by = actor.label[:150]
    rectification.full_clean()
    rectification.save()
    record(
        actor,
        Action.UPDATE,
        rectification,
        before=before,
        after=rectification.snapshot(),
        scope_path=rectification.village.path,
    )
    totals.recount(counted_before, counted(rectification))
    return rectification


# Research reports


@transaction.atomic
def submit_report(actor: Actor, *, campaign, org, title, submitted_on=None, **fields):
    """Record a research report; one missing any of its four parts is refused, the parts
    named, and nothing is written."""
    require_writer(actor.user, org)
    _require_people(actor, fields.get("author"))
    _require_parts(fields)
    report = ResearchReport(
        campaign=campaign,
        org=org,
        title=title,
        submitted_on=_today(submitted_on),
        **{
            name: value.strip() if name in REPORT_PARTS else value for name, value in fields.items()
        },
    )
    report.full_clean()
    report.save()
    record(actor, Action.CREATE, report, after=report.snapshot(), scope_path=org.path)
    totals.recount([], counted(report))
    return report


def _require_parts(fields):
    missing = {
        part: _("The report has no “%(part)s” part.") % {"part": label}
        for part, label in REPORT_PARTS.items()
        if not (fields.get(part) or "").strip()
    }
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def submit_reports(actor: Actor, reports: list[ResearchReport]) -> list[ResearchReport]:
    """Record many reports at once (the demo, an import), each checked as `submit_report`
    checks one; any report refused refuses them all."""
    for report in reports:
        require_writer(actor.user, report.org)
        _require_people(actor, report.author)
        _require_parts({part: getattr(report, part) for part in REPORT_PARTS})
        report.clean_fields()
    saved = ResearchReport.objects.bulk_create(reports, batch_size=2000)
    record_many(
        actor,
        [(Action.CREATE, r, None, r.snapshot(), r.org.path) for r in saved],
    )
    totals.recount([], [entry for r in saved for entry in counted(r)])
    return saved


def _require_kinds(activities, codes, message):
    wrong = [a for a in activities if a.kind.code not in codes]
    if wrong:
        raise ValidationError(message % {"what": "、".join(str(a) for a in wrong[:3])})


@transaction.atomic
def discuss_reports(actor: Actor, meeting, reports):
    """A findings meeting (调研成果交流会) discussed these reports (all in the actor's scope)."""
    require_writer(actor.user, meeting.org)
    _require_kinds([meeting], FINDINGS_KINDS, _("%(what)s is not a findings meeting."))
    reports = list(reports)
    scope = Scope.of(actor.user)
    if any(not scope.has_org(r.org) for r in reports):
        raise PermissionDenied
    for report in reports:
        before = sorted(report.meetings.values_list("id", flat=True))
        report.meetings.add(meeting)
        record(
            actor,
            Action.UPDATE,
            report,
            before={"meetings": before},
            after={"meetings": sorted({*before, meeting.pk})},
            scope_path=report.org.path,
            note=str(meeting)[:200],
        )


# Research topics (领题调研)


@transaction.atomic
def claim_topic(actor: Actor, *, campaign, org, leader, title, area, claimed_on=None):
    """A leader claims a research topic in one of the campaign's focus areas."""
    require_writer(actor.user, org)
    _require_people(actor, leader)
    if campaign.focus_areas and area not in campaign.focus_areas:
        raise ValidationError(
            {
                "area": _("Choose one of the campaign's focus areas: %(areas)s")
                % {"areas": "、".join(campaign.focus_areas)}
            }
        )
    topic = ResearchTopic(
        campaign=campaign,
        org=org,
        leader=leader,
        title=(title or "").strip(),
        area=area,
        claimed_on=_today(claimed_on),
    )
    topic.full_clean()
    topic.save()
    record(actor, Action.CREATE, topic, after=topic.snapshot(), scope_path=org.path)
    return topic


@transaction.atomic
def link_to_topic(actor: Actor, topic, activities):
    """Research trips, seminars and questionnaires done for a claimed topic."""
    require_writer(actor.user, topic.org)
    activities = list(activities)
    _require_kinds(
        activities,
        TOPIC_KINDS,
        _("%(what)s is not a research trip, seminar or questionnaire."),
    )
    scope = Scope.of(actor.user)
    if any(not scope.has_org(a.org) for a in activities):
        raise PermissionDenied
    before = topic.snapshot()
    topic.activities.add(*activities)
    record(
        actor,
        Action.UPDATE,
        topic,
        before=before,
        after=topic.snapshot(),
        scope_path=topic.org.path,
    )
    return topic


@transaction.atomic
def update_report(actor: Actor, report: ResearchReport, **fields) -> ResearchReport:
    """Correct a report: the same checks as submitting it, in the scope of both its old and
    its new author org; the totals follow a change of org or date."""
    require_writer(actor.user, report.org)
    require_writer(actor.user, fields.get("org", report.org))
    _require_people(actor, fields.get("author"))
    merged = {part: fields.get(part, getattr(report, part)) for part in REPORT_PARTS}
    _require_parts(merged)
    before, counted_before = report.snapshot(), counted(report)
    for name, value in fields.items():
        setattr(report, name, value.strip() if name in REPORT_PARTS else value)
    report.full_clean()
    report.save()
    after = report.snapshot()
    if after != before:
        record(actor, Action.UPDATE, report, before=before, after=after, scope_path=report.org.path)
    totals.recount(counted_before, counted(report))
    return report


@transaction.atomic
def withdraw_report(actor: Actor, report: ResearchReport):
    """Delete a report entered by mistake; it leaves the totals, the history keeps it."""
    require_writer(actor.user, report.org)
    record(actor, Action.DELETE, report, before=report.snapshot(), scope_path=report.org.path)
    totals.recount(counted(report), [])
    report.delete()


@transaction.atomic
def drop_topic(actor: Actor, topic: ResearchTopic):
    """Delete a topic claimed by mistake; one with reports is kept (move them first)."""
    require_writer(actor.user, topic.org)
    if topic.reports.exists():
        raise ValidationError(
            _("%(n)s reports are on this topic; it cannot be deleted.")
            % {"n": topic.reports.count()}
        )
    record(actor, Action.DELETE, topic, before=topic.snapshot(), scope_path=topic.org.path)
    topic.delete()
