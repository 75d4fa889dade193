"""Reading and writing the .xlsx files users exchange with Taizhang.

Reading uses python-calamine (fast); writing uses openpyxl. A file is checked as a whole
before anything is imported: it must be a real .xlsx with one data sheet (plus, at most, the
instructions sheet our templates carry), no formulas, and the expected headers."""

import datetime
import functools
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS_SHEET = "填写说明"
CODES_SHEET = "代码表"
HELPER_SHEETS = (INSTRUCTIONS_SHEET, CODES_SHEET)
_FORMULA = re.compile(
    rb"<c\b[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*>(?:(?!</c>).)*?<(?:\w+:)?f[\s>/]", re.S
)
_TRUE_WORDS = {"是", "y", "yes", "true", "1", "启用", "在职"}
_FALSE_WORDS = {"否", "n", "no", "false", "0", "停用", "离任"}


@dataclass
class CellError:
    row: int  # 1-based, as Excel shows it; 0 for the whole file
    column: int  # 1-based; 0 for the whole row or file
    header: str
    value: object
    problem: str

    def __str__(self):
        if self.row == 0:
            return self.problem
        if self.column == 0:
            return _("Row %(row)s: %(problem)s") % {"row": self.row, "problem": self.problem}
        return _("Row %(row)s, column %(column)s (%(header)s): value “%(value)s”: %(problem)s") % {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "value": "" if self.value is None else self.value,
            "problem": self.problem,
        }


