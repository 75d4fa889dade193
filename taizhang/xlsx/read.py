"""Reading an uploaded file's data sheet, whatever produced it: inspected first (`inspect.py`,
`formats.py`), then read by python-calamine (or, for .csv, as text), its header row checked,
its empty rows dropped."""

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from taizhang.xlsx import formats
from taizhang.xlsx.errors import HELPER_SHEETS, CellError, ImportRejected, _header, file_error
from taizhang.xlsx.inspect import (
    MAX_CELL_CHARS,
    _check_unpacked,
    _open_workbook,
    _outside_template,
    _scan_sheet,
    _SheetScan,
)


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (excel row number, cells)

    def digest(self, *prefix: str) -> str:
        """A fingerprint of the content, the same whichever format carried it: 30 in .xlsx
        is 30.0, in .xls 30 and in .csv "30"; a date is a date or its text."""
        hasher = hashlib.sha256()
        for part in prefix:
            hasher.update(part.encode() + b"\x00")
        hasher.update(repr(self.headers).encode())
        for _number, cells in self.rows:
            hasher.update(repr([c if c.__class__ is str else _normal(c) for c in cells]).encode())
        return hasher.hexdigest()


def _normal(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value).strip()


def read_sheet(data: bytes, expected_headers: list[str], max_bytes: int | None = None) -> Sheet:
    """Read the data sheet of an uploaded file; raise ImportRejected for a malformed file.

    The format is told from the content (`formats.sniff`): .xlsx, .xls, .xlsb, .ods or .csv.
    Before calamine builds anything in memory, a workbook is inspected in one streaming
    pass: its unpacked size, the data sheet's extent (rows and columns holding values) and
    every formula on any sheet. So a zip bomb, a cell far out at XFD1048576 or a million
    empty styled rows cost no more than reading the file once."""
    kind = precheck(data, max_bytes)
    if kind == "csv":
        rows = formats.read_csv(data)
        scan = _SheetScan([], len(rows), max((len(r) for r in rows), default=0))
        _check_extent(scan, len(expected_headers))
    else:
        name = _inspect_workbook(kind, data, expected_headers)
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # calamine raises several kinds of error for damaged files
            raise file_error(_("The workbook cannot be read; it may be damaged.")) from None
    return _body(rows, expected_headers, kind)


def precheck(data: bytes, max_bytes: int | None = None) -> str:
    """The checks that cost nothing, made before a file is queued for the background:
    its size, its format and, for a zip, its unpacked size. Returns the format."""
    if not data:
        raise file_error(_("The file is empty (0 bytes)."))
    if max_bytes is not None and len(data) > max_bytes:
        raise file_error(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})
    kind = formats.sniff(data)
    if kind in ("xlsx", "xlsb", "ods"):
        _check_unpacked(zipfile.ZipFile(io.BytesIO(data)))
    return kind


def _inspect_workbook(kind, data, expected_headers):
    """The data sheet's name, once every sheet is free of formulas and the data sheet fits
    the template."""
    if kind == "xlsx":
        archive, paths = _open_workbook(data)
        sheets = [(name, _scan_sheet(archive, path)) for name, path in paths]
    else:
        sheets = {
            "xls": formats.inspect_xls,
            "xlsb": formats.inspect_xlsb,
            "ods": formats.inspect_ods,
        }[kind](data)
    data_sheets = [name for name, _scan in sheets if name not in HELPER_SHEETS]
    if len(data_sheets) != 1:
        raise file_error(
            _("The workbook must have exactly one data sheet; it has %(n)s: %(names)s.")
            % {"n": len(data_sheets), "names": "、".join(data_sheets)}
        )
    formulas = []
    for name, scan in sheets:
        is_data = name == data_sheets[0]
        for row, col in scan.formulas[:50]:
            header = _header(expected_headers, col) if is_data else get_column_letter(col)
            ref = f"{get_column_letter(col)}{row}"
            formulas.append(
                CellError(
                    row,
                    col,
                    header,
                    ref,
                    _("formulas are not accepted; paste values only"),
                    "" if is_data else name,
                )
            )
    if formulas:
        raise ImportRejected(formulas[:50])
    _check_extent(dict(sheets)[data_sheets[0]], len(expected_headers))
    return data_sheets[0]


def _check_extent(scan, width):
    outside = _outside_template(scan, width)
    if outside:
        raise ImportRejected(outside)


def _body(rows, expected_headers, kind):
    width = len(expected_headers)
    if not rows:
        raise file_error(_("The sheet is empty: it has no header row."))
    headers = [str(h).strip() for h in rows[0]]
    while headers and headers[-1] == "":
        headers.pop()
    if headers != expected_headers:
        problem = _("The header row must be: %(expected)s. This file has: %(found)s.") % {
            "expected": " | ".join(expected_headers),
            "found": " | ".join(headers)[:500],
        }
        if kind == "csv":
            problem += " " + str(formats.READ_AS_CSV)
        raise file_error(problem)
    body, too_long = [], []
    for index, cells in enumerate(rows[1:], start=2):
        cells = cells[:width] if len(cells) >= width else cells + [""] * (width - len(cells))
        if cells.count("") + cells.count(None) == width:
            continue  # an empty row
        for col, value in enumerate(cells):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                too_long.append(
                    CellError(
                        index,
                        col + 1,
                        headers[col],
                        value[:20] + "…",
                        _("longer than %(n)s characters") % {"n": MAX_CELL_CHARS},
                    )
                )
        body.append((index, cells))
    if too_long:
        raise ImportRejected(too_long[:50])
    if not body:
        raise file_error(_("The sheet has a header row but no data rows."))
    return Sheet(headers=headers, rows=body)
