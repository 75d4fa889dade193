"""Each target's state for an org: met, on track, behind, or overdue."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.models import Org
from taizhang.orgs.scope import in_subtree
from taizhang.stats import coverage, figures, periods


class State(models.TextChoices):
    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    OVERDUE = "overdue", _("Overdue")


@dataclass
class Progress:
    target: object
    org: object
    figure: figures.Figure
    state: str
    expected: Decimal

    @property
    def state_label(self):
        return State(self.state).label


def default_as_of(campaign):
    """Progress is judged as of today, or the campaign's last day once it is over."""
    today = timezone.localdate()
    return min(max(today, campaign.starts_on), campaign.ends_on)


def judge(target, value, as_of) -> tuple[str, Decimal]:
    """(state, the value expected by `as_of` if work went evenly from the start)."""
    start, threshold = target.metric.campaign.starts_on, target.threshold
    span = max((target.deadline - start).days, 1)
    elapsed = min(max((as_of - start).days, 0), span)
    expected = threshold * elapsed / span
    if value is not None and value >= threshold:
        return State.MET, expected
    if as_of > target.deadline:
        return State.OVERDUE, expected
    if value is not None and value >= expected:
        return State.ON_TRACK, expected
    return State.BEHIND, expected


def _period(target, as_of):
    return periods.date_range(target.metric.campaign.starts_on, as_of)


def progress(target, org, as_of, known=None) -> Progress:
    """The target's state for `org`; `known` ({code: Figure}) may hold the figures of the
    period from the campaign's start to `as_of` already."""
    if known is not None and target.metric.code in known:
        figure = known[target.metric.code]
    else:
        period = _period(target, as_of)
        figure = figures.figures([target.metric], [org], period)[org.pk][target.metric.code]
    state, expected = judge(target, figure.value, as_of)
    return Progress(target, org, figure, state, expected)


def progress_below(target, org, as_of) -> list[Progress]:
    """The target's progress for every active org it applies to in `org`'s subtree, in
    tree order. Coverage is counted for all of them with one query per tree level."""
    orgs = list(Org.objects.filter(in_subtree(org, "path"), kind__in=target.org_kinds, active=True))
    metric = target.metric
    period = _period(target, as_of)
    values = {}
    if metric.aggregate in figures.PER_ORG:
        for depth in {o.depth for o in orgs}:
            groups = coverage.coverage_groups(metric, org, period, depth * Org.steplen)
            for o in orgs:
                if o.depth == depth:
                    covered, eligible = groups.get(o.path, (0, 0))
                    values[o.pk] = figures.per_org_figure(metric, covered, eligible)
    else:
        found = figures.figures([metric], orgs, period)
        values = {pk: by_code[metric.code] for pk, by_code in found.items()}
    out = []
    for o in orgs:
        state, expected = judge(target, values[o.pk].value, as_of)
        out.append(Progress(target, o, values[o.pk], state, expected))
    return out


def applies(target, org) -> bool:
    return org.kind in target.org_kinds
