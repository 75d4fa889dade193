"""A bulletin template (`<campaign>.bulletin.yaml` beside the campaign's definition): the
bulletin's name, title and office, its footer block, and sections of sentences whose
clauses hold slots for figures. Checked whole with the campaign file's schema tools: every
problem is named by file, line and key."""

import re
from pathlib import Path
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
)

from taizhang.campaigns.definition import DEFINITIONS_DIR
from taizhang.campaigns.schema import Text, clean_text, message, problem
from taizhang.campaigns.yaml_lines import DefinitionError, line, path, read

# {metric} or {metric|style}; {org} and {period} are the org's name and the period.
SLOT = re.compile(r"\{([a-z0-9_]+)(?:\|([a-z]+))?\}")
STYLES = ("number", "approx", "percent", "coverage", "plain", "delta", "gaps")
WORDS = ("org", "period")
SPECIAL = ("focus_areas",)


def _clause(value):
    text = clean_text(value)
    for match in SLOT.finditer(text):
        name, style = match.groups()
        if name in WORDS and style is None:
            continue
        if style is not None and style not in STYLES:
            raise problem(
                _("unknown style %(style)s; known: %(known)s"),
                style=style,
                known=", ".join(STYLES),
            )
    return text


Clause = Annotated[str, BeforeValidator(_clause)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Sentence(Part):
    lead: str = ""
    clauses: list[Clause] = Field(min_length=1)
    join: str = "，"
    end: str = "。"


class LocalNews(Part):
    """各地动态: each child org's most notable records of the period."""

    local_news: Annotated[int, Field(ge=1, le=5)]


class RoleModels(Part):
    """Role models of the period with their stories."""

    role_models: Annotated[int, Field(ge=1, le=20)]


def _paragraph_kind(value):
    if isinstance(value, dict):
        return "role_models" if "role_models" in value else "local_news"
    return "sentences"


Paragraph = Annotated[
    Annotated[list[Sentence], Tag("sentences")]
    | Annotated[LocalNews, Tag("local_news")]
    | Annotated[RoleModels, Tag("role_models")],
    Discriminator(_paragraph_kind),
]
TAGS = ("sentences", "local_news", "role_models")


class Section(Part):
    heading: Text
    paragraphs: list[Paragraph] = Field(min_length=1)


class Template(Part):
    code: Text
    campaign: Text
    name: Text
    title: Text
    office: Text
    footer: list[Annotated[list[Text], Field(min_length=2, max_length=2)]] = []
    copies: Annotated[int, Field(ge=1, le=100000)] = 60
    sections: list[Section] = Field(min_length=1)

    def slots(self):
        """(metric code, style) of every slot, in the order they stand."""
        for section in self.sections:
            for paragraph in section.paragraphs:
                for sentence in paragraph if isinstance(paragraph, list) else ():
                    for clause in (sentence.lead, *sentence.clauses, sentence.end):
                        for name, style in SLOT.findall(clause):
                            if name not in WORDS:
                                yield name, style or "number"


def parse(text: str, filename: str = "<template>") -> Template:
    document, duplicates = read(text, filename)
    found = [(at, f"{filename}:{at}: {key}: {_('key given twice')}") for at, key in duplicates]
    try:
        template = Template.model_validate(document)
    except ValidationError as exc:
        template = None
        for error in exc.errors():
            loc = tuple(step for step in error["loc"] if step not in TAGS)
            at = line(document, loc)
            found.append((at, f"{filename}:{at}: {path(loc)}: {message(error)}"))
    if found:
        raise DefinitionError([m for _at, m in sorted(found, key=lambda pair: pair[0])])
    return template


def check_against(template: Template, campaign) -> list[str]:
    """Problems of a parsed template with the campaign it is for: slots naming no metric."""
    codes = set(campaign.metrics.values_list("code", flat=True)) | set(SPECIAL)
    unknown = sorted({name for name, _style in template.slots() if name not in codes})
    problems = []
    if template.campaign != campaign.code:
        problems.append(_("the template is for campaign %(code)s") % {"code": template.campaign})
    if unknown:
        problems.append(
            _("slots name no metric of the campaign: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    return problems


def templates_of(campaign) -> dict[str, Path]:
    """{template code: file} of the campaign's templates beside its definition."""
    out = {}
    for file in sorted(DEFINITIONS_DIR.glob(f"{campaign.code}*.bulletin.yaml")):
        out[load(file).code] = file
    return out


def load(file) -> Template:
    file = Path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{file.name}: {exc}"]) from None
    return parse(text, file.name)
