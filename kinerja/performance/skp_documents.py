"""The employee plan's documents: the SKP in the official layout of PermenPAN-RB 6/2022 (a
PDF, in Indonesian) and the e-Kinerja workbook (one row per individual indicator, keeping our
ids so that a later sync can match the rows)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.conf import settings
from openpyxl.styles import Font

from kinerja.core.pdf import pdf_filename, render_pdf

from .models import Plan
from .plan_selectors import plan_content

PDF_TEMPLATE = "performance/skp_pdf.html"

# The e-Kinerja columns (the national system's headers, in Indonesian).
EKINERJA_COLUMNS = (
    "ID RHK",
    "ID Indikator",
    "NIP",
    "Nama",
    "Periode Awal",
    "Periode Akhir",
    "Jenis RHK",
    "Rencana Hasil Kerja",
    "Aspek",
    "Indikator Kinerja Individu",
    "Target",
    "Satuan",
    "ID RHK Atasan",
)
KIND_LABELS = {"main": "Utama", "additional": "Tambahan"}
ASPECT_LABELS = {
    "quantity": "Kuantitas",
    "quality": "Kualitas",
    "time": "Waktu",
    "cost": "Biaya",
}


def plan_pdf_context(plan: Plan) -> dict:
    content = plan_content(plan)
    place = getattr(settings, "KINERJA_DOCUMENT_PLACE", "") or plan.instansi.region.name
    return {"plan": plan, **content, "place": place}


def plan_pdf(plan: Plan) -> bytes:
    """The SKP as PDF bytes; a signed plan's PDF is kept (see ``kinerja.core.pdf``)."""
    key = f"plan:{plan.pk}:rev{plan.revision}:v{plan.version}" if plan.is_signed else ""
    return render_pdf(PDF_TEMPLATE, plan_pdf_context(plan), cache_key=key)


def plan_pdf_name(plan: Plan) -> str:
    return pdf_filename(
        "SKP", plan.period.year, plan.employee.nip or plan.employee.pk, f"rev{plan.revision}"
    )


def plan_xlsx_name(plan: Plan) -> str:
    return (
        pdf_filename("SKP-eKinerja", plan.period.year, plan.employee.nip or plan.employee.pk)[:-4]
        + ".xlsx"
    )


def _number(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def ekinerja_rows(plan: Plan):
    content = plan_content(plan)
    for row in content["main"] + content["additional"]:
        result = row.result
        common = (
            result.pk,
            plan.employee.nip or "",
            plan.employee.display_name,
            plan.starts,
            plan.ends,
            KIND_LABELS.get(result.kind, result.kind),
            result.text,
        )
        serves = result.serves_id
        if not row.indicators:
            yield (common[0], None, *common[1:], None, None, None, None, serves)
        for indicator, target in row.indicators:
            if target is None:
                value = None
            elif target.shape == "value":
                value = _number(target.value)
            else:
                value = target.display
            yield (
                common[0],
                indicator.pk,
                *common[1:],
                ASPECT_LABELS.get(indicator.aspect, indicator.aspect),
                indicator.name,
                value,
                indicator.measure_unit,
                serves,
            )


def ekinerja_workbook(plans: list[Plan]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SKP"
    sheet.append(EKINERJA_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for plan in plans:
        for row in ekinerja_rows(plan):
            sheet.append(row)
    for column in ("D", "E"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
