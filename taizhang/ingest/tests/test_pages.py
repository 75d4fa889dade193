"""The reader's pages: a district clerk pastes a report, reviews its figures beside the
ledger and confirms them; the org is proposed from the report's top; a viewer reads but
cannot confirm; nobody sees another district's reports or claims."""

from django.urls import reverse

from taizhang.ingest.models import Claim, Report
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Role
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase

TEXT = "海曙区主题教育工作情况\n全区累计上专题党课1场次，召开座谈会6场，发放调查问卷2700余份。"


class ReportPageTests(WorkTestCase):
    def paste(self, user, text=TEXT, **extra):
        self.client.force_login(user)
        data = {"starts_on": "2019-06-01", "ends_on": "2020-01-31", "text": text, **extra}
        return self.client.post(reverse("ingest:create"), data)

    def test_a_clerk_pastes_reviews_and_confirms_a_report(self):
        response = self.paste(self.bob)
        report = Report.objects.get()
        self.assertRedirects(response, reverse("ingest:detail", args=[report.pk]))
        self.assertEqual(report.org, self.haishu)  # proposed from "海曙区…"
        claims = {c.metric: c for c in report.claims.all()}
        self.assertEqual(set(claims), {"party_lectures", "seminars", "questionnaires"})
        page = self.client.get(reverse("ingest:detail", args=[report.pk]))
        self.assertContains(page, "<mark", count=3)
        self.assertContains(page, "一致")  # 1场次 is the ledger's
        lecture = claims["party_lectures"]
        self.client.post(
            reverse("ingest:confirm", args=[report.pk]),
            {f"metric-{lecture.pk}": "party_lectures", f"metric-{claims['seminars'].pk}": ""},
        )
        confirmed = set(Claim.objects.filter(confirmed=True).values_list("metric", flat=True))
        self.assertEqual(confirmed, {"party_lectures", "questionnaires"})
        table = self.client.get(reverse("ingest:claims"))
        self.assertContains(table, "海曙区")
        self.assertEqual(len(table.context["page"].object_list), 2)

    def test_the_org_proposed_from_the_text_can_be_changed(self):
        self.paste(self.bob)
        report = Report.objects.get()
        url = reverse("ingest:org", args=[report.pk])
        self.client.post(url, {"org": self.shiqi.code})
        report.refresh_from_db()
        self.assertEqual(report.org, self.shiqi)
        self.assertEqual(set(report.claims.values_list("org", flat=True)), {self.shiqi.pk})
        self.client.post(url, {"org": self.jiangbei.code})  # outside 海曙: refused
        report.refresh_from_db()
        self.assertEqual(report.org, self.shiqi)

    def test_an_unknown_metric_is_refused_and_nothing_changes(self):
        self.paste(self.bob)
        report = Report.objects.get()
        claim = report.claims.first()
        self.client.post(reverse("ingest:confirm", args=[report.pk]), {f"metric-{claim.pk}": "x"})
        self.assertFalse(Claim.objects.filter(confirmed=True).exists())

    def test_a_report_naming_no_org_of_the_scope_asks_for_one(self):
        response = self.paste(self.bob, text="江北区召开座谈会3场。")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Report.objects.exists())

    def test_a_viewer_reads_but_does_not_confirm_and_outsiders_get_404(self):
        self.paste(self.bob)
        report = Report.objects.get()
        viewer = orgs.create_user(
            SYSTEM, username="hv", password=PASSWORD, org=self.haishu, role=Role.VIEWER
        )
        self.client.force_login(viewer)
        self.assertEqual(
            self.client.get(reverse("ingest:detail", args=[report.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.post(reverse("ingest:confirm", args=[report.pk])).status_code, 403
        )
        self.client.force_login(self.carol)  # 江北
        self.assertEqual(
            self.client.get(reverse("ingest:detail", args=[report.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("ingest:claims"), {"org": self.haishu.pk}).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("ingest:claims")).context["page"].paginator.count, 0
        )


class ReportTitleTests(WorkTestCase):
    def test_a_report_without_a_title_takes_its_cleaned_first_line(self):
        from taizhang.ingest import services
        from taizhang.stats.periods import whole

        report = services.read_report(
            SYSTEM, campaign=self.campaign, org=self.haishu, title="", period=whole(self.campaign),
            text="海曙區主題教育領(lǐng)導(dǎo)小組辦公室\n召開座談會6場。",
        )  # fmt: skip
        self.assertEqual(report.title, "海曙区主题教育领导小组办公室")
