"""A sector system's bulletin: the city office generates the education system's, in the
bureau's name; its figures are the system's, each linking to its members' records; the
bureau reads it, a district does not."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from taizhang.audit.services import Actor
from taizhang.bulletins import provenance, services
from taizhang.bulletins.template import load, templates_of
from taizhang.stats import periods
from taizhang.stats import sectors as stats
from taizhang.stats.tests.test_sector_figures import SectorFigureTestCase


class SectorBulletinTests(SectorFigureTestCase):
    def generate(self, user, period=None):
        template = load(templates_of(self.campaign)["bulletin"])
        return services.generate(
            Actor.web(user), template, campaign=self.campaign, org=None,
            period=period or periods.whole(self.campaign), sector=self.edu,
        )  # fmt: skip

    def test_its_figures_are_the_systems_and_link_to_the_members_records(self):
        period = periods.parse(self.campaign, "2019-06-01..2019-09-15")
        bulletin = self.generate(self.alice, period)
        self.assertEqual((bulletin.org, bulletin.sector), (self.bureau, self.edu))
        metrics = {m.code: m for m in self.campaign.metrics.select_related("kind", "campaign")}
        found = stats.figures_of(list(metrics.values()), stats.subject(self.edu), period)
        stored = {f.metric: f for f in bulletin.figures.filter(style="number")}
        self.assertIn("party_lectures", stored)
        self.assertEqual(stored["party_lectures"].value, found["party_lectures"].value)
        url = provenance.records_url(stored["party_lectures"], metrics)
        self.assertIn(f"sector={self.edu.pk}", url)
        self.client.force_login(self.alice)
        listed = self.client.get(url)
        self.assertContains(listed, "新联村第1支部")
        self.assertNotContains(listed, "石碶街道")
        self.assertEqual(provenance.differing(bulletin), [])
        page = self.client.get(reverse("bulletins:detail", args=[bulletin.pk]))
        self.assertContains(page, "教育系统")

    def test_the_department_reads_it_and_a_district_does_not(self):
        bulletin = services.issue(Actor.web(self.alice), self.generate(self.alice))
        self.client.force_login(self.erin)  # a viewer reads it once issued
        self.assertEqual(
            self.client.get(reverse("bulletins:detail", args=[bulletin.pk])).status_code, 200
        )
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.get(reverse("bulletins:detail", args=[bulletin.pk])).status_code, 404
        )

    def test_only_a_writer_over_the_department_who_reads_every_member_may_generate_it(self):
        for user in (self.hank, self.bob, self.erin):  # 海曙's manager and clerk; a viewer
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.generate(user)

    def test_the_form_offers_the_system(self):
        self.client.force_login(self.alice)
        form = self.client.get(reverse("bulletins:create") + f"?sector={self.edu.pk}")
        self.assertContains(form, "教育系统")
        posted = self.client.post(
            reverse("bulletins:create"),
            {"sector": self.edu.pk, "template": "bulletin", "starts_on": "2019-06-01",
             "ends_on": "2019-09-15"},
        )  # fmt: skip
        self.assertEqual(posted.status_code, 302)
        self.assertTrue(self.edu.bulletins.exists())
