"""The first look at an uploaded workbook, before anything is built in memory: one streaming
pass that is linear in the file whatever it holds (see `read.read_sheet`)."""

import html
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from taizhang.xlsx.errors import CellError, ImportRejected, _column_number, file_error

# What an uploaded workbook may hold. A cell holds at most what Excel allows in one.
MAX_CELL_CHARS = 32_767
SPARE_COLUMNS = 20
NOT_XLSX = gettext_lazy("This is not an .xlsx workbook. Save it from Excel as .xlsx and retry.")
DAMAGED = gettext_lazy("The workbook cannot be read; it may be damaged.")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^<>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^<>]*)>")
_ATTRIBUTE = re.compile(rb"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# The tags that matter in a sheet: rows, cells, formulas and values. `[^<>]*` cannot run
# past the next tag, so a scan is linear in the file whatever it holds.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|f|v|is)\b([^<>]*)>")
_R = re.compile(rb"(?<![\w:])(?:\w+:)?r\s*=\s*[\"'](\d{1,7})[\"']")
_CELL_REF = re.compile(rb"(?<![\w:])(?:\w+:)?r\s*=\s*[\"']([A-Z]{1,3})(\d{1,7})[\"']")


def _attributes(text: bytes) -> dict:
    return {
        m[1].split(b":")[-1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(text)
    }


def _open_workbook(data):
    """The archive and its sheets as (name, member path), in workbook order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise file_error(NOT_XLSX) from None
    if "[Content_Types].xml" not in members or "xl/workbook.xml" not in members:
        raise file_error(NOT_XLSX)
    _check_unpacked(archive)
    workbook = _member(archive, "xl/workbook.xml")
    rels = _member(archive, "xl/_rels/workbook.xml.rels")
    targets = {}
    for match in _RELATIONSHIP.finditer(rels):
        attrs = _attributes(match[1])
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace").lstrip("/")
            targets[attrs[b"Id"]] = target if target.startswith("xl/") else f"xl/{target}"
    sheets = []
    for match in _SHEET.finditer(workbook):
        attrs = _attributes(match[1])
        path = targets.get(attrs.get(b"id", b""))
        if b"name" not in attrs or path not in members:
            raise file_error(DAMAGED)
        sheets.append((html.unescape(attrs[b"name"].decode("utf-8", "replace")), path))
    if not sheets:
        raise file_error(NOT_XLSX)
    _drain_all(archive, skip={path for _name, path in sheets})
    return archive, sheets


def _check_unpacked(archive):
    """Refuse a zip bomb before anything is unpacked."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES:
        raise file_error(
            _("The workbook unpacks to %(size)s MB; at most %(mb)s MB are accepted.")
            % {
                "size": unpacked // 2**20,
                "mb": settings.UPLOAD_MAX_UNPACKED_BYTES // 2**20,
            }
        )


def _drain_all(archive, skip):
    """Read every member but `skip` once, for its checksum: calamine reads them next."""
    _check_unpacked(archive)
    for name in archive.namelist():
        if name not in skip:
            _drain(archive, name)


def _drain(archive, name):
    try:
        with archive.open(name) as stream:
            while stream.read(1 << 20):
                pass
    except Exception:  # a damaged member: bad CRC, truncated stream, unknown compression
        raise file_error(DAMAGED) from None


def _member(archive, name):
    try:
        return archive.read(name)
    except Exception:  # missing, or damaged: bad CRC, truncated stream, unknown compression
        raise file_error(DAMAGED) from None


@dataclass
class _SheetScan:
    formulas: list  # (row, column) of each formula cell, the first 50
    rows: int  # the last row holding a value
    columns: int  # the last column holding a value


def _stream_tags(archive, path, pattern):
    """(tag, attributes) of each match of `pattern` in an XML member, read in chunks: a
    tag is never cut in two, and one that never closes is a damaged file."""
    try:
        stream = archive.open(path)
        carry = b""
        while chunk := stream.read(1 << 20):
            text = carry + chunk
            cut = text.rfind(b"<")
            if cut == -1 or text.find(b">", cut) != -1:
                cut = len(text)
            carry, text = text[cut:], text[:cut]
            for match in pattern.finditer(text):
                yield match[1], match[2]
            if len(carry) > 1 << 16:  # a tag that never closes
                raise file_error(DAMAGED)
    except ImportRejected:
        raise
    except Exception:
        raise file_error(DAMAGED) from None


# Cells in two- or three-letter columns, and in rows of six digits or more: in a file
# that fits a template these are few, so the fast scan looks only at them.
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})(\d{1,7})"')
_FAR_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{6,7})"')
# Each begins with a literal, which the regex engine finds at memchr speed.
_MAYBE_FORMULA = (re.compile(rb"<f[ />]"), re.compile(rb":f[ />]"))


