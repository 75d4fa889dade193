"""Where each figure of a bulletin comes from: the page of the records it counts, and
whether it would read differently now."""

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from taizhang.bulletins.compose import Composer
from taizhang.campaigns.models import Aggregate
from taizhang.stats.periods import date_range

# Kinds counted from records kept on their own pages (campaigns/sources.py).
SOURCE_PAGES = {
    "research_reports": "research:reports",
    "problems": "research:problems",
    "problems_solved_on_spot": "research:problems",
    "problems_closed": "research:problems",
    "rectified_villages": "research:rectifications",
    "role_models": "study:role-models",
    "reading_sessions": "study:classes",
    "reading_topics": "study:classes",
    "adoptions": "research:liaisons",
}


def records_url(figure, metrics) -> str | None:
    """The page of the records behind `figure`: the ledger list filtered to the org's
    subtree (a sector system's bulletin: to its members'), the kind and the dates; the venue
    list for a count of venues; or the page of the records the kind is counted from."""
    metric = metrics.get(figure.metric)
    if metric is None:
        return None
    kind = metric.kind
    sector_id = figure.bulletin.sector_id if figure.bulletin_id else None
    where = {"sector": sector_id} if sector_id else {"org": figure.org_id}
    if metric.aggregate == Aggregate.VENUES:
        query = dict(where)
        if len(metric.venue_kinds) == 1:
            query["kind"] = metric.venue_kinds[0]
        if len(metric.venue_tiers) == 1:
            query["tier"] = metric.venue_tiers[0]
        return f"{reverse('ledger:venues')}?{urlencode(query)}"
    if kind.source:
        name = SOURCE_PAGES.get(kind.source)
        return f"{reverse(name)}?{urlencode(where)}" if name else None
    query = {
        **where,
        "kind": kind.code,
        "date_from": figure.starts_on.isoformat(),
        "date_to": figure.ends_on.isoformat(),
    }
    return f"{reverse('ledger:list')}?{urlencode(query)}"


def differing(bulletin) -> list[tuple]:
    """[(figure, value now, text now)] of the stored figures that would read differently
    if the bulletin were generated now from the records (a change since the last issue is
    left out: it depends on that issue)."""
    period = date_range(bulletin.starts_on, bulletin.ends_on)
    stored = [f for f in bulletin.figures.all() if f.style != "delta"]
    codes = [f.metric for f in stored]
    composer = Composer(
        None, bulletin.campaign, bulletin.org, period, codes=codes, sector=bulletin.sector
    )
    out = []
    for figure in stored:
        if figure.metric not in composer.metrics and figure.metric != "focus_areas":
            out.append((figure, None, "—"))  # the campaign no longer has this metric
            continue
        now = composer.slot(figure.metric, figure.style)
        value = now.value if now is not None else None
        if _number(value) != _number(figure.value):
            out.append((figure, value, now.text if now is not None else "—"))
    return out


def _number(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))
