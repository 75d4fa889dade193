"""What a refused file is told: every problem found, by row and column (and sheet)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS_SHEET = "填写说明"
CODES_SHEET = "代码表"
HELPER_SHEETS = (INSTRUCTIONS_SHEET, CODES_SHEET)


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


def _header(headers, col):
    return headers[col - 1] if 0 < col <= len(headers) else get_column_letter(min(col, 16384))


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
