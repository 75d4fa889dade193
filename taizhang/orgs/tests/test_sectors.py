"""Sector systems: the city office (alice) sets up the education system, whose department is
the city education bureau; units join and leave it with their history kept, never one
inside another; membership comes from Excel all or nothing; and the pages show it."""

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.orgs import sector_imports, sectors
from taizhang.orgs import services as orgs
from taizhang.orgs.models import OrgKind, Sector, SectorCount, SectorMember
from taizhang.testing import SYSTEM, LedgerTestCase, xlsx_bytes
from taizhang.xlsx import ImportRejected

D = datetime.date


class SectorTestCase(LedgerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bureau = orgs.create_org(
            SYSTEM, parent=cls.city, name="市教育局", code="3302U12", kind=OrgKind.CITY_UNIT
        )
        cls.edu = sectors.create_sector(
            Actor.web(cls.alice), code="EDU", name="教育系统", department=cls.bureau
        )


class MembershipTests(SectorTestCase):
    def test_a_unit_joins_and_leaves_with_its_history_kept(self):
        member = sectors.join(Actor.web(self.alice), self.edu, self.xinlian, D(2019, 6, 1))
        self.assertEqual(SectorCount.objects.get(sector=self.edu, kind=OrgKind.VILLAGE).orgs, 1)
        sectors.leave(Actor.web(self.alice), member, D(2019, 12, 1))
        member.refresh_from_db()
        self.assertEqual(member.left_on, D(2019, 12, 1))
        self.assertFalse(SectorCount.objects.filter(sector=self.edu).exists())
        again = sectors.join(Actor.web(self.alice), self.edu, self.xinlian, D(2020, 1, 1))
        self.assertEqual(SectorMember.objects.filter(org=self.xinlian).count(), 2)
        self.assertIsNone(again.left_on)
        actions = Change.objects.filter(model="orgs.sectormember").values_list("action", flat=True)
        self.assertEqual(sorted(actions), ["create", "create", "update"])

    def test_members_never_nest(self):
        sectors.join(SYSTEM, self.edu, self.shiqi)
        for org in (self.xinlian, self.haishu, self.shiqi):  # below, above, itself
            with self.subTest(org=org.name), self.assertRaises(ValidationError) as refused:
                sectors.join(SYSTEM, self.edu, org)
            self.assertIn("石碶街道", " ".join(refused.exception.messages))
        self.assertEqual(SectorMember.objects.current().count(), 1)
        other = sectors.create_sector(
            SYSTEM, code="AGRI", name="农业农村系统", department=self.city
        )
        sectors.join(SYSTEM, other, self.xinlian)  # another system may hold it

    def test_a_move_that_would_nest_two_members_is_refused(self):
        sectors.join(SYSTEM, self.edu, self.jiangbei)
        sectors.join(SYSTEM, self.edu, self.xinlian)
        with self.assertRaises(ValidationError) as refused:
            orgs.move_org(SYSTEM, self.shiqi, self.jiangbei)
        self.assertIn("新联村", " ".join(refused.exception.messages))
        self.shiqi.refresh_from_db()
        self.assertTrue(self.shiqi.path.startswith(self.haishu.path))
        orgs.move_org(SYSTEM, self.wangjia, self.shiqi)  # no member above 新联村's town: fine

    def test_dates_are_checked(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with self.assertRaises(ValidationError):
            sectors.join(SYSTEM, self.edu, self.xinlian, tomorrow)
        member = sectors.join(SYSTEM, self.edu, self.xinlian, D(2019, 6, 1))
        with self.assertRaises(ValidationError):
            sectors.leave(SYSTEM, member, D(2019, 5, 1))
        sectors.leave(SYSTEM, member, D(2019, 6, 1))
        with self.assertRaises(ValidationError):
            sectors.leave(SYSTEM, member)

    def test_only_a_manager_over_both_may_change_it(self):
        for user, org in ((self.dave, self.xinlian), (self.bob, self.xinlian),
                          (self.jill, self.wangjia), (self.hank, self.xinlian)):  # fmt: skip
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                sectors.join(Actor.web(user), self.edu, org)
        self.assertFalse(SectorMember.objects.exists())


class MembershipImportTests(SectorTestCase):
    def rows(self, *rows):
        return xlsx_bytes([sector_imports.HEADERS, *rows])

    def test_it_joins_and_leaves_from_a_file_and_the_same_file_adds_nothing(self):
        data = self.rows(["EDU", "330203009001", "新联村", "2019-06-01", None],
                         ["EDU", "330205008001", "", None, None])  # fmt: skip
        first = sector_imports.import_members(Actor.web(self.alice), data)
        self.assertEqual(first, {"created": 2, "updated": 0, "unchanged": 0})
        self.assertEqual(sector_imports.import_members(Actor.web(self.alice), data)["unchanged"], 2)
        leave = self.rows(["EDU", "330203009001", "", None, "2019-12-31"])
        self.assertEqual(sector_imports.import_members(Actor.web(self.alice), leave)["updated"], 1)
        self.assertEqual(
            sector_imports.import_members(Actor.web(self.alice), leave)["unchanged"], 1
        )
        self.assertEqual(
            list(SectorMember.objects.current().values_list("org__code", flat=True)),
            ["330205008001"],
        )

    def test_a_bad_file_is_refused_whole_naming_row_column_and_value(self):
        data = self.rows(
            ["EDU", "330203009001", "", "2019-06-01", None],  # fine on its own
            ["NOPE", "330203009", "", None, None],
            ["EDU", "999", "", None, None],
            ["EDU", "330205008001", "", "2019-13-01", None],
        )
        with self.assertRaises(ImportRejected) as refused:
            sector_imports.import_members(Actor.web(self.alice), data)
        text = [str(e) for e in refused.exception.errors]
        self.assertTrue(any("3" in t and "NOPE" in t for t in text), text)
        self.assertTrue(any("999" in t for t in text), text)
        self.assertTrue(any("2019-13-01" in t for t in text), text)
        self.assertFalse(SectorMember.objects.exists())

    def test_a_nesting_row_refuses_the_whole_file(self):
        data = self.rows(
            ["EDU", "330203009", "", None, None], ["EDU", "330203009001", "", None, None]
        )
        with self.assertRaises(ImportRejected) as refused:
            sector_imports.import_members(Actor.web(self.alice), data)
        self.assertEqual(refused.exception.errors[0].row, 3)
        self.assertFalse(SectorMember.objects.exists())

    def test_a_district_manager_reaches_neither_the_city_system_nor_another_district(self):
        data = self.rows(["EDU", "330205008001", "", None, None])
        with self.assertRaises(ImportRejected) as refused:
            sector_imports.import_members(Actor.web(self.hank), data)
        self.assertEqual({e.column for e in refused.exception.errors}, {1, 2})

    def test_the_export_reads_back_and_names_stay_text(self):
        sneaky = orgs.create_org(SYSTEM, parent=self.shiqi, name="=HYPERLINK(1)", code="X1",
                                 kind=OrgKind.VILLAGE)  # fmt: skip
        sectors.join(SYSTEM, self.edu, sneaky, D(2019, 6, 1))
        data = sector_imports.export_members(SectorMember.objects.select_related("sector", "org"))
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        self.assertEqual(sheet[1][:3], ["EDU", "X1", "=HYPERLINK(1)"])
        self.assertNotIn(b"<f>", data)
        again = sector_imports.import_members(Actor.web(self.alice), data)
        self.assertEqual(again["unchanged"], 1)


class SectorPageTests(SectorTestCase):
    def test_the_office_sets_up_a_system_and_adds_units(self):
        self.client.force_login(self.alice)
        created = self.client.post(
            reverse("orgs:sector-create"),
            {"code": "HEALTH", "name": "卫健系统", "department": "3302U12"},
        )
        health = Sector.objects.get(code="HEALTH")
        self.assertRedirects(created, reverse("orgs:sector", args=[health.pk]))
        joined = self.client.post(
            reverse("orgs:sector-join", args=[health.pk]), {"org": "330203009001"}
        )
        self.assertRedirects(joined, reverse("orgs:sector", args=[health.pk]))
        page = self.client.get(reverse("orgs:sector", args=[health.pk]))
        self.assertContains(page, "新联村")
        refused = self.client.post(
            reverse("orgs:sector-join", args=[health.pk]), {"org": "330203009"}, follow=True
        )
        self.assertContains(refused, "重复计数")
        member = SectorMember.objects.get(sector=health)
        self.client.post(reverse("orgs:sector-leave", args=[member.pk]))
        member.refresh_from_db()
        self.assertEqual(member.left_on, timezone.localdate())
        self.assertContains(self.client.get(reverse("orgs:sectors")), "卫健系统")

    def test_the_empty_list_says_what_to_do(self):
        Sector.objects.all().delete()
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("orgs:sectors")), "Excel")
        self.client.force_login(self.dave)
        self.assertContains(self.client.get(reverse("orgs:sectors")), 'class="empty"')

    def test_a_viewer_cannot_set_one_up(self):
        self.client.force_login(self.dave)
        posted = self.client.post(
            reverse("orgs:sector-create"), {"code": "X", "name": "X", "department": "330203009"}
        )
        self.assertEqual(posted.status_code, 403)
        self.assertFalse(Sector.objects.filter(code="X").exists())

    def test_the_import_page_takes_a_file(self):
        self.client.force_login(self.alice)
        upload = SimpleUploadedFile(
            "members.xlsx",
            xlsx_bytes([sector_imports.HEADERS, ["EDU", "330203009001", "", None, None]]),
        )
        page = self.client.post(reverse("orgs:sector-import"), {"file": upload})
        self.assertContains(page, "加入 1 个")
        self.assertTrue(SectorMember.objects.filter(org=self.xinlian).exists())
        template = self.client.get(reverse("orgs:sector-template"))
        self.assertEqual(template.status_code, 200)
