from django.http import Http404

from taizhang.audit.models import Change
from taizhang.orgs import services as orgs
from taizhang.orgs.access import get_org, get_person, get_user
from taizhang.orgs.models import Org, OrgKind, Person, User
from taizhang.orgs.scope import Scope
from taizhang.testing import PASSWORD, SYSTEM, BaseTestCase


class VisibleToTests(BaseTestCase):
    def test_it_gives_each_user_their_subtree(self):
        other_city = orgs.create_org(
            SYSTEM, parent=None, name="中共杭州市委", code="3301", kind=OrgKind.CITY_COMMITTEE
        )
        city = set(Org.objects.visible_to(self.alice))
        self.assertEqual(len(city), 8)  # the city and everything under it
        self.assertNotIn(other_city, city)  # another city is not the city manager's
        root = User.objects.create_superuser("root", password=PASSWORD)
        self.assertEqual(Org.objects.visible_to(root).count(), 9)
        self.assertEqual(
            set(Org.objects.visible_to(self.bob).values_list("name", flat=True)),
            {"海曙区", "石碶街道", "新联村", "新联村第一党支部"},
        )
        self.assertEqual(
            set(Org.objects.visible_to(self.vera).values_list("name", flat=True)),
            {"新联村", "新联村第一党支部"},
        )

    def test_it_scopes_people_users_and_history(self):
        self.assertEqual(list(Person.objects.visible_to(self.carol)), [self.li])
        self.assertNotIn(self.bob, User.objects.visible_to(self.carol))
        self.assertIn(self.bob, User.objects.visible_to(self.hank))
        haishu_changes = Change.objects.visible_to(Scope.of(self.bob))
        self.assertTrue(haishu_changes.exists())
        self.assertFalse(haishu_changes.filter(object_repr="江北区").exists())

    def test_it_answers_404_outside_the_scope_as_for_a_missing_id(self):
        with self.assertRaises(Http404):
            get_org(self.carol, self.haishu.pk)
        with self.assertRaises(Http404):
            get_org(self.carol, 10**9)
        with self.assertRaises(Http404):
            get_person(self.carol, self.zhang.pk)
        with self.assertRaises(Http404):
            get_user(self.jill, self.bob.pk)
        self.assertEqual(get_org(self.bob, self.shiqi.pk), self.shiqi)

    def test_it_does_not_treat_a_path_prefix_sibling_as_a_child(self):
        # 海曙's path is a string prefix only of its own descendants, never of a sibling.
        self.assertFalse(self.jiangbei.path.startswith(self.haishu.path))
        self.assertNotIn(self.jiangbei, Org.objects.visible_to(self.bob))
