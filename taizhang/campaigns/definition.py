"""Loading a campaign definition from YAML.

The whole file is checked before anything is written; every problem is reported with the
file, the line and the key (`buwangchuxin-2019.yaml:42: kinds[3].fields.housholds: unknown
field`). A reload updates the campaign in place: records keep pointing at their kinds and
batches, and a kind or batch that still has records cannot be removed."""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import models, transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.campaigns.models import (
    ACTIVITY_FIELDS,
    NUMBER_FIELDS,
    ActivityKind,
    Aggregate,
    Batch,
    Campaign,
    Metric,
    Reading,
    ReadingCategory,
    Target,
)
from taizhang.campaigns.sources import SOURCES
from taizhang.orgs.models import OrgKind

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_DEFINITION = DEFINITIONS_DIR / "buwangchuxin-2019.yaml"
ORG_KINDS = {k.value for k in OrgKind}
FIELD_RULES = ("required", "optional")
SCOPES = ("subtree", "self")


class DefinitionError(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


class _Mapping(dict):
    """A YAML mapping that remembers the line of each key."""

    line = 0

    def __init__(self):
        super().__init__()
        self.lines = {}


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicates.append((line, key))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        # Not a real date (2020-13-31): keep the text; the date check reports it by line.
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class _Checker:
    """Reads values out of the parsed file, collecting an error for each bad one."""

    def __init__(self, filename):
        self.filename = filename
        self.errors = []

    def fail(self, line, path, problem):
        self.errors.append(f"{self.filename}:{line}: {path}: {problem}")

    def get(self, mapping, key, path, kind, *, required=True, default=None):
        line = mapping.lines.get(key, mapping.line)
        where = f"{path}.{key}" if path else key
        if key not in mapping or mapping[key] is None:
            if required:
                self.fail(line, where, _("required key is missing"))
            return default
        value = mapping[key]
        try:
            return kind(value)
        except ValueError as exc:
            shown = value if isinstance(value, (str, int, float, datetime.date)) else "…"
            self.fail(line, where, f"{exc} ({shown!r})")
            return default

    def unknown_keys(self, mapping, allowed, path):
        for key in mapping:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.fail(
                    mapping.lines[key],
                    where,
                    _("unknown key; expected one of: %(keys)s") % {"keys": ", ".join(allowed)},
                )

    def items(self, mapping, key, path, *, required=True):
        """The mappings listed under `key`, each with its index path."""
        value = self.get(mapping, key, path, _list_of_mappings, required=required, default=[])
        return [(f"{key}[{i}]", item) for i, item in enumerate(value)]


# Value kinds: each returns the value or raises ValueError with the problem in words.


def _text(value):
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise ValueError(_("expected text"))
    return str(value).strip()


def _code(value):
    text = _text(value)
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        raise ValueError(_("a code may hold only letters, digits, - and _"))
    return text


def _short(value):
    text = _text(value)
    if len(text) > 10:
        raise ValueError(_("at most 10 characters"))
    return text


def _date(value):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValueError(_("expected a date written YYYY-MM-DD"))
    return value


def _bool(value):
    if not isinstance(value, bool):
        raise ValueError(_("expected true or false"))
    return value


def _positive_int(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(_("expected a whole number of 1 or more"))
    return value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(_("expected a number"))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("expected a number")) from None


def _org_kinds(value):
    if not isinstance(value, list) or not value:
        raise ValueError(_("expected a list of organisation kinds"))
    unknown = [str(v) for v in value if v not in ORG_KINDS]
    if unknown:
        raise ValueError(
            _("unknown organisation kind %(kinds)s; known: %(known)s")
            % {"kinds": ", ".join(unknown), "known": ", ".join(sorted(ORG_KINDS))}
        )
    return list(value)


def _levels(value):
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value
    ):
        raise ValueError(_("expected a list of levels (1 = the top of the tree)"))
    return list(value)


def _texts(value):
    if not isinstance(value, list):
        raise ValueError(_("expected a list of texts"))
    return [_text(v) for v in value]


def _list_of_mappings(value):
    if not isinstance(value, list) or not all(isinstance(v, _Mapping) for v in value):
        raise ValueError(_("expected a list of entries, each with keys"))
    return value


def _mapping(value):
    if not isinstance(value, _Mapping):
        raise ValueError(_("expected keys and values"))
    return value


