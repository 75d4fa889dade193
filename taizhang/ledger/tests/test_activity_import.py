"""Activity import: a file with any bad row writes nothing and names that row; the same good
file twice adds nothing the second time; exports hold what the list shows."""

import io

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from python_calamine import CalamineWorkbook

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.ledger import services
from taizhang.ledger.imports import headers_for, import_activities
from taizhang.ledger.models import Activity, ActivityImport
from taizhang.testing import LedgerTestCase, build_ledger, build_small_ningbo, xlsx_bytes
from taizhang.xlsx import ImportRejected

# 组织编码 组织名称 开始日期 结束日期 标题 数量（场次） 参与人数 领导干部人员编号 主讲人类别 主题 备注
GOOD_ROWS = [
    ["330203009001", "新联村", "2019-09-05", "", "九月党课", 1, 30, "", "党组织书记", "初心", ""],
    ["33020300900101", "", "2019/10/8", "2019-10-08", "", 3, 45, "", "党员", "", "本月三场"],
    ["330203009", "石碶街道", "2019年11月2日", "", "书记讲党课", "", "", "P1", "领导干部", "", ""],
]
# (column, bad value, words the error must contain)
MALFORMED = [
    (0, "999999", "您的范围内没有该编码的组织"),
    (0, "330205008001", "您的范围内没有该编码的组织"),
    (1, "别的村", "不一致"),
    (2, "2019-02-30", "不是有效日期"),
    (2, "2019-05-01", "不在活动期间"),
    (2, "2019-07-01", "不参加任何批次"),
    (2, "", "此列必填"),
    (5, "三场", "应为整数"),
    (5, 0, "须为 1 或以上"),
    (5, 1.5, "应为整数"),
    (6, -3, "不能为负数"),
    (7, "NOPE", "您的范围内未找到"),
    (8, "校长", "不在可选范围内"),
    (8, "", "此列必填"),
]


class ImportMixin:
    def lecture_file(self, rows):
        return xlsx_bytes([headers_for(self.kinds["party_lecture"]), *rows])

    def run_import(self, rows, user=None):
        return import_activities(
            Actor(user=user or self.bob, channel="import"),
            self.kinds["party_lecture"],
            self.lecture_file(rows),
            "党课.xlsx",
        )


