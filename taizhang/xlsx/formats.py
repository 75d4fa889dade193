"""Which kind of file was uploaded, and the first look at the formats other than .xlsx
(`inspect.py`): .xls, .xlsb and .ods, whose formulas and extent are found in one pass over
the file before python-calamine reads it, and .csv, read here as text.

Every inspector returns the sheets as (name, _SheetScan) in workbook order, so `read_sheet`
applies the same checks (one data sheet, no formula, nothing outside the template) to every
format."""

import codecs
import csv
import html
import io
import re
import struct
import zipfile

import olefile
from django.utils.translation import gettext_lazy

from taizhang.xlsx.errors import file_error
from taizhang.xlsx.inspect import (
    DAMAGED,
    MAX_CELL_CHARS,
    _attributes,
    _check_unpacked,
    _drain_all,
    _member,
    _SheetScan,
    _stream_tags,
)

UNKNOWN = gettext_lazy(
    "This file is not a spreadsheet Taizhang can read. Taizhang reads .xlsx, .xls, .xlsb and .ods workbooks (Excel, WPS, LibreOffice) and .csv text in UTF-8 or GB18030/GBK."
)
READ_AS_CSV = gettext_lazy(
    "The file was read as .csv text, since it is none of the workbooks Taizhang reads (.xlsx, .xls, .xlsb, .ods)."
)
WEB_PAGE = gettext_lazy(
    "This file is a web page saved with a spreadsheet's name, not a spreadsheet. Open it in Excel or WPS, save it as .xlsx, and retry."
)
ENCRYPTED = gettext_lazy(
    "The workbook is protected by a password. Save it without a password and retry."
)
CSV_ENCODING = gettext_lazy(
    "The .csv file is neither UTF-8 nor GB18030/GBK text. Save it as “CSV UTF-8” and retry."
)
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def sniff(data: bytes) -> str:
    """The file's format from its content, whatever its name: xlsx, xlsb, ods, xls or csv.
    Raises ImportRejected naming the formats we read."""
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise file_error(DAMAGED) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names and data[30:38] == b"mimetype" and _ODS_MIME in data[:200]:
            return "ods"
        raise file_error(UNKNOWN)
    if data.startswith(_OLE_MAGIC):
        return "xls"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if _BINARY.search(data[:4096]):
        raise file_error(UNKNOWN)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"mime-version")):
        raise file_error(WEB_PAGE)
    return "csv"


# .ods: one content.xml holding every sheet.

_ODS_TAG = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^<>]*)>")


def inspect_ods(data):
    archive = _open_zip(data)
    _drain_all(archive, skip=())
    sheets, scan = [], None
    row = next_row = col = 0
    row_repeat = 1
    for tag, attrs in _stream_tags(archive, "content.xml", _ODS_TAG):
        if tag == b"table":
            found = re.search(rb'(?<![\w:-])table:name="([^"]*)"', attrs)
            name = html.unescape(found[1].decode("utf-8", "replace")) if found else ""
            scan = _SheetScan([], 0, 0)
            sheets.append((name, scan))
            row = next_row = 0
        elif scan is None:
            continue
        elif tag == b"table-row":
            row_repeat = _repeat(attrs, b"number-rows-repeated")
            row, next_row, col = next_row + 1, next_row + row_repeat, 0
        else:
            repeat = _repeat(attrs, b"number-columns-repeated")
            first, col = col + 1, col + repeat
            formula = b"table:formula=" in attrs
            if formula or b"value-type=" in attrs:
                scan.rows = max(scan.rows, row + row_repeat - 1)
                scan.columns = max(scan.columns, col)
            if formula and len(scan.formulas) < 50:
                scan.formulas.append((row, first))
    if not sheets:
        raise file_error(DAMAGED)
    return sheets


def _repeat(attrs, name):
    match = re.search(rb"table:" + name + rb'="(\d{1,9})"', attrs)
    return max(int(match[1]), 1) if match else 1


# .xlsb: a zip of binary (BIFF12) record streams.

_XLSB_CELLS = range(1, 12)  # BrtCellBlank … BrtFmlaError; 1 (blank) holds nothing
_XLSB_FORMULAS = range(8, 12)  # BrtFmlaString, BrtFmlaNum, BrtFmlaBool, BrtFmlaError
_BRT_ROW_HDR, _BRT_BUNDLE_SH = 0, 156


def inspect_xlsb(data):
    archive = _open_zip(data)
    _check_unpacked(archive)
    targets = {}
    rels = _member(archive, "xl/_rels/workbook.bin.rels")
    for match in re.finditer(rb"<(?:\w+:)?Relationship\b([^<>]*)>", rels):
        attrs = _attributes(match[1])
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace").lstrip("/")
            targets[attrs[b"Id"].decode()] = target if target.startswith("xl/") else f"xl/{target}"
    members = set(archive.namelist())
    sheets = []
    for kind, body in _biff12_records(_member(archive, "xl/workbook.bin")):
        if kind != _BRT_BUNDLE_SH:
            continue
        try:
            rel, rest = _wide_string(body, 8)
            name, _rest = _wide_string(body, rest)
        except (struct.error, UnicodeDecodeError, IndexError):
            raise file_error(DAMAGED) from None
        path = targets.get(rel)
        if path not in members:
            raise file_error(DAMAGED)
        sheets.append((name, path))
    if not sheets:
        raise file_error(DAMAGED)
    paths = {path for _name, path in sheets}
    _drain_all(archive, skip=paths)
    return [(name, _scan_xlsb_sheet(_member(archive, path))) for name, path in sheets]


