from decimal import Decimal

from taizhang.api.tests.base import ApiTestCase
from taizhang.stats import coverage, dashboard, periods


class FigureTests(ApiTestCase):
    def test_figures_equal_the_dashboards(self):
        secret = self.token(self.alice)
        self.post("/api/v1/activities/", self.token(self.bob), self.lecture_body(participants=9))
        for org in (self.city, self.haishu, self.shiqi, self.xinlian):
            for code in ("campaign", "batch-2", "month-2019-09", "2019-09-21..2019-09-30"):
                with self.subTest(org=org.code, period=code):
                    period = periods.parse(self.campaign, code)
                    board = dashboard.build(org, self.campaign, period)
                    data = self.get(
                        f"/api/v1/orgs/{org.code}/figures/?period={code}", secret
                    ).json()
                    got = {f["metric"]: f for f in data["figures"]}
                    self.assertEqual(set(got), set(board.headline))
                    for metric, figure in board.headline.items():
                        value = got[metric]["value"]
                        self.assertEqual(
                            None
                            if value is None
                            else Decimal(str(value)).quantize(Decimal("0.0001")),
                            None
                            if figure.value is None
                            else Decimal(figure.value).quantize(Decimal("0.0001")),
                        )
                        self.assertEqual(got[metric]["display"], figure.display)
        lectures = self.get(f"/api/v1/orgs/{self.haishu.code}/figures/", secret).json()
        self.assertIn(
            2, [f["value"] for f in lectures["figures"] if f["metric"].startswith("party_lecture")]
        )

    def test_the_gap_list_is_the_pages(self):
        secret = self.token(self.alice)
        metric = self.campaign.metrics.get(code="party_lecture_coverage")
        period = periods.whole(self.campaign)
        ids, total = coverage.gap_ids(metric, self.city, period)
        self.assertGreater(total, 0)
        data = self.get("/api/v1/orgs/3302/gaps/party_lecture_coverage/", secret).json()
        self.assertEqual(data["count"], total)
        from taizhang.orgs.models import Org

        self.assertEqual(
            [g["code"] for g in data["results"]],
            [Org.objects.get(pk=pk).code for pk in ids],
        )
        self.assertEqual(
            self.get("/api/v1/orgs/3302/gaps/no_such_metric/", secret).status_code, 404
        )
        self.assertEqual(
            self.get("/api/v1/orgs/3302/figures/?period=nonsense", secret).status_code, 400
        )

    def test_figures_outside_the_scope_are_404(self):
        secret = self.token(self.carol)
        for url in (
            "/api/v1/orgs/330203/figures/",
            "/api/v1/orgs/330203/gaps/party_lecture_coverage/",
        ):
            self.assertEqual(self.get(url, secret).status_code, 404)
