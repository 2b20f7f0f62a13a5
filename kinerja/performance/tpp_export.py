"""The TPP export: per employee and month, the performance component of the regional allowance
and what it rests on, in a layout a payroll office reads: one row per employee, NIP as text,
Indonesian headers, the header row frozen, and the totals under the table."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.core.excel import Report

from .evaluation_rules import Predikat
from .exports import number
from .selectors_consequences import FINAL, NO_FINAL_EVALUATION, NO_PLAN, TppRow

STATE_LABELS = {
    FINAL: _("Final evaluation"),
    NO_FINAL_EVALUATION: _("No final evaluation"),
    NO_PLAN: _("No plan (SKP) for the month"),
}
TEXT = "@"  # Excel's text format: a NIP of 18 digits stays text, never 1.97E+17


def state_label(state: str) -> str:
    return str(STATE_LABELS[state])


def predikat_label(code: str) -> str:
    return str(Predikat(code).label) if code else ""


class TppReport(Report):
    """The TPP rows of a month (``selectors_consequences.tpp_rows``)."""

    columns = (
        "NIP",
        "Nama",
        "Jabatan",
        "Unit Kerja",
        "Perangkat Daerah",
        "Tahun",
        "Bulan",
        "Subperiode",
        "Status Evaluasi",
        "Capaian Kinerja (%)",
        "Predikat Kinerja",
        "Persentase Predikat (%)",
        "Bobot Kinerja (%)",
        "Komponen Kinerja TPP (%)",
    )
    widths = (22, 32, 40, 32, 32, 8, 8, 12, 28, 14, 30, 14, 12, 16)

    def __init__(self, rows: Sequence[TppRow], *, year: int, month: int) -> None:
        self.data = rows
        self.title = f"TPP {year}-{month:02d}"

    def rows(self) -> Iterator[tuple]:
        states = {state: state_label(state) for state in STATE_LABELS}
        predikats = {code: predikat_label(code) for code in ("", *Predikat.values)}
        for r in self.data:
            yield (
                r.nip,
                r.name,
                r.position,
                r.unit,
                r.agency,
                r.year,
                r.month,
                r.sub_period,
                states[r.state],
                number(r.achievement),
                predikats[r.predikat],
                number(r.percent),
                number(r.weight),
                number(r.component),
            )

    def totals(self) -> list[tuple[str, float | int | None]]:
        """The summary under the table: the staff counted and how many have a component."""
        final = [r.component for r in self.data if r.state == FINAL]
        mean = None
        if final:
            mean = (sum(final) / len(final)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return [
            ("Jumlah pegawai", len(self.data)),
            ("Dengan evaluasi final", len(final)),
            (
                "Tanpa evaluasi final",
                sum(1 for r in self.data if r.state == NO_FINAL_EVALUATION),
            ),
            ("Tanpa SKP", sum(1 for r in self.data if r.state == NO_PLAN)),
            ("Rata-rata komponen kinerja (%)", number(mean)),
        ]

    def to_xlsx(self, stream: io.BufferedIOBase | None = None) -> bytes | None:
        """The workbook (write-only): bold frozen headers with an auto filter over the rows,
        the NIP column as text, then a blank row and the totals, outside the filter."""
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=self.title)
        for index, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        bold = Font(bold=True)

        def cell(value, *, strong=False, text=False):
            c = WriteOnlyCell(ws, value=value)
            if strong:
                c.font = bold
            if text:
                c.number_format = TEXT
            return c

        ws.append([cell(label, strong=True) for label in self.headers()])
        count = 0
        for row in self.rows():
            ws.append([cell(row[0], text=True), *row[1:]])
            count += 1
        ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{count + 1}"
        ws.append([])
        for label, value in self.totals():
            ws.append([cell(label, strong=True), cell(value, strong=True)])
        buffer = stream if stream is not None else io.BytesIO()
        wb.save(buffer)
        return None if stream is not None else buffer.getvalue()


def tpp_filename(year: int, month: int) -> str:
    return f"tpp-kinerja-{year}-{month:02d}"
