"""The downloadable template of an importer: a header, an example row and a guide sheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .base import Importer
from .readers import GUIDE_SHEET

HEADER_FILL = PatternFill("solid", fgColor="DCE7F7")
TEXT_COLUMNS = {"nip"}  # kept as text, or Excel rounds them to 15 digits


def template_xlsx(importer: type[Importer]) -> bytes:
    """Return the .xlsx template of ``importer`` as bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = importer.kind[:31]
    bold = Font(bold=True)
    for position, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(position)
        header = sheet.cell(row=1, column=position, value=column.name)
        header.font = bold
        header.fill = HEADER_FILL
        example = sheet.cell(row=2, column=position, value=str(column.example or "") or None)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(14, len(column.name) + 4)
        if column.name in TEXT_COLUMNS:
            # The whole column is text, so a NIP typed into a new row keeps its 18 digits.
            dimension.number_format = "@"
            example.number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append([str(importer.label)])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([str(importer.description)])
    guide.append(
        [
            _(
                "Row 2 of the first sheet is an example: replace it with your data. Leave "
                "this sheet as it is; it is not imported."
            )
        ]
    )
    guide.append([])
    heads = [_("Column"), _("Required"), _("Format"), _("Allowed values"), _("Description")]
    guide.append(heads)
    for cell in guide[guide.max_row]:
        cell.font = bold
        cell.fill = HEADER_FILL
    for column in importer.columns:
        if column.value_required:
            required = _("yes")
        elif column.required:
            required = _("column required, cell may be empty")
        else:
            required = _("no")
        guide.append(
            [
                column.name,
                required,
                str(column.format or ""),
                ", ".join(column.allowed),
                str(column.help or ""),
            ]
        )
    for letter, width in zip("ABCDE", (18, 22, 30, 40, 70), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
