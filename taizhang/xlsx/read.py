"""Reading an uploaded file's data sheet: inspected first (`inspect.py`), then read by
python-calamine, its header row checked, its empty rows dropped."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from taizhang.xlsx.errors import HELPER_SHEETS, CellError, ImportRejected, _header, file_error
from taizhang.xlsx.inspect import MAX_CELL_CHARS, _open_workbook, _outside_template, _scan_sheet


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (excel row number, cells)


def read_sheet(data: bytes, expected_headers: list[str], max_bytes: int | None = None) -> Sheet:
    """Read the data sheet of an uploaded file; raise ImportRejected for a malformed file.

    Before calamine builds anything in memory, the archive is inspected in one streaming
    pass: its unpacked size, the data sheet's extent (rows and columns holding values) and
    every formula on any sheet. So a zip bomb, a cell far out at XFD1048576 or thousands of
    empty styled cells cost no more than reading the file once."""
    if not data:
        raise file_error(_("The file is empty (0 bytes)."))
    if max_bytes is not None and len(data) > max_bytes:
        raise file_error(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})
    archive, sheets = _open_workbook(data)
    data_sheets = [name for name, _path in sheets if name not in HELPER_SHEETS]
    if len(data_sheets) != 1:
        raise file_error(
            _("The workbook must have exactly one data sheet; it has %(n)s: %(names)s.")
            % {"n": len(data_sheets), "names": "、".join(data_sheets)}
        )
    width = len(expected_headers)
    formulas, outside = [], []
    for name, path in sheets:
        is_data = name == data_sheets[0]
        scan = _scan_sheet(archive, path)
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
        if is_data:
            outside = _outside_template(scan, width)
    if formulas:
        raise ImportRejected(formulas[:50])
    if outside:
        raise ImportRejected(outside)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_name(data_sheets[0]).to_python(skip_empty_area=False)
    except Exception:  # calamine raises several kinds of error for damaged files
        raise file_error(_("The workbook cannot be read; it may be damaged.")) from None
    if not rows:
        raise file_error(_("The sheet is empty: it has no header row."))
    headers = [str(h).strip() for h in rows[0]]
    while headers and headers[-1] == "":
        headers.pop()
    if headers != expected_headers:
        raise file_error(
            _("The header row must be: %(expected)s. This file has: %(found)s.")
            % {"expected": " | ".join(expected_headers), "found": " | ".join(headers)}
        )
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
