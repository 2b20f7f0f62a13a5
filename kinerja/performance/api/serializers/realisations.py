"""API shapes of realisations and their evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinerja.performance.models import (
    Evidence,
    Realisation,
    RealisationStatus,
    SubPeriod,
    Target,
)

from . import VERSION, IndicatorBriefSerializer, choice_field

__all__ = [
    "EvidenceSerializer",
    "EvidenceUploadSerializer",
    "RealisationReturnSerializer",
    "RealisationSerializer",
    "RealisationStepSerializer",
]

RealisationStatusField = choice_field(RealisationStatus.choices, "RealisationStatus")
NUMBER = {"max_digits": 20, "decimal_places": 4, "allow_null": True, "required": False}
MAX_ID = 2**63 - 1


class _InstansiIdField(serializers.IntegerField):
    """An id of a row of the caller's instansi; "not found" for any other."""

    default_error_messages = {"does_not_exist": _('No object "{value}" was found.')}

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        request = self.context.get("request")
        scope = request.scope
        obj = None
        if 0 < pk <= MAX_ID:
            obj = self.model.objects.filter(instansi_id=scope.instansi_id, pk=pk).first()
        if obj is None:
            self.fail("does_not_exist", value=pk)
        return obj

    def to_representation(self, value):
        return value.pk if hasattr(value, "pk") else value


class TargetIdField(_InstansiIdField):
    """A target of the caller's instansi; the service says whether the caller may enter it
    (its holder, or who keeps its unit's plans)."""

    model = Target


class SubPeriodIdField(_InstansiIdField):
    model = SubPeriod


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "label",
            "file_name",
            "file_type",
            "size",
            "url",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str | None:
        if obj.kind != "file":
            return None
        from django.urls import reverse

        return reverse("performance:evidence_download", args=[obj.pk])


class RealisationSerializer(serializers.ModelSerializer):
    target = TargetIdField(help_text=_("The target (id). Fixed once entered."))
    sub_period = SubPeriodIdField(
        help_text=_("The sub-period (id) of the target's year. Fixed once entered.")
    )
    indicator = IndicatorBriefSerializer(source="target.indicator", read_only=True)
    value = serializers.DecimalField(**NUMBER)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    supporting_factors = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    obstructing_factors = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    status = RealisationStatusField(read_only=True)
    version = serializers.IntegerField(
        required=False,
        help_text=_(
            "The version you read: a change must name it, and is refused (409) if the "
            "realisation changed since."
        ),
        **VERSION,
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Realisation
        fields = [
            "id",
            "target",
            "sub_period",
            "indicator",
            "value",
            "outcome",
            "supporting_factors",
            "obstructing_factors",
            "note",
            "status",
            "holder",
            "verifier",
            "entered_by",
            "submitted_by",
            "submitted_at",
            "returned_by",
            "returned_at",
            "return_comment",
            "resubmitted_by",
            "resubmitted_at",
            "verified_by",
            "verified_at",
            "version",
            "evidence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "holder",
            "verifier",
            "entered_by",
            "submitted_by",
            "submitted_at",
            "returned_by",
            "returned_at",
            "return_comment",
            "resubmitted_by",
            "resubmitted_at",
            "verified_by",
            "verified_at",
            "created_at",
            "updated_at",
        ]


class RealisationStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version you read."), **VERSION)


class RealisationReturnSerializer(RealisationStepSerializer):
    comment = serializers.CharField(
        max_length=10_000, help_text=_("What the holder should change.")
    )


class EvidenceUploadSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, help_text=_("PDF, JPG, PNG, XLSX or DOCX."))
    url = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text=_("Or a link.")
    )
