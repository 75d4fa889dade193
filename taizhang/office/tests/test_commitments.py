from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.ledger import services as ledger
from taizhang.ledger.totals import rebuild
from taizhang.office.models import Commitment, Evidence
from taizhang.office.services import commitments
from taizhang.office.tests.base import D, OfficeTestCase
from taizhang.research.services import problems
from taizhang.testing import SYSTEM


class CommitmentTests(OfficeTestCase):
    def test_it_keeps_the_items_under_their_groups(self):
        items = list(self.commitment.items.values_list("group", "text"))
        self.assertEqual(
            items[0], ("五个始终", "始终把学习贯彻习近平新时代中国特色社会主义思想作为首要任务")
        )
        self.assertEqual([g for g, _t in items], ["五个始终"] * 2 + ["六个带头"] * 2)

    def test_a_published_commitment_counts_for_its_team_and_above(self):
        self.assertEqual(self.figure("commitments", self.city), 1)
        self.assertEqual(self.figure("commitments", self.jiangbei), 0)
        covered = self.figure("commitment_coverage", self.city)
        self.assertAlmostEqual(float(covered), 100 / 3, places=1)  # 海曙 of city, 海曙, 江北

    def test_the_gap_list_names_the_teams_without_one(self):
        self.client.force_login(self.alice)
        response = self.client.get(f"/stats/orgs/{self.city.pk}/gaps/commitment_coverage/")
        self.assertContains(response, "江北区")
        self.assertContains(response, "中共宁波市委")
        self.assertNotContains(response, "海曙区</a>")

    def test_a_team_publishes_once(self):
        with self.assertRaises(ValidationError):
            commitments.publish(SYSTEM, campaign=self.campaign, org=self.haishu, title="再次",
                                published_on=D(2019, 9, 11), items=[("", "x")])  # fmt: skip

    def test_a_town_party_branch_has_no_team_that_publishes(self):
        with self.assertRaises(ValidationError):
            commitments.publish(SYSTEM, campaign=self.campaign, org=self.branch, title="支部",
                                published_on=D(2019, 9, 11), items=[("", "x")])  # fmt: skip

    def test_evidence_links_the_records_that_fulfil_an_item(self):
        activity = ledger.create_activity(
            SYSTEM, kind=self.kinds["study_session"], org=self.haishu,
            starts_on=D(2019, 9, 12), days=2, person_times=30, title="常委会集中学习",
        )  # fmt: skip
        self.client.force_login(self.bob)
        url = f"/office/commitments/{self.commitment.pk}/"
        page = self.client.get(url)
        self.assertContains(page, "常委会集中学习")  # offered
        self.client.post(f"{url}items/{self.item.pk}/link/", {"record": f"activity:{activity.pk}"})
        evidence = Evidence.objects.get(item=self.item)
        self.assertEqual(evidence.activity, activity)
        page = self.client.get(url)
        self.assertContains(page, f"/ledger/{activity.pk}/")
        self.assertContains(page, "1 / 4")

    def test_an_open_problem_is_no_evidence(self):
        problem = problems.raise_problem(
            SYSTEM, campaign=self.campaign, org=self.haishu, title="停车难", source="research",
            deadline=D(2019, 12, 1), raised_on=D(2019, 9, 1),
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            commitments.link(SYSTEM, self.item, problem)

    def test_a_record_of_another_district_cannot_be_linked(self):
        self.client.force_login(self.bob)
        self.client.post(
            f"/office/commitments/{self.commitment.pk}/items/{self.item.pk}/link/",
            {"record": f"activity:{self.jiangbei_lecture.pk}"},
        )
        self.assertFalse(Evidence.objects.exists())
        with self.assertRaises(PermissionDenied):
            commitments.link(SYSTEM.__class__(user=self.bob), self.item, self.jiangbei_lecture)

    def test_the_form_publishes_and_withdrawing_takes_the_count_out(self):
        self.client.force_login(self.carol)
        response = self.client.post("/office/commitments/new/", {
            "org": self.jiangbei.code, "title": "江北区委常委会公开承诺",
            "published_on": "2019-09-15", "items": "【五个始终】\n始终如一",
        })  # fmt: skip
        commitment = Commitment.objects.get(org=self.jiangbei)
        self.assertRedirects(response, f"/office/commitments/{commitment.pk}/")
        self.assertEqual(self.figure("commitments", self.city), 2)
        self.client.post(f"/office/commitments/{commitment.pk}/withdraw/")
        self.assertFalse(Commitment.objects.filter(org=self.jiangbei).exists())
        self.assertEqual(self.figure("commitments", self.city), 1)
        self.assertEqual(rebuild()["drift"], 0)

    def test_a_form_without_items_writes_nothing(self):
        self.client.force_login(self.carol)
        response = self.client.post("/office/commitments/new/", {
            "org": self.jiangbei.code, "title": "空", "published_on": "2019-09-15", "items": "【组】",
        })  # fmt: skip
        self.assertContains(response, "至少写一项", status_code=200)
        self.assertFalse(Commitment.objects.filter(org=self.jiangbei).exists())

    def test_the_sibling_district_sees_no_commitment_of_haishu(self):
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get("/office/commitments/"), "海曙区委常委会公开承诺")
        self.assertEqual(
            self.client.get(f"/office/commitments/{self.commitment.pk}/").status_code, 404
        )
