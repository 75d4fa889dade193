"""Study pages: reading classes, role models and required reading by form; a session's
trainees replaced within the scope."""

import datetime

from django.urls import reverse

from taizhang.ledger.models import KindTotal
from taizhang.orgs import services as orgs
from taizhang.study.models import ReadingClass, ReadingRecord, RoleModel
from taizhang.testing import SYSTEM, WorkTestCase

D = datetime.date


class StudyPagesTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_reading_classes_role_models_and_reading_by_form(self):
        self.client.force_login(self.bob)
        self.client.post(
            reverse("study:class-create"),
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
        session = ReadingClass.objects.get(number=2)
        self.assertEqual(session.topics, ["践行宗旨", "担当作为"])
        self.assertEqual(list(session.trainees.all()), [self.zhang])
        outsider = self.client.post(
            reverse("study:class-create"),
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
        self.assertFalse(ReadingClass.objects.filter(number=3).exists())
        reading = self.campaign.readings.first()
        self.client.post(
            reverse("study:reading-create"),
            {"person": self.zhang.code, "reading": reading.pk, "finished_on": "2019-07-01"},
        )
        self.assertTrue(ReadingRecord.objects.filter(person=self.zhang).exists())
        page = self.get(self.bob, "study:reading")
        self.assertContains(page, self.zhang.name)  # has not read the rest
        self.client.post(
            reverse("study:role-model-create"),
            {
                "title": "抗台英雄",
                "org": self.haishu.code,
                "person": self.zhang.code,
                "story": "连续奋战。",
                "shared_on": "2019-08-10",
            },
        )
        self.assertTrue(RoleModel.objects.filter(title="抗台英雄").exists())

    def test_a_sessions_trainees_are_replaced_within_the_scope(self):
        trainees = reverse("study:class-trainees", args=[self.reading_class.pk])
        self.client.force_login(self.bob)
        self.client.post(trainees, {"trainees": f"{self.zhang.code}, {self.li.code}"})
        self.assertEqual(list(self.reading_class.trainees.all()), [self.zhang])  # 李江 refused
        hao = orgs.create_person(SYSTEM, code="P3", name="郝明", org=self.shiqi, rank="county")
        self.client.post(trainees, {"trainees": f"{self.zhang.code} {hao.code}"})
        self.assertEqual(self.reading_class.trainees.count(), 2)
        self.assertEqual(
            KindTotal.objects.get(
                org=self.city, kind=self.kinds["reading_class"], own=False
            ).participants,
            2,
        )
