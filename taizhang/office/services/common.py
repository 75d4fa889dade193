"""What the office services share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.office import attachments
from taizhang.office.models import Attachment
from taizhang.orgs.scope import Scope


def require_people(actor, *people):
    """People named on a record lie in the actor's scope."""
    scope = Scope.of(actor.user)
    if any(person is not None and not scope.has_person(person) for person in people):
        raise PermissionDenied


def require_manager(actor, *orgs):
    """A manager (or the system) whose scope holds every org named."""
    scope = Scope.of(actor.user)
    if any(org is not None and not scope.has_org(org) for org in orgs):
        raise PermissionDenied
    if actor.user is not None and not actor.user.can_manage:
        raise PermissionDenied


def count_in(*records):
    totals.recount([], [entry for record in records for entry in counted(record)])


def count_out(*records):
    totals.recount([entry for record in records for entry in counted(record)], [])


def checked_files(files):
    """[(clean name, data)] of uploads [(name, data)], every one checked before any is
    kept; ValidationError lists every refusal."""
    from django.conf import settings

    files = list(files or [])
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(n)s files.") % {"n": settings.ATTACHMENT_MAX_FILES}}
        )
    out, errors = [], []
    for name, data in files:
        try:
            out.append((attachments.check(name, data), data))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return out


def attach(files, **owner):
    """Keep checked files and record them on their notice or receipt."""
    for name, data in files:
        Attachment.objects.create(
            name=name, size=len(data), sha256=attachments.store(data), **owner
        )
