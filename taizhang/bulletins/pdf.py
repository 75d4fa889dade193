"""A bulletin as PDF: its Word document converted by LibreOffice headless, where installed."""

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120


class PdfUnavailable(Exception):
    """LibreOffice is not installed here, or the conversion failed."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def from_docx(data: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed on this server.")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bulletin.docx"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                 "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True, capture_output=True, timeout=TIMEOUT,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(f"LibreOffice could not convert the document: {exc}") from None
        target = Path(folder) / "bulletin.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice wrote no PDF.")
        return target.read_bytes()
