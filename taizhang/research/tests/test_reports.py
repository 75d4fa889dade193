"""A research report has four parts — situation, problems, analysis, measures — and one
missing any is refused with the part named and nothing written."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.research import services
from taizhang.research.models import ResearchReport
from taizhang.testing import LedgerTestCase

PARTS = {
    "situation": "全街道共有规上企业 120 家",
    "problems": "用工难、融资难",
    "analysis": "服务机制不健全",
    "measures": "建立企业服务专员制度",
}


class ResearchReportTests(LedgerTestCase):
    def submit(self, actor=None, **fields):
        return services.submit_report(
            actor or Actor.web(self.bob),
            campaign=self.campaign,
            org=self.shiqi,
            title="关于石碶街道企业发展的调研报告",
            submitted_on=datetime.date(2019, 11, 5),
            author=self.zhang,
            **{**PARTS, **fields},
        )

    def test_a_report_with_its_four_parts_is_kept_with_history(self):
        report = self.submit()
        self.assertEqual(report.measures, PARTS["measures"])
        change = Change.objects.get(model=ResearchReport._meta.label_lower)
        self.assertEqual(change.after["analysis"], PARTS["analysis"])

    def test_a_report_without_measures_is_refused_naming_the_part(self):
        with self.assertRaises(ValidationError) as caught:
            self.submit(measures="  ")
        self.assertEqual(list(caught.exception.message_dict), ["measures"])
        self.assertIn("举措", caught.exception.message_dict["measures"][0])
        self.assertFalse(ResearchReport.objects.exists())
        self.assertFalse(Change.objects.filter(model=ResearchReport._meta.label_lower).exists())

    def test_every_missing_part_is_named(self):
        with self.assertRaises(ValidationError) as caught:
            self.submit(situation="", analysis="")
        self.assertEqual(sorted(caught.exception.message_dict), ["analysis", "situation"])

    def test_viewers_and_outsiders_may_not_submit_and_the_list_is_scoped(self):
        with self.assertRaises(PermissionDenied):
            self.submit(actor=Actor.web(self.dave))
        with self.assertRaises(PermissionDenied):
            self.submit(actor=Actor.web(self.carol))
        self.submit()
        self.assertEqual(ResearchReport.objects.visible_to(self.dave).count(), 1)
        self.assertEqual(ResearchReport.objects.visible_to(self.carol).count(), 0)


class ReportAuthorScopeTests(LedgerTestCase):
    def test_an_author_outside_the_scope_is_refused(self):
        with self.assertRaises(PermissionDenied):
            services.submit_report(
                Actor.web(self.bob),
                campaign=self.campaign,
                org=self.shiqi,
                title="报告",
                author=self.li,  # 江北
                situation="现状",
                problems="问题",
                analysis="思考",
                measures="举措",
            )
        self.assertFalse(ResearchReport.objects.exists())
