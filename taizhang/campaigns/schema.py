"""The campaign file's schema (pydantic) and its parsing.

`parse` reads the YAML keeping each key's line, checks the whole file against the schema and
returns a `Definition`, or raises `DefinitionError` with every problem named by file, line
and key (`buwangchuxin-2019.yaml:94: kinds[7].fields.housholds: …`). Nothing here writes;
`definition.apply` does."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from taizhang.campaigns.models import ACTIVITY_FIELDS, NUMBER_FIELDS, Aggregate, ReadingCategory
from taizhang.campaigns.sources import SOURCES
from taizhang.campaigns.yaml_lines import DefinitionError, Mapping, line, path, read
from taizhang.orgs.models import OrgKind

FIELD_RULES = ("required", "optional")
SCOPES = ("subtree", "self")


def problem(message, key=None, **values):
    """A schema error in our own words (the message is already translated); `key` names the
    entry's key it is about when a whole entry is checked."""
    return PydanticCustomError(
        "taizhang", message % values if values else message, {"key": key} if key else None
    )


# Value kinds


def clean_text(value):
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise problem(_("expected text"))
    return str(value).strip()


def _code(value):
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise problem(_("a code may hold only letters, digits, - and _"))
    return value


def _short(value):
    if len(value) > 10:
        raise problem(_("at most 10 characters"))
    return value


def _date(value):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise problem(_("expected a date written YYYY-MM-DD"))
    return value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise problem(_("expected a number"))
    return Decimal(str(value))


