from taizhang.bulletins import services as bulletins
from taizhang.bulletins.template import load, templates_of
from taizhang.bulletins.text import plain
from taizhang.office.services import supervision
from taizhang.office.tests.base import D, OfficeTestCase
from taizhang.stats.periods import whole
from taizhang.testing import SYSTEM


class OfficeBulletinTests(OfficeTestCase):
    def test_the_office_bulletin_states_the_office_figures_of_the_records(self):
        supervision.raise_problem(SYSTEM, self.finding, deadline=D(2019, 11, 30))
        template = load(templates_of(self.campaign)["office"])
        draft = bulletins.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        text = plain(draft)
        self.assertIn("领导班子发布公开承诺1份", text)
        self.assertIn("开展一线督导1次，发现问题2条，列入问题清单1项", text)
        self.assertIn("石碶街道", text)  # on the gap list: visited once, twice asked
        self.assertIn("收到通知3份", text)  # 海曙, 石碶街道 and 新联村 each received one
