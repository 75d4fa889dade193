"""Every write to the ledger goes through these functions: each runs in one transaction,
checks the kind's rules and the actor's scope, and writes the change history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang import bulk
from taizhang.audit.services import Action, Actor, record, record_many, record_rows
from taizhang.campaigns.sources import counted
from taizhang.ledger import rules, totals
from taizhang.ledger.models import (
    EDITABLE_FIELDS,
    REFERENCE_FIELDS,
    Activity,
    ActivityImport,
    ReadingRecord,
    ReadingSession,
    RoleModel,
    Source,
    Venue,
    values_snapshot,
)
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


@transaction.atomic
def import_checked(
    actor: Actor, kind, records: list[dict], *, digest, filename, scope
) -> ActivityImport:
    """Write the rows of an imported file, already checked by `rules.check` (each with its
    `source_row`). The history holds one entry for the file — who, when, which file, how
    many rows — and every record keeps its file and row, so each one's creation stays
    traceable without a history row per record (which was a quarter of a large import's
    time). Later edits and deletions of the records are kept one by one as usual."""
    require_writer(actor.user)
    imported = ActivityImport.objects.create(
        digest=digest,
        kind=kind,
        filename=filename[:200],
        rows=len(records),
        imported_by=actor.user,
        imported_by_name=actor.label[:150],
        scope=scope,
    )
    add_checked(actor, records, source=Source.IMPORT, source_import=imported, history=False)
    record(actor, Action.CREATE, imported, after=imported.snapshot(), scope_path=scope.path)
    return imported


def add_checked(
    actor: Actor, records: list[dict], *, source: str, source_import=None, history=True
):
    """Write activities already checked by `rules.check` (an import or the demo): `records`
    are its cleaned values. One history entry each unless `history` is False (an import,
    whose file has its own entry). The caller holds the transaction (it refuses to run
    outside one: the totals must not be left half-written); returns the new ids."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("add_checked writes records and totals inside the caller's transaction")
    user_id = actor.user.pk if actor.user is not None else None
    import_id = source_import.pk if source_import else None
    rows = [
        (
            *[values[name] for name in ROW_FIELDS],
            *[None if values[name] is None else values[name].pk for name in REFERENCES],
            source,
            import_id,
            values.get("source_row"),
            user_id,
        )
        for values in records
    ]
    ids = bulk.insert(Activity, COLUMNS, rows)
    tally = totals.Tally()
    tally.load_ancestors({values["org"].path: values["org"] for values in records}.values())
    for values in records:
        tally.add(values["org"], values["kind"].pk, values["starts_on"], values)
    tally.write()
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


# Study: required reading and role models


@transaction.atomic
def record_reading(actor: Actor, *, person, reading, finished_on, notes="") -> ReadingRecord:
    """A cadre has read a title of the required reading (once is enough: a second record of
    the same title is refused)."""
    require_writer(actor.user, person.org)
    entry = ReadingRecord(person=person, reading=reading, finished_on=finished_on, notes=notes)
    entry.full_clean()
    entry.save()
    record(actor, Action.CREATE, entry, after=entry.snapshot(), scope_path=person.org.path)
    return entry


@transaction.atomic
def record_readings(actor: Actor, entries: list[dict]) -> int:
    """Many reading records at once (the demo, an import): each entry holds `person`,
    `reading`, `finished_on` and `notes`, checked as `record_reading` checks one."""
    require_writer(actor.user)
    scope = Scope.of(actor.user)
    records = []
    for entry in entries:
        if not scope.has_org(entry["person"].org):
            raise PermissionDenied
        reading = ReadingRecord(**entry)
        reading.clean()  # the campaign's dates, as full_clean checks one record
        records.append(reading)
    pairs = [(r.person.pk, r.reading.pk) for r in records]
    people = {person for person, _reading in pairs}
    read = set(ReadingRecord.objects.filter(person__in=people).values_list("person", "reading"))
    if len(set(pairs)) < len(pairs) or read.intersection(pairs):
        raise ValidationError(_("A cadre's reading of a title is recorded once."))
    saved = ReadingRecord.objects.bulk_create(records, batch_size=2000)
    record_many(
        actor,
        [(Action.CREATE, r, None, r.snapshot(), r.person.org.path) for r in saved],
    )
    return len(saved)


