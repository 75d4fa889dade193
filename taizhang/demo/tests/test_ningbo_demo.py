"""Every check of the Ningbo demo, on one build of it: the command's output and tree, the
ledger's figures, the duties and research records, and the dashboards. The checks live in
the `*_checks.py` modules beside their apps' tests (mixins, not collected on their own)."""

from taizhang.bulletins.tests.demo_bulletin_checks import DemoBulletinChecks
from taizhang.demo.tests.demo_command_checks import DemoCommandChecks
from taizhang.demo.tests.demo_figure_checks import DemoFigureChecks
from taizhang.ingest.tests.demo_reading_checks import DemoReadingChecks
from taizhang.research.tests.demo_duties_checks import DemoDutiesChecks
from taizhang.stats.tests.demo_dashboard_checks import DemoDashboardChecks
from taizhang.testing import DemoTestCase


class NingboDemoTests(
    DemoCommandChecks,
    DemoFigureChecks,
    DemoDutiesChecks,
    DemoDashboardChecks,
    DemoBulletinChecks,
    DemoReadingChecks,
    DemoTestCase,
):
    pass
