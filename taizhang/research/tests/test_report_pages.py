"""Research topic and report pages: claiming a topic, a report's four parts, linking work to
a topic, the findings meeting a report went to."""

import datetime

from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.research.models import (
    ResearchReport,
    ResearchTopic,
)
from taizhang.testing import PARTS, SYSTEM, WorkTestCase

D = datetime.date


class ReportPagesTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_a_topic_is_claimed_by_form_in_a_focus_area(self):
        self.client.force_login(self.bob)
        self.client.post(
            reverse("research:topic-create"),
            {
                "title": "民生实事调研",
                "area": "民生",
                "org": self.haishu.code,
                "leader": self.zhang.code,
                "claimed_on": "2019-09-03",
            },
        )
        self.assertTrue(ResearchTopic.objects.filter(title="民生实事调研").exists())
        wrong_area = self.client.post(
            reverse("research:topic-create"),
            {
                "title": "无效领域",
                "area": "外交",
                "org": self.haishu.code,
                "leader": self.zhang.code,
                "claimed_on": "2019-09-03",
            },
        )
        self.assertEqual(wrong_area.status_code, 200)
        self.assertFalse(ResearchTopic.objects.filter(title="无效领域").exists())

    def test_a_report_without_measures_is_refused_on_the_page(self):
        self.client.force_login(self.bob)
        data = {
            "title": "缺举措的报告",
            "org": self.shiqi.code,
            "submitted_on": "2019-10-09",
            **PARTS,
            "measures": "",
        }
        response = self.client.post(reverse("research:report-create"), data)
        self.assertContains(response, "举措")
        self.assertFalse(ResearchReport.objects.filter(title="缺举措的报告").exists())
        data["measures"] = "落实责任"
        response = self.client.post(reverse("research:report-create"), data)
        report = ResearchReport.objects.get(title="缺举措的报告")
        self.assertRedirects(response, reverse("research:report", args=[report.pk]))

    def test_a_seminar_is_linked_to_a_topic_from_its_page(self):
        seminar = ledger.create_activity(
            SYSTEM,
            kind=self.kinds["seminar"],
            org=self.shiqi,
            starts_on=D(2019, 9, 12),
            participants=12,
        )
        url = reverse("research:topic-link", args=[seminar.pk])
        self.assertContains(
            self.get(self.bob, "research:topic-link", seminar.pk), "海曙乡村振兴调研"
        )
        self.client.force_login(self.carol)
        self.assertEqual(self.client.post(url, {"topic": self.topic.pk}).status_code, 404)
        self.client.force_login(self.dave)  # a viewer of the town
        self.assertEqual(self.client.post(url, {"topic": self.topic.pk}).status_code, 403)
        self.client.force_login(self.hank)
        self.client.post(url, {"topic": self.topic.pk})
        self.assertEqual(list(self.topic.activities.all()), [seminar])
        page = self.get(self.hank, "ledger:detail", seminar.pk)
        self.assertContains(page, "海曙乡村振兴调研")

    def test_a_report_is_added_to_a_findings_meeting(self):
        meeting = ledger.create_activity(
            SYSTEM,
            kind=self.kinds["findings_meeting"],
            org=self.haishu,
            starts_on=D(2019, 11, 20),
            title="海曙区调研成果交流会",
        )
        page = self.get(self.bob, "research:report", self.report.pk)
        self.assertContains(page, "海曙区调研成果交流会")  # a meeting of an org above
        url = reverse("research:report-discuss", args=[self.report.pk])
        self.client.force_login(self.dave)
        self.assertEqual(self.client.post(url, {"meeting": meeting.pk}).status_code, 403)
        self.client.force_login(self.bob)
        self.client.post(url, {"meeting": meeting.pk})
        self.assertEqual(list(self.report.meetings.all()), [meeting])
        self.assertContains(self.get(self.bob, "ledger:detail", meeting.pk), self.report.title)
        other = ledger.create_activity(
            SYSTEM,
            kind=self.kinds["findings_meeting"],
            org=self.jiangbei,
            starts_on=D(2019, 11, 21),
        )
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url, {"meeting": other.pk}).status_code, 404)