def _choice(choices):
    def read(value):
        if value not in choices:
            raise ValueError(_("expected one of: %(choices)s") % {"choices": ", ".join(choices)})
        return value

    return read


# Parsing


def parse(text: str, filename: str = "<definition>") -> dict:
    """Check a definition; return plain data for `apply`, or raise DefinitionError."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([f"{filename}:{line}: {_('not valid YAML')}: {problem}"]) from None
    finally:
        loader.dispose()
    check = _Checker(filename)
    for line, key in loader.duplicates:
        check.fail(line, str(key), _("key given twice"))
    if not isinstance(document, _Mapping):
        raise DefinitionError([f"{filename}:1: {_('the file must be a mapping of sections')}"])
    check.unknown_keys(
        document, ["campaign", "batches", "kinds", "metrics", "targets", "reading"], ""
    )
    data = {"campaign": _parse_campaign(check, document)}
    data["batches"] = _parse_batches(check, document, data["campaign"])
    data["kinds"] = _parse_kinds(check, document)
    data["metrics"] = _parse_metrics(check, document, data["kinds"])
    data["targets"] = _parse_targets(check, document, data["metrics"], data["campaign"])
    data["reading"] = _parse_reading(check, document)
    if check.errors:
        raise DefinitionError(check.errors)
    return data


def _parse_campaign(check, document):
    campaign = check.get(document, "campaign", "", _mapping, default=_Mapping())
    allowed = ["code", "name", "short_name", "starts_on", "ends_on", "focus_areas"]
    check.unknown_keys(campaign, allowed, "campaign")
    data = {
        "code": check.get(campaign, "code", "campaign", _code),
        "name": check.get(campaign, "name", "campaign", _text),
        "short_name": check.get(campaign, "short_name", "campaign", _text, required=False),
        "starts_on": check.get(campaign, "starts_on", "campaign", _date),
        "ends_on": check.get(campaign, "ends_on", "campaign", _date),
        "focus_areas": check.get(campaign, "focus_areas", "campaign", _texts, required=False) or [],
    }
    if data["starts_on"] and data["ends_on"] and data["ends_on"] < data["starts_on"]:
        check.fail(campaign.lines["ends_on"], "campaign.ends_on", _("ends before it starts"))
    return data


def _within(check, item, path, key, day, campaign):
    start, end = campaign["starts_on"], campaign["ends_on"]
    if day and start and end and not start <= day <= end:
        check.fail(
            item.lines[key],
            f"{path}.{key}",
            _("%(day)s is outside the campaign (%(start)s to %(end)s)")
            % {"day": day, "start": start, "end": end},
        )


def _parse_batches(check, document, campaign):
    batches, numbers = [], set()
    allowed = ["number", "name", "starts_on", "ends_on", "org_kinds", "levels"]
    for path, item in check.items(document, "batches", ""):
        check.unknown_keys(item, allowed, path)
        batch = {
            "number": check.get(item, "number", path, _positive_int),
            "name": check.get(item, "name", path, _text),
            "starts_on": check.get(item, "starts_on", path, _date),
            "ends_on": check.get(item, "ends_on", path, _date),
            "org_kinds": check.get(item, "org_kinds", path, _org_kinds, required=False) or [],
            "levels": check.get(item, "levels", path, _levels, required=False) or [],
        }
        if batch["number"] in numbers:
            check.fail(item.lines["number"], f"{path}.number", _("number given twice"))
        numbers.add(batch["number"])
        if not batch["org_kinds"] and not batch["levels"]:
            check.fail(item.line, path, _("say which orgs take part: org_kinds or levels"))
        for key in ("starts_on", "ends_on"):
            _within(check, item, path, key, batch[key], campaign)
        if batch["starts_on"] and batch["ends_on"] and batch["ends_on"] < batch["starts_on"]:
            check.fail(item.lines["ends_on"], f"{path}.ends_on", _("ends before it starts"))
        batches.append(batch)
    return batches


def _parse_fields(check, item, path):
    """The kind's recorded fields, each checked on its own line."""
    mapping = check.get(item, "fields", path, _mapping, default=None)
    if mapping is None:
        return None
    fields, ok = {}, True
    for key, rule in mapping.items():
        line, where = mapping.lines[key], f"{path}.fields.{key}"
        if key not in ACTIVITY_FIELDS:
            check.fail(
                line,
                where,
                _("unknown field; known: %(known)s") % {"known": ", ".join(ACTIVITY_FIELDS)},
            )
            ok = False
        elif rule not in FIELD_RULES:
            check.fail(line, where, _("must be required or optional"))
            ok = False
        else:
            fields[key] = rule
    fields.setdefault("count", "optional")
    return fields if ok else None


