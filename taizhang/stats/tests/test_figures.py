"""Metrics over periods, coverage and gap lists, target states, Chinese number style —
on the small Ningbo, with each expected figure computed from the records written here."""

import datetime
import random
from decimal import Decimal
from unittest import mock

from django.test import SimpleTestCase

from taizhang.campaigns.models import Aggregate, Metric, Target
from taizhang.ledger import services
from taizhang.ledger.models import Activity
from taizhang.numbers import cn_number
from taizhang.orgs import services as org_services
from taizhang.orgs.models import Org, OrgKind
from taizhang.stats import coverage, figures, periods, targets
from taizhang.testing import SYSTEM, LedgerTestCase

D = datetime.date


class NumberStyleTests(SimpleTestCase):
    def test_it_writes_figures_as_reports_do(self):
        self.assertEqual(cn_number(4619), "4619")
        self.assertEqual(cn_number(78000), "7.8万")
        self.assertEqual(cn_number(556800), "55.68万")
        self.assertEqual(cn_number(12300), "1.23万")
        self.assertEqual(cn_number(52816), "5.28万余")
        self.assertEqual(cn_number(320000000), "3.2亿")
        self.assertEqual(cn_number(Decimal("7.004")), "7")
        self.assertEqual(cn_number(None), "—")


class PeriodTests(LedgerTestCase):
    def test_it_reads_every_kind_of_period(self):
        c = self.campaign
        self.assertEqual(periods.parse(c, "").start, c.starts_on)
        batch = periods.parse(c, "batch-2")
        self.assertEqual((batch.start, batch.end), (D(2019, 9, 1), D(2020, 1, 31)))
        month = periods.parse(c, "month-2019-12")
        self.assertEqual((month.start, month.end), (D(2019, 12, 1), D(2019, 12, 31)))
        week = periods.parse(c, "week-2019-W38")
        self.assertEqual((week.start, week.end), (D(2019, 9, 16), D(2019, 9, 22)))
        self.assertEqual(week.previous().code, "week-2019-W37")
        span = periods.parse(c, "2019-09-20..2019-09-21")
        self.assertEqual((span.start, span.end), (D(2019, 9, 20), D(2019, 9, 21)))

    def test_it_refuses_what_names_no_period(self):
        for code in ("batch-9", "month-2019-13", "2019-09-30..2019-09-01", "yesterday"):
            with self.subTest(code=code), self.assertRaises(ValueError):
                periods.parse(self.campaign, code)


