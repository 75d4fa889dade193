"""Corrections: records edited and deleted within the scope, the totals following."""

import datetime

from django.urls import reverse

from taizhang.ledger import totals
from taizhang.ledger.models import KindTotal
from taizhang.research.models import (
    ResearchReport,
    ResearchTopic,
)
from taizhang.study.models import ReadingClass, RoleModel
from taizhang.testing import PARTS, WorkTestCase

D = datetime.date


class CorrectionsTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_corrections_edit_and_delete_within_scope_and_keep_totals(self):
        def reports_counted(org):
            row = KindTotal.objects.filter(
                org=org, kind=self.kinds["research_report"], own=False
            ).first()
            return row.count if row else 0

        edit = reverse("research:report-edit", args=[self.report.pk])
        delete = reverse("research:report-delete", args=[self.report.pk])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(edit).status_code, 404)
        self.assertEqual(self.client.post(delete).status_code, 404)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(self.client.post(delete).status_code, 403)

        self.client.force_login(self.bob)
        data = {
            "title": "改过的标题",
            "topic": self.topic.pk,
            "org": self.shiqi.code,
            "submitted_on": "2019-10-03",
            **PARTS,
            "measures": "",
        }
        response = self.client.post(edit, data)
        self.assertContains(response, "举措")  # refused, the part named
        self.report.refresh_from_db()
        self.assertEqual(self.report.title, "石碶街道村级集体经济调研报告")
        data["measures"] = "落实"
        self.client.post(edit, data)
        self.report.refresh_from_db()
        self.assertEqual(self.report.title, "改过的标题")
        self.assertEqual(reports_counted(self.haishu), 1)
        self.client.post(
            reverse("research:topic-delete", args=[self.topic.pk])
        )  # refused: a report is on it
        self.assertTrue(ResearchTopic.objects.filter(pk=self.topic.pk).exists())
        self.assertContains(self.client.get(delete), "改过的标题")
        self.client.post(delete)
        self.assertFalse(ResearchReport.objects.filter(pk=self.report.pk).exists())
        self.assertEqual(reports_counted(self.haishu), 0)
        self.client.post(reverse("research:topic-delete", args=[self.topic.pk]))
        self.assertFalse(ResearchTopic.objects.filter(pk=self.topic.pk).exists())
        self.client.post(reverse("study:role-model-delete", args=[self.model.pk]))
        self.assertFalse(RoleModel.objects.filter(pk=self.model.pk).exists())
        self.client.post(reverse("study:class-delete", args=[self.reading_class.pk]))
        self.assertFalse(ReadingClass.objects.filter(pk=self.reading_class.pk).exists())
        self.assertEqual(totals.rebuild()["drift"], 0)
