"""Every upload page refuses every file of the malformed corpus with a clear message and
writes nothing; the same good row is imported, so the refusals are the files' doing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from taizhang.audit.models import Change
from taizhang.ledger import imports as ledger_imports
from taizhang.ledger.models import Activity
from taizhang.orgs.imports import ORG_HEADERS, PERSON_HEADERS
from taizhang.orgs.models import Org, Person
from taizhang.research.imports import HEADERS as PROBLEM_HEADERS
from taizhang.research.models import Problem, ProblemSource
from taizhang.testing import LedgerTestCase
from taizhang.tests import corpus
from taizhang.xlsx import zh_label


class UploadPages:
    """The four upload pages, each with a user who may import and one good row."""

    def pages(self):
        """(name, user, url, headers, good row, number, date and text columns)."""
        kind = self.kinds["party_lecture"]
        columns = ledger_imports.columns_for(kind)
        lecture = ledger_imports._example_row(self.bob, kind, columns)
        lecture[columns.index("org")] = self.xinlian.code
        lecture[columns.index("org_name")] = self.xinlian.name
        lecture[columns.index("starts_on")] = "2019-09-25"
        return [
            (
                "orgs",
                self.alice,
                reverse("orgs:import"),
                ORG_HEADERS,
                ["NEW-1", "新建村", "", "村", self.shiqi.code, "是"],
                (3, 4, 1),
            ),
            (
                "people",
                self.bob,
                reverse("orgs:person-import"),
                PERSON_HEADERS,
                ["P900", "王五", self.haishu.code, "科员", "其他", "是", "是"],
                (4, 2, 3),
            ),
            (
                "activities",
                self.bob,
                reverse("ledger:import") + "?kind=party_lecture",
                ledger_imports.headers_for(kind),
                lecture,
                (columns.index("participants"), columns.index("starts_on"), 4),
            ),
            (
                "problems",
                self.bob,
                reverse("research:problem-import"),
                PROBLEM_HEADERS,
                [
                    "路灯不亮",
                    "村口路灯坏了",
                    zh_label(ProblemSource, ProblemSource.RESEARCH),
                    self.shiqi.code,
                    self.zhang.code,
                    "2019-09-10",
                    "2019-10-31",
                    "否",
                    "",
                ],
                (2, 5, 1),
            ),
        ]

    def written(self):
        return [m.objects.count() for m in (Org, Person, Activity, Problem, Change)]

    def post(self, user, url, data, name="upload.xlsx"):
        self.client.force_login(user)
        return self.client.post(url, {"file": SimpleUploadedFile(name, data)})


@override_settings(AXES_ENABLED=False, IMPORT_BACKGROUND_BYTES=10**9)
class HostileFileTests(UploadPages, LedgerTestCase):
    def test_the_good_row_of_each_page_imports(self):
        for page, user, url, headers, row, _columns in self.pages():
            with self.subTest(page=page):
                before = self.written()
                response = self.post(user, url, corpus.styled_empty_cells(headers, row))
                self.assertIn(response.status_code, (200, 302))
                self.assertNotEqual(self.written(), before, response.content.decode()[-3000:])

    def test_every_page_refuses_every_malformed_file(self):
        for page, user, url, headers, row, (number, date, text) in self.pages():
            files = corpus.corpus(
                headers, row, number_column=number, date_column=date, text_column=text
            )
            for name, data in files.items():
                with self.subTest(page=page, file=name):
                    before = self.written()
                    response = self.post(user, url, data)
                    self.assertEqual(response.status_code, 200)
                    # An empty upload is refused by the form itself.
                    errors = response.context["errors"] or response.context["form"].errors
                    self.assertTrue(errors, f"{name} was not refused")
                    self.assertTrue(all(str(e) for e in errors))
                    self.assertEqual(self.written(), before)

    def test_errors_name_the_sheet_and_the_cell(self):
        page, user, url, headers, row, columns = self.pages()[2]
        files = corpus.corpus(
            headers, row, number_column=columns[0], date_column=columns[1], text_column=4
        )
        messages = [
            str(e) for e in self.post(user, url, files["formulas in every sheet"]).context["errors"]
        ]
        self.assertIn(f"第2行 第2列（{headers[1]}）", messages[0])
        self.assertTrue(any("代码表" in m and "第3行 第2列" in m for m in messages), messages)
        self.assertTrue(any("填写说明" in m for m in messages), messages)
        dimension = self.post(user, url, files["dimension bomb (a value at XFD5000)"])
        self.assertContains(dimension, "XFD")
        bomb = self.post(user, url, files["zip bomb (250 MB inflated)"])
        self.assertContains(bomb, "MB")
        with self.settings(IMPORT_BACKGROUND_BYTES=0):  # refused before it is queued
            bomb = self.post(user, url, files["zip bomb (250 MB inflated)"])
            self.assertContains(bomb, "MB")
        numbers = self.post(user, url, files["numbers of 10^30"])
        self.assertContains(numbers, "10,000,000")


class FormulaCellTests(LedgerTestCase):
    def test_a_formula_is_reported_at_its_own_cell_after_an_empty_styled_one(self):
        """The old check matched from D2's self-closing tag to E2's formula."""
        from taizhang.xlsx import ImportRejected, read_sheet

        header = "".join(
            f'<c r="{col}1" t="inlineStr"><is><t>{col}</t></is></c>' for col in "ABCDE"
        )
        row = '<c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="D2" s="1"/><c r="E2"><f>1+1</f><v>2</v></c>'
        data = corpus._hand_made(
            [
                corpus.SHEET_START,
                f"<row r='1'>{header}</row><row r='2'>{row}</row>".encode(),
                corpus.SHEET_END,
            ]
        )
        with self.assertRaises(ImportRejected) as caught:
            read_sheet(data, list("ABCDE"))
        (error,) = caught.exception.errors
        self.assertEqual((error.row, error.column, error.header), (2, 5, "E"))
