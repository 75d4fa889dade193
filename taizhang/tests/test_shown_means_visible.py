"""Findings 1 and 2 of the security probe: history follows its object when orgs move, and a
page or export names a linked object (venue, person, meeting) only to those who may see it."""

import datetime
import io

from django.urls import reverse
from python_calamine import CalamineWorkbook

from taizhang.ledger import services as ledger
from taizhang.ledger.models import VenueKind, VenueTier
from taizhang.orgs import services as orgs
from taizhang.orgs.models import OrgKind, Rank, Role
from taizhang.research import services as research
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase

D = datetime.date


class HistoryFollowsTheObjectTests(WorkTestCase):
    def test_a_town_moved_away_takes_its_history_and_a_reused_path_shows_nothing(self):
        old_path = self.shiqi.path
        orgs.move_org(SYSTEM, self.shiqi, self.jiangbei)
        # treebeard gives the freed path to the next child of 海曙
        newcomer = orgs.create_org(
            SYSTEM, parent=self.haishu, name="新设街道", code="330203099", kind=OrgKind.TOWN
        )
        self.assertEqual(newcomer.path, old_path)
        viewer = orgs.create_user(
            SYSTEM, username="nina", password=PASSWORD, org=newcomer, role=Role.VIEWER
        )
        self.client.force_login(viewer)
        home = self.client.get(reverse("home"))
        for text in ("村道路灯损坏", "石碶街道"):
            self.assertNotContains(home, text)
        self.client.force_login(self.hank)  # 海曙's own home page no longer lists them
        self.assertNotContains(self.client.get(reverse("home")), "村道路灯损坏")
        self.client.force_login(self.jill)  # 江北 now holds the town, and its history
        self.assertContains(self.client.get(reverse("home")), "村道路灯损坏")

    def test_a_record_moved_to_another_org_takes_its_history(self):
        ledger.update_activity(SYSTEM, self.lecture, org=self.wangjia)
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(reverse("home")), "新联村专题党课")
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(reverse("home")), "新联村专题党课")

    def test_history_does_not_name_the_org_a_record_came_from_outside_the_scope(self):
        ledger.update_activity(SYSTEM, self.lecture, org=self.wangjia)
        self.client.force_login(self.carol)
        page = self.client.get(reverse("ledger:detail", args=[self.lecture.pk]))
        self.assertContains(page, self.wangjia.code)
        self.assertNotContains(page, self.xinlian.code)
        self.assertContains(page, "范围外")
        self.client.force_login(self.alice)
        page = self.client.get(reverse("ledger:detail", args=[self.lecture.pk]))
        self.assertContains(page, self.xinlian.code)

    def test_venue_history_follows_a_moved_owner(self):
        venue = ledger.create_venue(
            SYSTEM,
            code="RB900",
            name="石碶红色驿站",
            kind=VenueKind.RED_BASE,
            tier=VenueTier.TOWN,
            owner=self.shiqi,
        )
        orgs.move_org(SYSTEM, self.shiqi, self.jiangbei)
        self.client.force_login(self.carol)
        page = self.client.get(reverse("ledger:venue", args=[venue.pk]))
        self.assertContains(page, "RB900")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("ledger:venue", args=[venue.pk])).status_code, 404)


