"""Reading and writing the .xlsx files users exchange with Taizhang.

Reading uses python-calamine (fast); writing uses openpyxl. A file is checked as a whole
before anything is imported: it must be a real .xlsx with one data sheet (plus, at most, the
instructions sheet our templates carry), no formulas, and the expected headers."""

import datetime
import functools
import html
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS_SHEET = "填写说明"
CODES_SHEET = "代码表"
HELPER_SHEETS = (INSTRUCTIONS_SHEET, CODES_SHEET)
_TRUE_WORDS = {"是", "y", "yes", "true", "1", "启用", "在职"}
_FALSE_WORDS = {"否", "n", "no", "false", "0", "停用", "离任"}


@dataclass
class CellError:
    row: int  # 1-based, as Excel shows it; 0 for the whole file
    column: int  # 1-based; 0 for the whole row or file
    header: str
    value: object
    problem: str
    sheet: str = ""  # named when the cell is not on the data sheet

    def __str__(self):
        if self.row == 0:
            return str(self.problem)
        if self.column == 0:
            text = _("Row %(row)s: %(problem)s") % {"row": self.row, "problem": self.problem}
        else:
            text = _(
                "Row %(row)s, column %(column)s (%(header)s): value “%(value)s”: %(problem)s"
            ) % {
                "row": self.row,
                "column": self.column,
                "header": self.header,
                "value": "" if self.value is None else self.value,
                "problem": self.problem,
            }
        if self.sheet:
            return _("Sheet “%(sheet)s”: %(text)s") % {"sheet": self.sheet, "text": text}
        return text


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
    return ImportRejected([CellError(0, 0, "", None, str(problem))])


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
_REF = re.compile(rb"([A-Z]{1,3})(\d{1,7})$")


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
    unpacked = sum(info.file_size for info in members.values())
    if unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES:
        raise file_error(
            _("The workbook unpacks to %(size)s MB; at most %(mb)s MB are accepted.")
            % {
                "size": unpacked // 2**20,
                "mb": settings.UPLOAD_MAX_UNPACKED_BYTES // 2**20,
            }
        )
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
    sheet_paths = {path for _name, path in sheets}
    for name in members:
        if name not in sheet_paths:
            _drain(archive, name)  # its checksum: calamine reads it next
    return archive, sheets


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
    cells: int  # cells holding a value


def _scan_sheet(archive, path) -> _SheetScan:
    """One streaming pass over a sheet's XML: where the values and formulas are."""
    scan = _SheetScan([], 0, 0, 0)
    row = col = 0
    current = None  # (row, column) of the open cell
    counted = False
    try:
        stream = archive.open(path)
        carry = b""
        while chunk := stream.read(1 << 20):
            text = carry + chunk
            cut = text.rfind(b"<")
            if cut == -1 or text.find(b">", cut) != -1:
                cut = len(text)
            carry, text = text[cut:], text[:cut]
            for match in _TAG.finditer(text):
                tag, attrs = match[1], match[2]
                if tag == b"row":
                    value = _attributes(attrs).get(b"r")
                    row = int(value) if value and value.isdigit() else row + 1
                    col = 0
                elif tag == b"c":
                    ref = _attributes(attrs).get(b"r")
                    parsed = _REF.match(ref) if ref else None
                    if parsed:
                        col, row = _column_number(parsed[1].decode()), int(parsed[2])
                    else:
                        col += 1
                    current, counted = (row, col), False
                elif current is not None and not counted:
                    # <v>, <is> or <f>: the open cell holds something.
                    counted = True
                    scan.cells += 1
                    scan.rows = max(scan.rows, current[0])
                    scan.columns = max(scan.columns, current[1])
                    if tag == b"f" and len(scan.formulas) < 50:
                        scan.formulas.append(current)
            if len(carry) > 1 << 16:  # a tag that never closes
                raise file_error(DAMAGED)
    except ImportRejected:
        raise
    except Exception:
        raise file_error(DAMAGED) from None
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


def _header(headers, col):
    return headers[col - 1] if 0 < col <= len(headers) else get_column_letter(min(col, 16384))


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


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


def int_cell(value, *, required=False, minimum=0, maximum=10**12):
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
        digits = text.removeprefix("-")
        if not digits.isascii() or not digits.isdigit():
            raise ValueError(_("expected a whole number"))
        if len(digits) > 15:
            raise ValueError(_("must be at most %(n)s") % {"n": f"{maximum:,}"})
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(_("expected a whole number"))
    if value < minimum:
        raise ValueError(
            _("must be %(n)s or more") % {"n": minimum} if minimum else _("must not be negative")
        )
    if value > maximum:
        raise ValueError(_("must be at most %(n)s") % {"n": f"{maximum:,}"})
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
