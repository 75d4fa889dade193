"""Every figure Taizhang shows, read from the ledger's roll-up totals (`ledger.Total`,
`ledger.Reach`), never by walking records: an org's subtree sum for a kind and period is
the sum of that org's rows alone, and coverage reads one `Reach` row per org.

A metric (campaigns.Metric) is one of:
- count / sum: records, or a field's sum, over the org's subtree (scope "self": its own);
- average_per_org: the sum divided by the number of orgs of the metric's kinds in the subtree;
- distinct_orgs: orgs in the subtree with at least `min_records` records of the kind;
- coverage: the share of orgs of the metric's kinds in the subtree that have that many;
- per_day: a field's sum divided by the sum of the records' days (visitors a day);
- venues: the active venues of the metric's venue kinds (and tiers) owned in the subtree:
  a standing count, whatever the period."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.db.models.functions import TruncWeek

from taizhang.campaigns.models import NUMBER_FIELDS, Aggregate
from taizhang.numbers import cn_number
from taizhang.orgs.models import Org
from taizhang.stats.coverage import (
    counted,
    coverage,
    coverage_groups,
    eligible_of,
    org_counts,
    reached,
)
from taizhang.stats.tables import ORGS

VALUES = ("records", *NUMBER_FIELDS)
PER_ORG = (Aggregate.COVERAGE, Aggregate.DISTINCT_ORGS)


@dataclass
class Figure:
    metric: object
    value: Decimal | int | None
    covered: int | None = None
    eligible: int | None = None

    @property
    def display(self):
        if self.value is None:
            return "—"
        if self.metric.aggregate == Aggregate.COVERAGE:
            return f"{_trim(self.value, 1)}%"
        return cn_number(self.value)

    @property
    def unit(self):
        return "" if self.metric.aggregate == Aggregate.COVERAGE else self.metric.unit

    @property
    def gap(self):
        """How many orgs have not met a coverage metric."""
        if self.covered is None:
            return None
        return self.eligible - self.covered


def _trim(value, places):
    text = f"{Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def change(metric, before: Figure, after: Figure) -> str:
    """How a figure moved between two periods: +1.2万, -35, +12.5个百分点."""
    if before.value is None or after.value is None:
        return "—"
    delta = Decimal(after.value) - Decimal(before.value)
    sign = "+" if delta > 0 else ""
    if metric.aggregate == Aggregate.COVERAGE:
        return f"{sign}{_trim(delta, 1)}个百分点"
    return f"{sign}{cn_number(delta)}"


def field_of(metric):
    return "records" if metric.aggregate == Aggregate.COUNT or not metric.field else metric.field


def covers_campaign(period, campaign):
    """Every record lies inside its campaign: a period holding the whole campaign reads the
    all-days totals."""
    return period.start <= campaign.starts_on and period.end >= campaign.ends_on


def sums(org_ids, kind_ids, period, *, campaign=None, tables=ORGS):
    """({(org_id, kind_id): {value: n}} of the subtrees, the same of the orgs' own records)
    over the period, from the totals alone (one query). With `tables` SECTORS the ids are
    sectors'."""
    if campaign is not None and covers_campaign(period, campaign):
        rows = tables.of(tables.kind_total, org_ids).filter(kind_id__in=kind_ids)
    else:
        rows = tables.of(tables.total, org_ids).filter(
            kind_id__in=kind_ids, day__range=(period.start, period.end)
        )
    subtree, own = {}, {}
    grouped = rows.values(tables.key, "kind_id", "own").annotate(**{v: Sum(v) for v in VALUES})
    for row in grouped.order_by():
        key = (row[tables.key], row["kind_id"])
        if row["own"]:
            own[key] = row
        acc = subtree.setdefault(key, dict.fromkeys(VALUES, 0))
        for v in VALUES:
            acc[v] += row[v]
    return subtree, own


def figures(metrics, orgs, period):
    """{org id: {metric code: Figure}} for each org (its subtree) over the period."""
    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    out = {o.pk: {} for o in orgs}
    sum_metrics = [m for m in metrics if m.aggregate not in PER_ORG]
    campaign = metrics[0].campaign if metrics else None
    subtree, own = sums(ids, {m.kind_id for m in sum_metrics}, period, campaign=campaign)
    for metric in sum_metrics:
        source = own if metric.scope == "self" else subtree
        for org_id in ids:
            out[org_id][metric.code] = sum_figure(metric, source.get((org_id, metric.kind_id)))
    if any(m.aggregate == Aggregate.VENUES for m in metrics):
        venues = venue_counts(orgs)
    for metric in metrics:
        if metric.aggregate == Aggregate.VENUES:
            for org in orgs:
                out[org.pk][metric.code] = Figure(metric, venue_value(metric, venues[org.pk]))
        if metric.aggregate == Aggregate.AVERAGE_PER_ORG:
            teams = org_counts(orgs, metric.org_kinds)
            for org in orgs:
                per_org(out[org.pk][metric.code], teams.get(org.pk, 0))
        elif metric.aggregate in PER_ORG:
            for org in orgs:
                covered, eligible = coverage(metric, org, period)
                out[org.pk][metric.code] = per_org_figure(metric, covered, eligible)
    return out


def sum_figure(metric, row):
    """The figure of a sum metric from its row of sums (None: no records)."""
    value = row[field_of(metric)] if row else 0
    if metric.aggregate == Aggregate.PER_DAY:
        days = row["days"] if row else 0
        value = Decimal(value) / days if days else None
    return Figure(metric, value)


def venue_value(metric, counts):
    """The metric's venues among `counts` ({(venue kind, tier): n})."""
    return sum(
        n
        for (kind, tier), n in counts.items()
        if kind in metric.venue_kinds and (not metric.venue_tiers or tier in metric.venue_tiers)
    )


def per_org(figure, n):
    """An average per org: the summed figure divided by the `n` orgs counted."""
    figure.value = Decimal(figure.value) / n if n else None


def with_children(metrics, org, period):
    """(the org's figures, its active children, {child id: figures}) — each coverage metric
    counted for the org and all its children in one query."""
    children = list(org.children_in_order().filter(active=True))
    simple = [m for m in metrics if m.aggregate not in PER_ORG]
    found = figures(simple, [org, *children], period)
    both = [org, *children]
    eligible_by_kinds = {}
    for metric in metrics:
        if metric.aggregate not in PER_ORG:
            continue
        if counted(metric, period):
            # From the counts: one query for the covered orgs (the eligible ones are shared
            # by the metrics that count the same kinds of org).
            kinds = (tuple(metric.org_kinds), metric.among_id)
            if kinds not in eligible_by_kinds:
                eligible_by_kinds[kinds] = eligible_of(metric, both)
            eligible = eligible_by_kinds[kinds]
            covered = reached(metric, [o.pk for o in both], period)
            for o in both:
                found[o.pk][metric.code] = per_org_figure(
                    metric, covered.get(o.pk, 0), eligible.get(o.pk, 0)
                )
            continue
        groups = coverage_groups(metric, org, period, len(org.path) + Org.steplen)
        covered = sum(c for c, _e in groups.values())
        eligible = sum(e for _c, e in groups.values())
        found[org.pk][metric.code] = per_org_figure(metric, covered, eligible)
        for child in children:
            covered, eligible = groups.get(child.path, (0, 0))
            found[child.pk][metric.code] = per_org_figure(metric, covered, eligible)
    own = found.pop(org.pk)
    return own, children, found


def venue_counts(orgs, tables=ORGS) -> dict:
    """{org id: {(venue kind, tier): active venues owned in its subtree}}, from the venue
    counts the ledger keeps (with SECTORS: a sector's)."""
    out = {o.pk: {} for o in orgs}
    rows = tables.of(tables.venue_count, out)
    for key, kind, tier, n in rows.values_list(tables.key, "kind", "tier", "venues"):
        out[key][(kind, tier)] = n
    return out


def per_org_figure(metric, covered, eligible):
    if metric.aggregate == Aggregate.DISTINCT_ORGS:
        return Figure(metric, covered, covered, eligible)
    value = Decimal(covered * 100) / eligible if eligible else None
    return Figure(metric, value, covered, eligible)


# Time series


def series(org, kinds, period, field="records", tables=ORGS):
    """{kind id: {week start: n}}: the subtree's weekly sums of `field` for each kind (with
    SECTORS, `org` is a sector)."""
    rows = (
        tables.of(tables.total, [org.pk])
        .filter(kind_id__in=[k.pk for k in kinds], day__range=(period.start, period.end))
        .annotate(week=TruncWeek("day"))
        .values_list("kind_id", "week")
        .annotate(n=Sum(field))
        .order_by()
    )
    out = defaultdict(dict)
    for kind_id, monday, n in rows:
        if isinstance(monday, datetime.datetime):
            monday = monday.date()
        out[kind_id][monday] = n
    return out
