"""The study records' services: each write checks the writer, keeps the history and moves
the roll-up totals the statistics engine counts these records into."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record, record_many
from taizhang.campaigns.sources import counted
from taizhang.ledger import totals
from taizhang.orgs.access import require_writer
from taizhang.orgs.scope import Scope
from taizhang.study.models import ReadingClass, ReadingRecord, RoleModel


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
def hold_reading_class(
    actor: Actor, *, campaign, org, number, name, starts_on, ends_on, topics, trainees=()
) -> ReadingClass:
    """Record a reading class (one session, 期) with its topics and trainees (people in the
    actor's scope); the organiser must be an org the campaign's reading classes are for."""
    require_writer(actor.user, org)
    scope = Scope.of(actor.user)
    kind = campaign.kinds.filter(source="reading_sessions").first()
    if kind is not None and not kind.allows_org(org):
        raise ValidationError(
            {"org": _("%(org)s does not hold “%(kind)s”") % {"org": org.name, "kind": kind.name}}
        )
    topics = [t.strip() for t in topics if t and t.strip()]
    if not topics:  # the dates are checked by the model (ReadingClass.clean)
        raise ValidationError({"topics": _("Give at least one topic.")})
    reading_class = ReadingClass(
        campaign=campaign,
        org=org,
        number=number,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        topics=topics,
    )
    reading_class.full_clean()
    reading_class.save()
    trainees = _trainees_in_scope(scope, trainees)
    reading_class.trainees.set(trainees)
    record(
        actor,
        Action.CREATE,
        reading_class,
        after=reading_class.snapshot(trainees),
        scope_path=org.path,
    )
    totals.recount([], counted(reading_class))
    return reading_class


def _trainees_in_scope(scope, people):
    people = list(people)
    if any(not scope.has_org(p.org) for p in people):
        raise PermissionDenied
    return people


@transaction.atomic
def set_trainees(actor: Actor, reading_class: ReadingClass, trainees) -> ReadingClass:
    """Replace the class's trainees in the actor's scope by `trainees` (all in it);
    trainees from outside the actor's scope, whom they cannot see, stay."""
    require_writer(actor.user, reading_class.org)
    scope = Scope.of(actor.user)
    kept = [p for p in reading_class.trainees.select_related("org") if not scope.has_person(p)]
    trainees = _trainees_in_scope(scope, trainees) + kept
    before, counted_before = reading_class.snapshot(), counted(reading_class)
    reading_class.trainees.set(trainees)
    record(
        actor,
        Action.UPDATE,
        reading_class,
        before=before,
        after=reading_class.snapshot(trainees),
        scope_path=reading_class.org.path,
    )
    totals.recount(counted_before, counted(reading_class))
    return reading_class


@transaction.atomic
def remove_role_model(actor: Actor, model: RoleModel):
    require_writer(actor.user, model.org)
    record(actor, Action.DELETE, model, before=model.snapshot(), scope_path=model.org.path)
    totals.recount(counted(model), [])
    model.delete()


@transaction.atomic
def cancel_reading_class(actor: Actor, reading_class: ReadingClass):
    require_writer(actor.user, reading_class.org)
    record(
        actor,
        Action.DELETE,
        reading_class,
        before=reading_class.snapshot(),
        scope_path=reading_class.org.path,
    )
    totals.recount(counted(reading_class), [])
    reading_class.delete()
