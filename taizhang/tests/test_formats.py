"""Every import reads every format people send: the same content as .xlsx (openpyxl's and
LibreOffice's), .xls, .ods, .xlsb and .csv (UTF-8 with or without BOM, GB18030) becomes the
same records; a bad cell, a formula and a repeated file are refused the same way in each,
with nothing written. The .xls, .ods and LibreOffice files are made in the run by
LibreOffice headless (`producers.py`)."""

import os
import shutil

import pytest
from django.db import transaction
from django.test import override_settings

from taizhang.ledger.models import Activity
from taizhang.orgs.models import Org, Person
from taizhang.research.models import Problem
from taizhang.testing import LedgerTestCase
from taizhang.tests import producers
from taizhang.tests.test_hostile_files import UploadPages
from taizhang.xlsx import build_workbook
from taizhang.xlsx.formats import CSV_ENCODING

REQUIRED = bool(os.environ.get("TAIZHANG_REQUIRE_POSTGRES"))
MODELS = {"orgs": Org, "people": Person, "activities": Activity, "problems": Problem}
# Fields that differ between two imports of the same content, whatever the format.
VARYING = {"id", "created_at", "updated_at", "import_id", "source_import_id", "recorded_at"}
WORKBOOKS = ("xlsx", "xlsx (LibreOffice)", "xls", "ods", "xlsb")


