"""Keeping what a report says: a report read becomes a Report with a Claim per figure
(proposed); the office corrects a claim's metric and confirms them. Nothing here writes
ledger records or totals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.audit.services import Action, Actor, record
from taizhang.ingest.mapping import FOCUS_AREAS
from taizhang.ingest.models import Claim, Report
from taizhang.ingest.reader import read
from taizhang.orgs.access import require_writer
from taizhang.orgs.models import Org
from taizhang.orgs.scope import Scope


def propose_org(text: str, user):
    """The org a report speaks for, from its opening (e.g. "海曙区…"): the org in the
    user's scope whose name or short name stands first in the first 200 characters."""
    from taizhang.ingest.clean import to_simplified

    head = to_simplified(text[:200])
    best = None
    for org in Org.objects.visible_to(user).filter(active=True).only("name", "short_name"):
        for name in {org.name, org.short_name} - {""}:
            if len(name) >= 2 and (at := head.find(name)) != -1:
                key = (at, -len(name))
                if best is None or key < best[0]:
                    best = (key, org)
    return best[1] if best else None


@transaction.atomic
def read_report(actor: Actor, *, campaign, org, title, text, period, file_name="") -> Report:
    require_writer(actor.user, org)
    if not text.strip():
        raise ValidationError(_("The report has no text."))
    reading = read(text, campaign)
    report = Report.objects.create(
        campaign=campaign,
        org=org,
        title=(title or reading.cleaned.text.strip().splitlines()[0])[:200],
        file_name=file_name[:200],
        original=text,
        starts_on=period.start,
        ends_on=period.end,
        read_by=actor.user,
        artifacts=[[a.kind, a.start, a.end] for a in reading.cleaned.artifacts],
    )
    claims = []
    for mapping in reading.mappings:
        figure = mapping.figure
        start, end = reading.cleaned.span(figure.start, figure.end)
        claims.append(
            Claim(
                report=report,
                org=org,
                metric=mapping.metric or "",
                confidence=mapping.confidence,
                value=figure.value,
                unit=figure.unit,
                approximate=figure.approximate,
                direction=figure.direction,
                precision=figure.precision,
                phrase=figure.phrase[:100],
                sentence=figure.sentence[:2000],
                start=start,
                end=end,
                relation=figure.relation,
            )
        )
    Claim.objects.bulk_create(claims)
    record(actor, Action.CREATE, report, after=report.snapshot(), scope_path=org.path)
    return report


@transaction.atomic
def confirm(actor: Actor, report: Report, metrics: dict) -> int:
    """Confirm the report's claims, each with the metric chosen for it (`metrics`: claim id
    → metric code, "" for a figure that is no metric's); returns how many are confirmed."""
    require_writer(actor.user, report.org)
    known = set(report.campaign.metrics.values_list("code", flat=True)) | {FOCUS_AREAS, ""}
    unknown = sorted({code for code in metrics.values() if code not in known})
    if unknown:
        raise ValidationError(_("No such metric: %(codes)s") % {"codes": "、".join(unknown)})
    confirmed = 0
    for claim in report.claims.select_for_update():
        code = metrics.get(claim.pk, claim.metric)
        claim.metric, claim.confirmed = code, bool(code)
        claim.save(update_fields=["metric", "confirmed"])
        confirmed += claim.confirmed
    record(
        actor, Action.UPDATE, report, after={"confirmed": confirmed}, scope_path=report.org.path,
        note=_("claims confirmed"),
    )  # fmt: skip
    return confirmed


@transaction.atomic
def reassign(actor: Actor, report: Report, org) -> Report:
    """The report speaks for `org` after all (the one proposed from its text was wrong)."""
    require_writer(actor.user, report.org, org)
    before = report.snapshot()
    report.org = org
    report.save(update_fields=["org"])
    report.claims.update(org=org, confirmed=False)
    record(
        actor, Action.UPDATE, report, before=before, after=report.snapshot(), scope_path=org.path
    )
    return report


@transaction.atomic
def forget(actor: Actor, report: Report):
    require_writer(actor.user, report.org)
    record(actor, Action.DELETE, report, before=report.snapshot(), scope_path=report.org.path)
    report.delete()


def in_scope(user, org) -> bool:
    return Scope.of(user).has_org(org)
