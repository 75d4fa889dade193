"""The subtree counts (`SubtreeCount`): how many active orgs of each kind lie under each org.
`orgs/services.py` adjusts them in the same transaction as every change to the tree;
`rebuild` recomputes them from the tree."""

from collections import defaultdict

from django.db import connection

from taizhang.orgs import mirror
from taizhang.orgs.models import Org, SectorCount, SubtreeCount

TABLE = SubtreeCount._meta.db_table
SECTOR_COUNTS = mirror.Twin(TABLE, SectorCount._meta.db_table, ("kind",), ("orgs",))


def _ids(paths):
    return dict(Org.objects.filter(path__in=paths).values_list("path", "id")) if paths else {}


def add_orgs(orgs, sign=1):
    """Count `orgs` (saved, with path, kind and active) in themselves and their ancestors."""
    deltas = defaultdict(int)
    prefixes = defaultdict(list)
    for org in orgs:
        if not org.active:
            continue
        for depth in range(1, len(org.path) // Org.steplen + 1):
            prefixes[org.path[: depth * Org.steplen]].append(org.kind)
    ids = _ids(list(prefixes))
    for path, kinds in prefixes.items():
        for kind in kinds:
            deltas[(ids[path], kind)] += sign
    write(deltas)


def move(org, old_ancestor_ids, new_ancestor_ids):
    """An org moved with its subtree: its counts leave its old ancestors for its new ones."""
    deltas = defaultdict(int)
    for kind, n in SubtreeCount.objects.filter(org=org).values_list("kind", "orgs"):
        for ancestor_id in old_ancestor_ids:
            deltas[(ancestor_id, kind)] -= n
        for ancestor_id in new_ancestor_ids:
            deltas[(ancestor_id, kind)] += n
    write(deltas)


def reclassify(org, before, after):
    """An org's (kind, active) changed from `before` to `after`."""
    deltas = defaultdict(int)
    targets = [org.pk, *_ids(org.ancestor_paths()).values()]
    (old_kind, was_active), (new_kind, is_active) = before, after
    for target in targets:
        if was_active:
            deltas[(target, old_kind)] -= 1
        if is_active:
            deltas[(target, new_kind)] += 1
    write(deltas)


def write(deltas):
    rows = [(org_id, kind, n) for (org_id, kind), n in deltas.items() if n]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (org_id, kind, orgs) VALUES (%s, %s, %s) "
            f"ON CONFLICT (org_id, kind) DO UPDATE SET orgs = {TABLE}.orgs + excluded.orgs",
            rows,
        )
    SubtreeCount.objects.filter(orgs__lte=0).filter(
        org_id__in={org_id for org_id, _kind, n in rows if n < 0}
    ).delete()
    mirror.mirror(SECTOR_COUNTS, {(org_id, kind): n for org_id, kind, n in rows})


def rebuild() -> dict:
    """Recount from the tree; return the row count and how many rows differed (drift)."""
    org = Org._meta.db_table
    columns = "org_id, kind, orgs"
    depth = Org.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE kept_counts AS SELECT {columns} FROM {TABLE}")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}) SELECT id, kind, 1 FROM {org} WHERE active = %s",
            [True],
        )
        for level in range(depth, 1, -1):
            cursor.execute(
                f"INSERT INTO {TABLE} ({columns}) SELECT p.id, t.kind, SUM(t.orgs) FROM {TABLE} t "
                f"JOIN {org} o ON o.id = t.org_id "
                f"JOIN {org} p ON p.path = SUBSTR(o.path, 1, {(level - 1) * Org.steplen}) "
                f"WHERE o.depth = {int(level)} GROUP BY p.id, t.kind "
                f"ON CONFLICT (org_id, kind) DO UPDATE SET orgs = {TABLE}.orgs + excluded.orgs"
            )
        drift = _drift(cursor, "kept_counts", TABLE, columns)
        cursor.execute("DROP TABLE kept_counts")
        sectors, columns = SECTOR_COUNTS.sector_table, "sector_id, kind, orgs"
        cursor.execute(
            f"CREATE TEMPORARY TABLE kept_sector_counts AS SELECT {columns} FROM {sectors}"
        )
        cursor.execute(f"DELETE FROM {sectors}")
        cursor.execute(*mirror.rebuild_sql(SECTOR_COUNTS))
        drift += _drift(cursor, "kept_sector_counts", sectors, columns)
        cursor.execute("DROP TABLE kept_sector_counts")
    return {"subtree_counts": SubtreeCount.objects.count(), "drift": drift}


def _drift(cursor, kept, table, columns):
    """How many rows differ between a table and the copy kept before its rebuild."""
    drift = 0
    for left, right in ((kept, table), (table, kept)):
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT {columns} FROM {left} "
            f"EXCEPT SELECT {columns} FROM {right}) a"
        )
        drift += cursor.fetchone()[0]
    return drift
