"""Org import: a file with any bad row writes nothing and names the row, column and problem;
a good file imported twice adds nothing the second time."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.orgs.imports import ORG_HEADERS, export_orgs, import_orgs
from taizhang.orgs.models import Org
from taizhang.testing import BaseTestCase, build_small_ningbo, xlsx_bytes
from taizhang.xlsx import ImportRejected

GOOD_ROWS = [
    ["330203010", "高桥镇", "高桥", "镇乡街道", "330203", "是"],
    ["330203010001", "芦港村", "", "村", "330203010", "是"],
    ["330203010002", "高桥社区", "", "社区", "高桥镇", ""],
]


class OrgImportTests(BaseTestCase):
    def run_import(self, rows, user=None, **kwargs):
        data = xlsx_bytes([ORG_HEADERS, *rows], **kwargs)
        return import_orgs(Actor(user=user or self.hank, channel="import"), data)

    def assertRejected(self, rows=None, *, data=None, expect=(), **kwargs):
        orgs_before, changes_before = Org.objects.count(), Change.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            if data is not None:
                import_orgs(Actor(user=self.hank, channel="import"), data)
            else:
                self.run_import(rows, **kwargs)
        self.assertEqual(Org.objects.count(), orgs_before, "an import that failed wrote orgs")
        self.assertEqual(
            Change.objects.count(), changes_before, "an import that failed wrote history"
        )
        text = "\n".join(str(e) for e in caught.exception.errors)
        for fragment in expect:
            self.assertIn(fragment, text)
        return caught.exception.errors

    def test_it_imports_a_good_file_and_adds_nothing_the_second_time(self):
        self.assertEqual(self.run_import(GOOD_ROWS), {"created": 3, "updated": 0, "unchanged": 0})
        village = Org.objects.get(code="330203010001")
        self.assertEqual(Org.objects.get_parent(village).code, "330203010")
        self.assertEqual(Org.objects.get(code="330203010002").kind, "community")
        changes = Change.objects.count()
        self.assertEqual(self.run_import(GOOD_ROWS), {"created": 0, "updated": 0, "unchanged": 3})
        self.assertEqual(Change.objects.count(), changes)
        self.assertEqual(Change.objects.filter(object_repr="芦港村", channel="import").count(), 1)

    def test_it_accepts_children_listed_before_their_parents(self):
        self.run_import(list(reversed(GOOD_ROWS)))
        self.assertEqual(Org.objects.get(code="330203010").numchild, 2)

    def test_it_round_trips_its_own_export(self):
        data = export_orgs(Org.objects.filter(path__startswith=self.shiqi.path).order_by("path"))
        counts = import_orgs(Actor(user=self.hank, channel="import"), data)
        self.assertEqual(counts, {"created": 0, "updated": 0, "unchanged": 3})

    def test_it_refuses_an_unknown_parent(self):
        rows = [*GOOD_ROWS, ["330203010003", "无名村", "", "村", "999999", "是"]]
        errors = self.assertRejected(rows, expect=["第5行 第5列（上级编码或名称）", "999999"])
        self.assertEqual([(e.row, e.column) for e in errors], [(5, 5)])

    def test_it_refuses_a_parent_outside_the_scope(self):
        rows = [["330203010", "高桥镇", "", "镇乡街道", "330205", "是"]]  # 江北区, not hank's
        self.assertRejected(rows, expect=["第2行 第5列", "您的范围内没有该上级组织"])

    def test_it_refuses_a_duplicate_code(self):
        rows = [*GOOD_ROWS, ["330203010001", "重复村", "", "村", "330203010", "是"]]
        self.assertRejected(rows, expect=["第5行 第1列（编码）", "第3行也使用了该编码"])

    def test_it_refuses_a_code_of_an_org_outside_the_scope(self):
        rows = [["330205008", "慈城镇", "", "镇乡街道", "330203", "是"]]
        self.assertRejected(rows, expect=["第2行 第1列", "已被其他组织使用"])

    def test_it_refuses_an_empty_name(self):
        rows = [GOOD_ROWS[0], ["330203010001", "", "", "村", "330203010", "是"]]
        self.assertRejected(rows, expect=["第3行 第2列（名称）", "此列必填"])

    def test_it_refuses_a_wrong_type(self):
        rows = [GOOD_ROWS[0], ["330203010001", "芦港村", "", "村", "330203010", "也许"]]
        self.assertRejected(rows, expect=["第3行 第6列（启用）", "也许", "应填“是”或“否”"])
        rows = [["330203010", "高桥镇", "", "省份", "330203", "是"]]
        self.assertRejected(rows, expect=["第2行 第4列（类型）", "不在可选范围内"])
        rows = [["330203010", 3.5, "", "镇乡街道", "330203", "是"]]
        self.assertRejected(rows, expect=["第2行 第2列（名称）", "应为文本或整数"])

    def test_it_refuses_a_formula(self):
        self.assertRejected(
            GOOD_ROWS, formula_at=(3, 2), expect=["第3行 第2列（名称）", "不接受公式"]
        )

    def test_it_refuses_an_extra_sheet(self):
        self.assertRejected(GOOD_ROWS, sheets=["Sheet2"], expect=["只能有一个数据工作表", "Sheet2"])

    def test_it_refuses_an_empty_file(self):
        errors = self.assertRejected(data=b"", expect=["0 字节"])
        self.assertEqual(errors[0].row, 0)

    def test_it_refuses_a_file_that_is_no_spreadsheet_we_read(self):
        self.assertRejected(
            data="编码,名称\n1,2\n".encode(), expect=["表头应为", "按 .csv 文本读取"]
        )
        self.assertRejected(data=b"PK\x03\x04garbage", expect=["已损坏"])
        self.assertRejected(data=b"\x00\x01binary", expect=[".xlsx、.xls、.xlsb、.ods"])
        self.assertRejected(data=b"<html><table><tr><td>1</td></tr></table>", expect=["网页"])

    def test_it_refuses_wrong_headers(self):
        self.assertRejected(data=xlsx_bytes([["code", "name"], ["1", "x"]]), expect=["表头应为"])

    def test_it_refuses_a_loop_of_parents(self):
        rows = [
            ["A1", "甲", "", "村", "A2", "是"],
            ["A2", "乙", "", "村", "A1", "是"],
        ]
        self.assertRejected(rows, expect=["循环"])

    def test_it_updates_and_moves_existing_orgs(self):
        self.run_import([["330203009001", "新联村（更名）", "", "村", "330203", "是"]])
        xinlian = Org.objects.get(pk=self.xinlian.pk)
        self.assertEqual(xinlian.name, "新联村（更名）")
        self.assertEqual(Org.objects.get_parent(xinlian), self.haishu)
        self.assertEqual(Org.objects.get(pk=self.branch.pk).path[:-4], xinlian.path)

    def test_it_shows_row_errors_on_the_page(self):
        self.client.force_login(self.hank)
        rows = [ORG_HEADERS, ["330203010", "", "", "镇乡街道", "330203", "是"]]
        upload = xlsx_upload(xlsx_bytes(rows))
        response = self.client.post(reverse("orgs:import"), {"file": upload})
        self.assertContains(response, "文件未导入")
        self.assertContains(response, "此列必填")
        self.assertFalse(Org.objects.filter(code="330203010").exists())

    def test_it_reports_success_on_the_page(self):
        self.client.force_login(self.hank)
        upload = xlsx_upload(xlsx_bytes([ORG_HEADERS, *GOOD_ROWS]))
        response = self.client.post(reverse("orgs:import"), {"file": upload}, follow=True)
        self.assertContains(response, "新增 3 条")

    def test_it_serves_a_template_with_chinese_headers(self):
        self.client.force_login(self.hank)
        response = self.client.get(reverse("orgs:template"))
        self.assertEqual(response.status_code, 200)
        import io

        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        self.assertEqual(book.get_sheet_by_index(0).to_python()[0], ORG_HEADERS)


class OrgImportPropertyTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_ningbo(cls)

    def run_import(self, rows):
        data = xlsx_bytes([ORG_HEADERS, *rows])
        return import_orgs(Actor(user=self.hank, channel="import"), data)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        bad_at=st.integers(min_value=0, max_value=3),
        column=st.sampled_from([0, 1, 3, 4, 5]),
        junk=st.sampled_from(["", "未知类型", "否否", "NOPE-PARENT", 2.5]),
    )
    def test_it_writes_nothing_for_any_one_malformed_row(self, bad_at, column, junk):
        rows = [
            ["H1", "甲镇", "", "镇乡街道", "330203", "是"],
            ["H2", "乙村", "", "村", "H1", "是"],
            ["H3", "丙村", "", "村", "H1", "否"],
            ["H4", "丁社区", "", "社区", "石碶街道", "是"],
        ]
        bad = list(rows[bad_at])
        if column == 0 and junk == "":
            bad[0] = ""
        elif column == 0:
            bad[0] = rows[(bad_at + 1) % 4][0]  # a duplicate code
        elif column == 1:
            bad[1] = "" if junk != 2.5 else 2.5
        elif column == 3:
            bad[3] = junk if junk not in ("", 2.5) else "未知类型"
        elif column == 4:
            bad[4] = "NOPE-PARENT"
        else:
            bad[5] = "否否" if junk != 2.5 else 2.5
        rows[bad_at] = bad
        before = Org.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(rows)
        self.assertEqual(Org.objects.count(), before)
        flagged_rows = {e.row for e in caught.exception.errors}
        # The malformed row is named (a duplicate code names the later of the two rows).
        self.assertTrue(flagged_rows & {bad_at + 2, (bad_at + 1) % 4 + 2}, caught.exception.errors)


def xlsx_upload(data, name="orgs.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