@transaction.atomic
def present_role_model(actor: Actor, *, campaign, org, title, story, shared_on, **subject):
    """An org presents a role model: `person=` or `honoured_org=`, in the actor's scope."""
    person, honoured = subject.get("person"), subject.get("honoured_org")
    require_writer(actor.user, org, person.org if person else None, honoured)
    model = RoleModel(
        campaign=campaign,
        org=org,
        title=title,
        story=(story or "").strip(),
        shared_on=shared_on,
        person=person,
        honoured_org=honoured,
    )
    if (person is None) == (honoured is None):
        raise ValidationError(_("A role model is either a person or an organisation."))
    model.full_clean()
    model.save()
    record(actor, Action.CREATE, model, after=model.snapshot(), scope_path=org.path)
    totals.recount([], counted(model))
    return model


@transaction.atomic
def hold_reading_session(
    actor: Actor, *, campaign, org, number, name, starts_on, ends_on, topics, trainees=()
) -> ReadingSession:
    """Record a session (期) of a reading class with its topics and trainees (people in the
    actor's scope); the organiser must be an org the campaign's reading class is for."""
    require_writer(actor.user, org)
    scope = Scope.of(actor.user)
    kind = campaign.kinds.filter(source="reading_sessions").first()
    if kind is not None and not kind.allows_org(org):
        raise ValidationError(
            {"org": _("%(org)s does not hold “%(kind)s”") % {"org": org.name, "kind": kind.name}}
        )
    topics = [t.strip() for t in topics if t and t.strip()]
    if not topics:  # the dates are checked by the model (ReadingSession.clean)
        raise ValidationError({"topics": _("Give at least one topic.")})
    session = ReadingSession(
        campaign=campaign,
        org=org,
        number=number,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        topics=topics,
    )
    session.full_clean()
    session.save()
    trainees = _trainees_in_scope(scope, trainees)
    session.trainees.set(trainees)
    record(actor, Action.CREATE, session, after=session.snapshot(trainees), scope_path=org.path)
    totals.recount([], counted(session))
    return session


def _trainees_in_scope(scope, people):
    people = list(people)
    if any(not scope.has_org(p.org) for p in people):
        raise PermissionDenied
    return people


@transaction.atomic
def set_trainees(actor: Actor, session: ReadingSession, trainees) -> ReadingSession:
    """Replace the session's trainees in the actor's scope by `trainees` (all in it);
    trainees from outside the actor's scope, whom they cannot see, stay."""
    require_writer(actor.user, session.org)
    scope = Scope.of(actor.user)
    kept = [p for p in session.trainees.select_related("org") if not scope.has_person(p)]
    trainees = _trainees_in_scope(scope, trainees) + kept
    before, counted_before = session.snapshot(), counted(session)
    session.trainees.set(trainees)
    record(
        actor,
        Action.UPDATE,
        session,
        before=before,
        after=session.snapshot(trainees),
        scope_path=session.org.path,
    )
    totals.recount(counted_before, counted(session))
    return session


@transaction.atomic
def remove_role_model(actor: Actor, model: RoleModel):
    require_writer(actor.user, model.org)
    record(actor, Action.DELETE, model, before=model.snapshot(), scope_path=model.org.path)
    totals.recount(counted(model), [])
    model.delete()


@transaction.atomic
def cancel_reading_session(actor: Actor, session: ReadingSession):
    require_writer(actor.user, session.org)
    record(actor, Action.DELETE, session, before=session.snapshot(), scope_path=session.org.path)
    totals.recount(counted(session), [])
    session.delete()
