"""Dashboards, gap lists (and their download), target progress and comparisons: who sees
what. Outside one's scope every page answers 404, as for an org that does not exist."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from taizhang.campaigns.models import Target
from taizhang.testing import LedgerTestCase


class DashboardPageTests(LedgerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.target = Target.objects.get(metric__code="party_lecture_coverage")

    def pages(self, org):
        return [
            reverse("stats:org", args=[org.pk]),
            reverse("stats:gaps", args=[org.pk, "party_lecture_coverage"]),
            reverse("stats:gaps", args=[org.pk, "party_lecture_coverage"]) + "?format=xlsx",
            reverse("stats:target", args=[org.pk, self.target.pk]),
            reverse("stats:compare", args=[org.pk]),
            reverse("stats:compare", args=[org.pk]) + "?preset=batches",
        ]

    def login(self, user):
        self.client.force_login(user)

    def test_every_page_opens_for_users_in_scope(self):
        for user, org in (
            (self.alice, self.city),
            (self.alice, self.haishu),
            (self.bob, self.shiqi),
            (self.dave, self.shiqi),
            (self.vera, self.xinlian),
        ):
            self.login(user)
            for url in self.pages(org):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_an_outsider_gets_404_everywhere(self):
        for user, org in (
            (self.carol, self.haishu),  # sibling district
            (self.carol, self.shiqi),
            (self.dave, self.haishu),  # a town viewer looking up
            (self.vera, self.shiqi),
            (self.bob, self.city),
        ):
            self.login(user)
            for url in self.pages(org):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        response = self.client.get(reverse("stats:org", args=[self.city.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_the_dashboard_home_opens_the_users_own_org(self):
        self.login(self.dave)
        response = self.client.get(reverse("stats:home"))
        self.assertRedirects(response, reverse("stats:org", args=[self.shiqi.pk]))

    def test_the_city_dashboard_shows_live_figures_and_its_districts(self):
        self.login(self.alice)
        response = self.client.get(reverse("stats:org", args=[self.city.pk]))
        self.assertContains(response, "专题党课")
        self.assertContains(response, 'data-metric="party_lectures"')
        board = response.context["board"]
        self.assertEqual(board.headline["party_lectures"].value, 2)
        self.assertEqual([c.name for c, _f in board.children], ["海曙区", "江北区"])
        self.assertContains(response, reverse("stats:org", args=[self.haishu.pk]))
        self.assertContains(response, "echarts")

    def test_the_children_table_sorts_by_any_column(self):
        self.login(self.alice)
        url = reverse("stats:org", args=[self.city.pk])
        # 江北 covers its one village; 海曙 has a branch without a lecture.
        response = self.client.get(url, {"sort": "party_lecture_coverage", "dir": "desc"})
        self.assertEqual([c.name for c, _f in response.context["board"].children][0], "江北区")
        response = self.client.get(url, {"sort": "party_lecture_coverage", "dir": "asc"})
        self.assertEqual([c.name for c, _f in response.context["board"].children][0], "海曙区")
        response = self.client.get(url, {"sort": "name", "dir": "desc"})
        self.assertEqual([c.name for c, _f in response.context["board"].children][0], "江北区")

    def test_a_bad_period_is_named_and_the_whole_campaign_shown(self):
        self.login(self.alice)
        response = self.client.get(reverse("stats:org", args=[self.city.pk]), {"period": "今年"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "“今年”")
        self.assertEqual(response.context["period"].code, "campaign")

    def test_the_gap_list_names_who_has_not_and_downloads(self):
        self.login(self.bob)
        url = reverse("stats:gaps", args=[self.haishu.pk, "party_lecture_coverage"])
        response = self.client.get(url)
        self.assertContains(response, "新联村第一党支部")
        self.assertNotContains(response, "王家村")  # 江北 is outside bob's district
        download = self.client.get(url, {"format": "xlsx"})
        self.assertEqual(
            download["Content-Type"].split(";")[0],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        rows = list(load_workbook(io.BytesIO(download.content)).active.values)
        self.assertEqual(rows[1][:2], ("33020300900101", "新联村第一党支部"))
        self.assertEqual(rows[1][3], "石碶街道 / 新联村")
        self.assertEqual(len(rows), 2)

    def test_a_gap_list_for_an_unknown_or_non_coverage_metric_is_404(self):
        self.login(self.alice)
        for code in ("no-such-metric", "party_lectures"):
            url = reverse("stats:gaps", args=[self.city.pk, code])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_target_progress_lists_the_orgs_it_applies_to(self):
        self.login(self.alice)
        response = self.client.get(
            reverse("stats:target", args=[self.city.pk, self.target.pk]), {"as_of": "2020-01-31"}
        )
        names = {p.org.name for p in response.context["page"].object_list}
        self.assertEqual(names, {"中共宁波市委", "海曙区", "江北区", "石碶街道", "慈城镇"})
        response = self.client.get(
            reverse("stats:target", args=[self.city.pk, self.target.pk]),
            {"as_of": "2020-01-31", "state": "met"},
        )
        self.assertEqual(
            {p.org.name for p in response.context["page"].object_list}, {"江北区", "慈城镇"}
        )

    def test_batches_side_by_side(self):
        self.login(self.alice)
        response = self.client.get(
            reverse("stats:compare", args=[self.city.pk]), {"preset": "batches"}
        )
        rows = {m.code: (a.value, b.value) for m, a, b, _c in response.context["rows"]}
        self.assertEqual(rows["party_lectures"], (0, 2))
        self.assertContains(response, "第一批")
        self.assertContains(response, "第二批")
