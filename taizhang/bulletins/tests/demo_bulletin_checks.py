"""The city bulletin of the Ningbo demo for the whole campaign states every figure of the
seed (figures.md rows in brackets) in the seed's phrase and number style, each computed
from records; a district's bulletin states its dashboard's figures. A mixin of
`demo/tests/test_ningbo_demo.py`, which builds the demo once."""

from decimal import Decimal

from django.urls import reverse

from taizhang.audit.services import Actor
from taizhang.bulletins import services
from taizhang.bulletins.template import load, templates_of
from taizhang.bulletins.text import plain
from taizhang.stats import figures

SEED_PHRASES = [
    ("召开主题教育相关会议15次", 1),
    ("作出批示98次", 2),
    ("集中8天时间开展专题学习研讨", 3),
    ("开展领题调研90次", 4),
    ("召开座谈会62场", 5),
    ("发放收集调查问卷2700余份", 6),
    ("现场解决问题82项", 7),
    ("专题读书班4期", 8),
    ("参训干部1004名", 9),
    ("设置学习专题8个", 10),
    ("集中学习研讨4619场次", 11),
    ("平均集中学习时间7天", 12),
    ("参与学习领导干部7.8万人次", 13),
    ("红色示范基地84个", 14),
    ("党群服务中心323个", 15),
    ("远教基层站点3050个", 16),
    ("“初心之旅”1.23万批次", 17),
    ("参与党员55.68万人次", 18),
    ("日均学习考察量达400人次", 19),
    ("“初心讲堂”200个", 20),
    ("“初心榜样”7例", 21),
    ("走访一线3.77万次", 22),
    ("走访企业、群众5.28万余家(户)", 23),
    ("调研成果交流会1196场次", 24),
    ("调研报告8295份", 25),
    ("成员386名包乡走村", 26),
    ("乡村振兴、企业发展、民生、基层治理、基层组织建设5个方面", 27),
    ("后进村整转136个", 28),
    ("专题党课3.34万场次", 29),
    ("基层党组织和党员全覆盖", 30),
]


class DemoBulletinChecks:
    def generate(self, org, period=None):
        template = load(templates_of(self.campaign)["bulletin"])
        return services.generate(
            Actor.web(self.manager),
            template,
            campaign=self.campaign,
            org=org,
            period=period or self.whole,
        )

    def test_the_city_bulletin_states_every_figure_of_the_seed(self):
        bulletin = self.generate(self.city)
        text = plain(bulletin)
        for phrase, row in SEED_PHRASES:
            with self.subTest(row=row):
                self.assertIn(phrase, text)
        # Each figure is stored with what produced it and its value from the records.
        stored = {f.key: f for f in bulletin.figures.all()}
        own = figures.figures(list(self.metrics.values()), [self.city], self.whole)[self.city.pk]
        for key, figure in stored.items():
            metric, style = key.split("|")
            if metric in own and style in ("number", "approx"):
                with self.subTest(figure=key):
                    self.assertEqual(figure.value, round(Decimal(own[metric].value), 4))
                    self.assertEqual(figure.org, self.city)

    def test_a_district_bulletin_states_its_dashboard_figures(self):
        bulletin = self.generate(self.haishu)
        self.client.force_login(self.manager)
        response = self.client.get(reverse("stats:org", args=[self.haishu.pk]))
        headline = response.context["board"].headline
        compared = 0
        for figure in bulletin.figures.filter(style="number"):
            if figure.metric in headline:
                with self.subTest(metric=figure.metric):
                    now = headline[figure.metric].value
                    self.assertEqual(figure.value, round(Decimal(now), 4))
                    compared += 1
        self.assertGreater(compared, 10)

    def test_the_city_bulletin_names_each_districts_notable_work(self):
        text = plain(self.generate(self.city))
        self.assertIn("各地动态", text)
        for name in ("海曙区：", "江北区：", "象山县："):
            self.assertIn(name, text)
