"""Benchmark: a sector system's figures (条块结合) on the demo at scale 30 (`taizhang demo
--scale 30`: each of the 30 cities has its education, health and rural revitalisation
systems; the largest system is measured). Prints p50/p95 for
- the system's headline figures (every metric of the campaign, from its kept totals);
- the same within one district (the members there, read from their org totals);
- the first page of its gap list for lecture coverage: since the start, one month, a week;
- the system's dashboard page over HTTP (server time, the department's viewer);
- one member joining and leaving (its rows copied into and out of the system's totals);
and, for comparison, the headline figures summed at read time from the members' own
totals (what keeping the system's totals on write saves).

Run: `make bench-sectors` (builds scale 30 on a throwaway PostgreSQL), or
     `.venv/bin/python bench/sectors.py` with DATABASE_URL pointing at a database holding
     the demo. Prints figures only; nothing here asserts a time."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from bench.stats import line, timed  # noqa: E402
from taizhang.audit.services import Actor  # noqa: E402
from taizhang.campaigns.models import Campaign  # noqa: E402
from taizhang.orgs import sectors as sector_services  # noqa: E402
from taizhang.orgs.models import Org, OrgKind, Role, Sector, SectorMember, User  # noqa: E402
from taizhang.stats import figures, periods  # noqa: E402
from taizhang.stats import sectors as stats  # noqa: E402

ACTOR = Actor.cli("bench")


def main():
    campaign = Campaign.objects.current()
    metrics = list(campaign.metrics.select_related("kind", "campaign"))
    lecture = next(m for m in metrics if m.code == "party_lecture_coverage")
    counts = (
        SectorMember.objects.current()
        .values("sector_id")
        .annotate(n=Count("id"))
        .order_by("-n", "sector_id")
    )
    if not counts:
        sys.exit("No sector system: build the demo first (taizhang demo --scale 30).")
    sector = Sector.objects.select_related("department").get(pk=counts[0]["sector_id"])
    whole = stats.subject(sector)
    first = next(p for p in whole.parts if p.kind != OrgKind.CITY_UNIT)
    district = Org.objects.get(path__in=first.ancestor_paths(), kind=OrgKind.DISTRICT)
    within = stats.subject(sector, district)
    print(
        f"System: {sector.name} ({sector.code}), {len(whole.parts)} members, "
        f"{Org.objects.count():,} orgs in all; within {district.name}: {len(within.parts)} members"
    )
    runs = 40
    whole_period = periods.whole(campaign)
    headline = [m for m in metrics if m.aggregate not in figures.PER_ORG]
    city = Org.objects.get(path=district.path[: len(district.path) - Org.steplen])
    pooled = stats.Subject(sector, Org.objects.get(depth=1), whole.parts)

    def figures_line(label, subject_or_org, chosen, n, goal=""):
        if isinstance(subject_or_org, Org):
            fn = lambda: figures.figures(chosen, [subject_or_org], whole_period)  # noqa: E731
        else:
            fn = lambda: stats.figures_of(chosen, subject_or_org, whole_period)  # noqa: E731
        line(label, *timed(fn, n), goal)

    print(f"Headline figures ({len(headline)} sums and averages, as bench/stats.py counts them):")
    figures_line("the whole system, kept totals", whole, headline, runs, "goal < 10 ms p95")
    figures_line(f"an org's subtree, for comparison: {city.name}", city, headline, runs)
    figures_line("the whole system, summed from members at read time", pooled, headline, 10)
    print(f"Every metric of the campaign ({len(metrics)}, coverage included):")
    figures_line("the whole system, kept totals", whole, metrics, runs, "goal < 10 ms p95")
    figures_line("the whole system, summed from members at read time", pooled, metrics, 10)
    figures_line(f"within {district.name}", within, metrics, runs)
    print("Gap list, first page of 50 (专题党课 coverage):")
    for label, period in (
        ("since the start, as of 2019-09-05", periods.parse(campaign, "2019-06-01..2019-09-05")),
        ("one month (2019-10)", periods.parse(campaign, "month-2019-10")),
        ("one week (2019-W40)", periods.parse(campaign, "week-2019-W40")),
    ):
        _ids, total = stats.gap_ids(lecture, whole, period, limit=50)
        line(
            f"{label}: {total} not yet",
            *timed(lambda p=period: stats.gap_ids(lecture, whole, p, limit=50), 20),
            "goal < 100 ms p95",
        )
    viewer = User.objects.filter(org=sector.department, role=Role.VIEWER).first()
    if viewer is None:
        from taizhang.orgs import services

        viewer = services.create_user(
            ACTOR, username=f"bench-{sector.code}", password="bench-password-9",
            org=sector.department, role=Role.VIEWER,
        )  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    url = f"/stats/sectors/{sector.pk}/"
    assert client.get(url).status_code == 200
    print("Dashboard page over HTTP (the department's viewer):")
    line("the system's dashboard", *timed(lambda: client.get(url), 10))
    print("Membership (in a transaction rolled back):")
    member = whole.parts[-1]

    def leave_and_join():
        with transaction.atomic():
            kept = SectorMember.objects.current().get(sector=sector, org=member)
            sector_services.leave(ACTOR, kept)
            sector_services.join(ACTOR, sector, member)
            transaction.set_rollback(True)

    line(f"one member ({member.name}) leaving and joining again", *timed(leave_and_join, 10))


if __name__ == "__main__":
    main()
