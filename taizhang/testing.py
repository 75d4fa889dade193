"""Shared test fixtures: a small Ningbo with named people at each level.

- alice: manager of the city office (中共宁波市委)
- hank: manager in 海曙区
- bob: district clerk (reporter) in 海曙区
- carol: district clerk (reporter) in 江北区, the sibling district: an outsider to 海曙
- jill: manager in 江北区, also an outsider to 海曙
- dave: viewer in 石碶街道, a town in 海曙
- vera: viewer in 新联村, a village of 石碶街道
"""

import datetime
import io

from django.core.management import call_command
from django.test import TestCase
from openpyxl import Workbook

from taizhang.audit.services import Actor
from taizhang.campaigns.definition import ensure_default
from taizhang.campaigns.models import Campaign
from taizhang.ledger import services as ledger
from taizhang.ledger.models import VenueKind, VenueTier
from taizhang.orgs import services
from taizhang.orgs.models import Org, OrgKind, Rank, Role, User
from taizhang.study import services as study

SYSTEM = Actor.cli("tests")
PASSWORD = "correct-horse-9"


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_ningbo(cls)


def build_small_ningbo(target):
    add = services.create_org
    target.city = add(
        SYSTEM,
        parent=None,
        name="中共宁波市委",
        short_name="宁波",
        code="3302",
        kind=OrgKind.CITY_COMMITTEE,
    )
    target.haishu = add(
        SYSTEM,
        parent=target.city,
        name="海曙区",
        short_name="海曙",
        code="330203",
        kind=OrgKind.DISTRICT,
    )
    target.jiangbei = add(
        SYSTEM,
        parent=target.city,
        name="江北区",
        short_name="江北",
        code="330205",
        kind=OrgKind.DISTRICT,
    )
    target.shiqi = add(
        SYSTEM, parent=target.haishu, name="石碶街道", code="330203009", kind=OrgKind.TOWN
    )
    target.xinlian = add(
        SYSTEM, parent=target.shiqi, name="新联村", code="330203009001", kind=OrgKind.VILLAGE
    )
    target.branch = add(
        SYSTEM,
        parent=target.xinlian,
        name="新联村第一党支部",
        code="33020300900101",
        kind=OrgKind.BRANCH,
    )
    target.cicheng = add(
        SYSTEM, parent=target.jiangbei, name="慈城镇", code="330205008", kind=OrgKind.TOWN
    )
    target.wangjia = add(
        SYSTEM, parent=target.cicheng, name="王家村", code="330205008001", kind=OrgKind.VILLAGE
    )

    def user(name, org, role):
        return services.create_user(
            SYSTEM, username=name, password=PASSWORD, org=org, role=role, display_name=name.title()
        )

    target.alice = user("alice", target.city, Role.MANAGER)
    target.hank = user("hank", target.haishu, Role.MANAGER)
    target.bob = user("bob", target.haishu, Role.REPORTER)
    target.carol = user("carol", target.jiangbei, Role.REPORTER)
    target.jill = user("jill", target.jiangbei, Role.MANAGER)
    target.dave = user("dave", target.shiqi, Role.VIEWER)
    target.vera = user("vera", target.xinlian, Role.VIEWER)
    target.zhang = services.create_person(
        SYSTEM, code="P1", name="张海", org=target.haishu, title="区委书记", rank=Rank.BUREAU
    )
    target.li = services.create_person(
        SYSTEM, code="P2", name="李江", org=target.jiangbei, title="区委书记", rank=Rank.BUREAU
    )


