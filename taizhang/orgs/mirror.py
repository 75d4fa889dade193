"""A sector system's kept totals: for a table keyed by org that holds each org's subtree
figures (the subtree counts here, the ledger's totals and counts), a twin keyed by sector
that holds the sum of the current members' rows. Members never nest, so a record counts
at most once in a sector, through the one member above it.

Every change to an org-keyed table is a set of deltas ({(org id, *key): numbers}); the
same deltas, for the orgs that are members, are added to the twin (`mirror`). A member
joining or leaving adds or takes out all its rows (`copy_member`); `rebuild_sql` sums the
twin afresh from the org rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from taizhang.orgs.models import SectorMember

CHUNK = 5000


@dataclass(frozen=True)
class Twin:
    org_table: str
    sector_table: str
    keys: tuple  # the columns besides org_id / sector_id
    values: tuple  # added up; a row whose first value falls to zero or below is deleted

    @property
    def conflict(self):
        adding = ", ".join(f"{v} = {self.sector_table}.{v} + excluded.{v}" for v in self.values)
        return f"ON CONFLICT (sector_id, {', '.join(self.keys)}) DO UPDATE SET {adding}"


def sectors_of(org_ids) -> dict:
    """{org id: [sector ids]} for the orgs among `org_ids` that are current members."""
    out = defaultdict(list)
    ids = sorted(set(org_ids))
    for start in range(0, len(ids), CHUNK):
        rows = SectorMember.objects.current().filter(org_id__any=ids[start : start + CHUNK])
        for org_id, sector_id in rows.order_by().values_list("org_id", "sector_id"):
            out[org_id].append(sector_id)
    return out


def _params(row):
    if connection.vendor != "sqlite":
        return row
    return [v.isoformat() if isinstance(v, datetime.date) else v for v in row]


def mirror(twin: Twin, deltas: dict):
    """Add `deltas` ({(org id, *key): number or numbers}) of the members to their sectors."""
    if not deltas:
        return
    sectors = sectors_of(key[0] for key in deltas)
    if not sectors:
        return
    width = len(twin.values)
    out = {}
    for key, numbers in deltas.items():
        numbers = numbers if isinstance(numbers, list | tuple) else (numbers,)
        for sector_id in sectors.get(key[0], ()):
            row = out.setdefault((sector_id, *key[1:]), [0] * width)
            for i in range(width):
                row[i] += numbers[i]
    write(twin, out)


def write(twin: Twin, rows: dict):
    """Add {(sector id, *key): numbers} to the twin; rows left empty are deleted."""
    rows = {key: numbers for key, numbers in rows.items() if any(numbers)}
    if not rows:
        return
    columns = ("sector_id", *twin.keys, *twin.values)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {twin.sector_table} ({', '.join(columns)}) VALUES ({placeholders}) "
            f"{twin.conflict}",
            [_params([*key, *numbers]) for key, numbers in sorted(rows.items())],
        )
        shrunk = sorted({key[0] for key, numbers in rows.items() if numbers[0] < 0})
        if shrunk:
            cursor.execute(
                f"DELETE FROM {twin.sector_table} WHERE {twin.values[0]} <= 0 "
                f"AND sector_id IN ({', '.join(['%s'] * len(shrunk))})",
                shrunk,
            )


def copy_member(twin: Twin, sector_id, org_id, sign):
    """A member joined (sign 1) or left (-1): its rows are added to or taken from the twin."""
    keys = ", ".join(twin.keys)
    values = ", ".join(twin.values)
    signed = ", ".join(f"%s * {v}" for v in twin.values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {twin.sector_table} (sector_id, {keys}, {values}) "
            f"SELECT %s, {keys}, {signed} FROM {twin.org_table} WHERE org_id = %s "
            f"ORDER BY {keys} {twin.conflict}",
            [sector_id, *[sign] * len(twin.values), org_id],
        )
        if sign < 0:
            cursor.execute(
                f"DELETE FROM {twin.sector_table} WHERE sector_id = %s AND {twin.values[0]} <= 0",
                [sector_id],
            )


def rebuild_sql(twin: Twin):
    """The statement filling the (emptied) twin from the org rows of the current members."""
    keys = ", ".join(f"t.{k}" for k in twin.keys)
    sums = ", ".join(f"SUM(t.{v})" for v in twin.values)
    return (
        f"INSERT INTO {twin.sector_table} (sector_id, {', '.join(twin.keys)}, "
        f"{', '.join(twin.values)}) SELECT m.sector_id, {keys}, {sums} FROM {twin.org_table} t "
        f"JOIN {SectorMember._meta.db_table} m ON m.org_id = t.org_id "
        f"WHERE m.left_on IS NULL GROUP BY m.sector_id, {keys}",
        [],
    )