class ActivityImportTests(ImportMixin, LedgerTestCase):
    def assertRejected(self, rows=None, *, data=None, expect=()):
        before = (Activity.objects.count(), Change.objects.count(), ActivityImport.objects.count())
        with self.assertRaises(ImportRejected) as caught:
            if data is not None:
                import_activities(
                    Actor(user=self.bob, channel="import"), self.kinds["party_lecture"], data
                )
            else:
                self.run_import(rows)
        after = (Activity.objects.count(), Change.objects.count(), ActivityImport.objects.count())
        self.assertEqual(after, before, "a refused import wrote something")
        text = "\n".join(str(e) for e in caught.exception.errors)
        for fragment in expect:
            self.assertIn(fragment, text)
        return caught.exception.errors

    def test_a_good_file_is_imported_with_history(self):
        result = self.run_import(GOOD_ROWS)
        self.assertEqual(result["created"], 3)
        imported = Activity.objects.filter(source="import").order_by("source_row")
        self.assertEqual([a.source_row for a in imported], [2, 3, 4])
        self.assertEqual(imported[1].count, 3)
        self.assertEqual(imported[2].leader, self.zhang)
        self.assertEqual(imported[2].lecturer_role, "leader")
        self.assertEqual(str(imported[1].starts_on), "2019-10-08")
        # The history holds the file: who, when, which file, how many rows; each record
        # keeps its file and row, and its page shows that entry as its creation.
        entry = Change.objects.get(model="ledger.activityimport", channel="import")
        self.assertEqual(entry.actor, self.bob)
        self.assertEqual(entry.after, {"kind": "party_lecture", "filename": "党课.xlsx", "rows": 3})
        self.assertEqual({a.source_import_id for a in imported}, {int(entry.object_id)})
        self.client.force_login(self.bob)
        page = self.client.get(reverse("ledger:detail", args=[imported[0].pk]))
        self.assertContains(page, "党课.xlsx")
        self.assertContains(page, "第 2 行")

    def test_edits_of_imported_records_are_kept_one_by_one(self):
        self.run_import(GOOD_ROWS)
        activity = Activity.objects.get(source="import", source_row=3)
        services.update_activity(Actor.web(self.bob), activity, participants=99)
        change = Change.objects.get(model="ledger.activity", object_id=str(activity.pk))
        self.assertEqual((change.before["participants"], change.after["participants"]), (45, 99))

    def test_the_same_file_twice_adds_nothing(self):
        self.run_import(GOOD_ROWS)
        self.assertRejected(GOOD_ROWS, expect=["已于", "bob", "3 行"])
        self.assertEqual(Activity.objects.filter(source="import").count(), 3)

    def test_each_malformed_cell_is_named_by_row_and_column(self):
        for column, value, words in MALFORMED:
            with self.subTest(column=column, value=value):
                rows = [list(r) for r in GOOD_ROWS]
                rows[1][column] = value
                errors = self.assertRejected(rows, expect=[words])
                self.assertEqual({(e.row, e.column) for e in errors}, {(3, column + 1)})

    def test_a_field_the_kind_does_not_record_cannot_be_smuggled_in(self):
        headers = headers_for(self.kinds["party_lecture"]) + ["户数"]
        self.assertRejected(data=xlsx_bytes([headers, GOOD_ROWS[0] + [3]]), expect=["表头应为"])

    def test_a_viewer_cannot_import(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            self.run_import(GOOD_ROWS, user=self.dave)

    def test_broken_files_are_refused(self):
        self.assertRejected(data=b"", expect=["文件为空"])
        self.assertRejected(data=b"not a workbook", expect=["按 .csv 文本读取", ".xlsx", ".ods"])
        self.assertRejected(data=b"\x89PNG\r\n\x1a\n\x00\x00", expect=[".xlsx、.xls、.xlsb"])
        headers = headers_for(self.kinds["party_lecture"])
        self.assertRejected(
            data=xlsx_bytes([headers, GOOD_ROWS[0]], formula_at=(2, 5)), expect=["不接受公式"]
        )

    def test_the_template_has_the_kinds_columns_and_code_lists(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("ledger:template") + "?kind=party_lecture")
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        self.assertEqual(book.sheet_names, ["数据", "代码表", "填写说明"])
        data = book.get_sheet_by_name("数据").to_python()
        self.assertEqual(data[0], headers_for(self.kinds["party_lecture"]))
        codes = [row[0] for row in book.get_sheet_by_name("代码表").to_python()[1:]]
        self.assertIn("330203009001", codes)
        self.assertNotIn("330205008001", codes, "a sibling district's org is in the template")
        notes = book.get_sheet_by_name("填写说明").to_python()
        self.assertIn(
            headers_for(self.kinds["party_lecture"]), [list(r[: len(data[0])]) for r in notes]
        )

    def test_an_upload_through_the_page_reports_row_errors(self):
        self.client.force_login(self.bob)
        rows = [list(r) for r in GOOD_ROWS]
        rows[2][2] = "2019-05-01"
        upload = io.BytesIO(self.lecture_file(rows))
        upload.name = "党课.xlsx"
        response = self.client.post(
            reverse("ledger:import") + "?kind=party_lecture", {"file": upload}
        )
        self.assertContains(response, "第4行")
        self.assertEqual(Activity.objects.filter(source="import").count(), 0)

    def test_the_export_holds_the_filtered_records_of_the_scope(self):
        self.run_import(GOOD_ROWS)
        self.client.force_login(self.bob)
        response = self.client.get(reverse("ledger:list") + "?kind=party_lecture&format=xlsx")
        rows = (
            CalamineWorkbook.from_filelike(io.BytesIO(response.content))
            .get_sheet_by_index(0)
            .to_python()
        )
        self.assertEqual(rows[0][:3], ["活动类型", "组织编码", "组织名称"])
        codes = sorted(r[1] for r in rows[1:])
        self.assertEqual(
            codes, sorted(["330203009001", "330203009001", "33020300900101", "330203009"])
        )


class ImportPropertyTests(ImportMixin, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_ningbo(cls)
        build_ledger(cls)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        bad=st.sampled_from(MALFORMED),
        good_count=st.integers(min_value=1, max_value=6),
        position=st.integers(min_value=0, max_value=6),
    )
    def test_one_malformed_row_among_good_ones_writes_nothing_and_is_named(
        self, bad, good_count, position
    ):
        column, value, words = bad
        rows = [list(GOOD_ROWS[i % 3]) for i in range(good_count)]
        for i, row in enumerate(rows):
            row[4] = f"第{i}条"
        broken = list(GOOD_ROWS[0])
        broken[column] = value
        position = min(position, len(rows))
        rows.insert(position, broken)
        before = (Activity.objects.count(), Change.objects.count())
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(rows)
        self.assertEqual((Activity.objects.count(), Change.objects.count()), before)
        self.assertEqual({e.row for e in caught.exception.errors}, {position + 2})
        self.assertIn(words, str(caught.exception.errors[0]))
