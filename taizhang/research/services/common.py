"""What the research services share."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from taizhang.audit.services import Actor
from taizhang.orgs.scope import Scope


def require_people(actor: Actor, *people):
    """Leaders and authors named on a record lie in the actor's scope too."""
    scope = Scope.of(actor.user)
    if any(person is not None and not scope.has_org(person.org) for person in people):
        raise PermissionDenied


def today(day):
    return day or timezone.localdate()