def _scan_xlsb_sheet(stream):
    scan = _SheetScan([], 0, 0)
    row = 0
    for kind, body in _biff12_records(stream):
        if kind == _BRT_ROW_HDR and len(body) >= 4:
            row = struct.unpack_from("<I", body)[0] + 1
        elif kind in _XLSB_CELLS and kind != 1 and len(body) >= 4:
            col = struct.unpack_from("<I", body)[0] + 1
            scan.rows, scan.columns = max(scan.rows, row), max(scan.columns, col)
            if kind in _XLSB_FORMULAS and len(scan.formulas) < 50:
                scan.formulas.append((row, col))
    return scan


def _biff12_records(stream):
    """(record type, body) of each record; type and size are variable-length integers."""
    position, end = 0, len(stream)
    try:
        while position < end:
            kind, position = _varint(stream, position, 2)
            size, position = _varint(stream, position, 4)
            if position + size > end:
                raise file_error(DAMAGED)
            yield kind, stream[position : position + size]
            position += size
    except IndexError:
        raise file_error(DAMAGED) from None


def _varint(stream, position, most):
    value = shift = 0
    for _ in range(most):
        byte = stream[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, position


def _wide_string(body, position):
    (count,) = struct.unpack_from("<I", body, position)
    position += 4
    if count == 0xFFFFFFFF:  # a null string
        return "", position
    end = position + 2 * count
    if end > len(body):
        raise IndexError
    return body[position:end].decode("utf-16-le"), end


# .xls: BIFF8 records in the OLE container's Workbook stream.

_BOF, _EOF, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F
_XLS_FORMULAS = {0x0006, 0x0406}  # FORMULA (BIFF5–8 and BIFF3–4); SHRFMLA/ARRAY follow one
_XLS_VALUES = {
    0x00FD,
    0x0203,
    0x027E,
    0x0204,
    0x0205,
    0x00D6,
}  # LABELSST NUMBER RK LABEL BOOLERR RSTRING
_MULRK = 0x00BD


def inspect_xls(data):
    try:
        container = olefile.OleFileIO(data)
    except Exception:  # olefile raises several kinds of error for damaged containers
        raise file_error(DAMAGED) from None
    streams = {"/".join(entry) for entry in container.listdir()}
    if "EncryptedPackage" in streams:
        raise file_error(ENCRYPTED)
    name = "Workbook" if "Workbook" in streams else "Book" if "Book" in streams else None
    if name is None:
        raise file_error(UNKNOWN)
    try:
        stream = container.openstream(name).read()
    except Exception:
        raise file_error(DAMAGED) from None
    sheets, scan, position = [], None, 0
    boundsheets = []
    try:
        while position + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, position)
            body = stream[position + 4 : position + 4 + size]
            if kind == _FILEPASS:
                raise file_error(ENCRYPTED)
            if kind == _BOUNDSHEET and len(body) >= 8 and body[5] == 0:  # a worksheet
                boundsheets.append((struct.unpack_from("<I", body)[0], _short_string(body, 6)))
            elif kind == _BOF:
                scan = next(
                    (_SheetScan([], 0, 0) for at, _n in boundsheets if at == position), None
                )
                if scan is not None:
                    sheets.append((dict(boundsheets)[position], scan))
            elif kind == _EOF:
                scan = None
            elif scan is not None and len(body) >= 4:
                row, col = struct.unpack_from("<HH", body)
                if kind in _XLS_FORMULAS or kind in _XLS_VALUES or kind == _MULRK:
                    last = col + (max((size - 6) // 6, 1) - 1 if kind == _MULRK else 0)
                    scan.rows, scan.columns = max(scan.rows, row + 1), max(scan.columns, last + 1)
                if kind in _XLS_FORMULAS and len(scan.formulas) < 50:
                    scan.formulas.append((row + 1, col + 1))
            position += 4 + size
    except struct.error:
        raise file_error(DAMAGED) from None
    if not sheets:
        raise file_error(DAMAGED)
    return sheets


def _short_string(body, position):
    count, flags = body[position], body[position + 1]
    text = body[position + 2 : position + 2 + count * (2 if flags & 1 else 1)]
    return text.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


# .csv: text, one sheet.

_ENCODINGS = ("utf-8", "gb18030")
_DELIMITERS = (",", "\t", ";")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_csv(data):
    """The rows of a .csv file as lists of text, its encoding detected."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
    else:
        for encoding in _ENCODINGS:
            text = _decode(data, encoding, quiet=True)
            if text is not None:
                break
        else:
            raise file_error(CSV_ENCODING)
    if _CONTROL.search(text):
        raise file_error(UNKNOWN)
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = max(_DELIMITERS, key=first.count)
    csv.field_size_limit(MAX_CELL_CHARS * 4 + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [[cell if cell.strip() else "" for cell in row] for row in reader]
    except csv.Error:
        raise file_error(DAMAGED) from None


def _decode(data, encoding, quiet=False):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if quiet:
            return None
        raise file_error(CSV_ENCODING) from None


def _open_zip(data):
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise file_error(DAMAGED) from None
