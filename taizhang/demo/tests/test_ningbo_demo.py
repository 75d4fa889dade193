"""Every check of the Ningbo demo, on one build of it: the command's output and tree, the
ledger's figures, the duties and research records, and the dashboards."""

from taizhang.demo.tests.test_demo import DemoCommandChecks
from taizhang.demo.tests.test_demo_figures import DemoFigureChecks
from taizhang.research.tests.test_demo_duties import DemoDutiesChecks
from taizhang.stats.tests.test_demo_dashboard import DemoDashboardChecks
from taizhang.testing import DemoTestCase


class NingboDemoTests(
    DemoCommandChecks, DemoFigureChecks, DemoDutiesChecks, DemoDashboardChecks, DemoTestCase
):
    pass