class FigureTests(LedgerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        k = cls.kinds
        study = dict(kind=k["study_session"], count=3, days=2, person_times=40)
        cls.city_study = services.create_activity(
            SYSTEM, org=cls.city, starts_on=D(2019, 6, 10), **study
        )
        services.create_activity(SYSTEM, org=cls.haishu, starts_on=D(2019, 7, 1), **study)
        services.create_activity(SYSTEM, org=cls.shiqi, starts_on=D(2019, 10, 8), **study)
        cls.metrics = {m.code: m for m in cls.campaign.metrics.select_related("kind")}
        cls.whole = periods.whole(cls.campaign)

    def figure(self, code, org, period=None):
        metric = self.metrics[code]
        return figures.figures([metric], [org], period or self.whole)[org.pk][code]

    def test_sums_cover_the_subtree_and_self_metrics_the_org_alone(self):
        self.assertEqual(self.figure("study_sessions", self.city).value, 9)
        self.assertEqual(self.figure("study_sessions", self.haishu).value, 6)
        self.assertEqual(self.figure("study_person_times", self.jiangbei).value, 0)
        self.assertEqual(self.figure("standing_study_days", self.city).value, 2)  # scope self
        self.assertEqual(self.figure("party_lectures", self.city).value, 2)

    def test_a_period_counts_only_its_days(self):
        batch_1 = periods.parse(self.campaign, "batch-1")
        self.assertEqual(self.figure("study_sessions", self.city, batch_1).value, 6)
        october = periods.parse(self.campaign, "month-2019-10")
        self.assertEqual(self.figure("study_sessions", self.haishu, october).value, 3)

    def test_average_per_org_divides_by_every_leadership_team_below(self):
        # 3 records × 2 days over city, 海曙, 江北, 石碶, 慈城 (5 teams).
        self.assertEqual(self.figure("study_days_average", self.city).value, Decimal(6) / 5)
        self.assertEqual(self.figure("study_days_average", self.haishu).value, Decimal(4) / 2)

    def test_coverage_and_its_gap_list(self):
        lectures = self.figure("party_lecture_coverage", self.city)
        # Villages and branches: 新联村 and 王家村 held one, the branch did not.
        self.assertEqual((lectures.covered, lectures.eligible), (2, 3))
        self.assertEqual(lectures.display, "66.7%")
        ids, total = coverage.gap_ids(self.metrics["party_lecture_coverage"], self.city, self.whole)
        self.assertEqual((ids, total), ([self.branch.pk], 1))
        jiangbei = self.figure("party_lecture_coverage", self.jiangbei)
        self.assertEqual((jiangbei.covered, jiangbei.eligible, jiangbei.display), (1, 1, "100%"))

    def test_the_gap_search_descends_to_the_same_orgs_the_full_scan_finds(self):
        for n, parent in enumerate([self.xinlian, self.wangjia, self.xinlian, self.wangjia] * 2):
            parent.refresh_from_db()
            org_services.create_org(
                SYSTEM, parent=parent, name=f"第{n}支部", code=f"B{n}", kind=OrgKind.BRANCH
            )
        metric = self.metrics["party_lecture_coverage"]
        since_start = periods.whole(self.campaign)
        # Starting a day late, the same records count, but the full scan answers.
        scanned = periods.parse(self.campaign, "2019-06-02..2020-01-31")
        for org in (self.city, self.haishu, self.shiqi, self.xinlian, self.jiangbei):
            with self.subTest(org=org.name):
                expected = coverage.gap_ids(metric, org, scanned)
                with mock.patch.object(coverage, "SCAN_BELOW", 0):
                    self.assertEqual(coverage.gap_ids(metric, org, since_start), expected)
                    for offset, limit in ((0, 1), (1, 1), (1, 5), (2, 2), (4, 3), (8, 9)):
                        window = coverage.gap_ids(
                            metric, org, since_start, offset=offset, limit=limit
                        )
                        self.assertEqual(window[0], expected[0][offset : offset + limit])
                self.assertEqual(coverage.gap_ids(metric, org, since_start), expected)
                self.assertEqual(
                    coverage.coverage(metric, org, since_start),
                    coverage.coverage(metric, org, scanned),
                )

    def test_coverage_of_a_period_inside_an_orgs_span_reads_its_days(self):
        """新联村's lectures fall before and after the week asked for: its span alone cannot
        tell, so its daily totals decide."""
        lecture = dict(kind=self.kinds["party_lecture"], lecturer_role="member")
        services.create_activity(SYSTEM, org=self.xinlian, starts_on=D(2019, 11, 20), **lecture)
        metric = self.metrics["party_lecture_coverage"]
        between = periods.parse(self.campaign, "2019-10-01..2019-10-31")
        self.assertEqual(coverage.coverage(metric, self.haishu, between), (0, 2))
        services.create_activity(SYSTEM, org=self.xinlian, starts_on=D(2019, 10, 9), **lecture)
        self.assertEqual(coverage.coverage(metric, self.haishu, between), (1, 2))
        self.assertEqual(coverage.coverage(metric, self.haishu, self.whole), (1, 2))

    def test_coverage_can_ask_for_more_than_one_record(self):
        metric = Metric.objects.get(pk=self.metrics["party_lecture_coverage"].pk)
        metric.min_records = 2
        self.assertEqual(coverage.coverage(metric, self.city, self.whole), (0, 3))
        services.create_activity(
            SYSTEM,
            kind=self.kinds["party_lecture"],
            org=self.wangjia,
            starts_on=D(2019, 12, 1),
            lecturer_role="member",
        )
        self.assertEqual(coverage.coverage(metric, self.city, self.whole), (1, 3))
        september = periods.parse(self.campaign, "month-2019-09")
        self.assertEqual(coverage.coverage(metric, self.city, september), (0, 3))

    def test_coverage_of_any_period_equals_counting_the_records(self):
        """Months, weeks and ranges across months, for one record or several: each org's
        records in the period, counted one by one, give the same covered orgs and gaps."""
        chooser = random.Random(2019)
        lecture = dict(kind=self.kinds["party_lecture"], lecturer_role="member")
        places = [self.xinlian, self.wangjia, self.branch]
        for _ in range(40):
            day = D(2019, 9, 1) + datetime.timedelta(days=chooser.randrange(150))
            services.create_activity(SYSTEM, org=chooser.choice(places), starts_on=day, **lecture)
        base = Metric.objects.get(pk=self.metrics["party_lecture_coverage"].pk)
        codes = ["month-2019-10", "week-2019-W40", "week-2019-W44", "batch-2"]
        codes += ["2019-09-15..2019-11-10", "2019-10-31..2019-11-01", "2019-09-02..2020-01-30"]
        for code in codes:
            period = periods.parse(self.campaign, code)
            for n in (1, 2, 3):
                base.min_records = n
                for org in (self.city, self.haishu):
                    with self.subTest(period=code, min_records=n, org=org.name):
                        eligible = list(
                            Org.objects.filter(
                                path__startswith=org.path, active=True, kind__in=base.org_kinds
                            ).order_by("path")
                        )
                        held = {
                            o.pk: Activity.objects.filter(
                                org=o, kind=base.kind, starts_on__range=(period.start, period.end)
                            ).count()
                            for o in eligible
                        }
                        gaps = [o.pk for o in eligible if held[o.pk] < n]
                        expected = (len(eligible) - len(gaps), len(eligible))
                        self.assertEqual(coverage.coverage(base, org, period), expected)
                        self.assertEqual(coverage.gap_ids(base, org, period), (gaps, len(gaps)))
                        with mock.patch.object(coverage, "SCAN_BELOW", 0):  # opened level by level
                            for offset, limit in ((0, 1), (1, 1), (1, 2), (2, 5)):
                                window = coverage.gap_ids(
                                    base, org, period, offset=offset, limit=limit
                                )
                                self.assertEqual(window[0], gaps[offset : offset + limit])

    def test_distinct_orgs_counts_orgs_with_records(self):
        self.assertEqual(self.figure("lecturing_orgs", self.city).value, 2)
        self.assertEqual(self.figure("lecturing_orgs", self.haishu).value, 1)

    def test_children_figures_match_each_childs_own_figures(self):
        metrics = list(self.metrics.values())
        own, children, by_child = figures.with_children(metrics, self.city, self.whole)
        self.assertEqual([c.pk for c in children], [self.haishu.pk, self.jiangbei.pk])
        alone = figures.figures(metrics, [self.city], self.whole)[self.city.pk]
        self.assertEqual(
            {c: f.value for c, f in own.items()}, {c: f.value for c, f in alone.items()}
        )
        for child in children:
            alone = figures.figures(metrics, [child], self.whole)[child.pk]
            for code, figure in by_child[child.pk].items():
                with self.subTest(child=child.name, metric=code):
                    self.assertEqual(figure.value, alone[code].value)

    def test_change_between_periods(self):
        metric = self.metrics["study_sessions"]
        a, b = figures.Figure(metric, 3), figures.Figure(metric, 12003)
        self.assertEqual(figures.change(metric, a, b), "+1.2万")
        self.assertEqual(figures.change(metric, b, a), "-1.2万")
        share = self.metrics["party_lecture_coverage"]
        self.assertEqual(
            figures.change(share, figures.Figure(share, Decimal(50)), figures.Figure(share, 75)),
            "+25个百分点",
        )


class TargetStateTests(LedgerTestCase):
    def setUp(self):
        self.target = Target.objects.select_related("metric__campaign").get(
            metric__code="party_lecture_coverage"
        )  # 100% by 2019-12-31, from the campaign's start on 2019-06-01

    def test_states(self):
        t = self.target
        self.assertEqual(targets.judge(t, Decimal(100), D(2019, 7, 1))[0], targets.State.MET)
        self.assertEqual(targets.judge(t, Decimal(60), D(2019, 9, 1))[0], targets.State.ON_TRACK)
        self.assertEqual(targets.judge(t, Decimal(10), D(2019, 12, 1))[0], targets.State.BEHIND)
        self.assertEqual(targets.judge(t, Decimal(99), D(2020, 1, 2))[0], targets.State.OVERDUE)
        self.assertEqual(targets.judge(t, None, D(2019, 12, 1))[0], targets.State.BEHIND)

    def test_progress_below_judges_each_org_from_its_subtree(self):
        rows = targets.progress_below(self.target, self.city, D(2020, 1, 31))
        by_org = {p.org.pk: p for p in rows}
        # Towns and districts over their villages and branches; the city over all three.
        self.assertEqual(by_org[self.cicheng.pk].state, targets.State.MET)
        self.assertEqual(by_org[self.shiqi.pk].state, targets.State.OVERDUE)
        self.assertEqual(by_org[self.shiqi.pk].figure.gap, 1)
        self.assertEqual(by_org[self.city.pk].figure.display, "66.7%")
        self.assertNotIn(self.xinlian.pk, by_org)  # villages are not given this target
        self.assertEqual(self.target.metric.aggregate, Aggregate.COVERAGE)
