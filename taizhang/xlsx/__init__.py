"""Reading and writing the .xlsx files users exchange with Taizhang.

Reading uses python-calamine (fast); writing uses openpyxl. A file is checked as a whole
before anything is imported: it must be a real .xlsx with one data sheet (plus, at most, the
instructions sheet our templates carry), no formulas, and the expected headers."""

from taizhang.xlsx.cells import (
    bool_cell,
    choice_cell,
    choice_labels,
    date_cell,
    int_cell,
    text_cell,
    zh_label,
)
from taizhang.xlsx.errors import (
    CODES_SHEET,
    HELPER_SHEETS,
    INSTRUCTIONS_SHEET,
    XLSX_CONTENT_TYPE,
    CellError,
    ImportRejected,
    RowReader,
    file_error,
)
from taizhang.xlsx.read import Sheet, precheck, read_sheet
from taizhang.xlsx.write import build_workbook, is_formula_like, safe_row, write_rows

__all__ = [
    "CODES_SHEET",
    "HELPER_SHEETS",
    "INSTRUCTIONS_SHEET",
    "XLSX_CONTENT_TYPE",
    "CellError",
    "ImportRejected",
    "RowReader",
    "Sheet",
    "bool_cell",
    "build_workbook",
    "choice_cell",
    "choice_labels",
    "date_cell",
    "file_error",
    "int_cell",
    "is_formula_like",
    "precheck",
    "read_sheet",
    "safe_row",
    "text_cell",
    "write_rows",
    "zh_label",
]
