"""The special-work pages (liaisons, topics, reports, lagging villages, role models,
reading, reading classes): each lists only the user's subtree, answers 404 to an outsider
for a record outside it, 403 to a viewer's write, and writes through the services."""

import datetime

from django.urls import reverse

from taizhang.audit.services import Actor
from taizhang.ledger import services as ledger
from taizhang.ledger import totals
from taizhang.ledger.models import KindTotal, ReadingRecord, ReadingSession, RoleModel
from taizhang.orgs import services as orgs
from taizhang.orgs.models import Liaison, LiaisonKind
from taizhang.research import services
from taizhang.research.models import (
    Rectification,
    RectificationState,
    ResearchReport,
    ResearchTopic,
)
from taizhang.testing import PARTS, SYSTEM, WorkTestCase

D = datetime.date


class WorkPageTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_lists_show_the_subtree_only(self):
        lists = [
            ("research:topics", "海曙乡村振兴调研"),
            ("research:reports", "石碶街道村级集体经济调研报告"),
            ("research:rectifications", "新联村"),
            ("research:role-models", "扎根基层的村书记"),
            ("research:sessions", "海曙区专题读书班第一期"),
            ("research:liaisons", "石碶街道"),
        ]
        for name, text in lists:
            with self.subTest(page=name):
                self.assertContains(self.get(self.bob, name), text)
                self.assertNotContains(self.get(self.carol, name), text)
        self.assertContains(self.get(self.alice, "research:work"), "调研报告")

    def test_records_outside_the_subtree_answer_404(self):
        details = [  # (page, record, a viewer inside its subtree)
            ("research:report", self.report.pk, self.dave),
            ("research:rectification", self.rectification.pk, self.vera),
            ("research:session", self.session.pk, self.bob),
            ("research:liaison", self.liaison.pk, self.dave),
        ]
        for name, pk, insider in details:
            with self.subTest(page=name):
                self.assertEqual(self.get(self.carol, name, pk).status_code, 404)
                self.assertEqual(self.get(insider, name, pk).status_code, 200)
        self.client.force_login(self.carol)
        for url in (
            reverse("research:topic-delete", args=[self.topic.pk]),
            reverse("research:role-model-delete", args=[self.model.pk]),
            reverse("research:session-delete", args=[self.session.pk]),
            reverse("research:session-trainees", args=[self.session.pk]),
            reverse("research:rectification-advance", args=[self.rectification.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.jill)  # a sibling district's manager
        end = reverse("research:liaison-end", args=[self.liaison.pk])
        self.assertEqual(self.client.post(end).status_code, 404)
        # The district's session is not the town's to see.
        self.assertEqual(self.get(self.dave, "research:session", self.session.pk).status_code, 404)
        self.assertEqual(
            self.get(self.bob, "research:reading", org=self.jiangbei.pk).status_code, 404
        )
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
            reverse("research:role-model-create"),
            reverse("research:reading-create"),
            reverse("research:session-create"),
            reverse("research:liaison-create"),
            reverse("research:liaison-end", args=[self.liaison.pk]),
            reverse("research:problem-import"),
            reverse("research:report-edit", args=[self.report.pk]),
            reverse("research:report-delete", args=[self.report.pk]),
            reverse("research:report-discuss", args=[self.report.pk]),
            reverse("research:role-model-delete", args=[self.model.pk]),
        ]
        for url in writes:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {}).status_code, 403)
        # The topic and the session are the district's, above the town viewer: they do not
        # exist for him, whatever his role (scope before role).
        for url in (
            reverse("research:topic-delete", args=[self.topic.pk]),
            reverse("research:session-trainees", args=[self.session.pk]),
            reverse("research:session-delete", args=[self.session.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {}).status_code, 404)
        # A clerk records but does not assign liaisons.
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("research:liaison-create")).status_code, 403)
        self.assertEqual(Liaison.objects.count(), 1)

    def test_a_manager_assigns_and_ends_a_liaison(self):
        self.client.force_login(self.hank)
        response = self.client.post(
            reverse("research:liaison-create"),
            {
                "person": self.zhang.code,
                "kind": LiaisonKind.GUIDANCE,
                "org": self.shiqi.code,
                "started_on": "2019-06-01",
            },
        )
        liaison = Liaison.objects.get(kind=LiaisonKind.GUIDANCE)
        self.assertRedirects(response, reverse("research:liaison", args=[liaison.pk]))
        refused = self.client.post(
            reverse("research:liaison-create"),
            {
                "person": self.zhang.code,
                "kind": LiaisonKind.ADOPTION,
                "org": self.xinlian.code,
                "started_on": "2019-06-01",
            },
        )
        self.assertContains(refused, "只能包联")
        self.client.post(reverse("research:liaison-end", args=[liaison.pk]))
        self.assertFalse(Liaison.objects.filter(pk=liaison.pk).exists())

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

    def test_a_clerk_takes_a_lagging_village_through_its_steps(self):
        self.client.force_login(self.bob)
        url = reverse("research:rectification-advance", args=[self.rectification.pk])
        self.client.post(url, {"on": "2019-09-10"})  # refused: no plan
        self.rectification.refresh_from_db()
        self.assertEqual(self.rectification.state, RectificationState.IDENTIFIED)
        self.client.post(url, {"on": "2019-09-10", "plan": "选派第一书记"})
        self.client.post(url, {"on": "2019-11-10"})
        self.rectification.refresh_from_db()
        self.assertEqual(self.rectification.state, RectificationState.RECTIFIED)
        page = self.get(self.bob, "research:rectifications")
        self.assertContains(page, "石碶街道")  # counts by child of 海曙

    def test_topics_reading_classes_role_models_and_reading_by_form(self):
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
        self.client.post(
            reverse("research:session-create"),
            {
                "org": self.haishu.code,
                "number": 2,
                "name": "第二期",
                "starts_on": "2019-09-10",
                "ends_on": "2019-09-12",
                "topics": "践行宗旨、担当作为",
                "trainees": self.zhang.code,
            },
        )
        session = ReadingSession.objects.get(number=2)
        self.assertEqual(session.topics, ["践行宗旨", "担当作为"])
        self.assertEqual(list(session.trainees.all()), [self.zhang])
        outsider = self.client.post(
            reverse("research:session-create"),
            {
                "org": self.haishu.code,
                "number": 3,
                "name": "第三期",
                "starts_on": "2019-09-10",
                "ends_on": "2019-09-12",
                "topics": "专题",
                "trainees": self.li.code,
            },
        )
        self.assertContains(outsider, self.li.code)
        self.assertFalse(ReadingSession.objects.filter(number=3).exists())
        reading = self.campaign.readings.first()
        self.client.post(
            reverse("research:reading-create"),
            {"person": self.zhang.code, "reading": reading.pk, "finished_on": "2019-07-01"},
        )
        self.assertTrue(ReadingRecord.objects.filter(person=self.zhang).exists())
        page = self.get(self.bob, "research:reading")
        self.assertContains(page, self.zhang.name)  # has not read the rest
        self.client.post(
            reverse("research:role-model-create"),
            {
                "title": "抗台英雄",
                "org": self.haishu.code,
                "person": self.zhang.code,
                "story": "连续奋战。",
                "shared_on": "2019-08-10",
            },
        )
        self.assertTrue(RoleModel.objects.filter(title="抗台英雄").exists())

    def test_writes_are_kept_in_history(self):
        from taizhang.audit.models import Change

        for obj in (self.topic, self.report, self.rectification, self.session, self.model):
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

    def test_a_member_flagged_on_the_standing_committee_is_checked_for_liaisons(self):
        self.client.force_login(self.hank)
        data = {**self.zhang.snapshot(), "org": self.haishu.code, "standing_committee": "on"}
        data = {k: v for k, v in data.items() if v not in (False, None)}
        self.client.post(reverse("orgs:person-edit", args=[self.zhang.pk]), data)
        self.zhang.refresh_from_db()
        self.assertTrue(self.zhang.standing_committee)
        page = self.get(self.hank, "research:liaisons")
        self.assertContains(page, "未落实两个联系点的常委")
        self.assertContains(page, "联系指导的市直单位")
        self.assertContains(page, self.zhang.name)

    def test_a_report_is_added_to_a_findings_meeting_and_trainees_replaced(self):
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

        trainees = reverse("research:session-trainees", args=[self.session.pk])
        self.client.force_login(self.bob)
        self.client.post(trainees, {"trainees": f"{self.zhang.code}, {self.li.code}"})
        self.assertEqual(list(self.session.trainees.all()), [self.zhang])  # 李江 refused
        hao = orgs.create_person(SYSTEM, code="P3", name="郝明", org=self.shiqi, rank="county")
        self.client.post(trainees, {"trainees": f"{self.zhang.code} {hao.code}"})
        self.assertEqual(self.session.trainees.count(), 2)
        self.assertEqual(
            KindTotal.objects.get(
                org=self.city, kind=self.kinds["reading_class"], own=False
            ).participants,
            2,
        )

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
        self.client.post(reverse("research:role-model-delete", args=[self.model.pk]))
        self.assertFalse(RoleModel.objects.filter(pk=self.model.pk).exists())
        self.client.post(reverse("research:session-delete", args=[self.session.pk]))
        self.assertFalse(ReadingSession.objects.filter(pk=self.session.pk).exists())
        self.assertEqual(totals.rebuild()["drift"], 0)
