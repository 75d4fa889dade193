"""On the demo, the seed read as the city's report reconciles with the city's ledger
figures with no difference; changing one ledger record shows the difference. A mixin of
`demo/tests/test_ningbo_demo.py`, which builds the demo once."""

from pathlib import Path

from taizhang.audit.services import Actor
from taizhang.ingest import services
from taizhang.ingest.reconcile import reconcile
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Activity

SEED = Path(__file__).resolve().parents[2] / "demo" / "seed" / "000_63d2ed913681413c.txt"


class DemoReadingChecks:
    def read_seed(self):
        report = services.read_report(
            Actor.web(self.manager), campaign=self.campaign, org=self.city,
            title="宁波市主题教育工作情况", text=SEED.read_text(encoding="utf-8"), period=self.whole,
        )  # fmt: skip
        services.confirm(Actor.web(self.manager), report, {})
        return report

    def test_the_seed_as_the_citys_report_reconciles_with_no_difference(self):
        report = self.read_seed()
        rows = reconcile(list(report.claims.select_related("org", "report")), self.campaign)
        self.assertEqual(len(rows), 30)
        for row in rows:
            with self.subTest(metric=row.claim.metric):
                self.assertTrue(row.agrees, (row.claim.phrase, row.claim.value, row.ledger))
                self.assertEqual(row.difference, 0)
        meeting = Activity.objects.filter(kind__code="committee_meeting", org=self.city).first()
        ledger.update_activity(Actor.web(self.manager), meeting, count=meeting.count + 2)
        rows = reconcile(list(report.claims.select_related("org", "report")), self.campaign)
        changed = {r.claim.metric: r.difference for r in rows if not r.agrees}
        self.assertEqual(changed, {"meetings": -2})
