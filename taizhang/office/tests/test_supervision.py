from django.core.exceptions import ValidationError

from taizhang.ledger.totals import rebuild
from taizhang.office.models import SupervisionVisit
from taizhang.office.services import supervision
from taizhang.office.tests.base import D, OfficeTestCase
from taizhang.research.models import ProblemSource, ProblemState
from taizhang.research.services import problems
from taizhang.testing import SYSTEM


class SupervisionTests(OfficeTestCase):
    def test_a_visit_and_its_findings_count_on_the_unit(self):
        self.assertEqual(self.figure("supervision_visits", self.shiqi), 1)
        self.assertEqual(self.figure("supervision_visits", self.city), 1)
        self.assertEqual(self.figure("supervision_findings", self.haishu), 2)
        self.assertEqual(self.figure("supervised_units", self.haishu), 1)

    def test_coverage_counts_only_the_assigned_units_visited_twice(self):
        self.assertEqual(self.figure("supervision_coverage", self.haishu), 0)
        self.client.force_login(self.hank)
        gaps = self.client.get(f"/stats/orgs/{self.haishu.pk}/gaps/supervision_coverage/")
        self.assertContains(gaps, "石碶街道")
        self.assertNotContains(gaps, "新联村")  # not assigned: not on the list
        supervision.record_visit(
            SYSTEM, group=self.group, unit=self.shiqi, visited_on=D(2019, 10, 20), checked="回访"
        )
        self.assertEqual(self.figure("supervision_coverage", self.haishu), 100)
        self.assertEqual(rebuild()["drift"], 0)

    def test_a_finding_becomes_a_problem_that_keeps_the_link(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            f"/office/findings/{self.finding.pk}/problem/", {"deadline": "2019-11-30"}
        )
        self.assertRedirects(response, f"/office/visits/{self.visit.pk}/")
        self.finding.refresh_from_db()
        problem = self.finding.problem
        self.assertEqual((problem.org, problem.source, problem.title),
                         (self.shiqi, ProblemSource.SUPERVISION, "党课台账不全"))  # fmt: skip
        self.assertEqual(self.figure("supervision_problems", self.city), 1)
        page = self.client.get(f"/office/visits/{self.visit.pk}/")
        self.assertContains(page, f"/problems/{problem.pk}/")
        self.assertContains(page, "待办")
        problems.start(SYSTEM, problem)
        problem = problems.resolve(SYSTEM, problem, resolution="补齐台账", on=D(2019, 11, 1))
        problems.close(SYSTEM, problem, on=D(2019, 11, 5))
        self.assertContains(self.client.get(f"/office/visits/{self.visit.pk}/"), "已销号")
        self.assertEqual(self.figure("supervision_problems_closed", self.haishu), 1)
        self.assertEqual(rebuild()["drift"], 0)
        self.assertEqual(problem.state, ProblemState.CLOSED)

    def test_a_finding_goes_on_the_list_once(self):
        supervision.raise_problem(SYSTEM, self.finding, deadline=D(2019, 11, 30))
        self.finding.refresh_from_db()
        with self.assertRaises(ValidationError):
            supervision.raise_problem(SYSTEM, self.finding, deadline=D(2019, 11, 30))

    def test_a_unit_not_assigned_cannot_be_visited(self):
        with self.assertRaises(ValidationError):
            supervision.record_visit(SYSTEM, group=self.group, unit=self.xinlian,
                                     visited_on=D(2019, 9, 21), checked="x")  # fmt: skip

    def test_the_visit_form_records_and_refuses_a_future_day(self):
        self.client.force_login(self.bob)
        url = f"/office/supervision/{self.group.pk}/visits/new/"
        before = SupervisionVisit.objects.count()
        response = self.client.post(url, {"unit": self.shiqi.pk, "visited_on": "2099-01-01",
                                          "checked": "台账"})  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertEqual(SupervisionVisit.objects.count(), before)
        response = self.client.post(url, {"unit": self.shiqi.pk, "visited_on": "2019-10-02",
                                          "checked": "台账", "findings": "甲\n\n乙\n"})  # fmt: skip
        visit = SupervisionVisit.objects.latest("id")
        self.assertRedirects(response, f"/office/visits/{visit.pk}/")
        self.assertEqual(list(visit.findings.values_list("text", flat=True)), ["甲", "乙"])

    def test_the_group_page_shows_units_and_visits(self):
        self.client.force_login(self.dave)  # a town viewer: not the group's office
        self.assertEqual(self.client.get(f"/office/supervision/{self.group.pk}/").status_code, 404)
        self.assertContains(self.client.get(f"/office/visits/{self.visit.pk}/"), "党课台账不全")
        self.client.force_login(self.hank)
        page = self.client.get(f"/office/supervision/{self.group.pk}/")
        self.assertContains(page, "石碶街道")
        self.assertContains(page, "0 / 1")

    def test_a_unit_sees_the_visit_but_only_the_group_office_acts_on_it(self):
        from taizhang.orgs import services as orgs
        from taizhang.testing import PASSWORD

        clerk = orgs.create_user(
            SYSTEM, username="sq", password=PASSWORD, org=self.shiqi, role="reporter"
        )
        self.client.force_login(clerk)
        page = self.client.get(f"/office/visits/{self.visit.pk}/")
        self.assertContains(page, "海曙区第一巡回指导组")
        self.assertNotContains(page, "/office/supervision/")  # the group is 海曙's office's
        self.assertNotContains(page, "/problem/")
        response = self.client.post(f"/office/findings/{self.finding.pk}/problem/",
                                    {"deadline": "2019-11-30"})  # fmt: skip
        self.assertEqual(response.status_code, 403)

    def test_the_sibling_district_sees_no_visit(self):
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(f"/office/visits/{self.visit.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/office/visits/"), "石碶街道")

    def test_a_group_supervises_only_units_below_its_office(self):
        with self.assertRaises(ValidationError):
            supervision.create_group(SYSTEM, campaign=self.campaign, org=self.haishu, name="越界",
                                     leader=self.zhang, units=[self.cicheng])  # fmt: skip

    def test_a_visited_unit_stays_assigned_and_a_visit_with_a_problem_stays(self):
        with self.assertRaises(ValidationError):
            supervision.unassign(SYSTEM, self.group, self.shiqi)
        supervision.raise_problem(SYSTEM, self.finding, deadline=D(2019, 11, 30))
        with self.assertRaises(ValidationError):
            supervision.delete_visit(SYSTEM, self.visit)
