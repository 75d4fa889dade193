"""Benchmark: the statistics engine on the demo (run `taizhang demo --scale 30` first for
~100k orgs and ~9M records). Prints p50/p95 for
- one org's headline metrics at province, city and district level (from the totals table);
- lecture coverage and the first page of its gap list for the province;
- the full dashboard page over HTTP (Django's test client: server time);
- saving one activity, its totals and history included;
and, in the same run, the headline sums computed DHIS2's way: a group-by over a flat copy of
the records carrying one column per ancestor level (built here first, as DHIS2's analytics
job would; its build time is printed too).

Run: `make bench-stats` (builds scale 30 on a throwaway PostgreSQL: ~15 min), or
     `.venv/bin/python bench/stats.py` with DATABASE_URL pointing at a database holding the demo.
Prints figures only; nothing here asserts a time."""

import datetime
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
from django.test import Client  # noqa: E402

from taizhang.audit.services import Actor  # noqa: E402
from taizhang.campaigns.models import NUMBER_FIELDS, Campaign  # noqa: E402
from taizhang.demo import ningbo  # noqa: E402
from taizhang.ledger import services  # noqa: E402
from taizhang.ledger.models import Activity, Total  # noqa: E402
from taizhang.orgs import services as org_services  # noqa: E402
from taizhang.orgs.models import Org, OrgKind, Role, User  # noqa: E402
from taizhang.stats import coverage, figures, periods  # noqa: E402

ACTOR = Actor.cli("bench")


