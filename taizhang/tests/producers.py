"""Spreadsheets as other software saves them, made in the test run (no binaries of unknown
origin are shipped): LibreOffice headless re-saves a file as .xls, .ods, .xlsx or .csv,
and `xlsb_bytes` writes the Excel binary format, which LibreOffice can read but not save.
`bench/ledger_import.py` uses the same helpers."""

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

# soffice's export filter for each target; csv is UTF-8, comma-separated, quoted.
FILTERS = {
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76",
}


def soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_saves(sources: dict[str, bytes], target: str) -> dict[str, bytes]:
    """Each .xlsx of `sources` (by name) opened and saved again by LibreOffice as `target`,
    all in one run of soffice."""
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder, "in")
        outputs = Path(folder, "out")
        inputs.mkdir()
        paths = []
        for name, data in sources.items():
            path = inputs / f"{name}.xlsx"
            path.write_bytes(data)
            paths.append(str(path))
        subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", FILTERS[target], "--outdir", str(outputs), *paths],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return {name: (outputs / f"{name}.{target}").read_bytes() for name in sources}


# .xlsb (BIFF12): records of a variable-length type and size.


def _record(kind, body=b""):
    return _varint(kind) + _varint(len(body)) + body


def _varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | 0x80 if value else byte)
        if not value:
            return bytes(out)


def _wide(text):
    data = text.encode("utf-16-le")
    return struct.pack("<I", len(data) // 2) + data


def xlsb_bytes(sheets: list[tuple[str, list[list]]], *, formula_at=None) -> bytes:
    """An .xlsb of (name, rows) sheets. Text is written as text and numbers as numbers;
    `formula_at` (row, column), 1-based, puts a formula cell on the first sheet."""
    book = _record(131) + _record(143)  # BrtBeginBook, BrtBeginBundleShs
    relations = []
    for number, (name, _rows) in enumerate(sheets, start=1):
        book += _record(156, struct.pack("<II", 0, number) + _wide(f"rId{number}") + _wide(name))
        relations.append(
            f'<Relationship Id="rId{number}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{number}.bin"/>'
        )
    book += _record(144) + _record(132)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="bin" ContentType="application/'
            'vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.bin"/></Relationships>',
        )
        archive.writestr("xl/workbook.bin", book)
        archive.writestr(
            "xl/_rels/workbook.bin.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            + "".join(relations)
            + "</Relationships>",
        )
        for number, (_name, rows) in enumerate(sheets, start=1):
            formula = formula_at if number == 1 else None
            archive.writestr(f"xl/worksheets/sheet{number}.bin", _xlsb_sheet(rows, formula))
    return buffer.getvalue()


def _xlsb_sheet(rows, formula_at):
    width = max((len(r) for r in rows), default=1)
    body = _record(129) + _record(148, struct.pack("<IIII", 0, len(rows), 0, width))
    body += _record(145)  # BrtBeginSheetData
    for r, row in enumerate(rows):
        body += _record(0, struct.pack("<IIHHBI", r, 0, 300, 0, 0, 0))  # BrtRowHdr
        for c, value in enumerate(row):
            cell = struct.pack("<II", c, 0)
            if formula_at == (r + 1, c + 1):  # BrtFmlaNum: value, flags, an empty formula
                body += _record(9, cell + struct.pack("<dHII", 2.0, 0, 0, 0))
            elif value is None or value == "":
                continue
            elif isinstance(value, str):
                body += _record(6, cell + _wide(value))  # BrtCellSt
            else:
                body += _record(5, cell + struct.pack("<d", float(value)))  # BrtCellReal
    return body + _record(146) + _record(130)


def csv_bytes(rows, encoding="utf-8", bom=False) -> bytes:
    text = "\r\n".join(",".join(_quoted(v) for v in row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def _quoted(value):
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
