"""Town adoption (包乡走村): the adopting leader must visit every village and community of the
town; the share visited and the list of those not yet visited come from the field visits
that name the village. And the standing committee's liaisons: one city-level unit and one
district or zone each."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.audit.services import Actor
from taizhang.ledger import services as ledger
from taizhang.orgs import services as org_services
from taizhang.orgs.models import Liaison, LiaisonKind, OrgKind, Rank
from taizhang.research import summaries
from taizhang.testing import SYSTEM, LedgerTestCase

D = datetime.date


class AdoptionFixture:
    """The small Ningbo where 张海 adopts 石碶街道 (新联村 and 下湾社区)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.community = org_services.create_org(
            SYSTEM, parent=cls.shiqi, name="下湾社区", code="330203009002", kind=OrgKind.COMMUNITY
        )
        cls.adoption = org_services.assign_liaison(
            Actor.web(cls.alice),
            person=cls.zhang,
            org=cls.shiqi,
            kind=LiaisonKind.ADOPTION,
            started_on=D(2019, 9, 1),
        )

    def visit(self, village, day):
        return ledger.create_activity(
            Actor.web(self.bob),
            kind=self.kinds["field_visit"],
            org=self.haishu,
            starts_on=day,
            leader=self.zhang,
            visited_org=village,
            households=5,
        )


class AdoptionTests(AdoptionFixture, LedgerTestCase):
    def test_share_of_the_towns_villages_visited_and_who_is_left(self):
        state = summaries.adoption(self.adoption, self.campaign)
        self.assertEqual(state.share, 0)
        self.assertEqual([v.name for v in state.unvisited], ["新联村", "下湾社区"])
        first = self.visit(self.xinlian, D(2019, 9, 20))
        self.visit(self.community, D(2019, 10, 9))
        state = summaries.adoption(self.adoption, self.campaign)
        self.assertEqual((state.share, state.unvisited), (100, []))
        ledger.delete_activity(Actor.web(self.bob), first)
        state = summaries.adoption(self.adoption, self.campaign)
        self.assertEqual(state.share, 50)
        self.assertEqual([v.name for v in state.unvisited], ["新联村"])

    def test_visits_by_another_leader_do_not_count(self):
        ledger.create_activity(
            Actor.web(self.alice),
            kind=self.kinds["field_visit"],
            org=self.city,
            starts_on=D(2019, 9, 20),
            leader=self.li,
            visited_org=self.xinlian,
        )
        self.assertEqual(len(summaries.adoption(self.adoption, self.campaign).unvisited), 2)

    def test_only_towns_are_adopted_and_only_managers_assign(self):
        with self.assertRaises(ValidationError):
            org_services.assign_liaison(
                Actor.web(self.alice),
                person=self.zhang,
                org=self.xinlian,
                kind=LiaisonKind.ADOPTION,
                started_on=D(2019, 9, 1),
            )
        with self.assertRaises(PermissionDenied):
            org_services.assign_liaison(
                Actor.web(self.bob),  # a reporter
                person=self.zhang,
                org=self.cicheng,
                kind=LiaisonKind.ADOPTION,
                started_on=D(2019, 9, 1),
            )
        with self.assertRaises(PermissionDenied):
            org_services.assign_liaison(
                Actor.web(self.hank),  # 海曙's manager: 慈城 is in 江北
                person=self.zhang,
                org=self.cicheng,
                kind=LiaisonKind.ADOPTION,
                started_on=D(2019, 9, 1),
            )
        self.assertEqual(Liaison.objects.count(), 1)
        self.assertEqual(list(Liaison.objects.visible_to(self.carol)), [])
        self.assertEqual(list(Liaison.objects.visible_to(self.dave)), [self.adoption])


class StandingCommitteeTests(LedgerTestCase):
    def test_members_without_their_two_liaisons_are_flagged(self):
        alice = Actor.web(self.alice)
        unit = org_services.create_org(
            SYSTEM, parent=self.city, name="市发展改革委", code="3302A01", kind=OrgKind.CITY_UNIT
        )
        member = org_services.create_person(
            SYSTEM,
            code="P9",
            name="王常委",
            org=self.city,
            title="市委常委、组织部部长",
            rank=Rank.BUREAU,
            standing_committee=True,
        )
        gaps = summaries.standing_committee_gaps(self.city)
        self.assertEqual([(p.name, len(missing)) for p, missing in gaps], [("王常委", 2)])
        org_services.assign_liaison(
            alice, person=member, org=unit, kind=LiaisonKind.GUIDANCE, started_on=D(2019, 6, 5)
        )
        gaps = summaries.standing_committee_gaps(self.city)
        self.assertEqual(gaps[0][1], ["联系指导的区县（市）或开发园区"])
        org_services.assign_liaison(
            alice,
            person=member,
            org=self.haishu,
            kind=LiaisonKind.GUIDANCE,
            started_on=D(2019, 6, 5),
        )
        self.assertEqual(summaries.standing_committee_gaps(self.city), [])


class LiaisonPageTests(AdoptionFixture, LedgerTestCase):
    def test_the_list_and_page_show_the_adoption_and_what_is_left(self):
        self.visit(self.xinlian, D(2019, 9, 20))
        self.client.force_login(self.bob)
        response = self.client.get("/liaisons/")
        self.assertContains(response, "张海")
        self.assertContains(response, "1 / 2")
        page = self.client.get(f"/liaisons/{self.adoption.pk}/")
        self.assertContains(page, "下湾社区")  # not yet visited
        self.assertEqual(page.context["adoption"].share, 50)
        self.assertEqual(len(page.context["page"].object_list), 1)

    def test_what_the_leader_did_shows_only_records_in_the_users_scope(self):
        ledger.create_activity(
            Actor.web(self.alice),
            kind=self.kinds["field_visit"],
            org=self.city,  # recorded by the city office, outside 海曙's scope
            starts_on=D(2019, 9, 25),
            leader=self.zhang,
            visited_org=self.community,
        )
        self.visit(self.xinlian, D(2019, 9, 20))
        self.client.force_login(self.bob)
        page = self.client.get(f"/liaisons/{self.adoption.pk}/")
        self.assertEqual([a.org for a in page.context["page"].object_list], [self.haishu])
        self.client.force_login(self.alice)
        page = self.client.get(f"/liaisons/{self.adoption.pk}/")
        self.assertEqual(len(page.context["page"].object_list), 2)

    def test_outsiders_get_404(self):
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(f"/liaisons/{self.adoption.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/liaisons/"), "张海")

    def test_the_city_office_sees_its_standing_committee_gaps(self):
        org_services.create_person(
            SYSTEM, code="P9", name="王常委", org=self.city, standing_committee=True
        )
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/liaisons/"), "王常委")
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get("/liaisons/"), "王常委")