def timed(fn, runs):
    """(p50, p95) in milliseconds over `runs` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def line(label, p50, p95, goal=""):
    print(f"  {label:<58} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   {goal}")


def flat_table(depth):
    """DHIS2's analytics table: every record with its ancestors' ids, one column per level."""
    levels = ", ".join(
        f"SUBSTR(o.path, 1, {level * Org.steplen}) AS level{level}" for level in range(1, depth + 1)
    )
    values = ", ".join(f"a.{f}" for f in NUMBER_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_flat_activity")
        cursor.execute(
            f"CREATE TABLE bench_flat_activity AS SELECT a.kind_id, a.starts_on, {values}, {levels} "
            f"FROM {Activity._meta.db_table} a JOIN {Org._meta.db_table} o ON o.id = a.org_id"
        )
        for level in range(1, depth + 1):
            cursor.execute(
                f"CREATE INDEX bench_flat_level{level} ON bench_flat_activity (level{level})"
            )
        cursor.execute(
            "ANALYZE bench_flat_activity" if connection.vendor == "postgresql" else "ANALYZE"
        )


def flat_sums(org, period):
    sums = ", ".join(f"SUM({f})" for f in NUMBER_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind_id, COUNT(*), {sums} FROM bench_flat_activity "
            f"WHERE level{org.depth} = %s AND starts_on BETWEEN %s AND %s GROUP BY kind_id",
            [org.path, period.start, period.end],
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def totals_sums(org, kind_ids, period):
    """The sums by kind from the daily totals rows (any period could be asked)."""
    return figures.sums([org.pk], kind_ids, period)[0]


def bench_user(org):
    user = User.objects.filter(username="bench-manager").first()
    if user is None:
        user = org_services.create_user(
            ACTOR, username="bench-manager", password="bench-2019-x", org=org, role=Role.MANAGER
        )
    elif user.org_id != org.pk:
        user.org = org
        user.save()
    return user


def main():
    campaign = Campaign.objects.current()
    if campaign is None or not Activity.objects.exists():
        sys.exit("No demo here: run `taizhang demo --scale 30` first.")
    top = Org.objects.filter(code=ningbo.PROVINCE_CODE).first() or Org.objects.get(
        code=ningbo.ROOT_CODE
    )
    cities = list(Org.objects.filter(kind=OrgKind.CITY_COMMITTEE).order_by("path"))
    city = cities[1] if len(cities) > 1 else cities[0]  # a synthetic city (4× Ningbo's volume)
    district = Org.objects.get_children(city).filter(kind=OrgKind.DISTRICT).first()
    whole = periods.whole(campaign)
    metrics = list(campaign.metrics.select_related("kind"))
    headline = [m for m in metrics if m.aggregate not in figures.PER_ORG]
    lectures = next(m for m in metrics if m.code == "party_lecture_coverage")
    kind_ids = [k.pk for k in campaign.kinds.all()]
    print(
        f"Database: {connection.vendor}; organisations {Org.objects.count():,}; "
        f"records {Activity.objects.count():,}; totals rows {Total.objects.count():,}"
    )
    levels = [("province", top), ("city", city), ("district", district)]
    if top.pk == city.pk:
        levels = levels[1:]

    print("Headline metrics of one org (all the campaign's sums and averages):")
    headline_p50 = {}
    for label, org in levels:
        p50, p95 = timed(lambda org=org: figures.figures(headline, [org], whole), 50)
        headline_p50[label] = p50
        line(f"{label}: {org.name} ({len(headline)} metrics)", p50, p95, "goal ≤ 5 ms")

    print("Coverage and gap list (专题党课 over villages, communities and branches):")
    p50, p95 = timed(lambda: coverage.coverage(lectures, top, whole), 20)
    covered, eligible = coverage.coverage(lectures, top, whole)
    line(f"coverage count, {top.name} ({covered:,}/{eligible:,})", p50, p95, "goal ≤ 100 ms")
    p50, p95 = timed(lambda: coverage.gap_ids(lectures, top, whole, limit=50), 20)
    line(f"gap list, first page, {top.name}", p50, p95, "goal ≤ 100 ms")
    # Mid-campaign, most branches have not held their lecture yet: the list the office
    # phones down is long.
    mid = periods.date_range(campaign.starts_on, datetime.date(2019, 10, 15))
    covered, eligible = coverage.coverage(lectures, top, mid)
    p50, p95 = timed(lambda: coverage.coverage(lectures, top, mid), 20)
    line(f"coverage count by 2019-10-15 ({covered:,}/{eligible:,})", p50, p95, "goal ≤ 100 ms")
    p50, p95 = timed(lambda: coverage.gap_ids(lectures, top, mid, limit=50), 20)
    line("gap list by 2019-10-15, first page", p50, p95, "goal ≤ 100 ms")
    last = max(eligible - covered - 50, 0)
    p50, p95 = timed(lambda: coverage.gap_ids(lectures, top, mid, offset=last, limit=50), 20)
    line(f"gap list by 2019-10-15, last page (from gap {last + 1:,})", p50, p95, "goal ≤ 100 ms")
    october = periods.parse(campaign, "month-2019-10")
    p50, p95 = timed(lambda: coverage.coverage(lectures, top, october), 10)
    line("coverage count for one month (2019-10)", p50, p95, "goal ≤ 100 ms")
    covered, eligible = coverage.coverage(lectures, top, october)
    p50, p95 = timed(lambda: coverage.gap_ids(lectures, top, october, limit=50), 10)
    line(f"gap list for 2019-10, first page ({eligible - covered:,} gaps)", p50, p95)
    last = max(eligible - covered - 50, 0)
    p50, p95 = timed(lambda: coverage.gap_ids(lectures, top, october, offset=last, limit=50), 10)
    line("gap list for 2019-10, last page", p50, p95)
    week = periods.parse(campaign, "week-2019-W42")
    p50, p95 = timed(lambda: coverage.coverage(lectures, top, week), 10)
    line("coverage count for one week (2019-W42)", p50, p95)

    print("Dashboard page over HTTP (server time, in-process client):")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bench_user(top))
    for label, org in levels:
        url = f"/stats/orgs/{org.pk}/"
        assert client.get(url).status_code == 200
        p50, p95 = timed(lambda url=url: client.get(url), 10)
        line(f"{label}: {org.name}", p50, p95, "goal ≤ 150 ms")

    print("Saving one activity (record, totals of the org and its ancestors, history):")
    branch = Org.objects.filter(path__startswith=city.path, kind=OrgKind.BRANCH).last()
    lecture = campaign.kinds.get(code="party_lecture")
    saved = []
    days = iter(range(10_000))

    def save():
        saved.append(
            services.create_activity(
                ACTOR,
                kind=lecture,
                org=branch,
                starts_on=datetime.date(2019, 9, 1) + datetime.timedelta(days=next(days) % 150),
                lecturer_role="member",
                participants=20,
            )
        )

    p50, p95 = timed(save, 50)
    line(f"create at depth {branch.depth} ({branch.name})", p50, p95, "goal ≤ 20 ms")
    with transaction.atomic():
        for activity in saved:
            services.delete_activity(ACTOR, activity)

    print("The same headline sums, DHIS2's way (group-by over a flat copy of the records):")
    start = time.perf_counter()
    flat_table(max(o.depth for _l, o in levels) + 1)
    print(f"  building the flat table (DHIS2's analytics job): {time.perf_counter() - start:.1f} s")
    for label, org in levels:
        kept = totals_sums(org, kind_ids, whole)
        for kind_id, row in flat_sums(org, whole).items():  # both ways give the same sums
            expected = [kept[(org.pk, kind_id)][v] for v in ("records", *NUMBER_FIELDS)]
            assert [n or 0 for n in row] == expected, (org, kind_id)
        p_tot = timed(lambda org=org: totals_sums(org, kind_ids, whole), 30)
        p_flat = timed(lambda org=org: flat_sums(org, whole), 5 if label == "province" else 10)
        line(f"{label}: totals table", *p_tot)
        line(f"{label}: flat group-by", *p_flat, f"totals {p_flat[0] / p_tot[0]:,.0f}× faster")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_flat_activity")


if __name__ == "__main__":
    main()
