"""The problem list from Excel: the whole file is checked first, every problem is named by
row and column, nothing is written unless every row passes, and the same file imported
twice adds nothing."""

import datetime
import io

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.audit.models import Channel
from taizhang.audit.services import Actor
from taizhang.research import imports
from taizhang.research.models import Problem, ProblemState
from taizhang.testing import LedgerTestCase, xlsx_bytes
from taizhang.xlsx import ImportRejected


class ProblemImportTests(LedgerTestCase):
    def actor(self, user):
        return Actor(user=user, channel=Channel.IMPORT)

    def rows(self, *rows):
        return xlsx_bytes([imports.HEADERS, *rows])

    def row(self, title="村道破损", org=None, **changes):
        values = [
            title,
            "群众反映强烈",
            "座谈会",
            org or self.shiqi.code,
            self.zhang.code,
            datetime.date(2019, 10, 8),
            datetime.date(2019, 11, 30),
            "否",
            "",
        ]
        for index, value in changes.items():
            values[int(index[1:])] = value
        return values

    def test_a_good_file_imports_and_the_same_file_twice_adds_nothing(self):
        data = self.rows(
            self.row(),
            self.row("路灯不亮", c7="是", c8="当场联系供电所修复"),
        )
        result = imports.import_problems(self.actor(self.bob), self.campaign, data)
        self.assertEqual((result["created"], result["skipped"]), (2, 0))
        self.assertEqual(Problem.objects.get(title="路灯不亮").state, ProblemState.RESOLVED)
        again = imports.import_problems(self.actor(self.bob), self.campaign, data)
        self.assertEqual((again["created"], again["skipped"]), (0, 2))
        self.assertEqual(Problem.objects.count(), 2)

    def test_a_bad_row_rejects_the_whole_file_with_row_and_column(self):
        data = self.rows(
            self.row(),
            self.row("没有来源", c2="传说"),
            self.row("办结时限早", c6=datetime.date(2019, 10, 1)),
            self.row("外区的问题", org=self.cicheng.code),
            self.row("现场解决没写结果", c7="是"),
        )
        with self.assertRaises(ImportRejected) as caught:
            imports.import_problems(self.actor(self.bob), self.campaign, data)
        where = {(e.row, e.column) for e in caught.exception.errors}
        self.assertEqual(where, {(3, 3), (4, 7), (5, 4), (6, 9)})
        self.assertIn("第3行 第3列", str(caught.exception.errors[0]))
        self.assertEqual(Problem.objects.count(), 0)

    def test_viewers_may_not_import_and_the_page_reports_problems(self):
        with self.assertRaises(PermissionDenied):
            imports.import_problems(self.actor(self.dave), self.campaign, self.rows(self.row()))
        self.client.force_login(self.bob)
        template = self.client.get(reverse("research:problem-template"))
        headers = next(load_workbook(io.BytesIO(template.content)).active.values)
        self.assertEqual(list(headers), imports.HEADERS)
        upload = io.BytesIO(self.rows(self.row(org="nope")))
        upload.name = "问题.xlsx"
        response = self.client.post(reverse("research:problem-import"), {"file": upload})
        self.assertContains(response, "第2行")
        self.assertEqual(Problem.objects.count(), 0)
        upload = io.BytesIO(self.rows(self.row()))
        upload.name = "问题.xlsx"
        response = self.client.post(reverse("research:problem-import"), {"file": upload})
        self.assertContains(response, "已导入 1 个问题")
