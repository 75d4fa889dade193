"""Every page and export: outsiders get 404, viewers cannot write (403), reporters cannot
manage users or orgs (403), and anonymous visitors are sent to sign in."""

from django.urls import reverse

from taizhang.testing import BaseTestCase


class PermissionTests(BaseTestCase):
    def reads(self):
        """Pages about 海曙 objects that any user in scope may see."""
        return [
            reverse("orgs:detail", args=[self.haishu.pk]),
            reverse("orgs:children", args=[self.haishu.pk]),
            reverse("orgs:export", args=[self.haishu.pk]),
            reverse("orgs:person", args=[self.zhang.pk]),
            reverse("orgs:people") + f"?org={self.haishu.pk}",
            reverse("orgs:people") + f"?org={self.haishu.pk}&format=xlsx",
        ]

    def record_writes(self):
        """Writes a reporter may do on 海曙 objects."""
        return [
            reverse("orgs:person-edit", args=[self.zhang.pk]),
            reverse("orgs:person-create") + f"?org={self.haishu.pk}",
        ]

    def manage_writes(self):
        """Writes only a manager may do on 海曙 objects."""
        return [
            reverse("orgs:create", args=[self.shiqi.pk]),
            reverse("orgs:edit", args=[self.shiqi.pk]),
            reverse("orgs:move", args=[self.xinlian.pk]),
            reverse("orgs:user-edit", args=[self.bob.pk]),
            reverse("orgs:user-create") + f"?org={self.haishu.pk}",
        ]

    def test_it_hides_objects_from_a_sibling_district(self):
        for outsider in (self.carol, self.jill):
            self.client.force_login(outsider)
            reads = [(url, "get") for url in self.reads()]
            writes = [
                (url, m)
                for url in self.record_writes() + self.manage_writes()
                for m in ("get", "post")
            ]
            for url, method in reads + writes:
                if True:
                    with self.subTest(user=outsider.username, url=url, method=method):
                        response = getattr(self.client, method)(url)
                        self.assertEqual(response.status_code, 404)

    def test_it_shows_objects_to_users_in_scope(self):
        for insider in (self.alice, self.hank, self.bob):
            self.client.force_login(insider)
            for url in self.reads():
                with self.subTest(user=insider.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(self.vera)  # a village viewer sees her village, not her town
        self.assertEqual(
            self.client.get(reverse("orgs:detail", args=[self.xinlian.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("orgs:detail", args=[self.shiqi.pk])).status_code, 404
        )

    def test_it_lets_no_viewer_change_anything(self):
        self.client.force_login(self.dave)  # viewer of 石碶街道
        in_scope = [
            reverse("orgs:edit", args=[self.xinlian.pk]),
            reverse("orgs:create", args=[self.xinlian.pk]),
            reverse("orgs:move", args=[self.xinlian.pk]),
            reverse("orgs:person-create") + f"?org={self.xinlian.pk}",
            reverse("orgs:person-create"),
            reverse("orgs:person-import"),
            reverse("orgs:import"),
            reverse("orgs:user-create"),
        ]
        for url in in_scope:
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 403)
        for url in [
            reverse("orgs:template"),
            reverse("orgs:person-template"),
            reverse("orgs:users"),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        # 海曙-level objects are above dave's scope: they do not exist for him.
        above = self.record_writes() + [
            reverse("orgs:edit", args=[self.haishu.pk]),
            reverse("orgs:user-edit", args=[self.bob.pk]),
            reverse("orgs:user-create") + f"?org={self.haishu.pk}",
        ]
        for url in above:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 404)

    def test_it_lets_no_reporter_manage_users_or_orgs(self):
        self.client.force_login(self.bob)
        for url in self.manage_writes() + [reverse("orgs:user-create"), reverse("orgs:import")]:
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 403)
        for url in [reverse("orgs:users"), reverse("orgs:template")]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_it_lets_a_reporter_record_people(self):
        self.client.force_login(self.bob)
        for url in self.record_writes() + [
            reverse("orgs:person-import"),
            reverse("orgs:person-template"),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_sends_anonymous_visitors_to_sign_in(self):
        for url in self.reads() + self.manage_writes() + [reverse("home"), reverse("orgs:tree")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("login"), response["Location"])

    def test_it_keeps_the_admin_for_the_operator(self):
        self.bob.is_staff = True
        self.bob.save()
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
