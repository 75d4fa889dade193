"""Lagging villages (后进村整转): identified, rectifying, rectified, verified."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.orgs.access import require_writer
from taizhang.orgs.models import OrgKind
from taizhang.research.models import (
    Rectification,
    RectificationState,
)
from taizhang.research.services.common import today

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
        identified_on=today(on),
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
    day = today(on)
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