def _scan_sheet(archive, path) -> _SheetScan:
    """Where a sheet's values and formulas are, as far as the checks need: its formulas,
    and its extent where it goes past what a template allows. Files as Excel, WPS,
    LibreOffice and openpyxl write them (every cell `<c r="A1" …>`) are scanned at the
    speed of bytes.find; any other, or one that may hold a formula, by `_scan_tags`."""
    xml = _member(archive, path)
    plain = b"<c>" not in xml and b":c " not in xml and xml.count(b"<c ") == xml.count(b'<c r="')
    if not plain or any(pattern.search(xml) for pattern in _MAYBE_FORMULA):
        return _scan_tags(archive, path)
    scan = _SheetScan([], 0, 0)
    last = max(xml.rfind(b"</v>"), xml.rfind(b"</is>"))
    if last != -1:
        cell = _CELL_REF.search(xml, xml.rfind(b"<c ", 0, last))
        if cell:
            scan.rows, scan.columns = int(cell[2]), _column_number(cell[1].decode())
    for pattern in (_WIDE_CELL, _FAR_CELL):
        for match in pattern.finditer(xml):
            if _holds_value(xml, match.end()):
                scan.rows = max(scan.rows, int(match[2]))
                scan.columns = max(scan.columns, _column_number(match[1].decode()))
    return scan


def _holds_value(xml, position):
    """Whether the cell tag going on at `position` is followed by a value, not closed empty."""
    end = xml.find(b">", position)
    if end == -1 or xml[end - 1 : end] == b"/":
        return False
    return xml.startswith((b"<v", b"<is"), end + 1)


def _scan_tags(archive, path) -> _SheetScan:
    """One streaming pass over a sheet's XML, tag by tag: where the values and formulas are."""
    scan = _SheetScan([], 0, 0)
    row = col = 0
    current = None  # (row, column) of the open cell
    counted = False
    for tag, attrs in _stream_tags(archive, path, _TAG):
        if tag == b"row":
            match = _R.search(attrs)
            row = int(match[1]) if match else row + 1
            col = 0
        elif tag == b"c":
            match = _CELL_REF.search(attrs)
            if match:
                col, row = _column_number(match[1].decode()), int(match[2])
            else:
                col += 1
            current, counted = (row, col), False
        elif current is not None:
            # <v>, <is> or <f>: the open cell holds something.
            if not counted:
                counted = True
                scan.rows = max(scan.rows, current[0])
                scan.columns = max(scan.columns, current[1])
            if tag == b"f" and len(scan.formulas) < 50:
                scan.formulas.append(current)
    return scan


def _outside_template(scan, width):
    """Errors for a data sheet larger than any import takes, found before it is read."""
    if scan.rows > settings.IMPORT_MAX_ROWS + 1:
        return [
            CellError(
                0,
                0,
                "",
                None,
                _("The sheet has %(n)s rows; an import takes at most %(max)s.")
                % {"n": scan.rows - 1, "max": settings.IMPORT_MAX_ROWS},
            )
        ]
    # A few columns past the template are left to the header check, which names them.
    if scan.columns > width + SPARE_COLUMNS:
        return [
            CellError(
                0,
                0,
                "",
                None,
                _(
                    "The sheet has values as far out as column %(column)s; the template has %(n)s columns (%(last)s is the last)."
                )
                % {
                    "column": get_column_letter(min(scan.columns, 16384)),
                    "n": width,
                    "last": get_column_letter(width),
                },
            )
        ]
    return []
