"""LibreOffice, as the people receiving a bulletin would use it, opens what Taizhang writes:
the Word document converts to a PDF whose text is the bulletin's with its page numbers,
and the statistics appendix opens with the org's totals and its children's rows."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from taizhang.bulletins import appendix, pdf, services, word
from taizhang.bulletins.template import load, templates_of
from taizhang.stats.periods import whole
from taizhang.testing import SYSTEM, WorkTestCase

# Where the test command installed LibreOffice (CI), its absence is a failure, not a skip.
REQUIRED = bool(os.environ.get("TAIZHANG_REQUIRE_POSTGRES"))


@pytest.mark.skipif(
    shutil.which("soffice") is None and not REQUIRED, reason="LibreOffice is installed by make test"
)
class LibreOfficeBulletinTests(WorkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        template = load(templates_of(cls.campaign)["bulletin"])
        draft = services.generate(
            SYSTEM, template, campaign=cls.campaign, org=cls.haishu, period=whole(cls.campaign)
        )
        cls.bulletin = services.issue(SYSTEM, draft)

    def test_the_word_document_converts_to_a_pdf_with_its_text_and_page_numbers(self):
        data = pdf.from_docx(word.document(self.bulletin))
        self.assertTrue(data.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "b.pdf")
            path.write_bytes(data)
            text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                timeout=60,
            ).stdout.decode("utf-8")  # fmt: skip
        self.assertIn("主题教育简报", text)
        self.assertIn("第1期", text)
        compact = text.replace(" ", "")
        self.assertIn("专题党课1场次", compact)
        self.assertIn("—1—", compact)  # the page-number field, on each page
        self.assertIn("—2—", compact)

    def test_the_appendix_opens_with_the_totals_and_each_child(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "appendix.xlsx")
            path.write_bytes(appendix.appendix(self.bulletin))
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                 "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", folder,
                 str(path)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            text = Path(folder, "appendix.csv").read_text(encoding="utf-8", errors="replace")
        self.assertIn("海曙区（合计）", text)
        self.assertIn("石碶街道", text)
