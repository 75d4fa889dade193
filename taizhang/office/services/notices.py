"""Notices (通知) sent down the tree, read and answered with a receipt (回执), and the
reminders (催报) sent to those who have not answered."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.office.models import Notice, Receipt
from taizhang.office.services.common import attach, checked_files, count_in, require_manager
from taizhang.orgs.access import require_writer

MAX_RECIPIENTS = 50_000


@transaction.atomic
def send(
    actor: Actor, *, campaign, sender, title, body, deadline, orgs, chosen_as="", files=(),
    now=None,
) -> Notice:  # fmt: skip
    """Send a notice from `sender`'s office to `orgs`, each strictly below it. Every
    attachment ([(name, data)]) is checked before anything is kept."""
    require_manager(actor, sender)
    now = now or timezone.now()
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the notice a title.")
    if not (body or "").strip():
        errors["body"] = _("Write the notice.")
    if deadline is None or deadline < timezone.localdate(now):
        errors["deadline"] = _("The deadline for replies cannot be in the past.")
    orgs = list({o.pk: o for o in orgs}.values())
    if not orgs:
        errors["recipients"] = _("No organisation is chosen to receive the notice.")
    elif len(orgs) > MAX_RECIPIENTS:
        errors["recipients"] = _("At most %(n)s recipients.") % {"n": MAX_RECIPIENTS}
    if any(not o.path.startswith(sender.path) for o in orgs):
        # Notices go only down: naming an org outside is refused whatever else is wrong.
        raise PermissionDenied
    if any(o.pk == sender.pk for o in orgs):
        errors["recipients"] = _("A notice goes to the organisations below the sender, not to it.")
    if errors:
        raise ValidationError(errors)
    files = checked_files(files)
    notice = Notice.objects.create(
        campaign=campaign, sender=sender, sent_by=actor.user, title=title.strip()[:200],
        body=body.strip(), deadline=deadline, chosen_as=chosen_as[:300], sent_at=now,
    )  # fmt: skip
    Receipt.objects.bulk_create(Receipt(notice=notice, org=o) for o in orgs)
    attach(files, notice=notice)
    record(actor, Action.CREATE, notice, after={**notice.snapshot(), "recipients": len(orgs)},
           scope_path=sender.path)  # fmt: skip
    count_in(*notice.receipts.select_related("org", "notice"))
    return notice


def is_recipient(user, receipt) -> bool:
    """The receipt is answered by the users of the org it was sent to."""
    return user is not None and user.org_id == receipt.org_id


def mark_read(actor: Actor, receipt: Receipt, now=None) -> bool:
    """Record the first reading by a user of the recipient org (nobody else's counts)."""
    if receipt.read_at is not None or not is_recipient(actor.user, receipt):
        return False
    updated = Receipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(
        read_at=now or timezone.now(), read_by=actor.user
    )
    receipt.refresh_from_db(fields=["read_at", "read_by"])
    return bool(updated)


@transaction.atomic
def reply(actor: Actor, receipt: Receipt, *, text, files=(), now=None) -> Receipt:
    """The recipient org's receipt: text and attachments, once."""
    require_writer(actor.user, receipt.org)
    if actor.user is not None and not is_recipient(actor.user, receipt):
        raise PermissionDenied
    receipt = Receipt.objects.select_for_update().select_related("notice", "org").get(pk=receipt.pk)
    if receipt.replied_at is not None:
        raise ValidationError(_("This notice has been answered already."))
    files = checked_files(files)
    if not (text or "").strip() and not files:
        raise ValidationError({"text": _("Write the reply or attach a file.")})
    now = now or timezone.now()
    before, counted_before = receipt.snapshot(), counted(receipt)
    receipt.reply = (text or "").strip()
    receipt.replied_at = now
    receipt.replied_by = actor.user
    if receipt.read_at is None:
        receipt.read_at, receipt.read_by = now, actor.user
    receipt.save()
    attach(files, receipt=receipt)
    record(actor, Action.UPDATE, receipt, before=before, after=receipt.snapshot(),
           scope_path=receipt.org.path)  # fmt: skip
    totals.recount(counted_before, counted(receipt))
    return receipt


@transaction.atomic
def remind(actor: Actor, notice: Notice, now=None) -> int:
    """催报: one more reminder to every recipient that has not replied; how many."""
    require_manager(actor, notice.sender)
    waiting = notice.receipts.filter(replied_at__isnull=True)
    n = waiting.count()
    if not n:
        raise ValidationError(_("Every recipient has replied; nobody to remind."))
    now = now or timezone.now()
    waiting.update(reminders=F("reminders") + 1, reminded_at=now)
    record(actor, Action.UPDATE, notice, before=notice.snapshot(),
           after={**notice.snapshot(), "reminded": n}, scope_path=notice.sender.path)  # fmt: skip
    return n
