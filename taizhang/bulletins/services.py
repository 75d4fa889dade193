"""Writing bulletins: generating a draft, editing its text, issuing it with its number.
Bulletins only read the ledger; these functions write the bulletins' own tables, with
history, inside one transaction each."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.bulletins.compose import Composer
from taizhang.bulletins.models import Bulletin, BulletinFigure, BulletinOffice, BulletinState
from taizhang.bulletins.template import Template, check_against
from taizhang.bulletins.text import is_subheading
from taizhang.orgs.access import require_manage, require_writer
from taizhang.orgs.scope import Scope
from taizhang.stats.sectors import subject as sector_subject

MARK = re.compile(r"\{\{([^{}]+)\}\}")


def period_problem(campaign, start, end):
    """(field, message) when a draft cannot be asked for these dates, else None: the end
    before the start, or a period that misses the campaign."""
    if end < start:
        return "ends_on", _("The end date must not be before the start date.")
    if end < campaign.starts_on or start > campaign.ends_on:
        return "starts_on", _("The period lies outside the campaign.")
    return None


def previous_issue(org, template_code, period, sector=None):
    """The last bulletin issued for the org (or sector system) with the same template,
    ending before `period`."""
    return (
        Bulletin.objects.filter(
            org=org,
            sector=sector,
            template=template_code,
            state=BulletinState.ISSUED,
            ends_on__lt=period.end,
        )  # fmt: skip
        .order_by("-ends_on", "-number")
        .first()
    )


@transaction.atomic
def generate(actor: Actor, template: Template, *, campaign, org, period, sector=None) -> Bulletin:
    """A new draft of `template` for `org`'s subtree over `period`; with `sector`, for that
    sector system, in the name of its department (`org` is ignored): only a writer for the
    department who reads every member may."""
    if sector is not None:
        org = sector.department
        members = sector_subject(sector).paths
        if not Scope.of(actor.user).reads_all(members):
            raise PermissionDenied
    require_writer(actor.user, org)
    problems = check_against(template, campaign)
    if problems:
        raise ValidationError(problems)
    previous = previous_issue(org, template.code, period, sector)
    draft = Composer(template, campaign, org, period, previous, sector=sector).compose()
    office = BulletinOffice.objects.filter(org=org).first()
    if office is not None:
        draft.office, draft.footer, draft.copies = office.name, office.footer, office.copies
    bulletin = Bulletin.objects.create(
        campaign=campaign,
        org=org,
        sector=sector,
        template=template.code,
        starts_on=period.start,
        ends_on=period.end,
        name=draft.name,
        title=draft.title,
        office=draft.office,
        body=draft.body,
        footer=draft.footer,
        copies=draft.copies,
        created_by=actor.user,
    )
    BulletinFigure.objects.bulk_create(
        BulletinFigure(
            bulletin=bulletin,
            key=slot.key,
            org=org,
            metric=slot.metric,
            style=slot.style,
            starts_on=period.start,
            ends_on=period.end,
            value=slot.value,
            text=slot.text[:2000],
        )
        for slot in draft.slots.values()
    )
    record(actor, Action.CREATE, bulletin, after=bulletin.snapshot(), scope_path=org.path)
    return bulletin


def editable_text(bulletin) -> str:
    """The draft's body as the edit form shows it: "# " before each heading, "## " before
    each sub-heading, a blank line between paragraphs, each figure as {{its key}}."""
    lines = []
    for section in bulletin.body:
        lines.append(f"# {section['heading']}")
        for paragraph in section["paragraphs"]:
            if is_subheading(paragraph):
                lines.append(f"## {paragraph[0]['subheading']}")
                continue
            lines.append(
                "".join(s["text"] if "text" in s else "{{" + s["slot"] + "}}" for s in paragraph)
            )
        lines.append("")
    return "\n\n".join(line for line in lines if line).strip() + "\n"


def parse_text(text: str, keys) -> list:
    """The body from edited text (see `editable_text`); a {{mark}} naming no figure of the
    bulletin is refused, as is text before the first heading."""
    body, unknown = [], []
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    for block in blocks:
        if block.startswith("# "):
            body.append({"heading": block[2:].strip(), "paragraphs": []})
            continue
        if not body:
            raise ValidationError(_("Begin the text with a heading line starting with “# ”."))
        if block.startswith("## "):
            body[-1]["paragraphs"].append([{"subheading": block[3:].strip()}])
            continue
        segments, at = [], 0
        for match in MARK.finditer(block):
            if match.start() > at:
                segments.append({"text": block[at : match.start()]})
            key = match.group(1).strip()
            if key not in keys:
                unknown.append(key)
            segments.append({"slot": key})
            at = match.end()
        if at < len(block):
            segments.append({"text": block[at:]})
        body[-1]["paragraphs"].append(segments)
    if unknown:
        raise ValidationError(
            _("These marks name no figure of this bulletin: %(keys)s")
            % {"keys": "、".join("{{" + k + "}}" for k in unknown[:10])}
        )
    if not body:
        raise ValidationError(_("The bulletin has no text."))
    return body


def _keep_records(body, records):
    """Text written from records (各地动态, role models' stories) stays marked as such where
    the edited text still holds it word for word."""
    for section in body:
        for n, paragraph in enumerate(section["paragraphs"]):
            out = []
            for segment in paragraph:
                pieces = [segment]
                for text, kind in sorted(records, key=lambda r: -len(r[0])):
                    split = []
                    for piece in pieces:
                        if "record" in piece or "text" not in piece or text not in piece["text"]:
                            split.append(piece)
                            continue
                        head, _sep, tail = piece["text"].partition(text)
                        split += [p for p in ({"text": head}, {"text": text, "record": kind},
                                              {"text": tail}) if p["text"]]  # fmt: skip
                    pieces = split
                out.extend(pieces)
            section["paragraphs"][n] = out
    return body


@transaction.atomic
def edit(actor: Actor, bulletin: Bulletin, *, title, text) -> Bulletin:
    """Rewrite a draft's title and text; its figures stay linked by their marks."""
    require_writer(actor.user, bulletin.org)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not bulletin.is_draft:
        raise ValidationError(_("An issued bulletin cannot be changed; issue a correction."))
    keys = set(bulletin.figures.values_list("key", flat=True))
    before = {"title": bulletin.title, "text": editable_text(bulletin)}
    records = {
        (seg["text"], seg["record"])
        for section in bulletin.body
        for paragraph in section["paragraphs"]
        for seg in paragraph
        if "record" in seg
    }
    bulletin.body = _keep_records(parse_text(text, keys), records)
    bulletin.title = title.strip()[:200] or bulletin.title
    bulletin.save(update_fields=["body", "title"])
    after = {"title": bulletin.title, "text": editable_text(bulletin)}
    if after != before:
        record(
            actor, Action.UPDATE, bulletin, before=before, after=after, scope_path=bulletin.org.path
        )
    return bulletin


@transaction.atomic
def issue(actor: Actor, bulletin: Bulletin, *, corrects=None, on=None) -> Bulletin:
    """Number the draft 第N期 of its org's year and freeze it. `corrects` names the issued
    bulletin of the same org it corrects."""
    require_writer(actor.user, bulletin.org)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not bulletin.is_draft:
        raise ValidationError(_("This bulletin has already been issued."))
    if corrects is not None and (
        corrects.org_id != bulletin.org_id or corrects.state != BulletinState.ISSUED
    ):
        raise ValidationError(_("A correction names an issued bulletin of the same office."))
    day = on or timezone.localdate()
    before = bulletin.snapshot()
    for _attempt in range(3):
        last = Bulletin.objects.filter(org=bulletin.org, year=day.year).aggregate(n=Max("number"))
        bulletin.number = (last["n"] or 0) + 1
        bulletin.year, bulletin.issued_on = day.year, day
        bulletin.state, bulletin.corrects = BulletinState.ISSUED, corrects
        try:
            with transaction.atomic():
                bulletin.save()
            break
        except IntegrityError:  # another issue took the number first
            continue
    else:
        raise ValidationError(_("Could not number the bulletin; try again."))
    record(
        actor,
        Action.UPDATE,
        bulletin,
        before=before,
        after=bulletin.snapshot(),
        scope_path=bulletin.org.path,
    )
    return bulletin


@transaction.atomic
def set_office(actor: Actor, org, **fields) -> BulletinOffice:
    """What `org`'s bulletins print as their office, recipients and copies (a manager's)."""
    require_writer(actor.user, org)
    if actor.user is not None:
        require_manage(actor.user)
    office = BulletinOffice.objects.filter(org=org).first()
    before = office.snapshot() if office else None
    office = office or BulletinOffice(org=org)
    for name, value in fields.items():
        setattr(office, name, value.strip() if isinstance(value, str) else value)
    office.full_clean()
    office.save()
    after = office.snapshot()
    if after != before:
        action = Action.CREATE if before is None else Action.UPDATE
        record(actor, action, office, before=before, after=after, scope_path=org.path)
    return office


@transaction.atomic
def discard(actor: Actor, bulletin: Bulletin):
    require_writer(actor.user, bulletin.org)
    if not bulletin.is_draft:
        raise ValidationError(_("An issued bulletin is kept."))
    record(actor, Action.DELETE, bulletin, before=bulletin.snapshot(), scope_path=bulletin.org.path)
    bulletin.delete()
