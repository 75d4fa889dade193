"""The venue counts (`VenueCount`): active venues by kind and tier owned in each org's
subtree, changed with every venue written and every subtree moved."""

from collections import defaultdict

from django.db import connection

from taizhang.ledger.models import SectorVenueCount, Venue, VenueCount
from taizhang.ledger.totals.sql import roll_up_sql
from taizhang.ledger.totals.tally import Tally
from taizhang.orgs.mirror import Twin, mirror
from taizhang.orgs.models import Org

TABLE = VenueCount._meta.db_table
SECTOR_VENUE_COUNTS = Twin(TABLE, SectorVenueCount._meta.db_table, ("kind", "tier"), ("venues",))


def counted(venue):
    """What a venue counts: (owner id, kind, tier), or None for an inactive one."""
    return (venue.owner_id, venue.kind, venue.tier) if venue.active else None


def change(before, after):
    """A venue written: take out what it counted `before` and count what it counts `after`
    (each `counted` of it, or None)."""
    deltas = defaultdict(int)
    for entry, sign in ((before, -1), (after, 1)):
        if entry is None:
            continue
        owner_id, kind, tier = entry
        for org_id in _chain(owner_id):
            deltas[(org_id, kind, tier)] += sign
    write(deltas)


def add_many(venues):
    deltas = defaultdict(int)
    chains = {}
    for venue in venues:
        if not venue.active:
            continue
        if venue.owner_id not in chains:
            chains[venue.owner_id] = _chain(venue.owner_id)
        for org_id in chains[venue.owner_id]:
            deltas[(org_id, venue.kind, venue.tier)] += 1
    write(deltas)


def move(org, old_ancestor_ids, new_ancestor_ids):
    """An org moved with its subtree: its venue counts leave its old ancestors for its new."""
    deltas = defaultdict(int)
    rows = VenueCount.objects.filter(org_id=org.pk).values_list("kind", "tier", "venues")
    for kind, tier, n in rows:
        for ancestor_id in old_ancestor_ids:
            deltas[(ancestor_id, kind, tier)] -= n
        for ancestor_id in new_ancestor_ids:
            deltas[(ancestor_id, kind, tier)] += n
    write(deltas)


def _chain(org_id):
    """The org's id and its ancestors', from its path as it is now (an org in hand may
    have moved since it was read)."""
    org = Org.objects.only("path").get(pk=org_id)
    return [org_id, *Tally().ancestors_of(org)]


def write(deltas):
    rows = [(org_id, kind, tier, n) for (org_id, kind, tier), n in deltas.items() if n]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (org_id, kind, tier, venues) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (org_id, kind, tier) DO UPDATE SET venues = {TABLE}.venues + excluded.venues",
            rows,
        )
    shrunk = sorted({org_id for org_id, _k, _t, n in rows if n < 0})
    if shrunk:
        VenueCount.objects.filter(org_id__in=shrunk, venues__lte=0).delete()
    mirror(SECTOR_VENUE_COUNTS, deltas)


def rebuild_sql():
    """Statements filling the empty table from the venues: each owner's, then each level's
    from the level below."""
    yield (
        f"INSERT INTO {TABLE} (org_id, kind, tier, venues) SELECT owner_id, kind, tier, "
        f"COUNT(*) FROM {Venue._meta.db_table} WHERE active = %s GROUP BY owner_id, kind, tier",
        [True],
    )
    yield from roll_up_sql(TABLE, ("kind", "tier"), "venues")
