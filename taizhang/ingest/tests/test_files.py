"""Reports as people send them: .txt in UTF-8 or GB18030, .docx, .pdf with a text layer, a
saved web page (its text only) and a .zip of several; anything else refused by name; and
`taizhang ingest FILE --json` prints one object per figure."""

import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from docx import Document

from taizhang.ingest.files import UnreadableFile, read_file
from taizhang.testing import LedgerTestCase

REPORT = "海曙区召开座谈会62场，发放调查问卷2700余份。"


def docx_bytes(text):
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class FileTests(SimpleTestCase):
    def test_each_format_gives_its_text(self):
        html = (
            "<html><head><style>p{color:red}</style><script>var n=99;</script></head>"
            f"<body><p>{REPORT}</p></body></html>"
        ).encode()
        for name, data in (
            ("a.txt", REPORT.encode("utf-8")),
            ("b.txt", b"\xef\xbb\xbf" + REPORT.encode("utf-8")),
            ("c.txt", REPORT.encode("gb18030")),
            ("d.docx", docx_bytes(REPORT)),
            ("e.html", html),
        ):
            with self.subTest(file=name):
                [(read_name, text)] = read_file(name, data)
                self.assertEqual(read_name, name)
                self.assertIn(REPORT, text)
                self.assertNotIn("99", text)
                self.assertNotIn("color", text)

    def test_a_zip_holds_every_districts_report(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("海曙.txt", REPORT)
            archive.writestr("江北.docx", docx_bytes("江北区召开座谈会12场。"))
            archive.writestr("notes.bin", b"\x00\x01")
        texts = dict(read_file("reports.zip", out.getvalue()))
        self.assertEqual(set(texts), {"海曙.txt", "江北.docx"})

    def test_a_zip_unpacking_past_the_limit_is_refused(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("big.txt", "座谈会" * 400_000)  # 3.6 MB unpacked, a few KB packed
        with self.settings(UPLOAD_MAX_UNPACKED_BYTES=2**20), self.assertRaises(UnreadableFile):
            read_file("reports.zip", out.getvalue())
        with self.settings(UPLOAD_MAX_BYTES=1000), self.assertRaises(UnreadableFile):
            read_file("a.txt", REPORT.encode() * 100)

    def test_what_cannot_be_read_is_refused_by_name(self):
        for name, data in (("x.exe", b"MZ"), ("y.docx", b"not a zip"), ("z.zip", b"nope"),
                           ("w.pdf", b"%PDF-1.4 broken")):  # fmt: skip
            with self.subTest(file=name), self.assertRaises(UnreadableFile):
                read_file(name, data)


class IngestCommandTests(LedgerTestCase):
    def test_it_prints_one_json_object_per_figure(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "report.txt")
            path.write_text(REPORT + "分享7例“初心榜样”。", encoding="gb18030")
            out = io.StringIO()
            call_command("ingest", str(path), "--json", stdout=out)
        figures = json.loads(out.getvalue())
        self.assertEqual([(f["value"], f["unit"], f["metric"]) for f in figures], [
            (62, "场", "seminars"), (2700, "份", "questionnaires"), (7, "例", "role_models"),
        ])  # fmt: skip
        self.assertTrue(figures[1]["approximate"])
        self.assertEqual(REPORT[figures[0]["start"] : figures[0]["end"]], "62场")
        self.assertEqual(
            set(figures[0]),
            {"value", "unit", "approximate", "phrase", "sentence", "start", "end", "metric",
             "confidence", "relation"},
        )  # fmt: skip

    def test_a_bad_file_or_org_exits_non_zero(self):
        with self.assertRaises(CommandError):
            call_command("ingest", "/nonexistent.txt", stdout=io.StringIO())
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "r.txt")
            path.write_text(REPORT, encoding="utf-8")
            with self.assertRaises(CommandError):
                call_command("ingest", str(path), "--org", "nowhere", stdout=io.StringIO())
