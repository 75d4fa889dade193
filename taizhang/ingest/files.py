"""The text of a report as people send it: pasted, or a .txt (UTF-8 with or without BOM,
GB18030/GBK), .docx, .pdf with a text layer, or a saved web page (.html: its text, scripts
and styles dropped); a .zip holds several."""

import io
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILES = 500
FORMATS = (".txt", ".docx", ".pdf", ".html", ".htm")


class UnreadableFile(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped), else GB18030 (which reads GBK and GB2312 too)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The text is neither UTF-8 nor GB18030/GBK.")) from None


def _docx(data):
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if not text.strip():
        raise UnreadableFile(_("This PDF has no text layer (a scan?); paste its text instead."))
    return text


def _html(data):
    import lxml.html

    tree = lxml.html.fromstring(decode(data) or "<html></html>")
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    blocks = []
    for element in tree.iter("p", "div", "li", "td", "h1", "h2", "h3", "h4", "br", "tr"):
        if element.tail:
            element.tail = "\n" + element.tail
        else:
            element.tail = "\n"
    blocks.append(tree.text_content())
    return "\n".join(line.strip() for line in "".join(blocks).splitlines() if line.strip())


READERS = {".txt": decode, ".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html}


def read_file(name: str, data: bytes) -> list[tuple[str, str]]:
    """[(file name, text)] of one upload: one file, or each file of a .zip."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}
        )
    suffix = PurePosixPath(name.lower()).suffix
    if suffix == ".zip":
        return _zip(data)
    reader = READERS.get(suffix)
    if reader is None:
        raise UnreadableFile(
            _("%(name)s: a report is read from %(formats)s or a .zip of them.")
            % {"name": name, "formats": "、".join(FORMATS)}
        )
    try:
        return [(name, reader(data))]
    except UnreadableFile:
        raise
    except Exception:  # a damaged document: say so, whatever the library raised
        raise UnreadableFile(_("%(name)s could not be read.") % {"name": name}) from None


def _zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile(_("This .zip could not be opened.")) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    limit = settings.UPLOAD_MAX_UNPACKED_BYTES
    if len(members) > MAX_FILES or sum(m.file_size for m in members) > limit:
        raise UnreadableFile(_("This .zip holds too many files or too much data."))
    out, unpacked = [], 0
    for member in members:
        name = member.filename
        if PurePosixPath(name.lower()).suffix in READERS and not name.startswith("__MACOSX"):
            # The sizes a .zip declares can lie: read no more than the limit allows.
            with archive.open(member) as handle:
                data = handle.read(limit - unpacked + 1)
            unpacked += len(data)
            if unpacked > limit:
                raise UnreadableFile(_("This .zip holds too many files or too much data."))
            out.extend(read_file(PurePosixPath(name).name, data))
    if not out:
        raise UnreadableFile(_("This .zip holds no report in a format Taizhang reads."))
    return out
