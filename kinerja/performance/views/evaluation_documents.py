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
from django.views.generic import View
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from kinerja.core.pdf import pdf_response

from ..document_codes import mask_nip, normalise
from ..evaluation_documents import (
    UNIT_PREDIKAT_ID,
    evaluation_pdf,
    evaluation_pdf_name,
    is_current,
)
from ..evaluation_rules import Predikat
from ..models import DocumentCheck, DocumentKind, Evaluation
from ..plan_selectors import plans_for
from ..services import document_checks as svc

NOT_INDEXED = "noindex, nofollow, noarchive"


class EvaluationPdfView(LoginRequiredMixin, View):
    """One of the evaluation's documents (``kind``), in Indonesian."""

    kind = DocumentKind.EVALUATION

    def get(self, request, pk):
        evaluation = (
            Evaluation.objects.filter(plan__in=plans_for(request.scope))
            .select_related(
                "instansi__region",
                "plan__employee__unit",
                "plan__period",
                "plan__unit",
                "plan__instansi",
                "plan__evaluator__unit",
                "plan__evaluator_superior",
            )
            .filter(pk=pk)
            .first()
        )
        if evaluation is None:
            raise Http404
        check = None
        if evaluation.is_final:
            check, _new = svc.evaluation_document_issue(
                actor=request.user, scope=request.scope, evaluation=evaluation, kind=self.kind
            )
        content = evaluation_pdf(evaluation, self.kind, check, request)
        return pdf_response(content, evaluation_pdf_name(evaluation, self.kind))


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
        context = {
            "check": check,
            "kind": check.get_kind_display(),
            "nip": mask_nip(check.nip),
            "predikat": _predikat_label(check),
            "current": is_current(check),
        }
        return self._private(render(request, self.template_name, context))

    @staticmethod
    def _private(response):
        response["X-Robots-Tag"] = NOT_INDEXED
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        return response
