"""One access helper per object type of the office pages: the object if it lies in the
user's scope, else 404 (DESIGN.md rule 1)."""

from django.db.models import Q

from taizhang.office.models import (
    Attachment,
    Commitment,
    Evidence,
    Finding,
    Notice,
    Receipt,
    SupervisionGroup,
    SupervisionVisit,
)
from taizhang.params import get_or_404


def get_commitment(user, pk) -> Commitment:
    return get_or_404(Commitment.objects.visible_to(user).select_related("org", "campaign"), pk)


def get_evidence(user, pk) -> Evidence:
    commitments = Commitment.objects.visible_to(user)
    return get_or_404(
        Evidence.objects.filter(item__commitment__in=commitments).select_related(
            "item__commitment__org"
        ),
        pk,
    )


def get_group(user, pk) -> SupervisionGroup:
    return get_or_404(
        SupervisionGroup.objects.visible_to(user).select_related("org", "leader", "campaign"), pk
    )


def get_visit(user, pk) -> SupervisionVisit:
    return get_or_404(
        SupervisionVisit.objects.visible_to(user).select_related(
            "unit", "group__org", "group__campaign"
        ),
        pk,
    )


def get_finding(user, pk) -> Finding:
    visits = SupervisionVisit.objects.visible_to(user)
    return get_or_404(
        Finding.objects.filter(visit__in=visits).select_related(
            "visit__unit", "visit__group__org", "visit__group__campaign", "problem"
        ),
        pk,
    )


def get_notice(user, pk) -> Notice:
    return get_or_404(Notice.objects.visible_to(user).select_related("sender", "campaign"), pk)


def get_attachment(user, pk) -> Attachment:
    """A notice's attachment for whoever sees the notice; a reply's for the sender's
    subtree and the replying org's."""
    notices = Notice.objects.visible_to(user).values("pk")
    receipts = Receipt.objects.visible_to(user).values("pk")
    found = Attachment.objects.filter(Q(notice__in=notices) | Q(receipt__in=receipts))
    return get_or_404(found, pk)