class LinkedObjectsTests(WorkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.haishu_base = ledger.create_venue(
            SYSTEM,
            code="RB062",
            name="海曙红色教育基地",
            kind=VenueKind.RED_BASE,
            tier=VenueTier.DISTRICT,
            owner=cls.haishu,
        )
        # 江北's trip to 海曙's base, recorded by the city; its leader is 海曙's cadre.
        cls.trip = ledger.create_activity(
            SYSTEM,
            kind=cls.kinds["roots_trip"],
            org=cls.wangjia,
            starts_on=D(2019, 9, 25),
            title="王家村初心之旅",
            venue=cls.haishu_base,
            person_times=20,
        )
        cls.jiangbei_problem = research.raise_problem(
            SYSTEM,
            campaign=cls.campaign,
            org=cls.cicheng,
            title="慈城停车难",
            source="research",
            deadline=D(2019, 11, 30),
            raised_on=D(2019, 9, 12),
            leader=cls.zhang,
        )
        cls.wang = orgs.create_person(
            SYSTEM, code="P9", name="王江北", org=cls.jiangbei, title="科长", rank=Rank.COUNTY
        )
        cls.reading_class.trainees.add(cls.wang)  # a trainee from 江北 in 海曙's class
        cls.meeting = ledger.create_activity(
            SYSTEM,
            kind=cls.kinds["findings_meeting"],
            org=cls.haishu,
            starts_on=D(2019, 10, 20),
            title="海曙区调研成果交流会",
        )
        research.discuss_reports(SYSTEM, cls.meeting, [cls.report])

    def test_a_venue_outside_the_scope_is_not_named_on_the_record_or_in_the_export(self):
        self.client.force_login(self.carol)
        self.assertEqual(
            self.client.get(reverse("ledger:venue", args=[self.haishu_base.pk])).status_code, 404
        )
        page = self.client.get(reverse("ledger:detail", args=[self.trip.pk]))
        self.assertNotContains(page, "海曙红色教育基地")
        self.assertNotContains(page, reverse("ledger:venue", args=[self.haishu_base.pk]))
        self.assertContains(page, "范围外")
        export = self.client.get(reverse("ledger:list"), {"format": "xlsx"})
        rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0)
        cells = [c for row in rows.to_python() for c in row]
        self.assertNotIn("RB062", cells)
        self.assertIn("范围外", cells)
        self.client.force_login(self.alice)
        self.assertContains(
            self.client.get(reverse("ledger:detail", args=[self.trip.pk])), "海曙红色教育基地"
        )

    def test_a_trainee_outside_the_scope_is_not_listed_and_survives_a_save(self):
        self.client.force_login(self.bob)
        url = reverse("study:class", args=[self.reading_class.pk])
        page = self.client.get(url)
        self.assertNotContains(page, "王江北")
        self.assertContains(page, "范围外")
        self.client.post(
            reverse("study:class-trainees", args=[self.reading_class.pk]),
            {"trainees": self.zhang.code},
        )
        self.assertEqual(set(self.reading_class.trainees.all()), {self.zhang, self.wang})

    def test_a_leader_outside_the_scope_is_not_named_on_the_problem_or_its_export(self):
        self.client.force_login(self.carol)
        page = self.client.get(reverse("research:problem", args=[self.jiangbei_problem.pk]))
        self.assertNotContains(page, "张海")
        listing = self.client.get(reverse("research:problems"))
        self.assertContains(listing, "慈城停车难")
        self.assertNotContains(listing, "张海")
        self.assertNotContains(
            self.client.get(reverse("research:problems"), {"leader": "张海"}), "慈城停车难"
        )
        export = self.client.get(reverse("research:problems"), {"format": "xlsx"})
        rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0)
        self.assertNotIn("张海", [c for row in rows.to_python() for c in row])

    def test_a_town_viewer_does_not_see_the_district_meeting_a_report_went_to(self):
        self.client.force_login(self.dave)
        page = self.client.get(reverse("research:report", args=[self.report.pk]))
        self.assertNotContains(page, "海曙区调研成果交流会")
        self.assertNotContains(page, reverse("ledger:detail", args=[self.meeting.pk]))
        self.client.force_login(self.bob)
        page = self.client.get(reverse("research:report", args=[self.report.pk]))
        self.assertContains(page, reverse("ledger:detail", args=[self.meeting.pk]))


class ScopeLeakTests(WorkTestCase):
    """Issue 12's leaks: figures and names past the scope."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 海曙's district office records 张海's visit to 新联村 (on the district, not the town)
        ledger.create_activity(
            SYSTEM,
            kind=cls.kinds["field_visit"],
            org=cls.haishu,
            starts_on=D(2019, 9, 15),
            leader=cls.zhang,
            visited_org=cls.xinlian,
            households=5,
        )

    def test_a_town_viewer_sees_no_adoption_share_from_the_districts_records(self):
        from taizhang.research import summaries

        self.assertEqual(len(summaries.adoption(self.liaison, self.campaign).visited), 1)
        self.assertEqual(len(summaries.adoption(self.liaison, self.campaign, self.bob).visited), 1)
        self.assertEqual(len(summaries.adoption(self.liaison, self.campaign, self.dave).visited), 0)
        self.client.force_login(self.dave)
        page = self.client.get(reverse("research:liaison", args=[self.liaison.pk]))
        self.assertNotContains(page, "张海")  # the adopting leader serves on the district
        self.assertNotContains(page, "区委书记")
        self.assertContains(page, "范围外")
        listing = self.client.get(reverse("research:liaisons"))
        self.assertNotContains(listing, "张海")
        self.assertNotContains(listing, "100%")

    def test_a_village_viewer_is_not_told_the_town_of_the_village(self):
        self.client.force_login(self.vera)
        page = self.client.get(reverse("research:rectifications"))
        self.assertContains(page, "新联村")
        self.assertNotContains(page, "石碶街道")
        self.client.force_login(self.dave)
        self.assertContains(self.client.get(reverse("research:rectifications")), "石碶街道")
