"""The problem list (问题清单): raising a problem and moving it along its one way forward."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.orgs.access import require_writer
from taizhang.research.models import (
    OPEN_STATES,
    Problem,
    ProblemState,
)
from taizhang.research.services.common import require_people, today

# The one way forward from each state; reopening is separate and needs a reason.
NEXT = {
    ProblemState.OPEN: ProblemState.IN_PROGRESS,
    ProblemState.IN_PROGRESS: ProblemState.RESOLVED,
    ProblemState.RESOLVED: ProblemState.CLOSED,
}


@transaction.atomic
def raise_problem(
    actor: Actor, *, campaign, org, title, source, deadline, raised_on=None, **fields
) -> Problem:
    """Put a problem on the list. One solved on the spot (`solved_on_spot=True`) needs its
    resolution and is resolved at once, on the day it was raised."""
    require_writer(actor.user, org)
    require_people(actor, fields.get("leader"))
    raised_on = today(raised_on)
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
        resolved_on=today(on),
        resolved_by=actor.label[:150],
    )


@transaction.atomic
def close(actor: Actor, problem: Problem, *, on=None) -> Problem:
    """销号: take a resolved problem off the list."""
    _step(problem, ProblemState.CLOSED)
    return _move(
        actor, problem, ProblemState.CLOSED, closed_on=today(on), closed_by=actor.label[:150]
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
