"""The venue counts (`VenueCount`): active venues by kind and tier owned in each org's
subtree, changed with every venue written and every subtree moved."""

from collections import defaultdict

from django.db import connection

from taizhang.ledger.models import Venue, VenueCount
from taizhang.orgs.models import Org

TABLE = VenueCount._meta.db_table


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
    paths = org.ancestor_paths()
    return [org_id, *Org.objects.filter(path__in=paths).values_list("id", flat=True)]


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


def rebuild_sql(depth):
    """Statements filling the empty table from the venues: each owner's, then each level's
    from the level below, deepest first."""
    org, columns = Org._meta.db_table, "org_id, kind, tier, venues"
    yield (
        f"INSERT INTO {TABLE} ({columns}) SELECT owner_id, kind, tier, COUNT(*) "
        f"FROM {Venue._meta.db_table} WHERE active = %s GROUP BY owner_id, kind, tier",
        [True],
    )
    for level in range(depth, 1, -1):
        yield (
            f"INSERT INTO {TABLE} ({columns}) SELECT p.id, t.kind, t.tier, SUM(t.venues) "
            f"FROM {TABLE} t JOIN {org} o ON o.id = t.org_id "
            f"JOIN {org} p ON p.path = SUBSTR(o.path, 1, {(level - 1) * Org.steplen}) "
            f"WHERE o.depth = {int(level)} GROUP BY p.id, t.kind, t.tier "
            f"ON CONFLICT (org_id, kind, tier) DO UPDATE SET venues = {TABLE}.venues + excluded.venues",
            [],
        )