def template_file(headers, rows, formula_at=None):
    """The file a clerk fills: our template's data sheet and instructions sheet."""
    data = build_workbook(
        "数据", headers, rows, instructions=[["列", "说明"], ["组织编码", "必填"]]
    )
    if formula_at is None:
        return data
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data))
    book["数据"].cell(row=formula_at[0], column=formula_at[1], value='=A2&"x"')
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.skipif(
    producers.soffice() is None and not REQUIRED, reason="LibreOffice is installed by make test"
)
@override_settings(AXES_ENABLED=False, IMPORT_BACKGROUND_BYTES=10**9)
class FormatTests(UploadPages, LedgerTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.files = {}  # (page, variant) -> {format: bytes}
        sources = {}
        for page, _user, _url, headers, row, (number, _date, text) in cls.pages(cls):
            bad = list(row)
            bad[number] = "三十"
            variants = {"good": [row], "bad": [row, bad]}
            for variant, rows in variants.items():
                sources[f"{page}-{variant}"] = template_file(headers, rows)
                cls.files[page, variant] = {
                    "xlsx": sources[f"{page}-{variant}"],
                    "xlsb": producers.xlsb_bytes([("数据", [headers, *rows])]),
                    "csv (UTF-8)": producers.csv_bytes([headers, *rows]),
                    "csv (UTF-8 with BOM)": producers.csv_bytes([headers, *rows], bom=True),
                    "csv (GB18030)": producers.csv_bytes([headers, *rows], "gb18030"),
                }
            sources[f"{page}-formula"] = template_file(headers, [row], formula_at=(2, text + 1))
            cls.files[page, "formula"] = {
                "xlsx": sources[f"{page}-formula"],
                "xlsb": producers.xlsb_bytes([("数据", [headers, row])], formula_at=(2, text + 1)),
            }
        for target, label in (("xls", "xls"), ("ods", "ods"), ("xlsx", "xlsx (LibreOffice)")):
            for name, data in producers.libreoffice_saves(sources, target).items():
                page, variant = name.rsplit("-", 1)
                cls.files[page, variant][label] = data
        for name, data in producers.libreoffice_saves(
            {k: v for k, v in sources.items() if k.endswith("-good")}, "csv"
        ).items():
            cls.files[name.rsplit("-", 1)[0], "good"]["csv (LibreOffice)"] = data

    def imported(self, page, user, url, data, name):
        """What importing `data` writes (rolled back afterwards), as comparable rows."""
        model = MODELS[page]
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        point = transaction.savepoint()
        response = self.post(user, url, data, name)
        errors = response.context and response.context.get("errors")
        rows = [
            {k: v for k, v in values.items() if k not in VARYING}
            for values in model.objects.filter(pk__gt=last).order_by("pk").values()
        ]
        transaction.savepoint_rollback(point)
        return rows, errors

    def test_each_format_imports_the_same_content_to_the_same_records(self):
        for page, user, url, _headers, _row, _columns in self.pages():
            files = self.files[page, "good"]
            expected, errors = self.imported(page, user, url, files["xlsx"], "a.xlsx")
            self.assertTrue(expected, errors)
            for label, data in files.items():
                with self.subTest(page=page, format=label):
                    rows, errors = self.imported(page, user, url, data, "upload")
                    self.assertFalse(errors, [str(e) for e in errors or []])
                    self.assertEqual(rows, expected)

    def test_each_format_refuses_a_bad_cell_by_row_and_column_and_writes_nothing(self):
        for page, user, url, headers, _row, (number, _date, _text) in self.pages():
            for label, data in self.files[page, "bad"].items():
                with self.subTest(page=page, format=label):
                    before = self.written()
                    response = self.post(user, url, data)
                    messages = [str(e) for e in response.context["errors"] or []]
                    self.assertTrue(
                        any(f"第3行 第{number + 1}列（{headers[number]}）" in m for m in messages),
                        messages,
                    )
                    self.assertEqual(self.written(), before)

    def test_each_workbook_format_refuses_a_formula_at_its_cell(self):
        for page, user, url, headers, _row, (_number, _date, text) in self.pages():
            files = self.files[page, "formula"]
            self.assertEqual(set(files), {"xlsx", "xlsb", "xls", "ods", "xlsx (LibreOffice)"})
            for label, data in files.items():
                with self.subTest(page=page, format=label):
                    before = self.written()
                    messages = [str(e) for e in self.post(user, url, data).context["errors"]]
                    self.assertIn(f"第2行 第{text + 1}列（{headers[text]}）", messages[0])
                    self.assertIn("不接受公式", messages[0])
                    self.assertEqual(self.written(), before)

    def test_a_file_imported_once_is_refused_in_any_other_format(self):
        _page, user, url, *_rest = self.pages()[2]
        files = self.files["activities", "good"]
        self.post(user, url, files["xls"], "lectures.xls")
        before = self.written()
        for label, data in files.items():
            with self.subTest(format=label):
                response = self.post(user, url, data)
                self.assertIn("本次未重复导入", str(response.context["errors"][0]))
                self.assertEqual(self.written(), before)

    def test_a_second_data_sheet_is_refused_in_every_workbook_format(self):
        _page, user, url, headers, row, _columns = self.pages()[2]
        two = [("数据", [headers, row]), ("Sheet2", [["x"]])]
        sources = {"two": template_file(headers, [row])}
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(sources["two"]))
        book.create_sheet("Sheet2").append(["x"])
        buffer = BytesIO()
        book.save(buffer)
        sources["two"] = buffer.getvalue()
        files = {"xlsx": sources["two"], "xlsb": producers.xlsb_bytes(two)}
        for target in ("xls", "ods"):
            files[target] = producers.libreoffice_saves(sources, target)["two"]
        for label, data in files.items():
            with self.subTest(format=label):
                messages = [str(e) for e in self.post(user, url, data).context["errors"]]
                self.assertIn("只能有一个数据工作表", messages[0])
                self.assertIn("Sheet2", messages[0])

    def test_a_csv_in_another_encoding_or_not_text_is_refused_naming_what_we_read(self):
        _page, user, url, headers, row, _columns = self.pages()[2]
        latin = producers.csv_bytes([headers, row], "gb18030") + b"\xff\xfe\xff\r\n"
        messages = [str(e) for e in self.post(user, url, latin).context["errors"]]
        self.assertEqual(messages, [str(CSV_ENCODING)])
        binary = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
        messages = [str(e) for e in self.post(user, url, binary).context["errors"]]
        self.assertIn(".xlsx、.xls、.xlsb、.ods", messages[0])
        self.assertIn(".csv", messages[0])


def test_libreoffice_is_there_when_required():
    """CI installs LibreOffice: the tests above must not be skipped there."""
    if REQUIRED:
        assert shutil.which("soffice")
