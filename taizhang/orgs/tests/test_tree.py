from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.orgs import services
from taizhang.orgs.models import Org, OrgKind, Person
from taizhang.testing import SYSTEM, BaseTestCase


class TreePageTests(BaseTestCase):
    def add_villages(self, parent, count, start):
        specs = [
            {"name": f"村{n}", "code": f"V{n}", "kind": OrgKind.VILLAGE}
            for n in range(start, start + count)
        ]
        services.bulk_create_tree(SYSTEM, parent, specs)

    def count_queries(self, url):
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def test_its_query_count_does_not_grow_with_the_tree(self):
        self.client.force_login(self.alice)
        pages = [
            reverse("orgs:tree"),
            reverse("orgs:children", args=[self.shiqi.pk]),
            reverse("orgs:detail", args=[self.shiqi.pk]),
            reverse("orgs:tree") + "?q=村",
            reverse("home"),
        ]
        self.add_villages(self.shiqi, 5, 0)
        small = [self.count_queries(url) for url in pages]
        self.add_villages(self.shiqi, 200, 100)
        self.add_villages(self.cicheng, 200, 400)
        large = [self.count_queries(url) for url in pages]
        self.assertEqual(small, large)

    def test_it_searches_by_name_and_code_within_scope(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("orgs:tree"), {"q": "村"})
        names = [o.name for o in response.context["page"].object_list]
        self.assertIn("新联村", names)
        self.assertNotIn("王家村", names)  # 江北: outside bob's scope
        response = self.client.get(reverse("orgs:tree"), {"q": "330203009"})
        self.assertEqual(response.context["page"].object_list[0].name, "石碶街道")
        self.assertContains(response, "海曙区 › 石碶街道")  # the trail of the village

    def test_it_shows_a_breadcrumb_from_the_scope_top(self):
        self.client.force_login(self.dave)
        response = self.client.get(reverse("orgs:detail", args=[self.branch.pk]))
        self.assertEqual([o.name for o in response.context["breadcrumb"]], ["石碶街道", "新联村"])

    def test_bulk_created_subtrees_are_valid_treebeard_trees(self):
        self.add_villages(self.shiqi, 50, 0)
        self.assertEqual(Org.objects.find_problems(), ([], [], [], [], []))
        self.assertEqual(Org.objects.get(pk=self.shiqi.pk).numchild, 51)


class MoveTests(BaseTestCase):
    def test_moving_an_org_keeps_its_records_and_subtree(self):
        Person.objects.create(code="PV", name="村书记", org=self.xinlian)
        services.move_org(Actor.web(self.alice), self.xinlian, self.cicheng)
        xinlian = Org.objects.get(pk=self.xinlian.pk)
        self.assertTrue(xinlian.path.startswith(self.cicheng.path))
        self.assertEqual(Person.objects.get(code="PV").org, xinlian)
        self.assertTrue(Org.objects.get(pk=self.branch.pk).path.startswith(xinlian.path))
        self.assertEqual(Org.objects.find_problems(), ([], [], [], [], []))
        change = Change.objects.filter(action="move").get()
        self.assertEqual(
            (change.before["parent"], change.after["parent"]), ("330203009", "330205008")
        )
        # 海曙's clerk no longer sees the village; 江北's does.
        self.assertNotIn(xinlian, Org.objects.visible_to(self.bob))
        self.assertIn(xinlian, Org.objects.visible_to(self.carol))

    def test_it_refuses_to_move_an_org_under_itself(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("orgs:move", args=[self.shiqi.pk]), {"parent": "330203009001"}
        )
        self.assertContains(response, "不能调整到自身")

    def test_deactivating_keeps_the_org_and_its_people(self):
        self.client.force_login(self.hank)
        data = {"name": "石碶街道", "short_name": "", "code": "330203009", "kind": "town"}
        response = self.client.post(reverse("orgs:edit", args=[self.shiqi.pk]), data)
        self.assertEqual(response.status_code, 302)
        shiqi = Org.objects.get(pk=self.shiqi.pk)
        self.assertFalse(shiqi.active)
        self.assertEqual(Org.objects.filter(path__startswith=shiqi.path).count(), 3)
        change = Change.objects.filter(
            model="orgs.org", object_id=str(shiqi.pk), action="update"
        ).get()
        self.assertEqual(
            (change.before["active"], change.after["active"], change.actor),
            (True, False, self.hank),
        )


class LookupTests(BaseTestCase):
    def test_it_offers_only_orgs_in_scope(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("orgs:lookup"), {"q": "村"})
        self.assertContains(response, 'value="330203009001"')
        self.assertNotContains(response, "王家村")
        response = self.client.get(reverse("orgs:lookup"), {"q": "330205"})
        self.assertNotContains(response, "<option")

    def test_it_needs_a_signed_in_user(self):
        self.assertEqual(self.client.get(reverse("orgs:lookup"), {"q": "村"}).status_code, 302)
