"""Writing the files users download: templates with drop-downs and plain exports. No text
ever becomes a formula."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from taizhang.xlsx.errors import CODES_SHEET, INSTRUCTIONS_SHEET

# Text a spreadsheet would take for a formula if typed: it is written as text, marked with
# Excel's quote prefix so that editing the cell keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def _as_text(cell):
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(sheet, row):
    """A row for `sheet.append` in which no text becomes a formula."""
    return [_as_text(WriteOnlyCell(sheet, value=v)) if is_formula_like(v) else v for v in row]


def _put(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column, value=value)
    if is_formula_like(value):
        _as_text(cell)
    return cell


def build_workbook(
    title, headers, rows, *, choices=None, instructions=None, widths=None, lists=None
) -> bytes:
    """An .xlsx with one data sheet: bold frozen header, drop-downs for columns with
    `choices` ({column index: [labels]}), an optional instructions sheet, and drop-downs
    for long lists (`lists`: {column index: (header, [values], [names])}) kept on a codes
    sheet."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FCE8E6")
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(safe_row(sheet, row))
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(index - 1) or max(10, len(header) * 2 + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column, labels in (choices or {}).items():
        letter = get_column_letter(column + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}5000")
        sheet.add_data_validation(validation)
    if lists:
        codes = workbook.create_sheet(CODES_SHEET)
        for position, (column, (header, values, names)) in enumerate(sorted(lists.items())):
            code_col, name_col = position * 2 + 1, position * 2 + 2
            codes.cell(row=1, column=code_col, value=header).font = Font(bold=True)
            codes.cell(row=1, column=name_col, value="名称").font = Font(bold=True)
            for row, (value, name) in enumerate(zip(values, names, strict=True), start=2):
                _put(codes, row, code_col, value)
                _put(codes, row, name_col, name)
            codes.column_dimensions[get_column_letter(code_col)].width = 18
            codes.column_dimensions[get_column_letter(name_col)].width = 30
            source = get_column_letter(code_col)
            validation = DataValidation(
                type="list",
                formula1=f"'{CODES_SHEET}'!${source}$2:${source}${len(values) + 1}",
                allow_blank=True,
            )
            letter = get_column_letter(column + 1)
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    if instructions:
        notes = workbook.create_sheet(INSTRUCTIONS_SHEET)
        for line in instructions:
            notes.append(safe_row(notes, line if isinstance(line, list) else [line]))
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_rows(title, headers, rows) -> bytes:
    """A plain export (write-only mode: constant memory, fast on large lists)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 4)
    sheet.append(headers)
    for row in rows:
        sheet.append(safe_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
