"""Serializers of the objections, the reopening and the input of others on an evaluation."""

from __future__ import annotations

from rest_framework import serializers

from ...evaluation_rules import Predikat, Rating
from ...models import EvaluationInput, InputRelation, Objection, ObjectionStatus

VERSION = {"min_value": 1, "max_value": 2**31 - 1}
RATINGS = ", ".join(Rating.values)
PREDIKAT = ", ".join(Predikat.values)


class ObjectionSummarySerializer(serializers.ModelSerializer):
    """An objection as shown on its evaluation: who filed it when, and the decision."""

    status = serializers.CharField(read_only=True, help_text=", ".join(ObjectionStatus.values))
    results_before = serializers.CharField(read_only=True, help_text=RATINGS)
    behaviour_before = serializers.CharField(read_only=True, help_text=RATINGS)
    predikat_before = serializers.CharField(read_only=True, help_text=PREDIKAT)
    results_after = serializers.CharField(read_only=True, help_text=RATINGS)
    behaviour_after = serializers.CharField(read_only=True, help_text=RATINGS)
    predikat_after = serializers.CharField(read_only=True, help_text=PREDIKAT)

    class Meta:
        model = Objection
        fields = [
            "id",
            "status",
            "filed_by",
            "filed_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "results_before",
            "behaviour_before",
            "predikat_before",
            "results_after",
            "behaviour_after",
            "predikat_after",
        ]
        read_only_fields = fields


class ObjectionSerializer(ObjectionSummarySerializer):
    """An objection with its reasons and evidence."""

    employee = serializers.IntegerField(source="evaluation.plan.employee_id", read_only=True)
    links = serializers.ListField(child=serializers.URLField(), read_only=True)

    class Meta(ObjectionSummarySerializer.Meta):
        fields = [
            "id",
            "evaluation",
            "employee",
            "reasons",
            "evidence",
            "links",
            *ObjectionSummarySerializer.Meta.fields[1:],
            "version",
        ]
        read_only_fields = fields


class ObjectionFileSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField(min_value=1)
    reasons = serializers.CharField(max_length=5000, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    links = serializers.ListField(
        child=serializers.CharField(max_length=1000, allow_blank=True),
        required=False,
        help_text="Evidence links, http or https, at most 10.",
    )


class ObjectionDecideSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    decision = serializers.ChoiceField(choices=[("uphold", "uphold"), ("change", "change")])
    reason = serializers.CharField(max_length=5000, allow_blank=True)
    results_rating = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text=RATINGS
    )
    behaviour_rating = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text=RATINGS
    )


class EvaluationReopenSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class EvaluationInputSerializer(serializers.ModelSerializer):
    relation = serializers.CharField(read_only=True, help_text=", ".join(InputRelation.values))
    status = serializers.CharField(read_only=True, help_text="requested, given or withdrawn")
    suggested_rating = serializers.CharField(read_only=True, help_text=RATINGS)

    class Meta:
        model = EvaluationInput
        fields = [
            "id",
            "evaluation",
            "author",
            "relation",
            "status",
            "requested_by",
            "requested_at",
            "given_by",
            "given_at",
            "suggested_rating",
            "text",
            "version",
        ]
        read_only_fields = fields


class EvaluationInputRequestSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField(min_value=1)
    author = serializers.IntegerField(min_value=1, help_text="The employee asked for input.")
    relation = serializers.ChoiceField(choices=InputRelation.choices)


class EvaluationInputGiveSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    text = serializers.CharField(max_length=5000, allow_blank=True)
    suggested_rating = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text=RATINGS
    )


class EvaluationInputVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
