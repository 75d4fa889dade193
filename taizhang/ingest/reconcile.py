"""Each claim beside the ledger's own figure for the same org, metric and period, with the
difference. An approximate claim agrees within its stated precision: 2700余 agrees with any
ledger value from 2700 up to 2800, 近300 with 201 to 300, 约1500 with 1400 to 1600."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from taizhang.campaigns.models import Aggregate
from taizhang.ingest.mapping import FOCUS_AREAS
from taizhang.stats import figures as stats
from taizhang.stats.periods import date_range


@dataclass
class Row:
    claim: object
    metric: object  # campaigns.Metric, or None
    ledger: Decimal | None
    difference: Decimal | None
    agrees: bool | None  # None: nothing to compare with


def as_written(claim, ledger) -> Decimal:
    """The ledger's value to the place the claim writes: a report's "7天" states an average
    of 7.004 days, its "7.8万" 78,040 as written by someone rounding."""
    precision = Decimal(claim.precision)
    return (ledger / precision).quantize(Decimal(1), rounding="ROUND_HALF_UP") * precision


def difference(claim, ledger) -> Decimal:
    if claim.approximate:
        return Decimal(0) if agrees(claim, ledger) else Decimal(claim.value) - ledger
    return Decimal(claim.value) - as_written(claim, ledger)


def agrees(claim, ledger) -> bool:
    value, precision = Decimal(claim.value), Decimal(claim.precision)
    if not claim.approximate:
        return as_written(claim, ledger) == value
    if claim.direction == "more":
        return value <= ledger < value + precision
    if claim.direction == "less":
        return value - precision < ledger <= value
    return abs(ledger - value) <= precision


def _comparable(claim, metric, figure):
    if figure is None or figure.value is None:
        return None
    value = Decimal(figure.value)
    if metric.aggregate == Aggregate.COVERAGE and claim.unit == "%":
        return value / 100  # the claim holds the fraction
    return value


def reconcile(claims, campaign) -> list[Row]:
    """Rows for `claims` (of one campaign), the ledger's figures computed once per org and
    period from the roll-up totals."""
    metrics = {m.code: m for m in campaign.metrics.select_related("kind", "campaign")}
    groups = defaultdict(list)
    for claim in claims:
        groups[(claim.org_id, claim.report.starts_on, claim.report.ends_on)].append(claim)
    rows = []
    for (_org_id, start, end), members in groups.items():
        org = members[0].org
        wanted = [metrics[c.metric] for c in members if c.metric in metrics]
        found = stats.figures(
            list({m.code: m for m in wanted}.values()), [org], date_range(start, end)
        )
        found = found.get(org.pk, {})
        for claim in members:
            metric = metrics.get(claim.metric)
            if claim.metric == FOCUS_AREAS:
                ledger = Decimal(len(campaign.focus_areas))
            elif metric is not None:
                ledger = _comparable(claim, metric, found.get(metric.code))
            else:
                ledger = None
            if ledger is None:
                rows.append(Row(claim, metric, None, None, None))
                continue
            rows.append(
                Row(claim, metric, ledger, difference(claim, ledger), agrees(claim, ledger))
            )
    rows.sort(key=lambda r: (r.claim.org.path, r.claim.report_id, r.claim.start))
    return rows
