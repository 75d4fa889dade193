"""What each kind of write does to the totals: a record counted, edited, taken out, or
kept outside the ledger; an org moved or reclassified."""

from collections import defaultdict

from taizhang.campaigns.models import NUMBER_FIELDS, ActivityKind
from taizhang.ledger.models import MonthReach, MonthReachCount, Reach, ReachCount, Total
from taizhang.ledger.totals import venues
from taizhang.ledger.totals.sql import (
    SECTOR_KIND_TOTALS,
    SECTOR_MONTH_COUNTS,
    SECTOR_REACH_COUNTS,
    SECTOR_TOTALS,
    VALUES,
    write_month_counts,
    write_reach_counts,
    zeros,
)
from taizhang.ledger.totals.tally import Tally
from taizhang.orgs.mirror import copy_member


def add_activity(activity, sign=1):
    """Count one saved activity into the totals (sign -1: take it out)."""
    tally = Tally()
    tally.add(activity.org, activity.kind_id, activity.starts_on, _numbers(activity), sign)
    tally.write()


def _numbers(activity):
    return {name: getattr(activity, name) for name in NUMBER_FIELDS}


def counted(activity) -> dict:
    """What an activity contributes to the totals, for `replace_activity`."""
    return {
        "org": activity.org,
        "kind_id": activity.kind_id,
        "starts_on": activity.starts_on,
        **_numbers(activity),
    }


def replace_activity(before: dict, activity):
    """An edited activity: take out what it counted before (`counted` of it then), count
    what it counts now."""
    tally = Tally()
    tally.add(before["org"], before["kind_id"], before["starts_on"], before, -1)
    tally.add(activity.org, activity.kind_id, activity.starts_on, _numbers(activity))
    tally.write()


def recount(before, after):
    """A record kept outside the ledger changed (a report, a problem, a rectification…):
    take out what it counted before and count what it counts now; both are
    `campaigns.sources.counted` of the record. Sources the campaign has no kind for count
    nowhere."""
    if _comparable(before) == _comparable(after):
        return
    codes = {entry[0] for entry in (*before, *after)}
    kinds = {
        (k.campaign_id, k.source): k.pk
        for k in ActivityKind.objects.filter(source__in=codes).only("campaign_id", "source")
    }
    tally = Tally()
    for entries, sign in ((before, -1), (after, 1)):
        for code, campaign_id, org, day, values in entries:
            kind_id = kinds.get((campaign_id, code))
            if kind_id is not None:
                tally.add(org, kind_id, day, values, sign)
    tally.write()


def _comparable(entries):
    return sorted(
        (code, campaign_id, org.pk, day, sorted(values.items()))
        for code, campaign_id, org, day, values in entries
    )


def move_subtree(org, old_ancestor_ids, new_ancestor_ids):
    """An org moved with its subtree: its old ancestors lose the subtree's totals and counts
    and its new ones gain them; rows inside the subtree stay as they are."""
    venues.move(org, old_ancestor_ids, new_ancestor_ids)
    subtree = defaultdict(zeros)
    for row in Total.objects.filter(org_id=org.pk).values_list("kind_id", "day", *VALUES):
        acc = subtree[row[:2]]
        for i, n in enumerate(row[2:]):
            acc[i] += n
    tally = Tally()
    for (kind_id, day), numbers in subtree.items():
        for ancestor_id in old_ancestor_ids:
            tally.bump((ancestor_id, kind_id, day, False), [-n for n in numbers])
        for ancestor_id in new_ancestor_ids:
            tally.bump((ancestor_id, kind_id, day, False), numbers)
    tally.write()
    for model, day, write in (
        (ReachCount, "day", write_reach_counts),
        (MonthReachCount, "month", write_month_counts),
    ):
        counts = defaultdict(int)
        rows = model.objects.filter(org_id=org.pk).values_list("kind_id", "org_kind", day, "orgs")
        for kind_id, org_kind, when, n in rows:
            for ancestor_id in old_ancestor_ids:
                counts[(ancestor_id, kind_id, org_kind, when)] -= n
            for ancestor_id in new_ancestor_ids:
                counts[(ancestor_id, kind_id, org_kind, when)] += n
        write(counts)


def reclassify(org, before, after):
    """An org's kind or active flag changed: move its own reach between the counts' kinds
    (an inactive org is counted nowhere)."""
    (old_kind, was_active), (new_kind, is_active) = before, after
    targets = [org.pk, *Tally().ancestors_of(org)]
    for rows, write in (
        (
            Reach.objects.filter(org_id=org.pk).values_list("kind_id", "first_on"),
            write_reach_counts,
        ),
        (
            MonthReach.objects.filter(org_id=org.pk).values_list("kind_id", "month"),
            write_month_counts,
        ),
    ):
        counts = defaultdict(int)
        for kind_id, day in rows:
            for target in targets:
                if was_active:
                    counts[(target, kind_id, old_kind, day)] -= 1
                if is_active:
                    counts[(target, kind_id, new_kind, day)] += 1
        write(counts)


# The sector systems' twins of the ledger's org-keyed tables, by name (`rebuild` reports
# each one's rows).
TWINS = {
    "sector_totals": SECTOR_TOTALS,
    "sector_kind_totals": SECTOR_KIND_TOTALS,
    "sector_reach_counts": SECTOR_REACH_COUNTS,
    "sector_month_reach_counts": SECTOR_MONTH_COUNTS,
    "sector_venue_counts": venues.SECTOR_VENUE_COUNTS,
}


def count_member(sector_id, org_id, sign):
    """An org joined (sign 1) or left (-1) a sector system: its subtree's totals and counts
    are added to or taken from the sector's."""
    for twin in TWINS.values():
        copy_member(twin, sector_id, org_id, sign)
