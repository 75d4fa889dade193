"""Every change to orgs, people and users goes through these functions: each runs in one
transaction and writes the change history, whether called from a page, an import or a command."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from taizhang.audit.models import Change
from taizhang.audit.services import Action, Actor, record, record_many
from taizhang.audit.snapshots import snapshot
from taizhang.orgs import counts, sectors
from taizhang.orgs.models import (
    ORG_SNAPSHOT,
    ROLE_LEVEL,
    Liaison,
    LiaisonKind,
    Org,
    OrgKind,
    Person,
    User,
)
from taizhang.orgs.scope import Scope, in_subtree
from taizhang.orgs.signals import liaison_changed, org_reclassified, subtree_moved

# History notes are kept in English and shown in the reader's language (templates/_history.html).
NOTE_PASSWORD = gettext_noop("password reset")
NOTE_UNLOCKED = gettext_noop("sign-in lock lifted")


def _require_scope(actor: Actor, org: Org):
    if not Scope.of(actor.user).has_org(org):
        raise PermissionDenied


# Orgs


@transaction.atomic
def create_org(actor: Actor, *, parent: Org | None, **fields) -> Org:
    if parent is None:
        if actor.user is not None and not actor.user.is_superuser:
            raise PermissionDenied
        org = Org.objects.add_root(create_kwargs=fields)
    else:
        _require_scope(actor, parent)
        parent.refresh_from_db()  # treebeard needs the parent's current numchild
        org = Org.objects.add_child(parent, create_kwargs=fields)
    counts.add_orgs([org])
    record(actor, Action.CREATE, org, after=org.snapshot(), scope_path=org.path)
    return org


@transaction.atomic
def update_org(actor: Actor, org: Org, **fields) -> Org:
    """Change an org. Its kind and active flag count in the coverage and targets of the
    orgs above it, so the org at the top of the actor's scope keeps them."""
    _require_scope(actor, org)
    user = actor.user
    own = user is not None and not user.is_superuser and org.pk == user.org_id
    if own and any(fields.get(n, getattr(org, n)) != getattr(org, n) for n in ("kind", "active")):
        raise PermissionDenied
    before = org.snapshot()
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    after = org.snapshot()
    was, now = (before["kind"], before["active"]), (after["kind"], after["active"])
    if was != now:
        counts.reclassify(org, was, now)
        org_reclassified.send(sender=Org, org=org, before=was, after=now)
    if after != before:
        record(actor, Action.UPDATE, org, before=before, after=after, scope_path=org.path)
    return org


@transaction.atomic
def move_org(actor: Actor, org: Org, new_parent: Org) -> Org:
    """Move an org (with its subtree) under another parent. Records point at the org by id,
    so everything recorded on the subtree moves with it."""
    _require_scope(actor, org)
    _require_scope(actor, new_parent)
    user = actor.user
    if user is not None and not user.is_superuser and org.pk == user.org_id:
        raise PermissionDenied
    if new_parent.path.startswith(org.path):
        raise ValidationError(_("An organisation cannot be moved under itself or its own subtree."))
    before = org.snapshot()
    if Org.objects.get_parent(org).pk == new_parent.pk:
        return org
    sectors.check_move(org, new_parent)
    old_ancestor_ids, old_path = _ancestor_ids(org), org.path
    Org.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    follow_move(old_path, org.path)
    new_ancestor_ids = _ancestor_ids(org)
    counts.move(org, old_ancestor_ids, new_ancestor_ids)
    subtree_moved.send(
        sender=Org,
        org=org,
        old_ancestor_ids=old_ancestor_ids,
        new_ancestor_ids=new_ancestor_ids,
    )
    record(actor, Action.MOVE, org, before=before, after=org.snapshot(), scope_path=org.path)
    return org


def follow_move(old_path: str, new_path: str):
    """An org moved from `old_path` to `new_path` with its subtree: the history of
    everything in it moves too, in the mover's transaction, so a path freed by the move and
    given to a new org later shows that org nothing of the old one's."""
    if old_path != new_path:
        Change.objects.filter(in_subtree(old_path, "scope_path")).update(
            scope_path=Concat(Value(new_path), Substr("scope_path", len(old_path) + 1))
        )


def _ancestor_ids(org):
    return list(Org.objects.filter(path__in=org.ancestor_paths()).values_list("id", flat=True))


def bulk_create_tree(actor: Actor, parent: Org | None, specs) -> int:
    """Create a whole subtree at once (the demo generator and large imports).

    specs: nested dicts {name, short_name, code, kind, children: [...]} appended as the
    last children of `parent` (or as roots). Paths are computed here instead of one
    treebeard call per node; the result is the same tree treebeard would build."""
    new_orgs, history = [], []

    def walk(node_specs, parent_path, depth, first_index):
        for offset, spec in enumerate(node_specs):
            path = Org._get_path(parent_path, depth, first_index + offset)
            children = spec.get("children", [])
            org = Org(
                path=path,
                depth=depth,
                numchild=len(children),
                name=spec["name"],
                short_name=spec.get("short_name", ""),
                code=spec["code"],
                kind=spec["kind"],
                active=spec.get("active", True),
            )
            new_orgs.append(org)
            walk(children, path, depth + 1, 1)

    with transaction.atomic():
        if parent is None:
            last_root = Org.objects.get_last_root_node()
            start = 1 if last_root is None else Org._str2int(last_root.path) + 1
            walk(specs, None, 1, start)
        else:
            _require_scope(actor, parent)
            parent.refresh_from_db()
            last = Org.objects.get_last_child(parent)
            start = 1 if last is None else Org._str2int(last.path[-Org.steplen :]) + 1
            walk(specs, parent.path, parent.depth + 1, start)
            Org.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(specs))
        Org.objects.bulk_create(new_orgs, batch_size=2000)
        created = Org.objects.filter(code__in=[o.code for o in new_orgs]).only("id", "path")
        by_path = {o.path: o.pk for o in created}
        parent_codes = {o.path: o.code for o in new_orgs}
        if parent is not None:
            parent_codes[parent.path] = parent.code
        for org in new_orgs:
            org.pk = by_path[org.path]
        counts.add_orgs(new_orgs)
        for org in new_orgs:
            after = snapshot(org, ORG_SNAPSHOT, parent=parent_codes.get(org.path[: -Org.steplen]))
            history.append((Action.CREATE, org, None, after, org.path))
        record_many(actor, history)
    return len(new_orgs)


