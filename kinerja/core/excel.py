"""Excel and CSV exports: a report is a list of columns and an iterator of rows.

Subclasses give ``columns`` (the header labels, lazily translated) and ``rows()`` (tuples in
column order, preferably from ``values_list(...).iterator()`` so that no model instance is built).
``to_xlsx`` writes with openpyxl's write-only mode, so memory stays flat at 80,000 rows; ``to_csv``
yields lines, so the response can stream.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A date cell stays a date (it imports again) but reads "1 Januari 2017": Excel's number format
# with the language's locale id, so month names follow the page's language, not the computer's.
XLSX_DATE_FORMATS = {"id": "[$-421]d mmmm yyyy", "en": "[$-809]d mmmm yyyy"}
XLSX_TIME_SUFFIX = " hh:mm"


class Report:
    """An export: a title, header labels and rows. Subclass and give ``columns`` and ``rows``."""

    title: str = "Report"
    columns: Sequence[Any] = ()
    # Column widths in characters, in column order; missing ones get ``default_width``.
    widths: Sequence[int] = ()
    default_width = 16

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def headers(self) -> list[str]:
        return [str(label) for label in self.columns]

    def to_xlsx(self, stream: io.BufferedIOBase | None = None) -> bytes | None:
        """Write the workbook to ``stream``, or return its bytes when no stream is given.

        The header row is bold, frozen and carries an auto filter over every row.
        """
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=_sheet_title(self.title))
        headers = self.headers()
        for index in range(len(headers)):
            width = self.widths[index] if index < len(self.widths) else self.default_width
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for label in headers:
            cell = WriteOnlyCell(ws, value=label)
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        count = 0
        for row in self.rows():
            ws.append([_xlsx_cell(ws, value) for value in row])
            count += 1
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
        if stream is not None:
            wb.save(stream)
            return None
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    def to_csv(self) -> Iterator[str]:
        """Yield the CSV text line by line, starting with a BOM so that Excel reads UTF-8."""
        buffer = _LineBuffer()
        writer = csv.writer(buffer)
        yield "\ufeff" + writer.writerow(self.headers())
        for row in self.rows():
            yield writer.writerow([_csv_value(value) for value in row])


class _LineBuffer:
    """A file-like object whose ``write`` returns what it was given (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title))
    return cleaned[:31] or "Sheet"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | dt.date | dt.time):
        return value
    return str(value)


def xlsx_date_format(with_time: bool = False) -> str:
    """The Excel number format of a date (or a date and time) in the active language."""
    lang = (translation.get_language() or "id").split("-")[0]
    base = XLSX_DATE_FORMATS.get(lang, XLSX_DATE_FORMATS["id"])
    return base + XLSX_TIME_SUFFIX if with_time else base


def _xlsx_cell(ws, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = xlsx_date_format(with_time=isinstance(value, dt.datetime))
        return cell
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store this as a formula; keep it as the text it is.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _csv_value(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_response(report: Report, *, filename: str, fmt: str = "xlsx") -> HttpResponse:
    """Return the report as a download: ``fmt`` "xlsx" (a workbook) or "csv" (streamed).

    ``filename`` is given without extension; the right one is added.
    """
    if fmt == "csv":
        response = StreamingHttpResponse(report.to_csv(), content_type=CSV_CONTENT_TYPE)
        name = f"{filename}.csv"
    else:
        response = HttpResponse(report.to_xlsx(), content_type=XLSX_CONTENT_TYPE)
        name = f"{filename}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response