def _parse_kinds(check, document):
    kinds, codes = [], set()
    allowed = [
        "code",
        "name_zh",
        "name_en",
        "unit",
        "required",
        "fields",
        "org_kinds",
        "description",
        "source",
    ]
    for position, (path, item) in enumerate(check.items(document, "kinds", "")):
        check.unknown_keys(item, allowed, path)
        kind = {
            "code": check.get(item, "code", path, _code),
            "name_zh": check.get(item, "name_zh", path, _text),
            "name_en": check.get(item, "name_en", path, _text),
            "unit": check.get(item, "unit", path, _short),
            "required": check.get(item, "required", path, _bool, required=False, default=False),
            "fields": _parse_fields(check, item, path),
            "org_kinds": check.get(item, "org_kinds", path, _org_kinds, required=False) or [],
            "description": check.get(item, "description", path, _text, required=False) or "",
            "source": check.get(item, "source", path, _choice(SOURCES), required=False) or "",
            "position": position,
        }
        if kind["code"] in codes:
            check.fail(item.lines["code"], f"{path}.code", _("code given twice"))
        codes.add(kind["code"])
        kinds.append(kind)
    return kinds


def _parse_metrics(check, document, kinds):
    by_code = {k["code"]: k for k in kinds}
    metrics, codes = [], set()
    allowed = [
        "code",
        "name_zh",
        "name_en",
        "kind",
        "aggregate",
        "field",
        "unit",
        "org_kinds",
        "min_records",
        "scope",
        "phrases",
    ]
    for position, (path, item) in enumerate(check.items(document, "metrics", "", required=False)):
        check.unknown_keys(item, allowed, path)
        metric = {
            "code": check.get(item, "code", path, _code),
            "name_zh": check.get(item, "name_zh", path, _text),
            "name_en": check.get(item, "name_en", path, _text),
            "kind": check.get(item, "kind", path, _choice(list(by_code))),
            "aggregate": check.get(item, "aggregate", path, _choice(Aggregate.values)),
            "field": check.get(item, "field", path, _code, required=False) or "",
            "unit": check.get(item, "unit", path, _short),
            "org_kinds": check.get(item, "org_kinds", path, _org_kinds, required=False) or [],
            "min_records": check.get(
                item, "min_records", path, _positive_int, required=False, default=1
            ),
            "scope": check.get(item, "scope", path, _choice(SCOPES), required=False) or "subtree",
            "phrases": check.get(item, "phrases", path, _texts, required=False) or [],
            "position": position,
        }
        if metric["code"] in codes:
            check.fail(item.lines["code"], f"{path}.code", _("code given twice"))
        codes.add(metric["code"])
        aggregate, field = metric["aggregate"], metric["field"]
        if aggregate in (Aggregate.SUM, Aggregate.AVERAGE_PER_ORG):
            kind = by_code.get(metric["kind"])
            if not field:
                check.fail(item.line, f"{path}.field", _("this aggregate needs a field"))
            elif field not in NUMBER_FIELDS or (
                kind and kind["fields"] is not None and field not in kind["fields"]
            ):
                check.fail(
                    item.lines["field"],
                    f"{path}.field",
                    _("%(field)s is not a number field recorded by kind %(kind)s")
                    % {"field": field, "kind": metric["kind"]},
                )
        if aggregate in (Aggregate.COVERAGE, Aggregate.AVERAGE_PER_ORG) and not metric["org_kinds"]:
            check.fail(item.line, f"{path}.org_kinds", _("say which organisation kinds to count"))
        metrics.append(metric)
    return metrics


def _parse_targets(check, document, metrics, campaign):
    codes = [m["code"] for m in metrics]
    targets = []
    allowed = ["metric", "org_kinds", "threshold", "deadline"]
    for path, item in check.items(document, "targets", "", required=False):
        check.unknown_keys(item, allowed, path)
        target = {
            "metric": check.get(item, "metric", path, _choice(codes)),
            "org_kinds": check.get(item, "org_kinds", path, _org_kinds),
            "threshold": check.get(item, "threshold", path, _number),
            "deadline": check.get(item, "deadline", path, _date),
        }
        _within(check, item, path, "deadline", target["deadline"], campaign)
        targets.append(target)
    return targets


