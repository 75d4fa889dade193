"""Every write to the ledger goes through these functions: each runs in one transaction,
checks the kind's rules and the actor's scope, and writes the change history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from taizhang.audit.services import Action, Actor, record, record_many
from taizhang.ledger import rules
from taizhang.ledger.models import Activity, Source, Venue

EDITABLE = (
    "starts_on",
    "ends_on",
    "title",
    "note",
    "count",
    "participants",
    "person_times",
    "days",
    "households",
    "copies",
    "venue",
    "visited_org",
    "leader",
    "lecturer_role",
    "topic",
)


def _require_writer(actor: Actor):
    user = actor.user
    if user is not None and not user.can_record:
        raise PermissionDenied


def _checked(actor, kind, org, values):
    campaign = kind.campaign
    clean, errors = rules.check(
        kind,
        org,
        values,
        campaign=campaign,
        batches=list(campaign.batches.all()),
        scope=rules.Scope(actor.user),
    )
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_activity(actor: Actor, *, kind, org, source=Source.FORM, **values) -> Activity:
    _require_writer(actor)
    clean = _checked(actor, kind, org, values)
    activity = Activity.objects.create(
        **clean, source=source, recorded_by=actor.user if actor.user else None
    )
    record(actor, Action.CREATE, activity, after=activity.snapshot(), scope_path=org.path)
    return activity


@transaction.atomic
def update_activity(actor: Actor, activity: Activity, *, org=None, **values) -> Activity:
    """Change an activity; its kind stays (a different kind is a different record)."""
    _require_writer(actor)
    scope = rules.Scope(actor.user)
    if not scope.has_org(activity.org):
        raise PermissionDenied
    before = activity.snapshot()
    current = {name: getattr(activity, name) for name in EDITABLE}
    current.update(values)
    clean = _checked(actor, activity.kind, org or activity.org, current)
    for name, value in clean.items():
        setattr(activity, name, value)
    activity.save()
    after = activity.snapshot()
    if after != before:
        action = Action.MOVE if before["org"] != after["org"] else Action.UPDATE
        record(actor, action, activity, before=before, after=after, scope_path=activity.org.path)
    return activity


@transaction.atomic
def delete_activity(actor: Actor, activity: Activity):
    _require_writer(actor)
    if not rules.Scope(actor.user).has_org(activity.org):
        raise PermissionDenied
    before = activity.snapshot()
    path = activity.org.path
    record(actor, Action.DELETE, activity, before=before, scope_path=path)
    activity.delete()


def add_checked(actor: Actor, activities: list[Activity], *, batch_size=5000):
    """Write activities already checked by `rules.check` (an import or the demo), with one
    history entry each. The caller holds the transaction."""
    for start in range(0, len(activities), batch_size):
        chunk = Activity.objects.bulk_create(activities[start : start + batch_size])
        record_many(actor, [(Action.CREATE, a, None, a.snapshot(), a.org.path) for a in chunk])


# Venues


@transaction.atomic
def create_venue(actor: Actor, **fields) -> Venue:
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    if not rules.Scope(user).has_org(fields["owner"]):
        raise PermissionDenied
    venue = Venue(**fields)
    venue.full_clean()
    venue.save()
    record(actor, Action.CREATE, venue, after=venue.snapshot(), scope_path=venue.owner.path)
    return venue


@transaction.atomic
def update_venue(actor: Actor, venue: Venue, **fields) -> Venue:
    user = actor.user
    scope = rules.Scope(user)
    if user is not None and not user.can_manage:
        raise PermissionDenied
    if not scope.has_org(venue.owner) or not scope.has_org(fields.get("owner", venue.owner)):
        raise PermissionDenied
    before = venue.snapshot()
    for name, value in fields.items():
        setattr(venue, name, value)
    venue.full_clean()
    venue.save()
    after = venue.snapshot()
    if after != before:
        record(actor, Action.UPDATE, venue, before=before, after=after, scope_path=venue.owner.path)
    return venue


def bulk_create_venues(actor: Actor, venues: list[Venue]):
    """The demo generator's venues, with history."""
    with transaction.atomic():
        created = Venue.objects.bulk_create(venues, batch_size=2000)
        record_many(actor, [(Action.CREATE, v, None, v.snapshot(), v.owner.path) for v in created])
