"""The evaluation's documents through the API: the two PDFs (scoped like the evaluation), the
decision on a unit's predikat (scoped like it) and the check of a verification code (public,
throttled as anonymous callers are)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kinerja.core.pdf import PDF

from ...models import DocumentKind, Evaluation, UnitPredikat
from ...views.evaluation_documents import (
    NOT_INDEXED,
    check_facts,
    evaluation_pdf_response,
    evaluations_for,
    find_check,
    unit_predikat_pdf_response,
    unit_predikats_for,
)
from .documents import PdfRenderer

PDF_DOC = (
    "In Indonesian. A final evaluation's document carries its verification code and QR code "
    "(issued once, and reused while the evaluation is unchanged; the issue is audited); a "
    "draft is a preview marked DRAF, without a code."
)


class _EvaluationDocument(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]
    filter_backends: list = []
    pagination_class = None
    queryset = Evaluation.objects.none()
    kind = DocumentKind.EVALUATION

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        return evaluations_for(self.request.scope)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    def get(self, request, pk):
        return evaluation_pdf_response(request, self.get_object(), self.kind)


class EvaluationPdfApiView(_EvaluationDocument):
    @extend_schema(
        operation_id="evaluations_pdf",
        tags=["evaluations"],
        summary="An evaluation as its Evaluasi Kinerja Pegawai (PDF)",
        description="Identities, each result with its indicators, targets, realisations and "
        "feedback, the BerAKHLAK values with feedback, both ratings, the predikat, signatures. "
        + PDF_DOC,
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")},
    )
    def get(self, request, pk):
        return super().get(request, pk)


class EvaluationDocumentPdfApiView(_EvaluationDocument):
    kind = DocumentKind.EVALUATION_DOCUMENT

    @extend_schema(
        operation_id="evaluations_document_pdf",
        tags=["evaluations"],
        summary="An evaluation as its Dokumen Evaluasi Kinerja Pegawai (PDF)",
        description="Identities (with the evaluator's superior), the ratings and the predikat; "
        "the annual one lists the year's periodic predikat too. " + PDF_DOC,
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")},
    )
    def get(self, request, pk):
        return super().get(request, pk)


class UnitPredikatPdfApiView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]
    filter_backends: list = []
    pagination_class = None
    queryset = UnitPredikat.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnitPredikat.objects.none()
        return unit_predikats_for(self.request.scope)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    @extend_schema(
        operation_id="unit_predikat_pdf",
        tags=["unit-predikat"],
        summary="The decision on a unit's predikat and its distribution (PDF)",
        description="Format Penetapan Predikat Kinerja, in Indonesian: the unit, its "
        "achievement, its predikat, how many staff hold each employee predikat; signed by who "
        "set the predikat. Once the distribution is final it carries its verification code and "
        "QR code (issued once, reused while unchanged, audited); before, a draft marked DRAF.",
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")},
    )
    def get(self, request, pk):
        return unit_predikat_pdf_response(request, self.get_object())


class DocumentCheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The code as printed (two groups of five).")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    kind_label = serializers.CharField()
    name = serializers.CharField()
    nip = serializers.CharField(help_text="Masked: the first two and last three digits.")
    period = serializers.CharField()
    predikat = serializers.CharField()
    predikat_label = serializers.CharField()
    issued_on = serializers.DateField()
    current = serializers.BooleanField(
        help_text="False when the evaluation changed after the document was issued."
    )


class DocumentCheckApiView(generics.GenericAPIView):
    """Is this code genuine? The same answer as the public check page ``/cek/<code>/``."""

    permission_classes = [permissions.AllowAny]
    serializer_class = DocumentCheckSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        operation_id="document_checks_retrieve",
        tags=["evaluations"],
        summary="Check an official document's verification code",
        description="Public (no token needed; throttled per address). Answers what the "
        "document's face states: the kind, the name, a masked NIP, the period, the predikat, "
        "the issue date and whether it is still current. An unknown code answers 404.",
        responses={200: DocumentCheckSerializer},
    )
    def get(self, request, code):
        check = find_check(code)
        if check is None:
            raise NotFound(_("No document was issued with this code."))
        response = Response(DocumentCheckSerializer(check_facts(check)).data)
        response["X-Robots-Tag"] = NOT_INDEXED
        response["Cache-Control"] = "no-store"
        return response