# People


@transaction.atomic
def create_person(actor: Actor, **fields) -> Person:
    person = Person(**fields)
    _require_scope(actor, person.org)
    person.full_clean()
    person.save()
    record(actor, Action.CREATE, person, after=person.snapshot(), scope_path=person.org.path)
    return person


@transaction.atomic
def update_person(actor: Actor, person: Person, **fields) -> Person:
    _require_scope(actor, person.org)
    before = person.snapshot()
    for name, value in fields.items():
        setattr(person, name, value)
    _require_scope(actor, person.org)
    person.full_clean()
    person.save()
    after = person.snapshot()
    if after != before:
        record(actor, Action.UPDATE, person, before=before, after=after, scope_path=person.org.path)
    return person


# Users


def _check_grant(actor: Actor, org: Org, role: str):
    _require_scope(actor, org)
    user = actor.user
    if user is not None and not user.is_superuser:
        if not user.can_manage:
            raise PermissionDenied
        if ROLE_LEVEL[role] > user.role_level:
            raise ValidationError(_("You cannot give a role above your own."))


@transaction.atomic
def create_user(actor: Actor, *, username, password, org, role, display_name="") -> User:
    _check_grant(actor, org, role)
    user = User(username=username, org=org, role=role, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(actor, Action.CREATE, user, after=user.snapshot(), scope_path=org.path)
    return user


@transaction.atomic
def update_user(actor: Actor, target: User, **fields) -> User:
    _require_scope(actor, target.org)
    if (
        actor.user is not None
        and actor.user.pk == target.pk
        and (
            fields.get("role", target.role) != target.role
            or fields.get("org", target.org) != target.org
            or fields.get("is_active", True) is False
        )
    ):
        raise ValidationError(_("You cannot change your own role, organisation or status."))
    _check_grant(actor, fields.get("org", target.org), fields.get("role", target.role))
    before = target.snapshot()
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean(exclude=["password"])
    target.save()
    after = target.snapshot()
    if after != before:
        record(actor, Action.UPDATE, target, before=before, after=after, scope_path=target.org.path)
    return target


def is_locked_out(target: User) -> bool:
    """Whether sign-in is locked for `target` after repeated wrong passwords (from any
    address: the lock counts per username and address)."""
    from axes.models import AccessAttempt

    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(
        username=target.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()


@transaction.atomic
def lift_lockout(actor: Actor, target: User) -> int:
    """A manager lifts the sign-in lock of a user in their scope (a colleague behind the
    same office address may have set it off with wrong passwords). Returns the attempts
    cleared."""
    from axes.utils import reset

    _require_scope(actor, target.org)
    if actor.user is not None and not actor.user.can_manage:
        raise PermissionDenied
    cleared = reset(username=target.username)
    record(actor, Action.UPDATE, target, scope_path=target.org.path, note=NOTE_UNLOCKED)
    return cleared


@transaction.atomic
def set_user_password(actor: Actor, target: User, password: str) -> User:
    if target.org_id is not None:
        _require_scope(actor, target.org)
    target.set_password(password)
    target.save(update_fields=["password"])
    path = target.org.path if target.org_id else ""
    record(actor, Action.UPDATE, target, scope_path=path, note=NOTE_PASSWORD)
    return target


def bulk_create_people(actor: Actor, people: list[Person]) -> int:
    """Create many people at once (the demo generator), with their history."""
    with transaction.atomic():
        Person.objects.bulk_create(people, batch_size=2000)
        codes = [p.code for p in people]
        saved = {p.code: p for p in Person.objects.filter(code__in=codes).select_related("org")}
        record_many(
            actor,
            [
                (Action.CREATE, saved[c], None, saved[c].snapshot(), saved[c].org.path)
                for c in codes
            ],
        )
    return len(people)


# Liaisons


@transaction.atomic
def assign_liaison(actor: Actor, *, person: Person, org: Org, kind, started_on, note="") -> Liaison:
    """Assign a leader to guide an org or to adopt a town. Managers assign, within their
    scope: both the leader's org and the org assigned must be in it."""
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    _require_scope(actor, org)
    _require_scope(actor, person.org)
    if kind == LiaisonKind.ADOPTION and org.kind != OrgKind.TOWN:
        raise ValidationError({"org": _("Only a town or subdistrict can be adopted.")})
    liaison = Liaison(person=person, org=org, kind=kind, started_on=started_on, note=note)
    liaison.full_clean()
    liaison.save()
    record(actor, Action.CREATE, liaison, after=liaison.snapshot(), scope_path=org.path)
    liaison_changed.send(sender=Liaison, liaison=liaison, assigned=True)
    return liaison


@transaction.atomic
def end_liaison(actor: Actor, liaison: Liaison):
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    _require_scope(actor, liaison.org)
    record(actor, Action.DELETE, liaison, before=liaison.snapshot(), scope_path=liaison.org.path)
    liaison_changed.send(sender=Liaison, liaison=liaison, assigned=False)
    liaison.delete()
