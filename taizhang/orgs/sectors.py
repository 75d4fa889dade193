"""Sector systems (行业系统, 条块结合): creating them, and orgs joining and leaving them.

Each write runs in one transaction, writes the change history and keeps the sector's
totals: the subtree counts here (`counts.SECTOR_COUNTS`), the ledger's through the
`sector_membership_changed` signal. Members never nest: an org cannot join a system that
already holds one of its ancestors or descendants, and no move may bring two members of
one system into one line (`check_move`). So a sector's figure is exactly the sum of its
members' figures."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang import params
from taizhang.audit.services import Action, Actor, record
from taizhang.orgs import counts, mirror
from taizhang.orgs.models import Org, Sector, SectorMember
from taizhang.orgs.scope import Scope, in_subtree
from taizhang.orgs.signals import sector_membership_changed


def may_manage(user, sector) -> bool:
    """A manager whose own subtree holds the sector's responsible department."""
    return user is None or (user.can_manage and Scope.of(user).has_org(sector.department))


def _require_manager(actor: Actor, *orgs):
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    scope = Scope.of(user)
    if any(not scope.has_org(org) for org in orgs):
        raise PermissionDenied


@transaction.atomic
def create_sector(actor: Actor, *, code, name, department: Org) -> Sector:
    _require_manager(actor, department)
    sector = Sector(code=code, name=name, department=department)
    sector.full_clean()
    sector.save()
    record(actor, Action.CREATE, sector, after=sector.snapshot(), scope_path=department.path)
    return sector


@transaction.atomic
def update_sector(actor: Actor, sector: Sector, **fields) -> Sector:
    _require_manager(actor, sector.department, fields.get("department", sector.department))
    before = sector.snapshot()
    for name, value in fields.items():
        setattr(sector, name, value)
    sector.full_clean()
    sector.save()
    after = sector.snapshot()
    if after != before:
        path = sector.department.path
        record(actor, Action.UPDATE, sector, before=before, after=after, scope_path=path)
    return sector


def _line(org) -> Q:
    """Orgs in one line with `org`: its ancestors, itself and its subtree."""
    return Q(org__path__in=org.ancestor_paths()) | in_subtree(org, "org__path")


def _check_day(day, field):
    if not isinstance(day, datetime.date) or not params.in_range(day):
        raise ValidationError({field: _("Enter a valid date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def join(actor: Actor, sector: Sector, org: Org, joined_on=None) -> SectorMember:
    """Make `org` a member of `sector` (its subtree's figures count in the system)."""
    _require_manager(actor, sector.department, org)
    joined_on = joined_on or timezone.localdate()
    _check_day(joined_on, "joined_on")
    # Lock the sector: two joins into one line cannot both pass the check below.
    Sector.objects.select_for_update().filter(pk=sector.pk).first()
    clash = (
        SectorMember.objects.current()
        .filter(_line(org), sector=sector)
        .select_related("org")
        .first()
    )
    if clash is not None:
        if clash.org_id == org.pk:
            message = _("%(org)s is already a member of %(sector)s.")
        else:
            message = _(
                "%(org)s lies in one line with %(member)s, already a member of %(sector)s: "
                "its records would be counted twice."
            )
        raise ValidationError(
            {"org": message % {"org": org.name, "member": clash.org.name, "sector": sector.name}}
        )
    member = SectorMember(sector=sector, org=org, joined_on=joined_on)
    member.full_clean()
    member.save()
    _count(member, 1)
    record(actor, Action.CREATE, member, after=member.snapshot(), scope_path=org.path)
    return member


@transaction.atomic
def leave(actor: Actor, member: SectorMember, left_on=None) -> SectorMember:
    """End a membership; the row stays as its history."""
    _require_manager(actor, member.sector.department, member.org)
    if member.left_on is not None:
        raise ValidationError(_("This membership has already ended."))
    left_on = left_on or timezone.localdate()
    _check_day(left_on, "left_on")
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("An organisation leaves a system after joining it.")})
    before = member.snapshot()
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    _count(member, -1)
    record(
        actor, Action.UPDATE, member, before=before, after=member.snapshot(),
        scope_path=member.org.path,
    )  # fmt: skip
    return member


def _count(member, sign):
    mirror.copy_member(counts.SECTOR_COUNTS, member.sector_id, member.org_id, sign)
    sector_membership_changed.send(
        sender=SectorMember, sector_id=member.sector_id, org_id=member.org_id, sign=sign
    )


def check_move(org: Org, new_parent: Org):
    """Refuse a move that would put two members of one system in one line (the records
    between them would count twice)."""
    above = [*new_parent.ancestor_paths(), new_parent.path]
    members = SectorMember.objects.current()
    inside = members.filter(in_subtree(org, "org__path"))
    clash = (
        members.filter(org__path__in=above, sector_id__in=inside.values("sector_id"))
        .select_related("org", "sector")
        .first()
    )
    if clash is not None:
        below = inside.filter(sector=clash.sector).select_related("org").first()
        raise ValidationError(
            _(
                "%(org)s cannot move under %(parent)s: %(below)s and %(above)s are both "
                "members of %(sector)s, and one would lie under the other."
            )
            % {
                "org": org.name,
                "parent": new_parent.name,
                "below": below.org.name,
                "above": clash.org.name,
                "sector": clash.sector.name,
            }
        )
