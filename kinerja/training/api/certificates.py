"""API of the certificates.

``training-certificates``: the certificates within reach, read like the person (their own, who
sees the person, the organiser); ``POST {id}/revoke/`` (organiser: ``category``, ``note``);
``GET {id}/pdf/`` the signed PDF (before signing, the unsigned one for the organiser).
``training-certificate-checks/{code}/``: public (no token, throttled per address), what the
public check page shows."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kinerja.core.pdf import pdf_response

from ..certificate_pdf import certificate_filename
from ..models import Certificate, RevocationReason
from ..services import certificates as svc
from ..views.certificates import (
    CertificateCheckThrottle,
    certificate_pdf_bytes,
    check_facts,
    private,
)


class CertificateSerializer(serializers.ModelSerializer):
    participant = serializers.IntegerField(source="participant_id", read_only=True)
    event = serializers.IntegerField(source="event_id", read_only=True)
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    batch = serializers.IntegerField(source="batch_id", read_only=True, allow_null=True)
    code = serializers.CharField(source="printed_code", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="issued, initialled, signed or revoked."
    )
    revocation_category = serializers.CharField(
        read_only=True, help_text="error, attendance, misconduct, replaced (empty: not revoked)."
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "code",
            "participant",
            "event",
            "employee",
            "batch",
            "status",
            "jp_total",
            "jp_planned",
            "exception_reason",
            "issued_at",
            "signed_at",
            "signer_name",
            "signature_subject",
            "signature_serial",
            "revoked_at",
            "revocation_category",
            "facts",
        ]
        read_only_fields = fields


class RevokeSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=RevocationReason.choices)
    note = serializers.CharField()


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.CharField()
    name = serializers.CharField()
    nip = serializers.CharField(help_text="Masked: the first two and last three digits.")
    agency = serializers.CharField()
    event = serializers.CharField()
    dates = serializers.CharField()
    venue = serializers.CharField()
    jp_total = serializers.CharField()
    issued_on = serializers.DateField()
    signed = serializers.BooleanField()
    signed_on = serializers.DateField(allow_null=True)
    valid = serializers.BooleanField(help_text="False once revoked.")
    revoked_on = serializers.DateField(allow_null=True)
    revocation = serializers.CharField(help_text="The reason's category, never the note.")
    revocation_label = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        operation_id="training_certificates_list",
        tags=["training"],
        summary="List certificates",
        description="Certificates within reach: your own, those of the people you see, all "
        "of the instansi for the organiser. Filters: `event`, `status`.",
    ),
    retrieve=extend_schema(
        operation_id="training_certificates_retrieve", tags=["training"], summary="A certificate"
    ),
    revoke=extend_schema(
        operation_id="training_certificates_revoke",
        tags=["training"],
        summary="Revoke a certificate (organiser)",
        request=RevokeSerializer,
        responses={200: CertificateSerializer},
    ),
    pdf=extend_schema(
        operation_id="training_certificates_pdf",
        tags=["training"],
        summary="The certificate's PDF (signed once signed)",
        responses={(200, "application/pdf"): bytes},
    ),
)
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CertificateSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        qs = Certificate.objects.within(self.request.scope).select_related("event")
        params = self.request.query_params
        if params.get("event", "").isdigit():
            qs = qs.filter(event_id=int(params["event"]))
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs.order_by("event_id", "sequence")

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        form = RevokeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        certificate = svc.certificate_revoke(
            actor=request.user, scope=request.scope, certificate=certificate, **form.validated_data
        )
        return Response(CertificateSerializer(certificate).data)

    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        certificate = self.get_object()
        content = certificate_pdf_bytes(certificate, request.scope)
        if content is None:
            raise Http404
        name = certificate_filename(certificate, signed=bool(certificate.signed_pdf))
        return pdf_response(content, name, inline=False)


@extend_schema_view(
    retrieve=extend_schema(
        operation_id="training_certificate_checks_retrieve",
        tags=["training"],
        summary="Check a certificate's verification code",
        description="Public (no token; throttled per address). What the certificate states "
        "(masked NIP), whether it is valid, and a revocation's date and category. An unknown "
        "code answers 404.",
        responses={200: CheckSerializer},
    )
)
class CertificateCheckViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [CertificateCheckThrottle]
    serializer_class = CheckSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filter_backends: list = []
    pagination_class = None

    def retrieve(self, request, code=None):
        certificate = svc.find_by_code(code or "")
        if certificate is None:
            raise NotFound(_("No certificate was issued with this code."))
        return private(Response(CheckSerializer(check_facts(certificate)).data))
