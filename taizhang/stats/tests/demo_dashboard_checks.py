"""The demo's dashboards read the seed's figures from the roll-up totals: the city's equal
figures.md, a district's equal the sum of its subtree's records, and lecture coverage is
full until a branch's lectures are deleted."""

from django.db.models import Sum
from django.urls import reverse

from taizhang.campaigns.models import Aggregate
from taizhang.campaigns.sources import SOURCES
from taizhang.demo.tests.demo_figure_checks import AT_LEAST, EXACT
from taizhang.ledger import services
from taizhang.ledger.models import Activity
from taizhang.orgs.models import Org, OrgKind
from taizhang.stats import coverage, dashboard
from taizhang.testing import SYSTEM


class DemoDashboardChecks:
    """Run by `demo/tests/test_ningbo_demo.py` on the one demo it builds."""

    def board(self, org):
        return dashboard.build(org, self.campaign, self.whole)

    def test_the_city_dashboard_states_the_seeds_figures(self):
        self.client.force_login(self.manager)
        response = self.client.get(reverse("stats:org", args=[self.city.pk]))
        headline = response.context["board"].headline
        for row, (code, value) in EXACT.items():
            with self.subTest(row=row, metric=code):
                self.assertEqual(headline[code].value, value)
        for row, (code, low, high) in AT_LEAST.items():
            with self.subTest(row=row, metric=code):
                self.assertTrue(low <= headline[code].value < high)
        self.assertEqual(round(headline["study_days_average"].value, 2), 7)  # [12]
        self.assertEqual(headline["party_lecture_coverage"].display, "100%")  # [30]
        # Written as the report writes them.
        self.assertContains(response, "7.8万")  # [13]
        self.assertContains(response, "55.68万")  # [18]
        self.assertContains(response, "3.34万")  # [29]

    def from_source(self, metric):
        """A metric of a kind counted from its own records (reports, problems…), summed
        over 海曙's subtree straight from those records."""
        source = SOURCES[metric.kind.source]
        total = 0
        for record in source.records():
            for campaign_id, org, _day, values in source.counts(record):
                inside = (
                    org.pk == self.haishu.pk
                    if metric.scope == "self"
                    else (org.path.startswith(self.haishu.path))
                )
                if campaign_id == self.campaign.pk and inside:
                    total += values.get(metric.field or "count") or 0
        return total

    def test_a_districts_figures_are_the_sums_of_its_subtree(self):
        board = self.board(self.haishu)
        records = Activity.objects.filter(org__path__startswith=self.haishu.path)
        for metric in board.metrics:
            if metric.aggregate not in (Aggregate.SUM, Aggregate.COUNT):
                continue
            if metric.kind.source:
                expected = self.from_source(metric)
            else:
                mine = records.filter(kind=metric.kind)
                if metric.scope == "self":
                    mine = mine.filter(org=self.haishu)
                field = metric.field if metric.aggregate == Aggregate.SUM else "id"
                expected = mine.aggregate(v=Sum(field))["v"] or 0
                if metric.aggregate == Aggregate.COUNT:
                    expected = mine.count()
            with self.subTest(metric=metric.code):
                self.assertEqual(board.headline[metric.code].value, expected)

    def test_the_city_equals_its_own_records_plus_its_childrens_subtrees(self):
        board = self.board(self.city)
        lectures = board.headline["party_lectures"].value
        own = Activity.objects.filter(org=self.city, kind__code="party_lecture")
        from_children = sum(
            figs[board.columns.index(board.headline["party_lectures"].metric)].value
            for _child, figs in board.children
        )
        self.assertEqual(lectures, from_children + (own.aggregate(s=Sum("count"))["s"] or 0))

    def test_deleting_a_branchs_lectures_opens_a_gap_naming_it(self):
        metric = self.campaign.metrics.get(code="party_lecture_coverage")
        branch = Org.objects.filter(kind=OrgKind.BRANCH, path__startswith=self.haishu.path).first()
        self.assertEqual(coverage.gap_ids(metric, self.city, self.whole), ([], 0))
        for activity in Activity.objects.filter(org=branch, kind=metric.kind):
            services.delete_activity(SYSTEM, activity)
        covered, eligible = coverage.coverage(metric, self.city, self.whole)
        self.assertEqual(covered, eligible - 1)
        self.assertLess(self.board(self.city).headline[metric.code].value, 100)
        self.assertEqual(coverage.gap_ids(metric, self.city, self.whole), ([branch.pk], 1))
        self.client.force_login(self.manager)
        response = self.client.get(reverse("stats:gaps", args=[self.haishu.pk, metric.code]))
        self.assertContains(response, branch.name)
