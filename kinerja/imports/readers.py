"""Read an uploaded .xlsx or .csv file into a header and rows of cells.

Excel files are read with python-calamine (a Rust reader, several times faster than openpyxl);
CSV files must be UTF-8 (with or without the BOM that Excel writes) and may use a comma or a
semicolon (Excel in an Indonesian locale writes semicolons).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

EXTENSIONS = (".xlsx", ".csv")
GUIDE_SHEET = "Petunjuk"


class ImportFileError(Exception):
    """The file cannot be read; the message is meant for the user."""


@dataclass
class Table:
    """The first sheet of a file: its header, its data rows and where the header stands."""

    headers: list[str]
    rows: list[list[Any]]
    header_row: int = 1  # as the spreadsheet numbers it

    @property
    def row_count(self) -> int:
        """Return the number of data rows that hold anything."""
        return sum(1 for row in self.rows if not is_blank_row(row))


def is_blank_row(row: list[Any]) -> bool:
    for cell in row:
        if cell is None or cell == "":
            continue
        if cell.__class__ is str and not cell.strip():
            continue
        return False
    return True


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def read_table(fileobj: IO[bytes], name: str) -> Table:
    """Return the table in ``fileobj``, choosing the reader by the extension of ``name``."""
    ext = extension(name)
    if ext == ".xlsx":
        return _read_xlsx(fileobj)
    if ext == ".csv":
        return _read_csv(fileobj.read())
    raise ImportFileError(
        _("Upload an Excel (.xlsx) or CSV (.csv) file, not '%(ext)s'.") % {"ext": ext or name}
    )


def _read_xlsx(fileobj: IO[bytes]) -> Table:
    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        names = [n for n in workbook.sheet_names if n.strip().casefold() != GUIDE_SHEET.casefold()]
        if not names:
            raise ImportFileError(_("The workbook has no sheet with data."))
        sheet = workbook.get_sheet_by_name(names[0])
        rows = sheet.to_python()
        start = sheet.start
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - calamine raises several types for a damaged file
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx). Save it again in Excel.")
        ) from None
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header_row = (start[0] if start else 0) + 1
    return Table(headers=[_header(h) for h in rows[0]], rows=rows[1:], header_row=header_row)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text. In Excel choose 'CSV UTF-8' when saving.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV text file."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise ImportFileError(_("The file is empty."))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None
    skipped = 0
    while rows and is_blank_row(rows[0]):
        rows.pop(0)
        skipped += 1
    return Table(headers=[_header(h) for h in rows[0]], rows=rows[1:], header_row=skipped + 1)


def _header(cell: Any) -> str:
    return str(cell).strip() if cell is not None else ""
