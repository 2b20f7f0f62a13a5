"""Serializers of the employee evaluation API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...evaluation_rules import Predikat, Rating
from ...models import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationKind,
    EvaluationResultFeedback,
    EvaluationSource,
)
from ...selectors_consequences import evaluation_credit_points
from ...services.objections import objection_last_day
from .consequences import CreditPointsSerializer
from .objections import ObjectionSummarySerializer

VERSION = {"min_value": 1, "max_value": 2**31 - 1}
RATINGS = ", ".join(Rating.values)


class EvaluationBehaviourSerializer(serializers.ModelSerializer):
    rating = serializers.CharField(read_only=True, help_text=RATINGS)

    class Meta:
        model = EvaluationBehaviour
        fields = ["value", "rating", "feedback"]


class EvaluationFeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationResultFeedback
        fields = ["result", "feedback"]


class EvaluationSerializer(serializers.ModelSerializer):
    """An evaluation as read, with its behaviour ratings and its feedback on results."""

    behaviours = EvaluationBehaviourSerializer(many=True, read_only=True)
    feedback = EvaluationFeedbackSerializer(many=True, read_only=True)
    employee = serializers.IntegerField(source="plan.employee_id", read_only=True)
    # Plain strings in the schema: the choice sets are named once, in the write serializers.
    kind = serializers.CharField(read_only=True, help_text="periodic or annual")
    status = serializers.CharField(read_only=True, help_text="draft or final")
    source = serializers.CharField(read_only=True, help_text=", ".join(EvaluationSource.values))
    suggested_rating = serializers.CharField(read_only=True, help_text=RATINGS)
    results_rating = serializers.CharField(read_only=True, help_text=RATINGS)
    behaviour_rating = serializers.CharField(read_only=True, help_text=RATINGS)
    predikat = serializers.CharField(read_only=True, help_text=", ".join(Predikat.values))
    year = serializers.IntegerField(source="plan.period.year", read_only=True)
    objection_last_day = serializers.SerializerMethodField(
        help_text="A final rating: the last local day on which the employee may object."
    )
    objections = ObjectionSummarySerializer(
        many=True, read_only=True, help_text="Objections to the rating, latest first."
    )
    credit_points = serializers.SerializerMethodField(
        help_text="The credit points (angka kredit); null unless final and of a functional post."
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "plan",
            "employee",
            "year",
            "kind",
            "sub_period",
            "status",
            "achievement",
            "source",
            "suggested_rating",
            "results_rating",
            "override_reason",
            "behaviour_rating",
            "predikat",
            "finalised_by",
            "finalised_at",
            "version",
            "behaviours",
            "feedback",
            "objection_last_day",
            "objections",
            "credit_points",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_objection_last_day(self, evaluation: Evaluation):
        return objection_last_day(evaluation)

    @extend_schema_field(CreditPointsSerializer(allow_null=True))
    def get_credit_points(self, evaluation):
        points = evaluation_credit_points(evaluation)
        return None if points is None else CreditPointsSerializer(points).data


class EvaluationOpenSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1)
    kind = serializers.CharField(max_length=10, help_text=" or ".join(EvaluationKind.values))
    sub_period = serializers.IntegerField(required=False, min_value=1, max_value=12)


class EvaluationRateSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    rating = serializers.ChoiceField(choices=Rating.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BehaviourValueSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EvaluationBehaviourWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    rating = serializers.ChoiceField(choices=Rating.choices)
    values = serializers.DictField(child=BehaviourValueSerializer(), required=False)


class EvaluationFeedbackWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    feedback = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=5000))


class EvaluationVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
