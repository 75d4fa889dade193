"""Malformed and hostile spreadsheets, made on the spot (no binaries of unknown origin are
shipped): each upload page must refuse every one of them with a clear message and write
nothing. `bench/hostile_files.py` times the same corpus."""

import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

from taizhang.xlsx import CODES_SHEET, INSTRUCTIONS_SHEET

CORE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


def _hand_made(sheet_xml_chunks):
    """A minimal .xlsx whose one sheet's XML is written from `sheet_xml_chunks` as it
    streams (so a 250 MB sheet never sits in memory here either)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in CORE.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for chunk in sheet_xml_chunks:
                sheet.write(chunk)
    return buffer.getvalue()


def _workbook(headers, rows, *, formula_sheets=False, far_cell=None, styled_empty=0):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet.cell(row=far_cell[0], column=far_cell[1], value="x")
    bold = Font(bold=True)
    for index in range(styled_empty):
        sheet.cell(row=3 + index // 20, column=1 + index % 20).font = bold
    if formula_sheets:
        sheet.cell(row=2, column=2, value="=1+1")
        for name in (CODES_SHEET, INSTRUCTIONS_SHEET):
            extra = workbook.create_sheet(name)
            extra.append(["说明"])
            extra.cell(row=3, column=2, value='=HYPERLINK("http://example.invalid","x")')
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def corpus(headers, good_row, *, number_column, date_column, text_column):
    """{name: file bytes} for an import with `headers`; `good_row` passes every check, and
    the columns name where a number, a date and free text go in it (0-based)."""
    good = _workbook(headers, [good_row])

    def with_value(column, value):
        row = list(good_row)
        row[column] = value
        return _workbook(headers, [row])

    def zeros():
        yield SHEET_START
        block = b"<row><c><v>0</v></c></row>" * 40_000
        for _ in range(250 * 2**20 // len(block)):
            yield block
        yield SHEET_END

    def open_cells():
        yield SHEET_START + b"<row r='1'>"
        for index in range(6000):
            yield f'<c r="A{index + 2}" s="1">'.encode()
        yield SHEET_END

    return {
        "truncated zip": good[: len(good) // 2],
        "zip bomb (250 MB inflated)": _hand_made(zeros()),
        "dimension bomb (a value at XFD5000)": _workbook(
            headers, [good_row], far_cell=(5000, 16384)
        ),
        "6,000 open cells": _hand_made(open_cells()),
        "malformed sheet XML": _hand_made([SHEET_START, b"<row r='1'><c r='A1' t='s'><v>0<v"]),
        "a huge cell (1 MB of text)": with_value(text_column, "长" * 2**20),
        "formulas in every sheet": _workbook(headers, [good_row], formula_sheets=True),
        "a text file renamed .xlsx": "编码,名称\n3302,宁波\n".encode("gb18030"),
        "0 bytes": b"",
        "numbers of 10^30": with_value(number_column, 10**30),
        "dates in 0001": with_value(date_column, "0001-01-01"),
        "dates in 9999": with_value(date_column, "9999-12-31"),
    }


def styled_empty_cells(headers, good_row, cells=6000):
    """A good file carrying thousands of empty styled cells, as office software saves."""
    return _workbook(headers, [good_row], styled_empty=cells)
