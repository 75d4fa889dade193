"""Every ledger page and export: a sibling district gets 404, a viewer 403 on writes,
anonymous visitors are sent to sign in."""

import datetime

from django.urls import reverse

from taizhang.ledger import services
from taizhang.ledger.models import Activity
from taizhang.testing import SYSTEM, LedgerTestCase


class LedgerPermissionTests(LedgerTestCase):
    def reads(self):
        return [
            reverse("ledger:detail", args=[self.lecture.pk]),
            reverse("ledger:org", args=[self.xinlian.pk]),
            reverse("ledger:list") + f"?org={self.xinlian.pk}",
            reverse("ledger:list") + f"?org={self.xinlian.pk}&format=xlsx",
        ]

    def writes(self):
        return [
            reverse("ledger:edit", args=[self.lecture.pk]),
            reverse("ledger:delete", args=[self.lecture.pk]),
            reverse("ledger:create") + f"?kind=party_lecture&org={self.xinlian.pk}",
        ]

    def test_outsiders_get_404_on_every_page_and_export(self):
        for user in (self.carol, self.jill):
            self.client.force_login(user)
            for url in self.reads() + self.writes():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            response = self.client.post(reverse("ledger:delete", args=[self.lecture.pk]))
            self.assertEqual(response.status_code, 404)
        self.assertTrue(Activity.objects.filter(pk=self.lecture.pk).exists())

    def test_a_sibling_districts_venue_does_not_exist_for_haishu(self):
        self.client.force_login(self.bob)
        url = reverse("ledger:venue", args=[self.jiangbei_base.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("ledger:venue", args=[self.base.pk])).status_code, 200
        )

    def test_viewers_read_but_get_403_on_writes(self):
        self.client.force_login(self.vera)
        for url in self.reads():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        for url in self.writes() + [
            reverse("ledger:create") + "?kind=party_lecture",
            reverse("ledger:import") + "?kind=party_lecture",
            reverse("ledger:venue-create"),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url).status_code, 403)
        self.assertTrue(Activity.objects.filter(pk=self.lecture.pk).exists())

    def test_a_sibling_districts_venue_cannot_be_edited_and_viewers_cannot_edit_any(self):
        self.client.force_login(self.hank)
        url = reverse("ledger:venue-edit", args=[self.jiangbei_base.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.vera)
        self.assertEqual(
            self.client.get(reverse("ledger:venue-edit", args=[self.base.pk])).status_code, 403
        )

    def test_venue_visit_counts_hold_only_the_scope(self):
        kind = self.kinds["roots_trip"]
        for org, when in ((self.xinlian, "2019-09-02"), (self.wangjia, "2019-09-03")):
            services.create_activity(
                SYSTEM,
                kind=kind,
                org=org,
                starts_on=datetime.date.fromisoformat(when),
                person_times=20,
                venue=self.base,
            )
        visits = {}
        for user in (self.bob, self.alice):
            self.client.force_login(user)
            page = self.client.get(reverse("ledger:venues") + "?q=RB001").context["page"]
            visits[user.username] = page.object_list[0].visit_count
        self.assertEqual(visits, {"bob": 1, "alice": 2})

    def test_the_person_lookup_offers_only_people_in_scope(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("orgs:person-lookup") + "?q=P")
        self.assertContains(response, "张海")
        self.assertNotContains(response, "李江")

    def test_a_reporter_cannot_manage_venues(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("ledger:venue-create")).status_code, 403)

    def test_a_manager_cannot_edit_a_venue_owned_above_them(self):
        self.client.force_login(self.hank)
        self.assertEqual(
            self.client.get(reverse("ledger:venue-edit", args=[self.base.pk])).status_code, 403
        )

    def test_lists_and_exports_hold_only_the_scope(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("ledger:list"))
        self.assertContains(response, "新联村")
        self.assertNotContains(response, "王家村")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("ledger:list"))
        self.assertContains(response, "王家村")

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for url in self.reads() + self.writes() + [reverse("ledger:venues")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("login"), response["Location"])


class LedgerPageTests(LedgerTestCase):
    def test_a_clerk_records_a_lecture_through_the_form(self):
        self.client.force_login(self.bob)
        url = reverse("ledger:create") + "?kind=party_lecture"
        form = self.client.get(url)
        self.assertContains(form, 'name="lecturer_role"')
        self.assertNotContains(form, 'name="households"')
        response = self.client.post(
            url,
            {
                "org": self.branch.code,
                "starts_on": "2019-10-12",
                "title": "支部党课",
                "count": 1,
                "lecturer_role": "secretary",
            },
        )
        activity = Activity.objects.get(title="支部党课")
        self.assertRedirects(response, reverse("ledger:detail", args=[activity.pk]))
        self.assertEqual(
            (activity.org, activity.source, activity.recorded_by), (self.branch, "form", self.bob)
        )

    def test_the_form_shows_the_rule_broken(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("ledger:create") + "?kind=party_lecture",
            {
                "org": self.xinlian.code,
                "starts_on": "2019-07-01",
                "count": 1,
                "lecturer_role": "member",
            },
        )
        self.assertContains(response, "不参加任何批次")
        self.assertFalse(Activity.objects.filter(starts_on="2019-07-01").exists())

    def test_switching_kind_swaps_only_the_form(self):
        self.client.force_login(self.bob)
        response = self.client.get(
            reverse("ledger:create") + "?kind=field_visit", HTTP_HX_REQUEST="true"
        )
        self.assertContains(response, 'name="households"')
        self.assertNotContains(response, "<html")

    def test_the_list_filters_by_kind_batch_and_dates(self):
        self.client.force_login(self.alice)
        base = reverse("ledger:list")
        self.assertContains(self.client.get(base + "?kind=party_lecture&batch=2"), "新联村专题党课")
        self.assertNotContains(self.client.get(base + "?batch=1"), "新联村专题党课")
        self.assertNotContains(self.client.get(base + "?date_from=2019-09-21"), "新联村专题党课")
        self.assertContains(self.client.get(base + f"?org={self.jiangbei.pk}"), "王家村专题党课")

    def test_the_org_page_lists_required_actions_not_yet_recorded(self):
        self.client.force_login(self.hank)
        response = self.client.get(reverse("ledger:org", args=[self.haishu.pk]))
        self.assertContains(response, "本组织尚未记录的规定动作")
        self.assertContains(response, "专题民主生活会")

    def test_deleting_asks_first(self):
        self.client.force_login(self.bob)
        url = reverse("ledger:delete", args=[self.lecture.pk])
        self.assertContains(self.client.get(url), "删除这条记录")
        self.assertTrue(Activity.objects.filter(pk=self.lecture.pk).exists())
        self.client.post(url)
        self.assertFalse(Activity.objects.filter(pk=self.lecture.pk).exists())
