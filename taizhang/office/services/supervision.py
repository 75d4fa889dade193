"""Supervision (督导): groups with their leader, members and assigned units; visits to those
units with what was checked and found; findings turned into problems on the unit's list."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.office.models import Assignment, Finding, SupervisionGroup, SupervisionVisit
from taizhang.office.services.common import count_in, count_out, require_manager, require_people
from taizhang.orgs.access import require_writer
from taizhang.research.models import ProblemSource
from taizhang.research.services import problems

MAX_FINDINGS = 30


def _check_units(org, units):
    below = [u for u in units if u.pk == org.pk or not u.path.startswith(org.path)]
    if below:
        raise ValidationError(
            {"units": _("A group supervises units under its office: %(names)s is not.")
             % {"names": "、".join(u.name for u in below)}}
        )  # fmt: skip


@transaction.atomic
def create_group(
    actor: Actor, *, campaign, org, name, leader, members=(), units=(), kind="supervision",
    assigned_on=None,
) -> SupervisionGroup:  # fmt: skip
    """Set up a group of `org`'s office and assign it units of `org`'s subtree."""
    require_manager(actor, org, *units)
    require_people(actor, leader, *members)
    _check_units(org, units)
    if SupervisionGroup.objects.filter(campaign=campaign, org=org, name=name).exists():
        raise ValidationError({"name": _("%(org)s already has a group of this name.") % {
            "org": org}})  # fmt: skip
    group = SupervisionGroup(campaign=campaign, org=org, name=name, kind=kind, leader=leader)
    group.full_clean()
    group.save()
    group.members.set(members)
    assigned = _assign(group, units, assigned_on)
    record(actor, Action.CREATE, group, after=group.snapshot(), scope_path=org.path)
    count_in(*assigned)
    return group


def _assign(group, units, on):
    on = on or min(timezone.localdate(), group.campaign.ends_on)
    group.campaign.check_dates(during=[("assigned_on", on)])
    kept = set(group.assignments.values_list("unit_id", flat=True))
    return [
        Assignment.objects.create(group=group, unit=unit, assigned_on=on)
        for unit in units
        if unit.pk not in kept
    ]


@transaction.atomic
def assign(actor: Actor, group: SupervisionGroup, units, on=None):
    require_manager(actor, group.org, *units)
    _check_units(group.org, units)
    before = group.snapshot()
    assigned = _assign(group, units, on)
    record(actor, Action.UPDATE, group, before=before, after=group.snapshot(),
           scope_path=group.org.path)  # fmt: skip
    count_in(*assigned)
    return assigned


@transaction.atomic
def unassign(actor: Actor, group: SupervisionGroup, unit):
    """Take a unit off the group; one it has visited stays."""
    require_manager(actor, group.org, unit)
    if group.visits.filter(unit=unit).exists():
        raise ValidationError(_("The group has visited %(unit)s; it stays assigned.") % {
            "unit": unit})  # fmt: skip
    assignment = group.assignments.filter(unit=unit).first()
    if assignment is None:
        return
    before = group.snapshot()
    count_out(assignment)
    assignment.delete()
    record(actor, Action.UPDATE, group, before=before, after=group.snapshot(),
           scope_path=group.org.path)  # fmt: skip


def _check_findings(findings):
    findings = [f.strip() for f in findings if f and f.strip()]
    if len(findings) > MAX_FINDINGS:
        raise ValidationError({"findings": _("At most %(n)s findings.") % {"n": MAX_FINDINGS}})
    if any(len(f) > 500 for f in findings):
        raise ValidationError({"findings": _("A finding is longer than 500 characters.")})
    return findings


@transaction.atomic
def record_visit(
    actor: Actor, *, group, unit, visited_on, checked, findings=()
) -> SupervisionVisit:
    """A visit of the group to one of its units, with its findings (one line each)."""
    require_writer(actor.user, group.org, unit)
    assignment = group.assignments.filter(unit=unit).first()
    if assignment is None:
        raise ValidationError({"unit": _("%(unit)s is not assigned to this group.") % {
            "unit": unit}})  # fmt: skip
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be recorded before it happens.")})
    if visited_on < assignment.assigned_on:
        raise ValidationError(
            {"visited_on": _("before the unit was assigned (%(day)s)") % {
                "day": assignment.assigned_on}}
        )  # fmt: skip
    if not (checked or "").strip():
        raise ValidationError({"checked": _("Say what was checked.")})
    findings = _check_findings(findings)
    visit = SupervisionVisit(
        group=group, unit=unit, visited_on=visited_on, checked=checked.strip(),
        recorded_by=actor.user,
    )  # fmt: skip
    visit.full_clean()
    visit.save()
    made = [
        Finding.objects.create(visit=visit, position=i, text=text)
        for i, text in enumerate(findings)
    ]
    record(actor, Action.CREATE, visit, after=visit.snapshot(), scope_path=unit.path)
    count_in(visit, *made)
    return visit


@transaction.atomic
def delete_visit(actor: Actor, visit: SupervisionVisit):
    """Take a visit out; one whose findings became problems stays."""
    require_writer(actor.user, visit.group.org, visit.unit)
    if visit.findings.filter(problem__isnull=False).exists():
        raise ValidationError(_("A finding of this visit is on the problem list; the visit stays."))
    before = visit.snapshot()
    count_out(visit, *visit.findings.all())
    record(actor, Action.DELETE, visit, before=before, scope_path=visit.unit.path)
    visit.delete()


@transaction.atomic
def raise_problem(actor: Actor, finding: Finding, *, deadline, leader=None):
    """Put a finding on its unit's problem list; the problem keeps the link."""
    visit = finding.visit
    require_writer(actor.user, visit.group.org, visit.unit)
    if finding.problem_id is not None:
        raise ValidationError(_("This finding is already on the problem list."))
    raised_on = visit.visited_on  # found on the visit
    if deadline is None or deadline < raised_on:
        raise ValidationError({"deadline": _("The deadline is before the problem is raised.")})
    problem = problems.raise_problem(
        actor,
        campaign=visit.group.campaign,
        org=visit.unit,
        title=finding.text[:200],
        description=_("Found by %(group)s on its visit of %(day)s.") % {
            "group": visit.group.name, "day": visit.visited_on},
        source=ProblemSource.SUPERVISION,
        deadline=deadline,
        raised_on=raised_on,
        leader=leader,
    )  # fmt: skip
    finding.problem = problem
    finding.save(update_fields=["problem"])
    return problem


def default_deadline(visit):
    return visit.visited_on + datetime.timedelta(days=30)
