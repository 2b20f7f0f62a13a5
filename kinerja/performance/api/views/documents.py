"""Planning documents through the API: the performance agreement as a PDF."""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers

from kinerja.core.pdf import PDF, pdf_response
from kinerja.performance.models import Agreement
from kinerja.performance.views.documents import agreement_pdf, agreement_pdf_name


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf`` (the view answers its errors in
    JSON)."""

    media_type = PDF
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class AgreementPdfView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]
    filter_backends: list = []
    pagination_class = None
    queryset = Agreement.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Agreement.objects.none()
        return Agreement.objects.within(self.request.scope).select_related(
            "unit", "instansi__region"
        )

    def handle_exception(self, exc):
        """An error reads as JSON even when the client asked for a PDF."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    @extend_schema(
        operation_id="agreements_pdf",
        tags=["agreements"],
        summary="A performance agreement as a PDF",
        description="The agreement in its official layout (in Indonesian): the statement with "
        "the two parties, the target table, the program and budget table. A signed revision "
        "shows its own signed copy of the targets; a draft reads the live targets.",
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")},
    )
    def get(self, request, pk):
        agreement = self.get_object()
        return pdf_response(agreement_pdf(agreement), agreement_pdf_name(agreement))