def _parse_reading(check, document):
    readings, codes = [], set()
    for position, (path, item) in enumerate(check.items(document, "reading", "", required=False)):
        check.unknown_keys(item, ["code", "title", "category"], path)
        reading = {
            "code": check.get(item, "code", path, _code),
            "title": check.get(item, "title", path, _text),
            "category": check.get(item, "category", path, _choice(ReadingCategory.values)),
            "position": position,
        }
        if reading["code"] in codes:
            check.fail(item.lines["code"], f"{path}.code", _("code given twice"))
        codes.add(reading["code"])
        readings.append(reading)
    return readings


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


@transaction.atomic
def apply(actor: Actor, data: dict, source: str = "") -> tuple[Campaign, bool]:
    """Write a parsed definition; return the campaign and whether it was new."""
    fields = dict(data["campaign"], short_name=data["campaign"]["short_name"] or "")
    code = fields.pop("code")
    campaign = Campaign.objects.filter(code=code).first()
    created = campaign is None
    before = None if created else _summary(campaign)
    campaign = _upsert(Campaign, {"code": code}, dict(fields, source=source, active=True))
    problems = []

    batches = {}
    for batch in data["batches"]:
        values = {k: v for k, v in batch.items() if k != "number"}
        batches[batch["number"]] = _upsert(
            Batch, {"campaign": campaign, "number": batch["number"]}, values
        )
    for batch in campaign.batches.exclude(number__in=batches):
        if n := _records_of(batch):
            problems.append(
                _("Batch %(number)s (%(name)s) has %(n)s records; it cannot be removed.")
                % {"number": batch.number, "name": batch.name, "n": n}
            )
        else:
            batch.delete()

    kinds = {}
    for kind in data["kinds"]:
        values = {k: v for k, v in kind.items() if k != "code"}
        kept = campaign.kinds.filter(code=kind["code"]).first()
        if kept and kept.source != kind["source"] and (n := _records_of(kept)):
            problems.append(
                _(
                    "Kind %(code)s (%(name)s) has %(n)s records; it cannot change where it "
                    "is counted from."
                )
                % {"code": kind["code"], "name": kind["name_zh"], "n": n}
            )
        kinds[kind["code"]] = _upsert(
            ActivityKind, {"campaign": campaign, "code": kind["code"]}, values
        )
    metric_codes = []
    for metric in data["metrics"]:
        values = {k: v for k, v in metric.items() if k != "code"}
        values["kind"] = kinds[metric["kind"]]
        _upsert(Metric, {"campaign": campaign, "code": metric["code"]}, values)
        metric_codes.append(metric["code"])
    campaign.metrics.exclude(code__in=metric_codes).delete()
    Target.objects.filter(metric__campaign=campaign).delete()
    metrics = {m.code: m for m in campaign.metrics.all()}
    Target.objects.bulk_create(
        Target(
            metric=metrics[t["metric"]],
            org_kinds=t["org_kinds"],
            threshold=t["threshold"],
            deadline=t["deadline"],
        )
        for t in data["targets"]
    )
    for kind in campaign.kinds.exclude(code__in=kinds):
        if n := _records_of(kind):
            problems.append(
                _(
                    "Kind %(code)s (%(name)s) has %(n)s records; it cannot be removed from "
                    "the definition. Keep it, or delete its records first."
                )
                % {"code": kind.code, "name": kind.name_zh, "n": n}
            )
        else:
            kind.delete()
    readings = []
    for reading in data["reading"]:
        values = {k: v for k, v in reading.items() if k != "code"}
        _upsert(Reading, {"campaign": campaign, "code": reading["code"]}, values)
        readings.append(reading["code"])
    for reading in campaign.readings.exclude(code__in=readings):
        if n := _records_of(reading):
            problems.append(
                _("Reading %(title)s has %(n)s reading records; it cannot be removed.")
                % {"title": reading.title, "n": n}
            )
        else:
            reading.delete()
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
    return {
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
            for m in campaign.metrics.select_related("kind")
        },
        "targets": [
            [t.metric.code, t.org_kinds, str(t.threshold), str(t.deadline)]
            for t in Target.objects.filter(metric__campaign=campaign).select_related("metric")
        ],
        "reading": [r.title for r in campaign.readings.all()],
    }


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
