"""Planning documents: the performance agreement (PK) as a PDF in its official layout."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.views.generic import View

from kinerja.core.pdf import pdf_filename, pdf_response, render_pdf
from kinerja.core.templatetags.kinerja_documents import format_number

from ..choices import TargetShape
from ..models import Agreement, AgreementTarget
from . import PlanningPageMixin, _agreement

TEMPLATE = "performance/agreement_pdf.html"


def _target_text(shape: str, value, low, high, expectation: str, unit: str) -> str:
    if shape == TargetShape.VALUE:
        text = format_number(value)
    elif shape == TargetShape.RANGE:
        text = f"{format_number(low)}\u2013{format_number(high)}"
    else:
        return expectation
    return f"{text} {unit}".strip()


def agreement_rows(agreement: Agreement) -> list[dict]:
    """The target table: number, goal (spanning its consecutive rows), indicator, target with
    its unit. A signed agreement reads its own snapshot; a draft reads the live targets."""
    rows = []
    targets = (
        AgreementTarget.objects.filter(agreement=agreement)
        .select_related("target__indicator", "goal")
        .order_by("position", "pk")
    )
    for number, row in enumerate(targets, start=1):
        if row.is_locked:
            goal, indicator, unit = row.goal_name, row.indicator_name, row.measure_unit
            source = row
        else:
            live = row.target
            goal, indicator, unit = row.goal.name, live.indicator.name, live.indicator.measure_unit
            source = live
        rows.append(
            {
                "number": number,
                "goal": goal,
                "goal_span": 1,
                "indicator": indicator,
                "target": _target_text(
                    source.shape, source.value, source.low, source.high, source.expectation, unit
                ),
            }
        )
    # Consecutive rows of one goal share its cell.
    head = None
    for row in rows:
        if head is not None and row["goal"] == head["goal"]:
            head["goal_span"] += 1
            row["goal_span"] = 0
        else:
            head = row
    return rows


def document_place(agreement: Agreement) -> str:
    """Where the agreement is signed: ``KINERJA_DOCUMENT_PLACE`` (such as "Surabaya"), else
    the instansi's region."""
    place = getattr(settings, "KINERJA_DOCUMENT_PLACE", "")
    return place or agreement.instansi.region.name


def agreement_pdf_context(agreement: Agreement) -> dict:
    programs = list(agreement.programs.order_by("position", "pk"))
    owner = agreement.unit.name if agreement.unit_id else agreement.instansi.name
    return {
        "agreement": agreement,
        "owner": owner,
        "target_rows": agreement_rows(agreement),
        "programs": programs,
        "total": sum((p.budget for p in programs), start=0),
        "place": document_place(agreement),
    }


def agreement_pdf_name(agreement: Agreement) -> str:
    owner = agreement.unit.code if agreement.unit_id else agreement.instansi.code
    return pdf_filename("PK", agreement.year, owner, f"rev{agreement.revision}")


def agreement_pdf_cache_key(agreement: Agreement) -> str:
    """A signed agreement never changes: its PDF is kept under this key. A draft is rendered
    on every request (empty key)."""
    if not agreement.is_signed:
        return ""
    return f"agreement:{agreement.pk}:rev{agreement.revision}:v{agreement.version}"


def agreement_pdf(agreement: Agreement) -> bytes:
    return render_pdf(
        TEMPLATE, agreement_pdf_context(agreement), cache_key=agreement_pdf_cache_key(agreement)
    )


class AgreementPdfView(PlanningPageMixin, View):
    """The agreement as a PDF (the official layout, in Indonesian), scoped like its page."""

    def get(self, request, pk) -> HttpResponse:
        agreement = _agreement(request, pk)
        return pdf_response(agreement_pdf(agreement), agreement_pdf_name(agreement))
