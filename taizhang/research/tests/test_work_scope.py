"""Every special-work page (liaisons, topics, reports, lagging villages, role models,
reading, reading classes) lists only the user's subtree, answers 404 to an outsider for a
record outside it and 403 to a viewer's write, and every write is in the history."""

import datetime

from django.urls import reverse

from taizhang.audit.services import Actor
from taizhang.orgs.models import Liaison
from taizhang.research import services
from taizhang.research.models import (
    Rectification,
)
from taizhang.testing import WorkTestCase

D = datetime.date


class WorkScopeTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_lists_show_the_subtree_only(self):
        lists = [
            ("research:topics", "海曙乡村振兴调研"),
            ("research:reports", "石碶街道村级集体经济调研报告"),
            ("research:rectifications", "新联村"),
            ("study:role-models", "扎根基层的村书记"),
            ("study:classes", "海曙区专题读书班第一期"),
            ("research:liaisons", "石碶街道"),
        ]
        for name, text in lists:
            with self.subTest(page=name):
                self.assertContains(self.get(self.bob, name), text)
                self.assertNotContains(self.get(self.carol, name), text)
        self.assertContains(self.get(self.alice, "work"), "调研报告")

    def test_records_outside_the_subtree_answer_404(self):
        details = [  # (page, record, a viewer inside its subtree)
            ("research:report", self.report.pk, self.dave),
            ("research:rectification", self.rectification.pk, self.vera),
            ("study:class", self.reading_class.pk, self.bob),
            ("research:liaison", self.liaison.pk, self.dave),
        ]
        for name, pk, insider in details:
            with self.subTest(page=name):
                self.assertEqual(self.get(self.carol, name, pk).status_code, 404)
                self.assertEqual(self.get(insider, name, pk).status_code, 200)
        self.client.force_login(self.carol)
        for url in (
            reverse("research:topic-delete", args=[self.topic.pk]),
            reverse("study:role-model-delete", args=[self.model.pk]),
            reverse("study:class-delete", args=[self.reading_class.pk]),
            reverse("study:class-trainees", args=[self.reading_class.pk]),
            reverse("research:rectification-advance", args=[self.rectification.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.jill)  # a sibling district's manager
        end = reverse("research:liaison-end", args=[self.liaison.pk])
        self.assertEqual(self.client.post(end).status_code, 404)
        # The district's session is not the town's to see.
        self.assertEqual(self.get(self.dave, "study:class", self.reading_class.pk).status_code, 404)
        self.assertEqual(self.get(self.bob, "study:reading", org=self.jiangbei.pk).status_code, 404)
        self.assertEqual(
            self.get(self.dave, "research:reports", org=self.haishu.pk).status_code, 404
        )

    def test_viewers_may_not_write(self):
        self.client.force_login(self.dave)
        writes = [
            reverse("research:topic-create"),
            reverse("research:report-create"),
            reverse("research:rectification-create"),
            reverse("research:rectification-advance", args=[self.rectification.pk]),
            reverse("study:role-model-create"),
            reverse("study:reading-create"),
            reverse("study:class-create"),
            reverse("research:liaison-create"),
            reverse("research:liaison-end", args=[self.liaison.pk]),
            reverse("research:problem-import"),
            reverse("research:report-edit", args=[self.report.pk]),
            reverse("research:report-delete", args=[self.report.pk]),
            reverse("research:report-discuss", args=[self.report.pk]),
            reverse("study:role-model-delete", args=[self.model.pk]),
        ]
        for url in writes:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {}).status_code, 403)
        # The topic and the session are the district's, above the town viewer: they do not
        # exist for him, whatever his role (scope before role).
        for url in (
            reverse("research:topic-delete", args=[self.topic.pk]),
            reverse("study:class-trainees", args=[self.reading_class.pk]),
            reverse("study:class-delete", args=[self.reading_class.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {}).status_code, 404)
        # A clerk records but does not assign liaisons.
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("research:liaison-create")).status_code, 403)
        self.assertEqual(Liaison.objects.count(), 1)

    def test_writes_are_kept_in_history(self):
        from taizhang.audit.models import Change

        for obj in (self.topic, self.report, self.rectification, self.reading_class, self.model):
            with self.subTest(model=obj._meta.label):
                self.assertTrue(
                    Change.objects.filter(
                        model=obj._meta.label_lower, object_id=str(obj.pk)
                    ).exists()
                )
        services.advance_rectification(
            Actor.web(self.bob), self.rectification, on=D(2019, 9, 9), plan="方案"
        )
        self.assertEqual(
            Change.objects.filter(
                model=Rectification._meta.label_lower, object_id=str(self.rectification.pk)
            ).count(),
            2,
        )
