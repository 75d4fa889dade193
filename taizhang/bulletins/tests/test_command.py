"""`taizhang bulletin`: writes the bulletin of an org and period in the format asked for,
with a one-line summary; a bad org, date or template exits non-zero and writes nothing."""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from docx import Document

from taizhang.bulletins.models import Bulletin
from taizhang.campaigns.definition import DEFINITIONS_DIR
from taizhang.testing import WorkTestCase


class BulletinCommandTests(WorkTestCase):
    def run_command(self, *args):
        out = io.StringIO()
        call_command("bulletin", *args, stdout=out)
        return out.getvalue()

    def test_it_writes_each_format_with_a_summary(self):
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("docx", "xlsx", "txt"):
                path = Path(folder, f"b.{fmt}")
                out = self.run_command("--org", self.haishu.code, "--format", fmt, "-o", str(path))
                self.assertIn(f"Bulletin for {self.haishu.code}", out)
                self.assertEqual(out.count("\n"), 1)
                self.assertGreater(path.stat().st_size, 1000)
            text = Path(folder, "b.txt").read_text(encoding="utf-8")
            self.assertIn("专题党课1场次", text)
            traditional = Path(folder, "t.txt")
            self.run_command("--org", self.haishu.code, "--format", "txt", "--traditional",
                             "-o", str(traditional))  # fmt: skip
            self.assertIn("專題黨課1場次", traditional.read_text(encoding="utf-8"))
            doc = Document(str(Path(folder, "b.docx")))
            self.assertIn("海曙区", doc.paragraphs[2].text)

    def test_bad_input_exits_non_zero_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "b.docx")
            for args in (
                ["--org", "nowhere"],
                ["--org", self.haishu.code, "--from", "2019-13-01"],
                ["--org", self.haishu.code, "--from", "2019-12-01", "--to", "2019-11-01"],
                ["--org", self.haishu.code, "--template", "none"],
            ):
                with self.subTest(args=args), self.assertRaises(CommandError):
                    self.run_command(*args, "-o", str(path))
            self.assertFalse(path.exists())
        self.assertFalse(Bulletin.objects.exists())

    def test_it_checks_a_template_file(self):
        shipped = DEFINITIONS_DIR / "buwangchuxin-2019.bulletin.yaml"
        self.assertIn("no problems found", self.run_command("--check", str(shipped)))
        with tempfile.TemporaryDirectory() as folder:
            bad = Path(folder, "bad.bulletin.yaml")
            bad.write_text(shipped.read_text(encoding="utf-8").replace("{seminars}", "{seminar}"))
            with self.assertRaises(CommandError) as caught:
                self.run_command("--check", str(bad))
            self.assertIn("seminar", str(caught.exception))