def _positive(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise problem(_("expected a whole number of 1 or more"))
    return value


def _choice(choices):
    def read(value):
        if value not in choices:
            raise problem(_("expected one of: %(choices)s"), choices=", ".join(choices))
        return value

    return read


ORG_KINDS = sorted(k.value for k in OrgKind)


def _org_kind(value):
    if value not in ORG_KINDS:
        raise problem(
            _("unknown organisation kind %(kinds)s; known: %(known)s"),
            kinds=value,
            known=", ".join(ORG_KINDS),
        )
    return value


Text = Annotated[str, BeforeValidator(clean_text)]
Code = Annotated[str, BeforeValidator(clean_text), AfterValidator(_code)]
Unit = Annotated[str, BeforeValidator(clean_text), AfterValidator(_short)]
Day = Annotated[datetime.date, BeforeValidator(_date)]
Positive = Annotated[int, BeforeValidator(_positive)]
Number = Annotated[Decimal, BeforeValidator(_number)]
OrgKindCode = Annotated[str, BeforeValidator(_org_kind)]
Level = Annotated[int, BeforeValidator(_positive)]


def _in_campaign(day: datetime.date, info: ValidationInfo):
    """A day of a batch or target lies within the campaign's dates (when those are valid)."""
    start, end = (info.context or {}).get("dates", (None, None))
    if start and end and not start <= day <= end:
        raise problem(
            _("%(day)s is outside the campaign (%(start)s to %(end)s)"),
            day=day,
            start=start,
            end=end,
        )
    return day


CampaignDay = Annotated[Day, AfterValidator(_in_campaign)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _ends_after_start(ends_on, info: ValidationInfo):
    starts_on = info.data.get("starts_on")
    if starts_on and ends_on < starts_on:
        raise problem(_("ends before it starts"))
    return ends_on


class CampaignSection(Section):
    code: Code
    name: Text
    short_name: Text = ""
    starts_on: Day
    ends_on: Day
    focus_areas: list[Text] = []

    _ends = field_validator("ends_on")(_ends_after_start)


class BatchSection(Section):
    number: Positive
    name: Text
    starts_on: CampaignDay
    ends_on: CampaignDay
    org_kinds: list[OrgKindCode] = []
    levels: list[Level] = []

    _ends = field_validator("ends_on")(_ends_after_start)

    @field_validator("levels")
    @classmethod
    def _someone_takes_part(cls, levels, info: ValidationInfo):
        if not levels and not info.data.get("org_kinds"):
            raise problem(_("say which orgs take part: org_kinds or levels"))
        return levels


FieldName = Literal[tuple(ACTIVITY_FIELDS)]  # type: ignore[valid-type]
FieldRule = Literal[FIELD_RULES]  # type: ignore[valid-type]


class KindSection(Section):
    code: Code
    name_zh: Text
    name_en: Text
    unit: Unit
    required: bool = False
    fields: dict[FieldName, FieldRule]
    org_kinds: list[OrgKindCode] = []
    description: Text = ""
    source: Text = ""

    @field_validator("source")
    @classmethod
    def _known_source(cls, source, info: ValidationInfo):
        sources = (info.context or {}).get("sources", ())
        return _choice(sorted(sources))(source) if source else source

    @field_validator("fields")
    @classmethod
    def _count_always(cls, fields):
        return {"count": "optional", **fields}


class MetricSection(Section):
    code: Code
    name_zh: Text
    name_en: Text
    kind: Code
    aggregate: Literal[tuple(Aggregate.values)]  # type: ignore[valid-type]
    field: Code = ""
    unit: Unit
    org_kinds: list[OrgKindCode] = []
    min_records: Positive = 1
    among: Code = ""
    venue_kinds: list[Code] = []
    venue_tiers: list[Code] = []
    scope: Literal[SCOPES] = "subtree"  # type: ignore[valid-type]
    phrases: list[Text] = []

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind, info: ValidationInfo):
        return _choice(list((info.context or {}).get("kinds", {})))(kind)

    @field_validator("among")
    @classmethod
    def _known_among(cls, among, info: ValidationInfo):
        return among and _choice(list((info.context or {}).get("kinds", {})))(among)

    @model_validator(mode="after")
    def _field_fits(self, info: ValidationInfo):
        """A sum or average needs a number field the kind records; coverage and averages
        say which org kinds they count. Reported at the metric's own line."""
        if self.aggregate == Aggregate.VENUES and not self.venue_kinds:
            raise problem(_("say which kinds of venue to count"), key="venue_kinds")
        if self.aggregate == Aggregate.PER_DAY:
            recorded = (info.context or {}).get("kinds", {}).get(self.kind)
            if recorded is not None and "days" not in recorded:
                raise problem(
                    _("%(field)s is not a number field recorded by kind %(kind)s"),
                    key="kind",
                    field="days",
                    kind=self.kind,
                )
        if self.aggregate in (Aggregate.SUM, Aggregate.AVERAGE_PER_ORG, Aggregate.PER_DAY):
            recorded = (info.context or {}).get("kinds", {}).get(self.kind)
            if not self.field:
                raise problem(_("this aggregate needs a field"), key="field")
            if self.field not in NUMBER_FIELDS or (
                recorded is not None and self.field not in recorded
            ):
                raise problem(
                    _("%(field)s is not a number field recorded by kind %(kind)s"),
                    key="field",
                    field=self.field,
                    kind=self.kind,
                )
        if self.among and self.aggregate != Aggregate.COVERAGE:
            raise problem(_("only a coverage metric counts among some orgs"), key="among")
        if self.aggregate in (Aggregate.COVERAGE, Aggregate.AVERAGE_PER_ORG) and not self.org_kinds:
            raise problem(_("say which organisation kinds to count"), key="org_kinds")
        return self


class TargetSection(Section):
    code: Code
    metric: Code
    org_kinds: list[OrgKindCode] = Field(min_length=1)
    threshold: Number
    deadline: CampaignDay

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, metric, info: ValidationInfo):
        return _choice((info.context or {}).get("metrics", []))(metric)


class ReadingSection(Section):
    code: Code
    title: Text
    category: Literal[tuple(ReadingCategory.values)]  # type: ignore[valid-type]


