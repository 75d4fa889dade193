"""Finding 6: text a user typed that a spreadsheet would read as a formula is written as text
in every export and template, re-imports unchanged, and LibreOffice opens it as text."""

import datetime
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from taizhang.ledger import services as ledger
from taizhang.orgs import services as orgs
from taizhang.orgs.imports import import_orgs
from taizhang.orgs.models import Org, OrgKind
from taizhang.testing import SYSTEM, LedgerTestCase
from taizhang.xlsx import is_formula_like

LINK = '=HYPERLINK("http://example.invalid/steal","点击查看")'
HOSTILE = [LINK, "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\r=1"]


def formula_elements(data: bytes) -> int:
    """Formula cells (`<f>`), not the drop-down lists' `<formula1>` that Taizhang writes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(
            len(re.findall(rb"<(?:\w+:)?f[\s>/]", archive.read(name)))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


def cells(data: bytes, sheet=0):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [c for row in workbook.get_sheet_by_index(sheet).to_python() for c in row]


class HostileTextCase(LedgerTestCase):
    """Records and orgs whose titles and names start like formulas."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for index, text in enumerate(HOSTILE):
            ledger.create_activity(
                SYSTEM,
                kind=cls.kinds["party_lecture"],
                org=cls.xinlian,
                starts_on=datetime.date(2019, 9, 22),
                title=text,
                lecturer_role="member",
                topic=text,
            )
            orgs.create_org(
                SYSTEM,
                parent=cls.shiqi,
                name=text.strip() + f"村{index}",
                code=f"33020300909{index}",
                kind=OrgKind.VILLAGE,
            )

    def downloads(self):
        self.client.force_login(self.alice)
        return {
            "ledger": self.client.get(reverse("ledger:list"), {"format": "xlsx"}).content,
            "orgs": self.client.get(reverse("orgs:export", args=[self.shiqi.pk])).content,
            "template": self.client.get(
                reverse("ledger:template"), {"kind": "party_lecture"}
            ).content,
            "problems": self.client.get(reverse("research:problem-template")).content,
        }


class FormulaTextTests(HostileTextCase):
    def test_no_export_or_template_carries_a_formula(self):
        for name, data in self.downloads().items():
            with self.subTest(file=name):
                self.assertEqual(formula_elements(data), 0)
        values = cells(self.downloads()["ledger"])
        self.assertIn(LINK, values)
        codes = CalamineWorkbook.from_filelike(io.BytesIO(self.downloads()["template"]))
        names = [c for row in codes.get_sheet_by_name("代码表").to_python() for c in row]
        self.assertIn(LINK + "村0", names)

    def test_the_org_export_re_imports_unchanged(self):
        data = self.downloads()["orgs"]
        self.assertTrue(any(is_formula_like(v) for v in cells(data)))
        counts = import_orgs(orgs.Actor.web(self.hank), data)
        self.assertEqual(counts["created"], 0)
        self.assertEqual(counts["updated"], 0)
        self.assertTrue(Org.objects.filter(name=LINK + "村0").exists())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
class LibreOfficeTests(HostileTextCase):
    def test_libreoffice_reads_the_text_not_a_formula(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "ledger.xlsx")
            path.write_bytes(self.downloads()["ledger"])
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "csv", "--outdir", folder, str(path)],
                check=True,
                capture_output=True,
                timeout=180,
                env={"HOME": folder, "PATH": "/usr/bin:/bin"},
            )
            text = Path(folder, "ledger.csv").read_text(encoding="utf-8", errors="replace")
        self.assertIn("HYPERLINK", text)  # shown as typed, not evaluated to its label
        self.assertIn("+1+1", text)
        self.assertNotIn(",2,", text.replace('"', ""))  # "+1+1" was not computed
