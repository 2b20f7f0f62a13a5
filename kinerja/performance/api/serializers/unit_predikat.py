"""Serializers of the unit predikat API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...curve_rules import UnitPredikat as Choice
from ...evaluation_rules import Predikat, Rating
from ...models import (
    PredikatDistribution,
    RecommendationSource,
    UnitPredikat,
    UnitPredikatRecommendation,
    UnitPredikatStatus,
)

VERSION = {"min_value": 1, "max_value": 2**31 - 1}
UNIT_PREDIKAT = ", ".join(Choice.values)


class RecommendationSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text=", ".join(RecommendationSource.values))
    predikat = serializers.CharField(read_only=True, help_text=UNIT_PREDIKAT)

    class Meta:
        model = UnitPredikatRecommendation
        fields = ["source", "predikat", "note", "author", "author_name", "updated_at"]
        read_only_fields = fields


class DistributionRecordSerializer(serializers.ModelSerializer):
    """The finalisation as recorded (the penetapan)."""

    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    limits = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()), read_only=True
    )
    breaches = serializers.ListField(child=serializers.DictField(), read_only=True)
    evaluations = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = PredikatDistribution
        fields = [
            "predikat",
            "staff",
            "counts",
            "limits",
            "breaches",
            "justification",
            "evaluations",
            "policy_valid_from",
            "finalised_by",
            "finalised_by_name",
            "finalised_at",
        ]
        read_only_fields = fields


class UnitPredikatSerializer(serializers.ModelSerializer):
    """A unit's predikat as read: the suggestion with its basis, the predikat set, the
    recommendations and, once final, the distribution recorded."""

    year = serializers.IntegerField(source="period.year", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(UnitPredikatStatus.values))
    suggested = serializers.CharField(read_only=True, help_text=UNIT_PREDIKAT)
    predikat = serializers.CharField(read_only=True, help_text=UNIT_PREDIKAT)
    expectation = serializers.CharField(read_only=True, help_text=", ".join(Rating.values))
    recommendations = RecommendationSerializer(many=True, read_only=True)
    distribution = serializers.SerializerMethodField()

    class Meta:
        model = UnitPredikat
        fields = [
            "id",
            "unit",
            "unit_name",
            "period",
            "year",
            "sub_period",
            "status",
            "progress",
            "no_progress",
            "actions",
            "achievement",
            "expectation",
            "suggested",
            "predikat",
            "reason",
            "set_by",
            "set_by_name",
            "set_at",
            "version",
            "recommendations",
            "distribution",
        ]
        read_only_fields = fields

    @extend_schema_field(DistributionRecordSerializer(allow_null=True))
    def get_distribution(self, obj):
        record = getattr(obj, "distribution", None)
        return DistributionRecordSerializer(record).data if record is not None else None


class UnitPredikatOpenSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    sub_period = serializers.IntegerField(
        min_value=0, max_value=12, help_text="The sub-period's number; 0 for the year."
    )
    expectation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="The year only: the unit's delivery against the expectation ("
        + ", ".join(Rating.values)
        + ").",
    )


class RecommendSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    predikat = serializers.ChoiceField(choices=Choice.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    source = serializers.ChoiceField(
        choices=RecommendationSource.choices,
        required=False,
        help_text="Needed only by a caller holding several of the three roles.",
    )


class SetSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    predikat = serializers.ChoiceField(choices=Choice.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class FinaliseSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    justification = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class RoomSerializer(serializers.Serializer):
    band = serializers.CharField(help_text="A predikat, or a group joined with +")
    count = serializers.IntegerField()
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    room = serializers.IntegerField(help_text="How many more it may take (negative: over).")
    needed = serializers.IntegerField(help_text="How many more it needs.")


class BreachSerializer(serializers.Serializer):
    band = serializers.CharField()
    kind = serializers.CharField(help_text="min or max")
    limit = serializers.IntegerField()
    count = serializers.IntegerField()
    staff = serializers.IntegerField()
    message = serializers.CharField()


class DistributionSerializer(serializers.Serializer):
    """The distribution as it fills: final evaluations per predikat, drafts, room, breaches."""

    predikat = serializers.CharField(help_text=UNIT_PREDIKAT)
    staff = serializers.IntegerField()
    drafts = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=", ".join(Predikat.values)
    )
    room = RoomSerializer(many=True)
    breaches = BreachSerializer(many=True)
