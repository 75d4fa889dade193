"""The office's story: the city office (alice) and 海曙's (hank) send notices down; 海曙's
touring group supervises 石碶街道; 海曙's leadership team has published its commitment. A
village clerk (xia) in 新联村 answers notices."""

import datetime

from taizhang.office.services import commitments, notices, supervision
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Role
from taizhang.testing import PASSWORD, SYSTEM, WorkTestCase

D = datetime.date
ITEMS = "【五个始终】\n始终把学习贯彻习近平新时代中国特色社会主义思想作为首要任务\n始终坚持以人民为中心\n【六个带头】\n带头学习研讨\n带头深入调研"


def build_office(target):
    target.xia = orgs.create_user(
        SYSTEM, username="xia", password=PASSWORD, org=target.xinlian, role=Role.REPORTER
    )
    target.commitment = commitments.publish(
        SYSTEM, campaign=target.campaign, org=target.haishu, title="海曙区委常委会公开承诺",
        published_on=D(2019, 9, 10), items=commitments.parse_items(ITEMS),
    )  # fmt: skip
    target.item = target.commitment.items.first()
    target.group = supervision.create_group(
        SYSTEM, campaign=target.campaign, org=target.haishu, name="海曙区第一巡回指导组",
        kind="touring", leader=target.zhang, units=[target.shiqi], assigned_on=D(2019, 9, 5),
    )  # fmt: skip
    target.visit = supervision.record_visit(
        SYSTEM, group=target.group, unit=target.shiqi, visited_on=D(2019, 9, 20),
        checked="学习研讨记录、专题党课台账", findings=["党课台账不全", "学习笔记缺少批注"],
    )  # fmt: skip
    target.finding = target.visit.findings.first()
    target.notice = notices.send(
        SYSTEM, campaign=target.campaign, sender=target.city, title="关于报送专题党课开展情况的通知",
        body="请于期限内报送。", deadline=D.today() + datetime.timedelta(days=7),
        orgs=[target.haishu, target.shiqi, target.xinlian],
        files=[("安排.txt", "专题党课安排".encode())],
    )  # fmt: skip
    target.attachment = target.notice.attachments.get()


class OfficeTestCase(WorkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_office(cls)

    def figure(self, code, org):
        from taizhang.stats import figures, periods

        metric = self.campaign.metrics.get(code=code)
        return figures.figures([metric], [org], periods.whole(self.campaign))[org.pk][code].value
