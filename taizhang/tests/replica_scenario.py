"""The replica and restart scenario (test_replica.py): a primary and a streaming replica of
it, both throwaway servers started by the test; this process is the site, using the
Django test client (the same middleware and router as a served request).
`python -m taizhang.tests.replica_scenario` with DATABASE_URL, TAIZHANG_REPLICA_URLS,
PRIMARY_STOP, PRIMARY_START and REPLICA_STOP (the commands stopping and starting the
servers) set; prints what it saw as JSON."""

import datetime
import json
import os
import subprocess
import sys
import types

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def lectures(client, code):
    """The party lectures of the org's subtree, as the figures API shows them."""
    data = client.get(f"/api/v1/orgs/{code}/figures/").json()
    return next(f["value"] for f in data["figures"] if f["metric"] == "party_lectures")


def main():
    from taizhang import replicas
    from taizhang.testing import build_ledger, build_small_ningbo

    call_command("migrate", verbosity=0)
    world = types.SimpleNamespace()
    build_small_ningbo(world)
    build_ledger(world)
    seen = {}
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.force_login(world.hank)
    replica = connections["replica1"]
    with CaptureQueriesContext(replica) as on_replica:
        seen["before"] = lectures(client, world.haishu.code)
        seen["dashboard"] = client.get(f"/stats/orgs/{world.haishu.pk}/").status_code
    seen["replica_queries_reading"] = len(on_replica.captured_queries)
    body = {
        "org": world.shiqi.code, "kind": "party_lecture", "starts_on": "2019-10-25",
        "title": "石碶街道专题党课", "lecturer_role": "secretary", "participants": 60,
    }  # fmt: skip
    with CaptureQueriesContext(replica) as on_replica:
        saved = client.post("/api/v1/activities/", body, content_type="application/json")
    seen["saved"] = saved.status_code
    seen["replica_queries_saving"] = len(on_replica.captured_queries)
    with CaptureQueriesContext(replica) as on_replica:
        seen["after"] = lectures(client, world.haishu.code)  # at once, from the replica
    seen["replica_queries_after"] = len(on_replica.captured_queries)
    seen["health_up"] = client.get("/healthz").json()

    # With its only synchronous replica gone the primary would hold every commit: it stops
    # waiting first, as an operator taking a replica out does (README, Deployment).
    with connections["default"].cursor() as cursor:
        cursor.execute("ALTER SYSTEM RESET synchronous_standby_names")
        cursor.execute("SELECT pg_reload_conf()")
    subprocess.run(os.environ["REPLICA_STOP"], shell=True, check=True)
    replicas.forget()
    seen["replica_down_page"] = client.get(f"/stats/orgs/{world.haishu.pk}/").status_code
    seen["replica_down_figure"] = lectures(client, world.haishu.code)
    seen["health_replica_down"] = client.get("/healthz").json()

    subprocess.run(os.environ["PRIMARY_STOP"], shell=True, check=True, capture_output=True)
    seen["primary_down_page"] = client.get(f"/stats/orgs/{world.haishu.pk}/").status_code
    seen["primary_down_health"] = client.get("/healthz").status_code
    for alias in connections:
        connections[alias].close()  # what the end of each served request does
    subprocess.run(os.environ["PRIMARY_START"], shell=True, check=True, capture_output=True)
    seen["primary_back_page"] = client.get(f"/stats/orgs/{world.haishu.pk}/").status_code
    seen["primary_back_figure"] = lectures(client, world.haishu.code)
    seen["today"] = datetime.date.today().isoformat()
    json.dump(seen, sys.stdout)


if __name__ == "__main__":
    main()
