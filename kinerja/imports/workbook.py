"""The downloadable template of an importer: the export's header, an example row, a guide sheet.

The header is the importer's column labels in order, the same layout an export of that kind
writes, so a template and an exported file are one format. The example row comes from the
importer (`Importer.example_row`), which picks codes that exist in the caller's scope where it
can, so that the template imports unchanged.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .base import ImportContext, Importer
from .columns import Column
from .readers import GUIDE_SHEET

HEADER_FILL = PatternFill("solid", fgColor="DCE7F7")
TEXT_COLUMNS = {"nip"}  # kept as text, or Excel rounds them to 15 digits


def _required(column: Column) -> str:
    if column.readonly:
        return _("no; for reading only, ignored on import")
    if column.required:
        return _("yes") if column.value_required else _("column required, cell may be empty")
    if column.value_required:
        return _("no; if the column is there, fill every cell")
    return _("no")


def template_xlsx(importer: type[Importer], ctx: ImportContext | None = None) -> bytes:
    """Return the .xlsx template of ``importer`` as bytes; ``ctx`` picks the example's codes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = importer.kind[:31]
    bold = Font(bold=True)
    example_row: dict[str, Any] = importer.example_row(ctx)
    for position, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(position)
        header = sheet.cell(row=1, column=position, value=column.header)
        header.font = bold
        header.fill = HEADER_FILL
        value = example_row.get(column.name)
        example = sheet.cell(row=2, column=position, value=str(value or "") or None)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(14, len(column.header) + 4)
        if column.name in TEXT_COLUMNS:
            # The whole column is text, so a NIP typed into a new row keeps its 18 digits.
            dimension.number_format = "@"
            example.number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append([str(importer.label)])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([str(importer.description)])
    for line in (
        _(
            "Row 2 of the first sheet is an example: replace it with your data. Leave "
            "this sheet as it is; it is not imported."
        ),
        _(
            "A column left out of the file keeps what is stored. An empty cell in a column "
            "that is there clears the value, where the column allows an empty cell."
        ),
        _("Headers may also be written as the field names in the second column of this table."),
        _("Codes are matched regardless of case. Write yes / no as: %(yes)s / %(no)s.")
        % {"yes": _("yes"), "no": _("no")},
    ):
        guide.append([line])
    guide.append([])
    heads = [
        _("Column"),
        _("Field name"),
        _("Required"),
        _("Format"),
        _("Allowed values"),
        _("Description"),
    ]
    guide.append(heads)
    for cell in guide[guide.max_row]:
        cell.font = bold
        cell.fill = HEADER_FILL
    for column in importer.columns:
        guide.append(
            [
                column.header,
                column.name,
                _required(column),
                str(column.format or ""),
                ", ".join(column.allowed),
                str(column.help or ""),
            ]
        )
    for letter, width in zip("ABCDEF", (20, 18, 30, 30, 40, 70), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
