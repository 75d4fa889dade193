"""Public commitments (公开承诺): published by a leadership team with their items, and the
records that fulfil each item linked as evidence."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.office.models import Commitment, CommitmentItem, Evidence
from taizhang.office.services.common import count_in, count_out
from taizhang.orgs.access import require_writer
from taizhang.research.models import ProblemState

MAX_ITEMS = 50


def parse_items(text: str) -> list[tuple[str, str]]:
    """Items written one per line; a line in 【】 heads the items after it:
    "【五个始终】" then "始终……"."""
    items, group = [], ""
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("【") and line.endswith("】"):
            group = line[1:-1].strip()[:60]
            continue
        items.append((group, line))
    return items


def _check_items(items):
    if not items:
        raise ValidationError({"items": _("Write at least one item.")})
    if len(items) > MAX_ITEMS:
        raise ValidationError({"items": _("At most %(n)s items.") % {"n": MAX_ITEMS}})
    for _group, text in items:
        if len(text) > 500:
            raise ValidationError({"items": _("An item is longer than 500 characters.")})


@transaction.atomic
def publish(actor: Actor, *, campaign, org, title, published_on, items) -> Commitment:
    """Publish an org's leadership team's commitment; `items` is [(group, text)]."""
    require_writer(actor.user, org)
    kind = campaign.kinds.filter(source="commitments").first()
    if kind is not None and not kind.allows_org(org):
        raise ValidationError(
            {"org": _("%(org)s has no leadership team that publishes commitments.") % {"org": org}}
        )
    if Commitment.objects.filter(campaign=campaign, org=org).exists():
        raise ValidationError({"org": _("%(org)s has already published its commitment.") % {
            "org": org}})  # fmt: skip
    _check_items(items)
    commitment = Commitment(
        campaign=campaign, org=org, title=title, published_on=published_on,
        recorded_by=actor.user,
    )  # fmt: skip
    commitment.full_clean()
    commitment.save()
    CommitmentItem.objects.bulk_create(
        CommitmentItem(commitment=commitment, position=i, group=group, text=text)
        for i, (group, text) in enumerate(items)
    )
    record(actor, Action.CREATE, commitment, after=commitment.snapshot(), scope_path=org.path)
    count_in(commitment)
    return commitment


@transaction.atomic
def withdraw(actor: Actor, commitment: Commitment):
    """Take a commitment back, with its items and evidence links."""
    require_writer(actor.user, commitment.org)
    before = commitment.snapshot()
    count_out(commitment)
    record(actor, Action.DELETE, commitment, before=before, scope_path=commitment.org.path)
    commitment.delete()


def _evidence_of(record_obj):
    """The evidence field a record goes in, refusing what cannot fulfil an item."""
    name = type(record_obj).__name__
    if name == "Activity":
        return "activity"
    if name == "ResearchTopic":
        return "topic"
    if name == "Problem":
        if record_obj.state not in (ProblemState.RESOLVED, ProblemState.CLOSED):
            raise ValidationError(_("Only a solved problem is evidence of a commitment."))
        return "problem"
    raise ValidationError(_("This record cannot be evidence of a commitment."))


@transaction.atomic
def link(actor: Actor, item: CommitmentItem, record_obj) -> Evidence:
    """Link a record of the team's org (or its subtree) to the item it fulfils."""
    commitment = item.commitment
    require_writer(actor.user, commitment.org, record_obj.org)
    if not record_obj.org.path.startswith(commitment.org.path):
        raise PermissionDenied
    field = _evidence_of(record_obj)
    if item.evidence.filter(**{field: record_obj}).exists():
        raise ValidationError(_("This record is already linked to the item."))
    before = commitment.snapshot()
    evidence = Evidence.objects.create(item=item, linked_by=actor.user, **{field: record_obj})
    record(
        actor, Action.UPDATE, commitment, before=before,
        after={**commitment.snapshot(), "evidence": f"{item.text} ← {record_obj}"},
        scope_path=commitment.org.path,
    )  # fmt: skip
    return evidence


@transaction.atomic
def unlink(actor: Actor, evidence: Evidence):
    commitment = evidence.item.commitment
    require_writer(actor.user, commitment.org)
    record(
        actor, Action.UPDATE, commitment,
        before={"evidence": f"{evidence.item.text} ← {evidence.record}"},
        after=commitment.snapshot(), scope_path=commitment.org.path,
    )  # fmt: skip
    evidence.delete()