def xlsx_bytes(rows, *, sheets=None, formula_at=None):
    """An .xlsx holding `rows` on one sheet (more sheets from `sheets`); `formula_at`
    (row, column), 1-based, puts a formula in that cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet.cell(row=formula_at[0], column=formula_at[1], value='=A1&"x"')
    for name in sheets or []:
        workbook.create_sheet(name).append(["extra"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class LedgerTestCase(BaseTestCase):
    """The small Ningbo with the shipped campaign loaded, a red base owned by the city and
    one lecture recorded in 新联村 (海曙) and one in 王家村 (江北)."""

    @classmethod
    def setUpTestData(cls):
        build_small_ningbo(cls)
        build_ledger(cls)


def build_ledger(target):
    target.campaign = ensure_default(SYSTEM)
    target.kinds = {k.code: k for k in target.campaign.kinds.all()}
    target.base = ledger.create_venue(
        SYSTEM,
        code="RB001",
        name="张人亚党章学堂",
        kind=VenueKind.RED_BASE,
        tier=VenueTier.CITY_MODEL,
        owner=target.city,
    )
    target.jiangbei_base = ledger.create_venue(
        SYSTEM,
        code="RB002",
        name="江北红色教育基地",
        kind=VenueKind.RED_BASE,
        tier=VenueTier.DISTRICT,
        owner=target.jiangbei,
    )
    target.lecture = ledger.create_activity(
        SYSTEM,
        kind=target.kinds["party_lecture"],
        org=target.xinlian,
        starts_on=datetime.date(2019, 9, 20),
        title="新联村专题党课",
        lecturer_role="secretary",
        participants=35,
    )
    target.jiangbei_lecture = ledger.create_activity(
        SYSTEM,
        kind=target.kinds["party_lecture"],
        org=target.wangjia,
        starts_on=datetime.date(2019, 9, 21),
        title="王家村专题党课",
        lecturer_role="member",
    )


PARTS = {"situation": "现状", "problems": "问题", "analysis": "思考", "measures": "举措"}


class WorkTestCase(LedgerTestCase):
    """LedgerTestCase with a record of each kind of special work in 海曙: a topic claimed by
    张海, a report of 石碶街道, a lagging village (新联村), 张海's adoption of 石碶街道, a reading
    class session with 张海 as trainee, a role model and a problem of 石碶街道."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)


def build_work(target):
    from taizhang.orgs.models import LiaisonKind
    from taizhang.research import services as research

    D = datetime.date
    target.topic = research.claim_topic(
        SYSTEM,
        campaign=target.campaign,
        org=target.haishu,
        leader=target.zhang,
        title="海曙乡村振兴调研",
        area="乡村振兴",
        claimed_on=D(2019, 9, 2),
    )
    target.report = research.submit_report(
        SYSTEM,
        campaign=target.campaign,
        org=target.shiqi,
        title="石碶街道村级集体经济调研报告",
        topic=target.topic,
        submitted_on=D(2019, 10, 2),
        **PARTS,
    )
    target.rectification = research.identify_lagging_village(
        SYSTEM,
        campaign=target.campaign,
        village=target.xinlian,
        reason="班子软弱",
        on=D(2019, 9, 5),
    )
    target.liaison = services.assign_liaison(
        SYSTEM,
        person=target.zhang,
        org=target.shiqi,
        kind=LiaisonKind.ADOPTION,
        started_on=D(2019, 9, 1),
    )
    target.reading_class = study.hold_reading_class(
        SYSTEM,
        campaign=target.campaign,
        org=target.haishu,
        number=1,
        name="海曙区专题读书班第一期",
        starts_on=D(2019, 6, 10),
        ends_on=D(2019, 6, 14),
        topics=["坚定理想信念", "牢记初心使命"],
        trainees=[target.zhang],
    )
    target.model = study.present_role_model(
        SYSTEM,
        campaign=target.campaign,
        org=target.shiqi,
        title="扎根基层的村书记",
        story="带领村民致富。",
        shared_on=D(2019, 7, 1),
        honoured_org=target.xinlian,
    )

    target.problem = research.raise_problem(
        SYSTEM,
        campaign=target.campaign,
        org=target.shiqi,
        title="村道路灯损坏",
        source="research",
        deadline=D(2019, 10, 31),
        raised_on=D(2019, 9, 10),
        leader=target.zhang,
    )


class DemoTestCase(TestCase):
    """The Ningbo demo (`taizhang demo`), built once for the class: it takes half a minute
    on SQLite, so the demo's checks share one build (`demo/tests/test_ningbo_demo.py`)."""

    @classmethod
    def setUpTestData(cls):
        from taizhang.demo import ningbo
        from taizhang.stats import periods

        cls.out = io.StringIO()
        call_command("demo", no_serve=True, stdout=cls.out)
        cls.output = cls.out.getvalue()
        cls.city = Org.objects.get(code=ningbo.ROOT_CODE)
        cls.haishu = Org.objects.get(code="330203")
        cls.campaign = Campaign.objects.get()
        cls.metrics = {m.code: m for m in cls.campaign.metrics.select_related("kind")}
        cls.whole = periods.whole(cls.campaign)
        cls.manager = User.objects.get(username="ningbo")
