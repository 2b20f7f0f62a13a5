"""The error list of an import job as a workbook, to be corrected in Excel beside the file."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .models import ImportJob


def errors_xlsx(job: ImportJob) -> bytes:
    """Return an .xlsx of the job's stored errors: row, column, value as typed, message.

    Cells are written as text, so a value such as ``=1+1`` or ``0812...`` reads back as the
    user typed it and never runs as a formula. When more errors were found than stored, a
    last line says how many more there were.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors")[:31])
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 80
    sheet.append([_("Row"), _("Column"), _("Value"), _("Message")])
    for error in job.errors:
        sheet.append(
            [
                error.get("row"),
                _text(sheet, error.get("column", "")),
                _text(sheet, error.get("value", "")),
                _text(sheet, error.get("message", "")),
            ]
        )
    if job.hidden_error_count:
        count = job.hidden_error_count
        note = ngettext(
            "And %(count)d more error, not stored: correct these and upload again to see it.",
            "And %(count)d more errors, not stored: correct these and upload again to see them.",
            count,
        ) % {"count": count}
        sheet.append([None, None, None, note])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(sheet, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=str(value) if value is not None else "")
    cell.data_type = "s"  # never a formula, whatever the cell starts with
    return cell
