"""`/healthz`: what a load balancer asks. The database, each replica (up, lag, whether
reads go to it) and the task worker, in JSON; no sign-in, and nothing else revealed (no
host, no version, no count). 200 while the primary answers, else 503."""

import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from taizhang import replicas


@never_cache
@require_safe
def healthz(request):
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except DatabaseError:
        database = {"ok": False}
    chosen = replicas.choose() if settings.REPLICAS else None
    found = []
    for n, alias in enumerate(settings.REPLICAS, start=1):
        state = replicas.state(alias)
        found.append(
            {
                "replica": n,
                "ok": state["ok"],
                "lag_seconds": None if state["lag"] is None else round(state["lag"], 2),
                "reading": alias == chosen,
                **({"problem": state["error"]} if state["error"] else {}),
            }
        )
    worker = {"running": _worker_running() if database["ok"] else None}
    ok = database["ok"]
    status = "ok" if ok and all(r["ok"] for r in found) and worker["running"] else "degraded"
    body = {"status": status if ok else "down", "database": database, "replicas": found,
            "worker": worker}  # fmt: skip
    return JsonResponse(body, status=200 if ok else 503)


def _worker_running():
    from taizhang.jobs.services import workers_running

    try:
        return workers_running()
    except DatabaseError:
        return None
