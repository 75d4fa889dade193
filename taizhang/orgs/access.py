"""One access helper per object type: the object if it lies in the user's scope, else 404 —
the same answer as for an id that does not exist."""

from django.core.exceptions import PermissionDenied

from taizhang.orgs.models import Org, Person, Sector, SectorMember, User
from taizhang.orgs.scope import Scope
from taizhang.params import get_or_404


def get_org(user, pk) -> Org:
    return get_or_404(Org.objects.visible_to(user), pk)


def get_person(user, pk) -> Person:
    return get_or_404(Person.objects.visible_to(user).select_related("org"), pk)


def get_user(user, pk) -> User:
    return get_or_404(User.objects.visible_to(user).select_related("org"), pk)


def require_writer(user, *orgs):
    """The check every service makes before it writes: each org named lies in the writer's
    scope (checked first), and the writer may record. `user` None is a system job."""
    scope = Scope.of(user)
    if any(org is not None and not scope.has_org(org) for org in orgs):
        raise PermissionDenied
    if user is not None and not user.can_record:
        raise PermissionDenied


def require_record(user):
    if not user.can_record:
        raise PermissionDenied


def require_manage(user):
    if not user.can_manage:
        raise PermissionDenied


def get_sector(user, pk):
    return get_or_404(Sector.objects.visible_to(user).select_related("department"), pk)


def get_sector_member(user, pk):
    return get_or_404(SectorMember.objects.visible_to(user).select_related("sector", "org"), pk)
