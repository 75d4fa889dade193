"""The demo's records give the seed's city-wide figures (../shared/seed/figures.md): each is
computed here from the ledger, with the metric the campaign definition gives for it."""

from django.db.models import Count, Sum

from taizhang.demo import ningbo
from taizhang.ledger.models import Activity, Venue, VenueKind, VenueTier
from taizhang.orgs.models import Org, OrgKind

# figures.md row: (metric code, value stated in the seed). "≥" rows are checked as at least
# the figure and below the next round number the text would have used.
EXACT = {
    1: ("meetings", 15),
    2: ("instructions", 98),
    3: ("standing_study_days", 8),
    4: ("research_trips", 90),
    5: ("seminars", 62),
    11: ("study_sessions", 4619),
    13: ("study_person_times", 78000),
    17: ("roots_trips", 12300),
    18: ("roots_trip_person_times", 556800),
    22: ("field_visits", 37700),
    24: ("findings_meetings", 1196),
    29: ("party_lectures", 33400),
}
AT_LEAST = {6: ("questionnaires", 2700, 2800), 23: ("visited_households", 52800, 52900)}


def metric_value(metric, org):
    """Sum or average of a metric's field over the org's subtree (or its own records)."""
    records = Activity.objects.filter(kind=metric.kind)
    records = records.filter(org=org) if metric.scope == "self" else records.in_subtree(org)
    total = records.aggregate(v=Sum(metric.field or "count"))["v"] or 0
    if metric.aggregate == "average_per_org":
        teams = Org.objects.filter(path__startswith=org.path, kind__in=metric.org_kinds).count()
        return total / teams
    return total


class DemoFigureChecks:
    """Run by `demo/tests/test_ningbo_demo.py` on the one demo it builds."""

    def test_every_ledger_figure_of_the_seed_is_the_sum_of_records(self):
        for row, (code, value) in EXACT.items():
            with self.subTest(row=row, metric=code):
                self.assertEqual(metric_value(self.metrics[code], self.city), value)
        for row, (code, low, high) in AT_LEAST.items():
            with self.subTest(row=row, metric=code):
                self.assertTrue(low <= metric_value(self.metrics[code], self.city) < high)

    def test_leadership_teams_studied_seven_days_on_average(self):
        average = metric_value(self.metrics["study_days_average"], self.city)
        self.assertEqual(round(average, 2), 7.0)  # [12] 平均集中学习时间达到7天

    def test_lectures_reach_every_grassroots_organisation(self):
        grassroots = Org.objects.filter(
            kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.BRANCH, OrgKind.GENERAL_BRANCH]
        )
        lectured = Activity.objects.filter(kind__code="party_lecture").values("org")
        self.assertFalse(grassroots.exclude(pk__in=lectured).exists())  # [30] 全覆盖

    def test_every_leadership_team_held_its_required_meetings(self):
        teams = Org.objects.filter(kind__in=self.metrics["gap_meeting_coverage"].org_kinds)
        for kind in ("gap_meeting", "life_meeting"):
            held = Activity.objects.filter(kind__code=kind).values("org")
            self.assertFalse(teams.exclude(pk__in=held).exists(), kind)

    def test_the_education_carriers_are_counted(self):
        counts = dict(Venue.objects.values_list("kind").annotate(n=Count("id")))
        self.assertEqual(counts[VenueKind.RED_BASE], 84)  # [14]
        self.assertEqual(counts[VenueKind.SERVICE_CENTRE], 323)  # [15]
        self.assertEqual(counts[VenueKind.DISTANCE_STATION], 3050)  # [16]
        self.assertEqual(counts[VenueKind.LECTURE_HALL], 200)  # [20]
        self.assertTrue(
            Venue.objects.filter(tier=VenueTier.CITY_MODEL, name="张人亚党章学堂").exists()
        )

    def test_districts_differ_and_sum_to_the_city(self):
        lectures = self.metrics["party_lectures"]
        districts = Org.objects.filter(kind=OrgKind.DISTRICT)
        values = [metric_value(lectures, d) for d in districts]
        self.assertEqual(len(set(values)), len(values), "districts should differ")
        own = Activity.objects.filter(org=self.city, kind=lectures.kind).aggregate(s=Sum("count"))
        children = Org.objects.get_children(self.city)
        total = sum(metric_value(lectures, child) for child in children) + (own["s"] or 0)
        self.assertEqual(total, 33400)

    def test_every_record_obeys_the_batches(self):
        # A fixed sample: every 150th record in id order.
        ids = list(Activity.objects.order_by("id").values_list("id", flat=True))[::150]
        for activity in Activity.objects.filter(id__in=ids).select_related("org", "batch"):
            self.assertTrue(activity.batch.includes(activity.org))
            self.assertTrue(activity.batch.covers(activity.starts_on))

    def test_a_second_run_adds_nothing(self):
        before = Activity.objects.count()
        ningbo.build()
        self.assertEqual(Activity.objects.count(), before)
