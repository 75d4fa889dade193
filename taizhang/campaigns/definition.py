"""Loading a campaign definition: `schema.parse` checks the whole file (every problem named
by file, line and key) and `apply` writes it. A reload updates the campaign in place:
records keep pointing at their kinds and batches, targets keep their ids by their codes,
and a kind or batch that still has records cannot be removed."""

from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.campaigns import sections
from taizhang.campaigns.models import ActivityKind, Batch, Campaign, Metric, Target
from taizhang.campaigns.schema import Definition, DefinitionError, parse

__all__ = ["DEFAULT_DEFINITION", "Definition", "DefinitionError", "apply", "load", "parse"]

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_DEFINITION = DEFINITIONS_DIR / "buwangchuxin-2019.yaml"


# Writing


def _records_of(obj) -> int:
    """How many records protect `obj` from deletion (activities and the like point at kinds
    and batches with PROTECT); counted without importing the apps that hold them."""
    total = 0
    for relation in obj._meta.related_objects:
        if relation.on_delete is models.PROTECT and not relation.many_to_many:
            manager = relation.related_model._base_manager
            total += manager.filter(**{relation.field.name: obj}).count()
    return total


def _upsert(model, lookup, values):
    return model.objects.update_or_create(**lookup, defaults=values)[0]


def _entries(entries, *, key):
    """(key value, field values with the entry's position) of each entry in file order."""
    for position, entry in enumerate(entries):
        values = entry.model_dump(exclude={key})
        yield getattr(entry, key), dict(values, position=position)


def _removal_problems(queryset, describe) -> list[str]:
    """Delete the entries no longer defined; those with records stay, as problems."""
    problems = []
    for obj in queryset:
        if n := _records_of(obj):
            problems.append(describe(obj, n))
        else:
            obj.delete()
    return problems


@transaction.atomic
def apply(actor: Actor, definition: Definition, source: str = "") -> tuple[Campaign, bool]:
    """Write a parsed definition; return the campaign and whether it was new."""
    fields = definition.campaign.model_dump()
    code = fields.pop("code")
    campaign = Campaign.objects.filter(code=code).first()
    created = campaign is None
    before = None if created else _summary(campaign)
    campaign = _upsert(Campaign, {"code": code}, dict(fields, source=source, active=True))
    problems = []

    numbers = []
    for number, values in _entries(definition.batches, key="number"):
        values.pop("position")
        _upsert(Batch, {"campaign": campaign, "number": number}, values)
        numbers.append(number)
    problems += _removal_problems(
        campaign.batches.exclude(number__in=numbers),
        lambda batch, n: (
            _("Batch %(number)s (%(name)s) has %(n)s records; it cannot be removed.")
            % {"number": batch.number, "name": batch.name, "n": n}
        ),
    )

    kinds = {}
    for code, values in _entries(definition.kinds, key="code"):
        kept = campaign.kinds.filter(code=code).first()
        if kept and kept.source != values["source"] and (n := _records_of(kept)):
            problems.append(
                _(
                    "Kind %(code)s (%(name)s) has %(n)s records; it cannot change where it "
                    "is counted from."
                )
                % {"code": code, "name": values["name_zh"], "n": n}
            )
        kinds[code] = _upsert(ActivityKind, {"campaign": campaign, "code": code}, values)
    metrics = {}
    for code, values in _entries(definition.metrics, key="code"):
        values["kind"] = kinds[values["kind"]]
        values["among"] = kinds[values["among"]] if values["among"] else None
        metrics[code] = _upsert(Metric, {"campaign": campaign, "code": code}, values)
    campaign.metrics.exclude(code__in=metrics).delete()
    for code, values in _entries(definition.targets, key="code"):
        values.pop("position")
        values["metric"] = metrics[values["metric"]]
        _upsert(Target, {"campaign": campaign, "code": code}, values)
    campaign.targets.exclude(code__in=[t.code for t in definition.targets]).delete()
    problems += _removal_problems(
        campaign.kinds.exclude(code__in=kinds),
        lambda kind, n: (
            _(
                "Kind %(code)s (%(name)s) has %(n)s records; it cannot be removed from "
                "the definition. Keep it, or delete its records first."
            )
            % {"code": kind.code, "name": kind.name_zh, "n": n}
        ),
    )
    for section in sections.SECTIONS.values():
        problems += section.apply(campaign, getattr(definition, section.key))
    if problems:
        transaction.set_rollback(True)
        raise DefinitionError([f"{source or code}: {p}" for p in problems])
    after = _summary(campaign)
    if after != before:
        record(
            actor,
            Action.CREATE if created else Action.UPDATE,
            campaign,
            before=before,
            after=after,
            note=source,
        )
    return campaign, created


def _summary(campaign):
    summary = {
        "name": campaign.name,
        "starts_on": str(campaign.starts_on),
        "ends_on": str(campaign.ends_on),
        "focus_areas": campaign.focus_areas,
        "batches": [
            [b.number, b.name, str(b.starts_on), str(b.ends_on), b.org_kinds, b.levels]
            for b in campaign.batches.all()
        ],
        "kinds": {
            k.code: [k.name_zh, k.unit, k.required, k.fields, k.org_kinds, k.source]
            for k in campaign.kinds.all()
        },
        "metrics": {
            m.code: [m.name_zh, m.kind.code, m.aggregate, m.field, m.unit, m.org_kinds]
            + ([m.min_records, m.among.code] if m.among_id else [])
            for m in campaign.metrics.select_related("kind", "among")
        },
        "targets": {
            t.code: [t.metric.code, t.org_kinds, str(t.threshold), str(t.deadline)]
            for t in campaign.targets.select_related("metric")
        },
    }
    for section in sections.SECTIONS.values():
        summary[section.key] = section.summary(campaign)
    return summary


def load(actor: Actor, path) -> tuple[Campaign, bool]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{path}: {exc}"]) from None
    return apply(actor, parse(text, path.name), source=path.name)


def ensure_default(actor: Actor) -> Campaign:
    """The shipped campaign, loaded if it is not there yet."""
    campaign = Campaign.objects.filter(code="buwangchuxin-2019").first()
    return campaign or load(actor, DEFAULT_DEFINITION)[0]
