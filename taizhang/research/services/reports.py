"""Research topics (领题调研) and reports (调研报告), and the meetings that link to them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record, record_many
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.orgs.access import require_writer
from taizhang.orgs.scope import Scope
from taizhang.research.models import (
    REPORT_PARTS,
    ResearchReport,
    ResearchTopic,
)
from taizhang.research.services.common import require_people, today

# Kinds of the campaign definition that link to research topics and discuss reports.
TOPIC_KINDS = ("research_trip", "seminar", "questionnaire")
FINDINGS_KINDS = ("findings_meeting",)

# Research reports


@transaction.atomic
def submit_report(actor: Actor, *, campaign, org, title, submitted_on=None, **fields):
    """Record a research report; one missing any of its four parts is refused, the parts
    named, and nothing is written."""
    require_writer(actor.user, org)
    require_people(actor, fields.get("author"))
    _require_parts(fields)
    report = ResearchReport(
        campaign=campaign,
        org=org,
        title=title,
        submitted_on=today(submitted_on),
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
        require_people(actor, report.author)
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
    require_people(actor, leader)
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
        claimed_on=today(claimed_on),
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
    require_people(actor, fields.get("author"))
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
