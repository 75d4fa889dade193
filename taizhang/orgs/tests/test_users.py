from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.orgs import services
from taizhang.orgs.models import User
from taizhang.testing import BaseTestCase


class UserManagementTests(BaseTestCase):
    def create(self, **data):
        base = {
            "username": "newbie",
            "display_name": "新人",
            "org": "330203009",
            "role": "viewer",
            "password": "a-long-Passw0rd",
        }
        base.update(data)
        return self.client.post(reverse("orgs:user-create"), base)

    def test_it_lets_a_manager_create_a_user_in_scope(self):
        self.client.force_login(self.hank)
        self.assertEqual(self.create().status_code, 302)
        newbie = User.objects.get(username="newbie")
        self.assertEqual((newbie.org, newbie.role), (self.shiqi, "viewer"))
        self.assertTrue(newbie.check_password("a-long-Passw0rd"))
        change = Change.objects.get(model="orgs.user", object_id=str(newbie.pk))
        self.assertEqual((change.actor, change.action), (self.hank, "create"))

    def test_it_refuses_a_user_outside_the_scope(self):
        self.client.force_login(self.hank)
        response = self.create(org="330205")
        self.assertContains(response, "您的范围内没有该编码的组织")
        self.assertFalse(User.objects.filter(username="newbie").exists())

    def test_it_refuses_a_reporter_creating_users(self):
        with self.assertRaises(PermissionDenied):
            services.create_user(
                Actor.web(self.bob), username="x", password="p", org=self.shiqi, role="viewer"
            )

    def test_it_offers_only_roles_up_to_the_managers_own(self):
        self.assertEqual([r.value for r in self.bob.grantable_roles()], ["viewer", "reporter"])
        self.assertEqual([r.value for r in self.dave.grantable_roles()], ["viewer"])
        self.client.force_login(self.hank)
        response = self.create(role="superuser")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(User.objects.filter(username="newbie").exists())

    def test_it_stops_a_manager_changing_their_own_role(self):
        with self.assertRaises(ValidationError):
            services.update_user(Actor.web(self.hank), self.hank, role="viewer")

    def test_it_disables_a_user(self):
        self.client.force_login(self.hank)
        url = reverse("orgs:user-edit", args=[self.bob.pk])
        response = self.client.post(
            url, {"display_name": "Bob", "org": "330203", "role": "reporter"}
        )
        self.assertEqual(response.status_code, 302)
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.is_active)

    def test_it_lists_users_in_scope_only(self):
        self.client.force_login(self.hank)
        response = self.client.get(reverse("orgs:users"))
        self.assertContains(response, "bob")
        self.assertNotContains(response, "carol")

    def test_the_command_line_creates_users_with_history(self):
        call_command(
            "createuser", "cli-user", org="330203", role="reporter", password="x-long-pass-1"
        )
        user = User.objects.get(username="cli-user")
        change = Change.objects.get(model="orgs.user", object_id=str(user.pk))
        self.assertEqual((change.channel, change.actor), ("cli", None))
