"""Pages of realisations: the verifier's queue and the download of an evidence file."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.views import View
from django.views.generic import TemplateView

from ..models import Evidence, EvidenceKind, Realisation

__all__ = ["EvidenceDownloadView", "VerificationQueueView"]

QUEUE_LIMIT = 200


class VerificationQueueView(LoginRequiredMixin, TemplateView):
    """The realisations waiting for the caller as their verifier (submitted or resubmitted),
    oldest first."""

    template_name = "performance/realisation_queue.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        rows = Realisation.objects.none()
        if scope.employee_id:
            rows = (
                Realisation.objects.within(scope)
                .awaiting()
                .filter(verifier_id=scope.employee_id)
                .select_related("target__indicator__unit", "sub_period__period")
                .prefetch_related("evidence")
                .order_by("submitted_at", "pk")[:QUEUE_LIMIT]
            )
        kwargs.setdefault("nav_active", "planning")
        return super().get_context_data(rows=rows, **kwargs)


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file, to whoever reaches its realisation; anyone else gets "not found"."""

    def get(self, request, pk):
        evidence = (
            Evidence.objects.filter(
                pk=pk,
                kind=EvidenceKind.FILE,
                realisation__in=Realisation.objects.within(request.scope),
            )
            .only("file", "file_name")
            .first()
        )
        if evidence is None:
            raise Http404
        return FileResponse(
            evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name
        )
