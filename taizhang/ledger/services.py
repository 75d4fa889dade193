"""Every write to the ledger goes through these functions: each runs in one transaction,
checks the kind's rules and the actor's scope, and writes the change history."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from taizhang import bulk
from taizhang.audit.services import Action, Actor, record, record_many, record_rows
from taizhang.ledger import rules, totals
from taizhang.ledger.models import (
    EDITABLE_FIELDS,
    REFERENCE_FIELDS,
    Activity,
    ActivityImport,
    Source,
    Venue,
    values_snapshot,
)
from taizhang.ledger.totals import venues as venue_counts
from taizhang.orgs.access import require_writer
from taizhang.orgs.scope import Scope


def _checked(actor, kind, org, values):
    campaign = kind.campaign
    clean, errors = rules.check(
        kind,
        org,
        values,
        campaign=campaign,
        batches=list(campaign.batches.all()),
        scope=Scope.of(actor.user),
    )
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_activity(actor: Actor, *, kind, org, source=Source.FORM, **values) -> Activity:
    require_writer(actor.user)
    clean = _checked(actor, kind, org, values)
    activity = Activity.objects.create(
        **clean, source=source, recorded_by=actor.user if actor.user else None
    )
    totals.add_activity(activity)
    record(actor, Action.CREATE, activity, after=activity.snapshot(), scope_path=org.path)
    return activity


@transaction.atomic
def update_activity(actor: Actor, activity: Activity, *, org=None, **values) -> Activity:
    """Change an activity; its kind stays (a different kind is a different record)."""
    require_writer(actor.user, activity.org)
    before = activity.snapshot()
    counted = totals.counted(activity)
    current = {name: getattr(activity, name) for name in EDITABLE_FIELDS}
    current.update(values)
    clean = _checked(actor, activity.kind, org or activity.org, current)
    for name, value in clean.items():
        setattr(activity, name, value)
    activity.save()
    after = activity.snapshot()
    if after != before:
        totals.replace_activity(counted, activity)
        action = Action.MOVE if before["org"] != after["org"] else Action.UPDATE
        record(actor, action, activity, before=before, after=after, scope_path=activity.org.path)
    return activity


@transaction.atomic
def delete_activity(actor: Actor, activity: Activity):
    require_writer(actor.user, activity.org)
    before = activity.snapshot()
    path = activity.org.path
    record(actor, Action.DELETE, activity, before=before, scope_path=path)
    totals.add_activity(activity, sign=-1)
    activity.delete()


class ItemsRefused(Exception):
    """Some items of a batch were refused: `errors` is {item index: {field: message}}."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} items refused")
        self.errors = errors


def create_activities(actor: Actor, items, *, source=Source.API) -> list[int]:
    """Record many activities at once, all or nothing: `items` are (kind, org, values), each
    checked as `create_activity` checks one, all before anything is written. Any item
    refused raises ItemsRefused naming every refused item, and nothing is written.
    Returns the new records' ids, in the items' order."""
    require_writer(actor.user)
    scope, batches, cleaned, errors = Scope.of(actor.user), {}, [], {}
    for index, (kind, org, values) in enumerate(items):
        campaign = kind.campaign
        if campaign.pk not in batches:
            batches[campaign.pk] = list(campaign.batches.all())
        clean, problems = rules.check(
            kind, org, values, campaign=campaign, batches=batches[campaign.pk], scope=scope
        )
        if problems:
            errors[index] = problems
        cleaned.append(clean)
    if errors:
        raise ItemsRefused(errors)
    with transaction.atomic():
        return add_checked(actor, cleaned, source=source)


@contextmanager
def importing(actor: Actor, kind, *, digest, filename, scope):
    """The writes of an imported file, as its rows are checked: `add(clean)` takes each
    row that passed `rules.check` (with its `source_row`). On PostgreSQL the records go
    down to the database while the next rows are checked (in the transaction that ends
    with the block); on SQLite, which has one writer at a time, they are written when the
    block ends. Then the totals and the file's history entry are written, all in one
    transaction, and nothing is if the block raises (a bad row found later, a cancel).
    The history holds one entry for the file — who, when, which file, how many rows — and
    every record keeps its file and row, so each one's creation stays traceable without a
    history row per record (which was a quarter of a large import's time). Later edits
    and deletions are kept one by one."""
    require_writer(actor.user)
    fields = {
        "digest": digest,
        "kind": kind,
        "filename": filename[:200],
        "imported_by": actor.user,
        "imported_by_name": actor.label[:150],
        "scope": scope,
    }
    writer = _ImportWriter(actor)
    if connection.vendor != "postgresql":
        yield writer
        with transaction.atomic():
            writer.imported = ActivityImport.objects.create(rows=len(writer.records), **fields)
            rows = [
                _row(values, Source.IMPORT, writer.imported.pk, writer.user_id)
                for values in writer.records
            ]
            bulk.insert(Activity, COLUMNS, rows)
            _imported(actor, writer, scope)
        return
    with transaction.atomic():
        writer.imported = ActivityImport.objects.create(rows=0, **fields)
        with bulk.stream(Activity, COLUMNS) as writer.stream:
            yield writer
        writer.imported.rows = len(writer.records)
        writer.imported.save(update_fields=["rows"])
        _imported(actor, writer, scope)


