"""Required reading: each cadre's record per title, once; the share of the focus group who
have read every title, and who has not. Role models: a person or an org, with a story."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.audit.services import Actor
from taizhang.orgs import services as org_services
from taizhang.orgs.models import Rank
from taizhang.study import services
from taizhang.study.coverage import reading_coverage
from taizhang.study.models import ReadingRecord, RoleModel
from taizhang.testing import SYSTEM, LedgerTestCase

D = datetime.date
FINISHED = D(2019, 9, 30)


class ReadingTests(LedgerTestCase):
    def read(self, person, reading, actor=None, day=FINISHED):
        return services.record_reading(
            actor or Actor.web(self.alice), person=person, reading=reading, finished_on=day
        )

    def test_coverage_counts_cadres_who_read_every_title(self):
        titles = list(self.campaign.readings.all())
        org_services.create_person(
            SYSTEM, code="P3", name="赵镇长", org=self.shiqi, rank=Rank.TOWNSHIP
        )
        coverage = reading_coverage(self.city, self.campaign)
        self.assertEqual((coverage.cadres, coverage.done), (2, 0))  # 张海, 李江: bureau rank
        for title in titles:
            self.read(self.zhang, title)
        for title in titles[:-1]:
            self.read(self.li, title)
        coverage = reading_coverage(self.city, self.campaign)
        self.assertEqual((coverage.done, coverage.share), (1, 50))
        self.assertEqual(coverage.missing, [(self.li, [titles[-1]])])
        self.assertEqual(reading_coverage(self.haishu, self.campaign).share, 100)

    def test_a_title_is_recorded_once_and_inside_the_campaign(self):
        title = self.campaign.readings.first()
        self.read(self.zhang, title)
        with self.assertRaises(ValidationError):
            self.read(self.zhang, title)
        with self.assertRaises(ValidationError):
            self.read(self.li, title, day=D(2020, 3, 1))
        self.assertEqual(ReadingRecord.objects.count(), 1)

    def test_only_writers_in_scope_record_and_records_are_scoped(self):
        title = self.campaign.readings.first()
        with self.assertRaises(PermissionDenied):
            self.read(self.zhang, title, actor=Actor.web(self.carol))  # 张海 serves in 海曙
        with self.assertRaises(PermissionDenied):
            self.read(self.zhang, title, actor=Actor.web(self.dave))  # a viewer
        self.read(self.zhang, title, actor=Actor.web(self.bob))
        self.assertEqual(ReadingRecord.objects.visible_to(self.carol).count(), 0)
        self.assertEqual(ReadingRecord.objects.visible_to(self.hank).count(), 1)


class RoleModelTests(LedgerTestCase):
    def present(self, actor=None, **subject):
        return services.present_role_model(
            actor or Actor.web(self.bob),
            campaign=self.campaign,
            org=self.haishu,
            title="扎根基层的好书记",
            story=subject.pop("story", "三十年如一日服务群众"),
            shared_on=D(2019, 10, 1),
            **subject,
        )

    def test_a_role_model_is_a_person_or_an_org_with_a_story(self):
        self.present(person=self.zhang)
        self.present(honoured_org=self.xinlian)
        with self.assertRaises(ValidationError):
            self.present()
        with self.assertRaises(ValidationError):
            self.present(person=self.zhang, honoured_org=self.xinlian)
        with self.assertRaises(ValidationError):
            self.present(person=self.zhang, story=" ")
        self.assertEqual(RoleModel.objects.count(), 2)

    def test_outsiders_and_viewers_may_not_present(self):
        with self.assertRaises(PermissionDenied):
            self.present(actor=Actor.web(self.carol), person=self.zhang)
        with self.assertRaises(PermissionDenied):
            self.present(actor=Actor.web(self.dave), honoured_org=self.xinlian)
        self.present(honoured_org=self.xinlian)
        self.assertEqual(RoleModel.objects.visible_to(self.jill).count(), 0)
        self.assertEqual(RoleModel.objects.visible_to(self.alice).count(), 1)


class ReadingManyTests(LedgerTestCase):
    def test_many_records_at_once_are_refused_whole_on_a_repeat(self):
        title = self.campaign.readings.first()
        entry = {"person": self.zhang, "reading": title, "finished_on": datetime.date(2019, 7, 1)}
        self.assertEqual(services.record_readings(SYSTEM, [dict(entry, notes="")]), 1)
        with self.assertRaises(ValidationError):
            services.record_readings(SYSTEM, [dict(entry, notes="again")])
        self.assertEqual(ReadingRecord.objects.count(), 1)
