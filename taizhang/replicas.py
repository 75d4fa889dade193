"""Read replicas (`TAIZHANG_REPLICA_URLS`): a read-only request (GET or HEAD) reads from a
replica, and everything else — every write, and every read inside a transaction, as in a
save — from the primary. With `synchronous_commit = remote_apply` on the primary (README,
Deployment), a replica has applied a write before the write returns, so a figure read
from it just after a save already counts the save.

A replica is used only while it answers and has not fallen behind by more than
`REPLICA_MAX_LAG_SECONDS`; it is looked at again every few seconds. Otherwise reads go to
the primary, and that is logged once per change of state."""

import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)
CHECK_EVERY = 2.0  # seconds between looks at a replica's health
CONNECT_TIMEOUT = 2  # seconds: a stopped replica must not hold a page up

_reading = contextvars.ContextVar("taizhang_read_only_request", default=False)
_lock = threading.Lock()
_states = {}  # alias -> {"ok": bool, "lag": float | None, "checked": monotonic, "error": str}

LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE "
    "WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


class ReadOnlyRequestMiddleware:
    """Marks GET and HEAD requests as read-only for the router, for their duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading.set(request.method in ("GET", "HEAD"))
        try:
            return self.get_response(request)
        finally:
            _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reading.get() or connections["default"].in_atomic_block:
            return "default"
        return choose() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, **hints):
        return db not in settings.REPLICAS


def choose():
    """The first replica fit to read from, or None (read from the primary)."""
    for alias in settings.REPLICAS:
        if state(alias)["ok"]:
            return alias
    return None


def state(alias, *, fresh=False) -> dict:
    """{"ok", "lag", "error"} of a replica, looked at again when older than CHECK_EVERY."""
    now = time.monotonic()
    with _lock:
        known = _states.get(alias)
    if known is not None and not fresh and now - known["checked"] < CHECK_EVERY:
        return known
    found = _look_at(alias)
    found["checked"] = now
    with _lock:
        _states[alias] = found
    if known is None or known["ok"] != found["ok"]:
        if found["ok"]:
            logger.warning("replica %s: reading from it (lag %.1f s)", alias, found["lag"])
        else:
            logger.warning(
                "replica %s: reading from the primary instead (%s)", alias, found["error"]
            )
    return found


def _look_at(alias):
    connection = connections[alias]
    connection.settings_dict.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", CONNECT_TIMEOUT
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as exc:
        connection.close()
        return {"ok": False, "lag": None, "error": type(exc).__name__}
    lag = float(lag or 0)
    if not in_recovery:
        return {"ok": False, "lag": lag, "error": "not a replica (not in recovery)"}
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return {"ok": False, "lag": lag, "error": f"{lag:.1f} s behind"}
    return {"ok": True, "lag": lag, "error": ""}


def forget():
    """Look at every replica again on the next read (tests, after stopping one)."""
    with _lock:
        _states.clear()