class Definition(Section):
    """A whole campaign file. Lists keep the file's order, which is each entry's position."""

    campaign: CampaignSection
    batches: list[BatchSection]
    kinds: list[KindSection]
    metrics: list[MetricSection] = []
    targets: list[TargetSection] = []
    reading: list[ReadingSection] = []


# Unique keys of the listed entries, checked on the raw file so that a repeat is reported
# even when its entry has other problems.
UNIQUE = {
    "batches": ("number", _("number given twice")),
    "kinds": ("code", _("code given twice")),
    "metrics": ("code", _("code given twice")),
    "targets": ("code", _("code given twice")),
    "reading": ("code", _("code given twice")),
}


def _allowed_keys(loc) -> list[str]:
    model = Definition
    for step in loc[:-1]:
        if isinstance(step, int):
            continue
        annotation = model.model_fields[step].annotation
        model = getattr(annotation, "__args__", (annotation,))[0]
    return list(model.model_fields)


def message(error) -> str:
    kind = error["type"]
    if kind == "taizhang":
        return error["msg"]
    if kind == "missing":
        return _("required key is missing")
    if kind == "extra_forbidden":
        return _("unknown key; expected one of: %(keys)s") % {
            "keys": ", ".join(_allowed_keys(error["loc"]))
        }
    if kind == "literal_error":
        if error["loc"][-1] == "[key]":
            return _("unknown field; known: %(known)s") % {"known": ", ".join(ACTIVITY_FIELDS)}
        return _("expected one of: %(choices)s") % {
            "choices": error["ctx"]["expected"].replace("'", "")
        }
    if kind == "bool_type":
        return _("expected true or false")
    if kind in ("list_type", "tuple_type"):
        return _("expected a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("expected keys and values")
    if kind == "too_short":
        return _("give at least one")
    return error["msg"]


def _duplicates(document, filename):
    errors = []
    for section, (key, problem) in UNIQUE.items():
        entries = document.get(section)
        seen = set()
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, Mapping) or key not in entry:
                continue
            value = entry[key]
            if isinstance(value, (str, int)) and value in seen:
                errors.append(
                    (
                        entry.lines[key],
                        f"{filename}:{entry.lines[key]}: {section}[{index}].{key}: {problem}",
                    )
                )
            if isinstance(value, (str, int)):
                seen.add(value)
    return errors


def _context(document) -> dict:
    """What entries check against other sections: the kinds' recorded fields, the metric
    codes and the campaign's dates, taken from the raw file."""

    def entries(section):
        value = document.get(section)
        return [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []

    kinds = {}
    for kind in entries("kinds"):
        fields = kind.get("fields")
        kinds[kind.get("code")] = set(fields) | {"count"} if isinstance(fields, dict) else None
    campaign = document.get("campaign")
    dates = (None, None)
    if isinstance(campaign, Mapping):
        start, end = campaign.get("starts_on"), campaign.get("ends_on")
        if all(isinstance(d, datetime.date) for d in (start, end)) and start <= end:
            dates = (start, end)
    metrics = [m.get("code") for m in entries("metrics") if isinstance(m.get("code"), str)]
    return {"kinds": kinds, "metrics": metrics, "dates": dates, "sources": set(SOURCES)}


def parse(text: str, filename: str = "<definition>") -> Definition:
    """Check a definition; return it for `definition.apply`, or raise DefinitionError."""
    document, duplicate_keys = read(text, filename)
    found = [(at, f"{filename}:{at}: {key}: {_('key given twice')}") for at, key in duplicate_keys]
    found += _duplicates(document, filename)
    definition = None
    try:
        definition = Definition.model_validate(document, context=_context(document))
    except ValidationError as exc:
        for error in exc.errors():
            key = (error.get("ctx") or {}).get("key")
            loc = error["loc"] + ((key,) if key else ())
            at = line(document, loc)
            found.append((at, f"{filename}:{at}: {path(loc)}: {message(error)}"))
    if found:
        found.sort(key=lambda pair: pair[0])
        raise DefinitionError([message for _at, message in found])
    return definition
