"""A sector system's figures and gap lists, against what its members' records give; and its
pages for the office, a district clerk and the department.

The story: the education system holds 新联村 (海曙) and 王家村 (江北), each with branches;
only some branches have held their lecture."""

import datetime
from unittest import mock

from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.orgs import sectors
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Org, OrgKind, Role, SectorMember
from taizhang.stats import coverage, periods
from taizhang.stats import sectors as stats
from taizhang.testing import PASSWORD, SYSTEM, LedgerTestCase

D = datetime.date


class SectorFigureTestCase(LedgerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bureau = orgs.create_org(
            SYSTEM, parent=cls.city, name="市教育局", code="3302U12", kind=OrgKind.CITY_UNIT
        )
        cls.edu = sectors.create_sector(SYSTEM, code="EDU", name="教育系统", department=cls.bureau)
        cls.branches = []
        for village in (cls.xinlian, cls.wangjia):
            for i in range(1, 4):
                cls.branches.append(
                    orgs.create_org(
                        SYSTEM, parent=village, name=f"{village.name}第{i}支部",
                        code=f"{village.code}B{i}", kind=OrgKind.BRANCH,
                    )
                )  # fmt: skip
        for branch, day in ((cls.branches[0], D(2019, 9, 3)), (cls.branches[4], D(2019, 10, 9))):
            ledger.create_activity(
                SYSTEM, kind=cls.kinds["party_lecture"], org=branch, starts_on=day,
                lecturer_role="secretary", participants=20,
            )  # fmt: skip
        sectors.join(SYSTEM, cls.edu, cls.xinlian)
        sectors.join(SYSTEM, cls.edu, cls.wangjia)
        cls.metric = cls.campaign.metrics.select_related("kind", "campaign").get(
            code="party_lecture_coverage"
        )
        cls.erin = orgs.create_user(
            SYSTEM, username="erin", password=PASSWORD, org=cls.bureau, role=Role.VIEWER
        )


def expected_gaps(metric, parts, period):
    """The gap list the slow way: every eligible org in the parts' subtrees, in tree order,
    without a lecture in the period."""
    out = []
    for org in Org.objects.filter(active=True).order_by("path"):
        if not any(org.path.startswith(p.path) for p in parts):
            continue
        if metric.org_kinds and org.kind not in metric.org_kinds:
            continue
        held = org.activities.filter(
            kind=metric.kind, starts_on__range=(period.start, period.end)
        ).exists()
        if not held:
            out.append(org.pk)
    return out


class SectorFigureTests(SectorFigureTestCase):
    def periods(self):
        return [
            periods.whole(self.campaign),
            periods.parse(self.campaign, "month-2019-10"),
            periods.parse(self.campaign, "2019-09-02..2019-09-20"),
        ]

    def test_the_gap_list_is_every_unmet_unit_of_the_members_in_tree_order(self):
        whole = stats.subject(self.edu)
        for period in self.periods():
            expected = expected_gaps(self.metric, whole.parts, period)
            with self.subTest(period=period.code):
                ids, total = stats.gap_ids(self.metric, whole, period)
                self.assertEqual((ids, total), (expected, len(expected)))
                covered, eligible = stats.coverage_of(self.metric, whole, period)
                self.assertEqual(eligible - covered, len(expected))
                # Page by page, and with every subtree opened rather than scanned.
                for scan_below in (3000, 1):
                    with mock.patch.object(coverage, "SCAN_BELOW", scan_below):
                        pages = []
                        for offset in range(0, total, 2):
                            page, _n = stats.gap_ids(
                                self.metric, whole, period, offset=offset, limit=2
                            )
                            pages += page
                        self.assertEqual(pages, expected)

    def test_within_a_district_it_is_the_members_there(self):
        period = periods.whole(self.campaign)
        haishu = stats.subject(self.edu, self.haishu)
        self.assertEqual(haishu.parts, [self.xinlian])
        ids, _total = stats.gap_ids(self.metric, haishu, period)
        self.assertEqual(ids, expected_gaps(self.metric, [self.xinlian], period))
        inside = stats.subject(self.edu, self.branches[1])  # an org inside a member
        self.assertEqual(inside.parts, [self.branches[1]])
        self.assertEqual(stats.subject(self.edu, self.cicheng).parts, [self.wangjia])
        self.assertEqual(stats.subject(self.edu, self.bureau).parts, [])
        metrics = list(self.campaign.metrics.select_related("kind", "campaign"))
        whole = stats.figures_of(metrics, stats.subject(self.edu), period)
        parts = [stats.figures_of(metrics, stats.subject(self.edu, d), period)
                 for d in (self.haishu, self.jiangbei)]  # fmt: skip
        lectures = [m for m in metrics if m.kind.code == "party_lecture" and m.aggregate == "count"]
        for m in lectures:
            self.assertEqual(whole[m.code].value, sum(p[m.code].value for p in parts))
            self.assertEqual(whole[m.code].value, 3)  # 新联村's own lecture and two branches'

    def test_a_member_joining_or_leaving_moves_the_figures_at_once(self):
        period = periods.whole(self.campaign)
        before = stats.coverage_of(self.metric, stats.subject(self.edu), period)
        with self.assertRaises(ValidationError):  # 新联村第一党支部 is under 新联村
            sectors.join(SYSTEM, self.edu, self.branch)
        self.assertEqual(stats.coverage_of(self.metric, stats.subject(self.edu), period), before)
        member = SectorMember.objects.get(org=self.wangjia, left_on__isnull=True)
        sectors.leave(SYSTEM, member)
        alone = stats.coverage_of(self.metric, stats.subject(self.edu), period)
        self.assertEqual(
            alone, stats.coverage_of(self.metric, stats.subject(self.edu, self.haishu), period)
        )
        self.assertLess(alone[1], before[1])
        sectors.join(SYSTEM, self.edu, self.cicheng)  # 王家村's town: everything under it
        again = stats.coverage_of(self.metric, stats.subject(self.edu), period)
        self.assertEqual(
            again[1] - alone[1],
            len(expected_gaps(self.metric, [self.cicheng], period))
            + stats.coverage_of(self.metric, stats.subject(self.edu, self.cicheng), period)[0],
        )

    def test_members_table_and_headline_agree(self):
        period = periods.whole(self.campaign)
        whole = stats.subject(self.edu)
        table = stats.part_figures([self.metric], whole.parts, period)
        figure = stats.figures_of([self.metric], whole, period)[self.metric.code]
        self.assertEqual(
            (figure.covered, figure.eligible),
            tuple(map(sum, zip(*((f[self.metric.code].covered, f[self.metric.code].eligible)
                                 for f in table.values()), strict=True))),
        )  # fmt: skip


class SectorPageTests(SectorFigureTestCase):
    def test_the_city_office_sees_the_whole_system_and_its_gap_list(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("stats:sector", args=[self.edu.pk]))
        self.assertTrue(page.context["subject"].whole)
        self.assertContains(page, "新联村")
        self.assertContains(page, "王家村")
        gaps = self.client.get(reverse("stats:sector-gaps", args=[self.edu.pk, self.metric.code]))
        self.assertContains(gaps, "王家村第1支部")
        self.assertNotContains(gaps, "王家村第2支部")  # it held its lecture
        download = self.client.get(
            reverse("stats:sector-gaps", args=[self.edu.pk, self.metric.code]), {"format": "xlsx"}
        )
        self.assertEqual(download.status_code, 200)
        within = self.client.get(
            reverse("stats:sector", args=[self.edu.pk]), {"within": self.jiangbei.pk}
        )
        self.assertNotContains(within, "新联村")

    def test_the_department_sees_the_whole_system_without_the_districts_above(self):
        self.client.force_login(self.erin)
        gaps = self.client.get(reverse("stats:sector-gaps", args=[self.edu.pk, self.metric.code]))
        self.assertTrue(gaps.context["subject"].whole)
        self.assertContains(gaps, "王家村第1支部")
        for name in ("海曙区", "江北区", "石碶街道", "慈城镇"):  # ancestors it may not read
            self.assertNotContains(gaps, name)

    def test_it_is_seen_where_a_member_lies_and_nowhere_else(self):
        url = reverse("stats:sector", args=[self.edu.pk])
        for user in (self.dave, self.carol):  # 石碶街道 holds 新联村; 江北 holds 王家村
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertFalse(page.context["subject"].whole)
        zhenhai = orgs.create_org(
            SYSTEM, parent=self.city, name="镇海区", code="330211", kind=OrgKind.DISTRICT
        )
        outsider = orgs.create_user(
            SYSTEM, username="zz", password=PASSWORD, org=zhenhai, role=Role.VIEWER
        )
        self.client.force_login(outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
