"""The one widening of the scope: a sector system's responsible department reads its members'
subtrees in other districts (records and figures), writes nothing there, and sees nothing
else outside its own subtree; nobody else gains anything.

The story: the city education bureau (市教育局) answers for the education system, whose
members are 新联村 in 海曙 and 王家村 in 江北. Erin is the bureau's viewer, Eddie its
reporter, Emma its manager; Oscar is a viewer of another city unit (市民政局)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Activity
from taizhang.orgs import sectors
from taizhang.orgs import services as orgs
from taizhang.orgs.models import OrgKind, Role, User
from taizhang.orgs.scope import Scope
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase


def _user(name, org, role):
    return orgs.create_user(SYSTEM, username=name, password=PASSWORD, org=org, role=role)


@override_settings(AXES_ENABLED=False)
class SectorDepartmentTests(WorkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add = orgs.create_org
        cls.bureau = add(
            SYSTEM, parent=cls.city, name="市教育局", code="3302U12", kind=OrgKind.CITY_UNIT
        )
        cls.civil = add(
            SYSTEM, parent=cls.city, name="市民政局", code="3302U15", kind=OrgKind.CITY_UNIT
        )
        cls.edu = sectors.create_sector(SYSTEM, code="EDU", name="教育系统", department=cls.bureau)
        cls.xinlian_member = sectors.join(SYSTEM, cls.edu, cls.xinlian)
        cls.wangjia_member = sectors.join(SYSTEM, cls.edu, cls.wangjia)
        cls.erin = _user("erin", cls.bureau, Role.VIEWER)
        cls.eddie = _user("eddie", cls.bureau, Role.REPORTER)
        cls.emma = _user("emma", cls.bureau, Role.MANAGER)
        cls.oscar = _user("oscar", cls.civil, Role.VIEWER)  # fmt: skip

    def test_it_reads_its_members_records_and_figures_in_other_districts(self):
        self.client.force_login(self.erin)
        for url in (
            reverse("ledger:detail", args=[self.lecture.pk]),  # 新联村's lecture, in 海曙
            reverse("ledger:detail", args=[self.jiangbei_lecture.pk]),  # 王家村's, in 江北
            reverse("ledger:org", args=[self.xinlian.pk]),
            reverse("stats:org", args=[self.wangjia.pk]),
            reverse("orgs:detail", args=[self.branch.pk]),  # under a member
            reverse("stats:sector", args=[self.edu.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        listed = self.client.get(reverse("ledger:list"))
        self.assertContains(listed, "新联村专题党课")
        self.assertContains(listed, "王家村专题党课")

    def test_nothing_else_outside_its_subtree(self):
        self.client.force_login(self.erin)
        for url in (
            reverse("orgs:detail", args=[self.shiqi.pk]),  # 新联村's town: not a member
            reverse("stats:org", args=[self.haishu.pk]),
            reverse("stats:org", args=[self.cicheng.pk]),
            reverse("research:problem", args=[self.problem.pk]),  # 石碶街道's
            reverse("orgs:person", args=[self.zhang.pk]),  # 海曙's secretary
            reverse("office:notice", args=[self.notice_for(self.xinlian).pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        # Users are managed, not read, beyond the own subtree.
        hv = _user("xv", self.xinlian, Role.VIEWER)
        self.assertFalse(User.objects.visible_to(self.emma).filter(pk=hv.pk).exists())
        self.client.force_login(self.emma)
        self.assertNotContains(
            self.client.get(reverse("orgs:detail", args=[self.xinlian.pk])), "xv"
        )

    def notice_for(self, org):
        from taizhang.office.services import notices

        return notices.send(
            SYSTEM, campaign=self.campaign, sender=self.haishu, title="通知", body="请报送",
            deadline=timezone.localdate() + datetime.timedelta(days=7), orgs=[org],
        )  # fmt: skip

    def test_it_writes_nothing_in_its_members(self):
        before = (Activity.objects.count(), Change.objects.count())
        for user in (self.eddie, self.emma):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                edit = reverse("ledger:edit", args=[self.lecture.pk])
                posted = self.client.post(edit, {
                    "org": self.xinlian.code, "starts_on": "2019-09-20", "title": "改",
                    "lecturer_role": "secretary", "count": 1, "participants": 35,
                })  # fmt: skip
                self.assertIn(posted.status_code, (200, 403))  # the form refuses the code
                self.assertNotEqual(posted.status_code, 302)
                delete = reverse("ledger:delete", args=[self.lecture.pk])
                self.assertEqual(self.client.post(delete).status_code, 403)
                created = self.client.post(
                    reverse("ledger:create") + "?kind=party_lecture",
                    {
                        "org": self.xinlian.code,
                        "starts_on": "2019-09-30",
                        "lecturer_role": "member",
                    },
                )
                self.assertIn(created.status_code, (200, 403))  # the form refuses the code
                self.assertNotEqual(created.status_code, 302)
        self.assertEqual((Activity.objects.count(), Change.objects.count()), before)
        scope = Scope.of(self.eddie)
        self.assertTrue(scope.reads_org(self.xinlian))
        self.assertFalse(scope.has_org(self.xinlian))
        # The services refuse it whichever way it arrives (form, import, API).
        actor = Actor.web(self.eddie)
        with self.assertRaises(PermissionDenied):
            ledger.update_activity(actor, self.lecture, title="改")
        with self.assertRaises(PermissionDenied):
            ledger.delete_activity(actor, self.lecture)
        with self.assertRaises(PermissionDenied):
            sectors.join(Actor.web(self.emma), self.edu, self.branch)

    def test_a_user_of_another_unit_gains_nothing(self):
        self.client.force_login(self.oscar)
        for url in (
            reverse("ledger:detail", args=[self.lecture.pk]),
            reverse("stats:org", args=[self.xinlian.pk]),
            reverse("stats:sector", args=[self.edu.pk]),
            reverse("orgs:sector", args=[self.edu.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(Scope.of(self.oscar).reach, ())

    def test_a_member_that_leaves_is_read_no_more(self):
        sectors.leave(SYSTEM, self.xinlian_member)
        erin = User.objects.get(pk=self.erin.pk)  # a new request: a new user object
        self.assertFalse(Scope.of(erin).reads_org(self.xinlian))
        self.client.force_login(self.erin)
        url = reverse("ledger:detail", args=[self.lecture.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("ledger:detail", args=[self.jiangbei_lecture.pk])).status_code,
            200,
        )

    def test_a_district_user_sees_the_system_only_within_its_district(self):
        self.client.force_login(self.bob)  # 海曙's clerk
        page = self.client.get(reverse("stats:sector", args=[self.edu.pk]))
        self.assertEqual(page.status_code, 200)
        subject = page.context["subject"]
        self.assertEqual(subject.within, self.haishu)
        self.assertEqual([p.pk for p in subject.parts], [self.xinlian.pk])
        self.assertNotContains(page, "王家村")
        whole = reverse("stats:sector", args=[self.edu.pk]) + f"?within={self.city.pk}"
        self.assertEqual(self.client.get(whole).status_code, 404)
        self.assertEqual(
            self.client.get(
                reverse("stats:sector", args=[self.edu.pk]) + f"?within={self.wangjia.pk}"
            ).status_code,
            404,
        )
