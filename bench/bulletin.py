"""Benchmark: generating bulletins on the demo. For the top org (the province at --scale >
1, else the city), Ningbo and one district, prints the p50 and max over a few runs of
- writing the draft (every figure computed from the totals, 各地动态, gaps), stored;
- the Word document, the statistics appendix (.xlsx) and the text;
and the whole (draft + .docx). Prints figures only; nothing here asserts a time.

Run: `make bench-bulletin` (the demo at scale 1 in SQLite), or
     `BULLETIN_SCALE=30 bench/bulletin.sh` (scale 30 on a throwaway PostgreSQL: ~20 min),
     or `.venv/bin/python bench/bulletin.py` with DATABASE_URL pointing at a demo."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from taizhang.audit.services import Actor  # noqa: E402
from taizhang.bulletins import appendix, services, text, word  # noqa: E402
from taizhang.bulletins.template import load, templates_of  # noqa: E402
from taizhang.campaigns.models import Campaign  # noqa: E402
from taizhang.orgs.models import Org  # noqa: E402
from taizhang.stats.periods import whole  # noqa: E402

RUNS = int(os.environ.get("BULLETIN_RUNS", "5"))


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - started) * 1000


def main():
    campaign = Campaign.objects.current()
    template = load(templates_of(campaign)["bulletin"])
    period = whole(campaign)
    top = Org.objects.filter(depth=1).order_by("path").first()
    orgs = [top] + [o for o in Org.objects.filter(code__in=["3302", "330203"]) if o != top]
    actor = Actor.cli("bench")
    print(f"{connection.vendor}; {Org.objects.count():,} orgs; {RUNS} runs each")
    for org in orgs:
        times = {"draft": [], "docx": [], "xlsx": [], "txt": [], "draft+docx": []}
        for _run in range(RUNS):
            with transaction.atomic():
                bulletin, ms = timed(
                    lambda org=org: services.generate(
                        actor, template, campaign=campaign, org=org, period=period
                    )
                )
                times["draft"].append(ms)
                _doc, docx_ms = timed(lambda b=bulletin: word.document(b))
                times["docx"].append(docx_ms)
                times["draft+docx"].append(ms + docx_ms)
                times["xlsx"].append(timed(lambda b=bulletin: appendix.appendix(b))[1])
                times["txt"].append(timed(lambda b=bulletin: text.plain(b))[1])
                figures = bulletin.figures.count()
                transaction.set_rollback(True)
        shown = ", ".join(
            f"{name} p50 {statistics.median(v):.0f} ms (max {max(v):.0f})"
            for name, v in times.items()
        )
        print(f"{org.name} ({figures} figures): {shown}")


if __name__ == "__main__":
    main()
