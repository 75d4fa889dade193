"""Research and study records are counted by the statistics engine as kinds of the
campaign definition: each write moves the roll-up totals, a rebuild from the records finds
no drift, and the ledger refuses to take such kinds as entries."""

import datetime

from django.core.exceptions import ValidationError

from taizhang.audit.services import Actor
from taizhang.ledger import services as ledger
from taizhang.ledger import totals
from taizhang.ledger.models import KindTotal
from taizhang.orgs import services as orgs
from taizhang.orgs.models import LiaisonKind
from taizhang.research import services
from taizhang.research.models import ProblemSource
from taizhang.study import services as study
from taizhang.testing import SYSTEM, LedgerTestCase

D = datetime.date


class CountedTests(LedgerTestCase):
    def total(self, org, code):
        """The subtree's count of a kind, from the roll-up totals."""
        rows = KindTotal.objects.filter(org=org, kind=self.kinds[code])
        return sum(r.count for r in rows)

    def test_problems_move_the_totals_through_their_lifecycle(self):
        actor = Actor.web(self.bob)
        problem = services.raise_problem(
            actor,
            campaign=self.campaign,
            org=self.shiqi,
            title="路灯不亮",
            source=ProblemSource.SEMINAR,
            raised_on=D(2019, 10, 1),
            deadline=D(2019, 10, 20),
            solved_on_spot=True,
            resolution="当场修复",
        )
        self.assertEqual(self.total(self.city, "problem"), 1)
        self.assertEqual(self.total(self.haishu, "problem_on_spot"), 1)
        self.assertEqual(self.total(self.jiangbei, "problem"), 0)
        services.close(actor, problem, on=D(2019, 10, 2))
        self.assertEqual(self.total(self.city, "problem_closed"), 1)
        services.reopen(actor, problem, reason="复发")
        self.assertEqual(self.total(self.city, "problem_closed"), 0)
        self.assertEqual(self.total(self.city, "problem_on_spot"), 0)
        self.assertEqual(totals.rebuild()["drift"], 0)

    def test_every_source_counts_and_a_rebuild_agrees(self):
        actor = Actor.web(self.hank)
        rectification = services.identify_lagging_village(
            actor, campaign=self.campaign, village=self.xinlian, reason="班子弱", on=D(2019, 9, 1)
        )
        services.advance_rectification(actor, rectification, on=D(2019, 9, 5), plan="方案")
        self.assertEqual(self.total(self.city, "village_rectified"), 0)
        services.advance_rectification(actor, rectification, on=D(2019, 11, 5))
        self.assertEqual(self.total(self.haishu, "village_rectified"), 1)
        services.submit_report(
            actor,
            campaign=self.campaign,
            org=self.shiqi,
            title="报告",
            submitted_on=D(2019, 10, 1),
            situation="现状",
            problems="问题",
            analysis="思考",
            measures="举措",
        )
        self.assertEqual(self.total(self.city, "research_report"), 1)
        study.hold_reading_class(
            actor,
            campaign=self.campaign,
            org=self.haishu,
            number=1,
            name="第一期",
            starts_on=D(2019, 6, 10),
            ends_on=D(2019, 6, 14),
            topics=["甲", "乙"],
            trainees=[self.zhang],
        )
        self.assertEqual(self.total(self.city, "reading_class_topic"), 2)
        participants = KindTotal.objects.get(org=self.haishu, kind=self.kinds["reading_class"])
        self.assertEqual((participants.count, participants.participants), (1, 1))
        liaison = orgs.assign_liaison(
            actor,
            person=self.zhang,
            org=self.shiqi,
            kind=LiaisonKind.ADOPTION,
            started_on=D(2019, 9, 1),
        )
        self.assertEqual(self.total(self.haishu, "town_adoption"), 1)
        self.assertEqual(totals.rebuild()["drift"], 0)
        orgs.end_liaison(actor, liaison)
        self.assertEqual(self.total(self.city, "town_adoption"), 0)
        self.assertEqual(totals.rebuild()["drift"], 0)

    def test_the_ledger_refuses_kinds_counted_from_their_own_records(self):
        with self.assertRaises(ValidationError):
            ledger.create_activity(
                SYSTEM,
                kind=self.kinds["research_report"],
                org=self.shiqi,
                starts_on=D(2019, 10, 1),
            )
        self.client.force_login(self.bob)
        response = self.client.get("/ledger/new/", {"kind": "research_report"})
        self.assertEqual(response.status_code, 404)
