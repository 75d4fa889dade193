"""Benchmark: the API's bulk create. Posts 1,000 activities (spread over a district's towns,
villages and branches) in one request through the whole stack in process — token, JSON,
every item checked by the kind's rules, written with totals and history — median of 3
runs, and checks afterwards that `stats rebuild --check` finds no drift. Prints figures
only; nothing here asserts a time.

Run: `make bench-api` (the demo at scale 1 on a throwaway PostgreSQL when one can be
started, else SQLite), or `.venv/bin/python bench/api.py` with DATABASE_URL at a demo."""

import datetime
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from taizhang.api import tokens  # noqa: E402
from taizhang.audit.services import Actor  # noqa: E402
from taizhang.campaigns.models import Campaign  # noqa: E402
from taizhang.ledger.models import Activity  # noqa: E402
from taizhang.orgs.models import Org, OrgKind, User  # noqa: E402

ITEMS = 1000


def items(orgs, run):
    start = datetime.date(2019, 9, 2)
    return [
        {
            "org": orgs[i % len(orgs)].code,
            "kind": "party_lecture",
            "starts_on": str(start + datetime.timedelta(days=(i + run) % 90)),
            "title": f"接口批量 {run}-{i}",
            "lecturer_role": "secretary",
            "participants": 10 + i % 40,
        }
        for i in range(ITEMS)
    ]


def main():
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    campaign = Campaign.objects.current()
    district = Org.objects.get(code="330203")
    kinds = campaign.kinds.get(code="party_lecture").org_kinds or list(OrgKind.values)
    orgs = list(
        Org.objects.filter(path__startswith=district.path, kind__in=kinds, active=True)[:300]
    )
    user = User.objects.get(username="haishu")
    _token, secret = tokens.create_token(
        Actor.cli("bench", user=user), name="bench", read_only=False
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    before = Activity.objects.count()
    print(f"{connection.vendor}; {Org.objects.count():,} orgs; {before:,} activities")
    times = []
    for run in range(3):
        body = json.dumps({"items": items(orgs, run)})
        started = time.perf_counter()
        response = client.post("/api/v1/activities/bulk/", body, content_type="application/json")
        times.append(time.perf_counter() - started)
        if response.status_code != 201:
            raise SystemExit(
                f"bulk create answered {response.status_code}: {response.content[:300]}"
            )
    written = Activity.objects.count() - before
    print(
        f"bulk create of {ITEMS:,} activities: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}); {written:,} written"
    )
    out = io.StringIO()
    call_command("stats", "rebuild", "--check", stdout=out)
    print(out.getvalue().strip().splitlines()[-1])


if __name__ == "__main__":
    main()