def _imported(actor, writer, scope):
    _tally(writer.records)
    imported = writer.imported
    record(actor, Action.CREATE, imported, after=imported.snapshot(), scope_path=scope.path)


class _ImportWriter:
    def __init__(self, actor):
        self.records, self.stream, self.imported = [], None, None
        self.user_id = actor.user.pk if actor.user is not None else None

    def add(self, values):
        self.records.append(values)
        if self.stream is not None:
            self.stream.write(_row(values, Source.IMPORT, self.imported.pk, self.user_id))


def _row(values, source, import_id, user_id):
    """An activity's columns (in the order of COLUMNS) from its cleaned values."""
    return (
        *[values[name] for name in ROW_FIELDS],
        *[None if values[name] is None else values[name].pk for name in REFERENCES],
        source,
        import_id,
        values.get("source_row"),
        user_id,
    )


def _tally(records):
    tally = totals.Tally()
    tally.load_ancestors({values["org"].path: values["org"] for values in records}.values())
    for values in records:
        tally.add(values["org"], values["kind"].pk, values["starts_on"], values)
    tally.write()


def add_checked(
    actor: Actor, records: list[dict], *, source: str, source_import=None, history=True
):
    """Write activities already checked by `rules.check` (the API's bulk create or the
    demo): `records` are its cleaned values. One history entry each unless `history` is
    False. The caller holds the transaction (it refuses to run outside one: the totals
    must not be left half-written); returns the new ids."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("add_checked writes records and totals inside the caller's transaction")
    user_id = actor.user.pk if actor.user is not None else None
    import_id = source_import.pk if source_import else None
    rows = [_row(values, source, import_id, user_id) for values in records]
    ids = bulk.insert(Activity, COLUMNS, rows)
    _tally(records)
    if not history:
        return ids
    label = Activity._meta.label_lower
    record_rows(
        actor,
        (
            (
                Action.CREATE,
                label,
                pk,
                values["title"] or f"{values['org'].label} {values['kind'].name_zh}",
                None,
                values_snapshot(values),
                values["org"].path,
            )
            for pk, values in zip(ids, records, strict=True)
        ),
    )
    return ids


REFERENCES = ("org", "kind", "batch", *REFERENCE_FIELDS)
ROW_FIELDS = tuple(name for name in EDITABLE_FIELDS if name not in REFERENCE_FIELDS)
COLUMNS = [
    *ROW_FIELDS,
    *(f"{name}_id" for name in REFERENCES),
    "source",
    "source_import_id",
    "source_row",
    "recorded_by_id",
]


# Venues


@transaction.atomic
def create_venue(actor: Actor, **fields) -> Venue:
    user = actor.user
    if user is not None and not user.can_manage:
        raise PermissionDenied
    if not Scope.of(user).has_org(fields["owner"]):
        raise PermissionDenied
    venue = Venue(**fields)
    venue.full_clean()
    venue.save()
    venue_counts.change(None, venue_counts.counted(venue))
    record(actor, Action.CREATE, venue, after=venue.snapshot(), scope_path=venue.owner.path)
    return venue


@transaction.atomic
def update_venue(actor: Actor, venue: Venue, **fields) -> Venue:
    user = actor.user
    scope = Scope.of(user)
    if user is not None and not user.can_manage:
        raise PermissionDenied
    if not scope.has_org(venue.owner) or not scope.has_org(fields.get("owner", venue.owner)):
        raise PermissionDenied
    before, counted_before = venue.snapshot(), venue_counts.counted(venue)
    for name, value in fields.items():
        setattr(venue, name, value)
    venue.full_clean()
    venue.save()
    venue_counts.change(counted_before, venue_counts.counted(venue))
    after = venue.snapshot()
    if after != before:
        record(actor, Action.UPDATE, venue, before=before, after=after, scope_path=venue.owner.path)
    return venue


def bulk_create_venues(actor: Actor, venues: list[Venue]):
    """The demo generator's venues, with history."""
    with transaction.atomic():
        created = Venue.objects.bulk_create(venues, batch_size=2000)
        venue_counts.add_many(created)
        record_many(actor, [(Action.CREATE, v, None, v.snapshot(), v.owner.path) for v in created])
