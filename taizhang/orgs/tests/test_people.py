from django.urls import reverse

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.orgs.imports import PERSON_HEADERS, export_people, import_people
from taizhang.orgs.models import Person
from taizhang.testing import BaseTestCase, xlsx_bytes
from taizhang.xlsx import ImportRejected

ROWS = [
    ["P10", "陈石", "330203009", "街道党工委书记", "乡科级", "是", "是"],
    ["P11", "周新", "330203009001", "村党组织书记", "其他", "是", ""],
]


class PeopleImportTests(BaseTestCase):
    def run_import(self, rows, user=None):
        return import_people(
            Actor(user=user or self.bob, channel="import"), xlsx_bytes([PERSON_HEADERS, *rows])
        )

    def test_it_imports_people_once(self):
        self.assertEqual(self.run_import(ROWS)["created"], 2)
        self.assertEqual(Person.objects.get(code="P10").rank, "township")
        self.assertEqual(self.run_import(ROWS), {"created": 0, "updated": 0, "unchanged": 2})

    def test_it_writes_nothing_when_one_row_names_an_org_outside_the_scope(self):
        rows = [*ROWS, ["P12", "吴江", "330205", "", "其他", "是", "是"]]
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(rows)
        self.assertFalse(Person.objects.filter(code__in=["P10", "P11", "P12"]).exists())
        self.assertEqual([(e.row, e.column) for e in caught.exception.errors], [(4, 3)])

    def test_it_refuses_a_number_used_outside_the_scope(self):
        with self.assertRaises(ImportRejected) as caught:
            self.run_import([["P2", "李江", "330203", "", "其他", "是", "是"]])
        # "in use", not "in use outside your scope": that would confirm it exists elsewhere
        self.assertIn("已被使用", str(caught.exception.errors[0]))
        self.assertNotIn("范围外", str(caught.exception.errors[0]))
        self.assertEqual(Person.objects.get(code="P2").org, self.jiangbei)

    def test_it_round_trips_the_export(self):
        data = export_people(Person.objects.visible_to(self.bob))
        counts = import_people(Actor(user=self.bob, channel="import"), data)
        self.assertEqual(counts, {"created": 0, "updated": 0, "unchanged": 1})


class PeopleListTests(BaseTestCase):
    def test_it_lists_only_people_in_scope(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("orgs:people"))
        self.assertContains(response, "张海")
        self.assertNotContains(response, "李江")

    def test_it_filters_by_rank_and_focus_group(self):
        self.client.force_login(self.alice)
        Person.objects.filter(pk=self.li.pk).update(rank="other")
        response = self.client.get(reverse("orgs:people"), {"focus": "on"})
        self.assertContains(response, "张海")
        self.assertNotContains(response, "李江")
        response = self.client.get(reverse("orgs:people"), {"rank": "other"})
        self.assertContains(response, "李江")
        self.assertNotContains(response, "张海")

    def test_it_paginates(self):
        people = [Person(code=f"X{n}", name=f"人{n:03d}", org=self.shiqi) for n in range(120)]
        Person.objects.bulk_create(people)
        self.client.force_login(self.bob)
        response = self.client.get(reverse("orgs:people"))
        self.assertEqual(len(response.context["page"].object_list), 50)
        self.assertContains(response, "共 121 条")
        last = self.client.get(reverse("orgs:people"), {"page": 3})
        self.assertEqual(len(last.context["page"].object_list), 21)

    def test_it_exports_the_filtered_list(self):
        self.client.force_login(self.alice)
        response = self.client.get(
            reverse("orgs:people"), {"org": self.jiangbei.pk, "format": "xlsx"}
        )
        import io

        from python_calamine import CalamineWorkbook

        rows = (
            CalamineWorkbook.from_filelike(io.BytesIO(response.content))
            .get_sheet_by_index(0)
            .to_python()
        )
        self.assertEqual([r[1] for r in rows[1:]], ["李江"])

    def test_it_records_an_edit_in_the_history(self):
        self.client.force_login(self.bob)
        url = reverse("orgs:person-edit", args=[self.zhang.pk])
        data = {
            "code": "P1",
            "name": "张海",
            "org": "330203009",
            "title": "区委书记",
            "rank": "bureau",
            "is_party_member": "on",
            "active": "on",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        change = Change.objects.filter(model="orgs.person", object_id=str(self.zhang.pk)).first()
        self.assertEqual(change.actor, self.bob)
        self.assertEqual(change.channel, "web")
        self.assertEqual((change.before["org"], change.after["org"]), ("330203", "330203009"))

    def test_it_refuses_to_put_a_person_outside_the_scope(self):
        self.client.force_login(self.bob)
        data = {"code": "P9", "name": "某人", "org": "330205", "rank": "other"}
        response = self.client.post(reverse("orgs:person-create"), data)
        self.assertContains(response, "您的范围内没有该编码的组织")
        self.assertFalse(Person.objects.filter(code="P9").exists())