class ImportRejected(Exception):
    """The file cannot be imported; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


class RowReader:
    """Collects errors per cell while a row is read, so one pass reports them all."""

    def __init__(self, headers, errors):
        self.headers = headers
        self.errors = errors
        self.ok = True

    def start(self, number, cells):
        self.number, self.cells, self.ok = number, cells, True

    def read(self, column, reader, *args, **kwargs):
        """The cell in `column` (0-based) read by `reader`, or None with its error noted."""
        try:
            return reader(self.cells[column], *args, **kwargs)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def fail(self, column, problem):
        self.ok = False
        self.errors.append(
            CellError(self.number, column + 1, self.headers[column], self.cells[column], problem)
        )


def file_error(problem):
    return ImportRejected([CellError(0, 0, "", None, problem)])


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (excel row number, cells)


def read_sheet(data: bytes, expected_headers: list[str], max_bytes: int | None = None) -> Sheet:
    """Read the data sheet of an uploaded file; raise ImportRejected for a malformed file."""
    if not data:
        raise file_error(_("The file is empty (0 bytes)."))
    if max_bytes is not None and len(data) > max_bytes:
        raise file_error(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile:
        names = None
    if (
        not names
        or "[Content_Types].xml" not in names
        or not any(n.startswith("xl/worksheets/") for n in names)
    ):
        raise file_error(_("This is not an .xlsx workbook. Save it from Excel as .xlsx and retry."))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = workbook.sheet_names
    except Exception:  # calamine raises several kinds of error for damaged files
        raise file_error(_("The workbook cannot be read; it may be damaged.")) from None
    data_sheets = [n for n in sheet_names if n not in HELPER_SHEETS]
    if len(data_sheets) != 1:
        raise file_error(
            _("The workbook must have exactly one data sheet; it has %(n)s: %(names)s.")
            % {"n": len(data_sheets), "names": "、".join(data_sheets)}
        )
    sheet_index = sheet_names.index(data_sheets[0])
    formulas = _formula_cells(archive, names)
    if formulas:
        raise ImportRejected(
            [
                CellError(
                    row,
                    col,
                    _header(expected_headers, col),
                    ref,
                    _("formulas are not accepted; paste values only"),
                )
                for ref, row, col in formulas[:50]
            ]
        )
    rows = workbook.get_sheet_by_index(sheet_index).to_python(skip_empty_area=False)
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
    width = len(headers)
    body = []
    for index, cells in enumerate(rows[1:], start=2):
        cells = cells[:width] if len(cells) >= width else cells + [""] * (width - len(cells))
        if cells.count("") + cells.count(None) == width:
            continue  # an empty row
        body.append((index, cells))
    if not body:
        raise file_error(_("The sheet has a header row but no data rows."))
    return Sheet(headers=headers, rows=body)


def _header(headers, col):
    return headers[col - 1] if 0 < col <= len(headers) else get_column_letter(col)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _formula_cells(archive, names):
    """Cells holding a formula in the data sheet (calamine reads cached values only)."""
    sheet_files = sorted(
        (n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
        key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)),
    )
    found = []
    for name in sheet_files:
        xml = archive.read(name)
        if b"<f" not in xml and b":f" not in xml:
            continue
        for match in _FORMULA.finditer(xml):
            letters, row = match.group(1).decode(), int(match.group(2))
            found.append((f"{letters}{row}", row, _column_number(letters)))
    return found


# Cell readers: each returns the value or raises ValueError with the problem in words.


def text_cell(value, *, required=False, max_length=None):
    if value is None or value == "":
        if required:
            raise ValueError(_("this column is required"))
        return ""
    if isinstance(value, bool):
        raise ValueError(_("expected text, found a true/false value"))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("expected text or a whole number"))
        value = int(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise ValueError(_("expected text, found a date or time"))
    text = str(value).strip()
    if required and not text:
        raise ValueError(_("this column is required"))
    if max_length is not None and len(text) > max_length:
        raise ValueError(_("longer than %(n)s characters") % {"n": max_length})
    return text


def bool_cell(value, *, default=True):
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    word = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    word = word.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(_("expected 是 or 否"))


def choice_cell(value, choices, *, required=True):
    """Match a cell against TextChoices by label (Chinese or English) or by code."""
    text = text_cell(value, required=required)
    if not text:
        return ""
    lookup, allowed = _choice_lookup(choices)
    if text in lookup:
        return lookup[text]
    raise ValueError(_("not one of: %(choices)s") % {"choices": allowed})


@functools.cache
def _choice_lookup(choices):
    """Every accepted spelling of each choice, and the Chinese list for error messages;
    computed once per choices class (an import reads the same column 100,000 times)."""
    lookup = {label: choice.value for choice in choices for label in choice_labels(choice)}
    with translation.override("zh-hans"):
        allowed = "、".join(str(c.label) for c in choices)
    return lookup, allowed


def choice_labels(choice):
    """The code, the Chinese and the English label of a choice: files may use any."""
    labels = {choice.value}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.add(str(choice.label))
    return labels


def int_cell(value, *, required=False, minimum=0):
    if value is None or value == "":
        if required:
            raise ValueError(_("this column is required"))
        return None
    if isinstance(value, bool):
        raise ValueError(_("expected a whole number"))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("expected a whole number"))
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text.lstrip("-").isdigit():
            raise ValueError(_("expected a whole number"))
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(_("expected a whole number"))
    if value < minimum:
        raise ValueError(
            _("must be %(n)s or more") % {"n": minimum} if minimum else _("must not be negative")
        )
    return value


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date_cell(value, *, required=False):
    """A date cell, or text such as 2019-06-05, 2019/6/5 or 2019年6月5日."""
    if value is None or value == "":
        if required:
            raise ValueError(_("this column is required"))
        return None
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise ValueError(_("expected a date without a time"))
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise ValueError(_("not a real date")) from None
    raise ValueError(_("expected a date such as 2019-06-05"))


def zh_label(choice_class, value):
    with translation.override("zh-hans"):
        return str(choice_class(value).label)


# Writing


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
        sheet.append(row)
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
                codes.cell(row=row, column=code_col, value=value)
                codes.cell(row=row, column=name_col, value=name)
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
            notes.append(line if isinstance(line, list) else [line])
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
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
