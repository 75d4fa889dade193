"""Fast inserts for large writes (imports, the demo generator).

Django's bulk_create spends most of its time compiling SQL row by row; at 100,000 rows that
is seconds. Here rows go to PostgreSQL through COPY, with ids taken from the table's
sequence first, and to SQLite through one executemany. Callers pass rows as sequences
in the order of the columns they name (foreign keys by attname, e.g. `org_id`) and get the
new ids back, in order.
Only services call this, inside their transaction (DESIGN.md rule 2)."""

import datetime
import json
from contextlib import contextmanager, suppress

from django.db import connection, models
from django.utils import timezone


def _converter(field, vendor):
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if vendor == "postgresql":
        return None
    if isinstance(field, models.DateTimeField):
        return lambda v: (
            None if v is None else v.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        )
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    return None


def _prepared(model, columns, vendor):
    """The fields to write (those named, then the rest with their defaults) and a function
    turning a row of the named columns into the values of all of them."""
    now = timezone.now()
    by_name = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    rest = [f for name, f in by_name.items() if name not in columns]
    tail = []
    for field in rest:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            tail.append(now)
        elif field.has_default():
            tail.append(field.get_default())
        elif field.null:
            tail.append(None)
        else:
            tail.append("")  # blank text fields; anything else fails in the database
    fields = [by_name[name] for name in columns] + rest
    converters = [
        (index, convert)
        for index, convert in enumerate(_converter(f, vendor) for f in fields)
        if convert is not None
    ]

    def values(row):
        out = [*row, *tail]
        for index, convert in converters:
            out[index] = convert(out[index])
        return out

    return fields, values


class _Abandoned(Exception):
    pass


class Stream:
    """Rows written as they come (`write`), for a caller that checks rows one by one: on
    PostgreSQL they go down one COPY at once, so the server parses them and checks their
    foreign keys while the caller checks the next rows; on SQLite they are inserted in one
    executemany at the end. Use inside the caller's transaction, through `stream`."""

    def __init__(self, cursor, model, columns):
        self.cursor, self.model, self.count = cursor, model, 0
        self.vendor = connection.vendor
        self.fields, self.values = _prepared(model, columns, self.vendor)
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.quoted = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.copy = self.pending = None
        if self.vendor == "postgresql":
            # The foreign keys are checked row by row as the rows arrive, not all at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.copying = cursor.cursor.copy(f"COPY {self.table} ({self.quoted}) FROM STDIN")
            self.copy = self.copying.__enter__()
            connection.copying = True  # no other query on this connection until it ends
        else:
            self.pending = []

    def write(self, row):
        self.count += 1
        if self.copy is not None:
            self.copy.write_row(self.values(row))
        else:
            self.pending.append(self.values(row))

    def close(self, error=None):
        if self.copy is not None:
            connection.copying = False
            if error is None:
                self.copying.__exit__(None, None, None)
                self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                return
            # The COPY is abandoned with a short reason of our own (the caller's error may
            # hold a megabyte of cell text); the transaction is rolled back by the caller.
            stop = _Abandoned("rows abandoned")
            with suppress(Exception):  # PostgreSQL's answer to the abandoned COPY
                self.copying.__exit__(_Abandoned, stop, None)
        elif self.pending and error is None:
            placeholders = ", ".join(["%s"] * len(self.fields))
            self.cursor.executemany(
                f"INSERT INTO {self.table} ({self.quoted}) VALUES ({placeholders})", self.pending
            )


@contextmanager
def stream(model, columns: list[str]):
    """A `Stream` of rows into `model`'s table (sequences in the order of `columns`); the
    rows are all written when the block ends, none if it raises."""
    if not connection.in_atomic_block:
        raise RuntimeError("a stream of rows is written inside the caller's transaction")
    with connection.cursor() as cursor:
        writer = Stream(cursor, model, columns)
        try:
            yield writer
        except BaseException as error:
            writer.close(error)
            raise
        writer.close()


def insert(model, columns: list[str], rows: list) -> list[int]:
    """Insert `rows` (sequences of values in the order of `columns`, field attnames) into
    `model`'s table; return their new ids. Fields not in `columns` get their default
    (auto_now fields the current time)."""
    if not rows:
        return []
    vendor = connection.vendor
    fields, values = _prepared(model, columns, vendor)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            pk = model._meta.pk.column
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            sql = f"COPY {table} ({connection.ops.quote_name(pk)}, {quoted}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for id_, row in zip(ids, rows, strict=True):
                    copy.write_row([id_, *values(row)])
            return ids
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", [values(r) for r in rows]
        )
        # One executemany under SQLite's write lock: the ids are consecutive.
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))
