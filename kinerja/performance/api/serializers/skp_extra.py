"""Payloads around the employee plan (SKP): bulk cascade, dialogue entries, work log entries."""

from __future__ import annotations

from rest_framework import serializers

from ...choices import ResultKind
from ...models import DialogueKind, PlanDialogue, WorkLogEntry


class CascadeSerializer(serializers.Serializer):
    employees = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    kind = serializers.ChoiceField(choices=ResultKind.choices, default=ResultKind.MAIN)
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class CascadeSkipSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    reason = serializers.CharField()
    message = serializers.CharField()


class CascadeCreatedSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    plan = serializers.IntegerField()
    result = serializers.IntegerField()


class CascadeAnswerSerializer(serializers.Serializer):
    created = CascadeCreatedSerializer(many=True)
    skipped = CascadeSkipSerializer(many=True)


class TreeNodeSerializer(serializers.Serializer):
    result = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    serves_directly = serializers.BooleanField()
    plan = serializers.IntegerField()
    employee = serializers.IntegerField()
    employee_name = serializers.CharField()
    status = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField())


class DialogueSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DialogueKind.choices, default=DialogueKind.DIALOGUE)
    on = serializers.DateField(required=False)

    class Meta:
        model = PlanDialogue
        fields = ["id", "kind", "on", "text", "author", "author_name", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]


class WorkLogSerializer(serializers.ModelSerializer):
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=500)

    class Meta:
        model = WorkLogEntry
        fields = ["id", "on", "description", "quantity", "evidence_url", "created_at"]
        read_only_fields = ["id", "created_at"]


class WorkLogSettingSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
