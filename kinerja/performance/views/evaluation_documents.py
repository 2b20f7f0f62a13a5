"""The evaluation's official documents (PDF) and the public check page of their codes.

The PDFs are scoped like the evaluation (who sees the plan sees its evaluation; another's
answers 404). A final evaluation's document is issued (its code reused while the evaluation is
unchanged); a draft is a preview marked "DRAF", with no code.

The check page ``/cek/<code>/`` needs no sign-in, is rate-limited per address (the API's
anonymous rate) and asks search engines not to index it. It shows only whether the code is
genuine, the document, the name, a masked NIP, the period, the predikat, the issue date and
whether the document is still current."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import View
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from kinerja.core.pdf import pdf_filename, pdf_response

from ..document_codes import mask_nip, normalise
from ..evaluation_documents import (
    UNIT_PREDIKAT_ID,
    evaluation_pdf,
    evaluation_pdf_name,
    is_current,
    unit_predikat_context,
    unit_predikat_pdf,
)
from ..evaluation_rules import Predikat
from ..models import DocumentCheck, DocumentKind, Evaluation
from ..selectors_evaluation import evaluations_for as scoped_evaluations
from ..services import document_checks as svc

NOT_INDEXED = "noindex, nofollow, noarchive"


class EvaluationPdfView(LoginRequiredMixin, View):
    """One of the evaluation's documents (``kind``), in Indonesian."""

    kind = DocumentKind.EVALUATION

    def get(self, request, pk):
        evaluation = evaluations_for(request.scope).filter(pk=pk).first()
        if evaluation is None:
            raise Http404
        return evaluation_pdf_response(request, evaluation, self.kind)


def evaluations_for(scope):
    """The evaluations whose documents the caller may print: those of the plans within reach."""
    return scoped_evaluations(scope).select_related(
        "instansi__region",
        "plan__employee__unit",
        "plan__period",
        "plan__unit",
        "plan__instansi",
        "plan__evaluator__unit",
        "plan__evaluator_superior",
    )


def evaluation_pdf_response(request, evaluation: Evaluation, kind: str):
    """The PDF of ``kind``: a final evaluation's issued (or reused) version with its code, a
    draft's preview without one."""
    check = None
    if evaluation.is_final:
        check, _new = svc.evaluation_document_issue(
            actor=request.user, scope=request.scope, evaluation=evaluation, kind=kind
        )
    content = evaluation_pdf(evaluation, kind, check, request)
    return pdf_response(content, evaluation_pdf_name(evaluation, kind))


def check_facts(check: DocumentCheck) -> dict:
    """All the check page (and its API) shows of an issued document."""
    return {
        "code": check.printed_code,
        "kind": check.kind,
        "kind_label": str(check.get_kind_display()),
        "name": check.subject,
        "nip": mask_nip(check.nip),
        "period": check.period_label,
        "predikat": check.predikat,
        "predikat_label": str(_predikat_label(check)),
        "issued_on": timezone.localtime(check.issued_at).date(),
        "current": is_current(check),
    }


def find_check(code: str) -> DocumentCheck | None:
    normal = normalise(code)
    return DocumentCheck.objects.filter(code=normal).first() if normal is not None else None


class UnitPredikatPdfView(LoginRequiredMixin, View):
    """The decision on a unit's predikat and its staff distribution (Format Penetapan
    Predikat Kinerja), scoped like the unit predikat; a draft until the distribution is
    final."""

    def get(self, request, pk):
        found = unit_predikats_for(request.scope).filter(pk=pk).first()
        if found is None:
            raise Http404
        return unit_predikat_pdf_response(request, found)


def unit_predikats_for(scope):
    from ..models import UnitPredikat

    return UnitPredikat.objects.within(scope).select_related(
        "unit", "period", "instansi__region", "set_by__employee__position"
    )


def unit_predikat_pdf_response(request, found):
    """The decision's PDF: issued (or reused) once the distribution is final, else a draft."""
    check = None
    if found.is_final:
        check, _new = svc.unit_predikat_document_issue(
            actor=request.user, scope=request.scope, unit_predikat=found
        )
    content = unit_predikat_pdf(unit_predikat_context(found, check), request)
    name = pdf_filename(
        "penetapan-predikat",
        found.period.year,
        found.sub_period or "tahunan",
        found.unit.code,
        "" if check else "draf",
    )
    return pdf_response(content, name)


class CheckThrottle(SimpleRateThrottle):
    """Per client address, signed in or not, at the API's anonymous rate (read live)."""

    scope = "anon"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "document_check", "ident": self.get_ident(request)}


def _predikat_label(check: DocumentCheck) -> str:
    if check.kind == DocumentKind.UNIT_PREDIKAT:
        return UNIT_PREDIKAT_ID.get(check.predikat, "")
    return Predikat(check.predikat).label if check.predikat in Predikat.values else ""


class DocumentCheckView(View):
    """Is this code genuine? (public)"""

    template_name = "performance/document_check.html"

    def get(self, request, code):
        throttle = CheckThrottle()
        if not throttle.allow_request(request, self):
            response = render(request, self.template_name, {"throttled": True}, status=429)
            response["Retry-After"] = str(int(throttle.wait() or 60))
            return self._private(response)
        normal = normalise(code)
        check = DocumentCheck.objects.filter(code=normal).first() if normal is not None else None
        if check is None:
            response = render(request, self.template_name, {"code": code[:40]}, status=404)
            return self._private(response)
        context = {"check": check, "facts": check_facts(check)}
        return self._private(render(request, self.template_name, context))

    @staticmethod
    def _private(response):
        response["X-Robots-Tag"] = NOT_INDEXED
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        return response
