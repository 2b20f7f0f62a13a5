"""Serializers of the employee plan (SKP) API. They parse input; `services.skp` holds the
rules (the caller's instansi and reach are checked there)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinerja.organisations.models import Employee

from ...choices import PlanApproach
from ...models import Indicator, Period, Plan, PlanResult, Target
from ...plan_selectors import plan_content
from . import AgreementStatusField

VERSION = {"min_value": 1, "max_value": 2**31 - 1}
TEXT = {"required": False, "allow_blank": True, "max_length": 5000}


class PlanTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "year", "shape", "value", "low", "high", "expectation"]


class PlanIndicatorSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "aspect",
            "perspective",
            "measure_unit",
            "data_type",
            "target",
        ]

    def get_target(self, obj) -> dict | None:
        targets = list(obj.targets.all())
        return PlanTargetSerializer(targets[0]).data if targets else None


class PlanResultSerializer(serializers.ModelSerializer):
    indicators = PlanIndicatorSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = PlanResult
        fields = [
            "id",
            "kind",
            "text",
            "position",
            "serves",
            "serves_directly",
            "serves_target",
            "classification",
            "assigned_by",
            "indicators",
            "actions",
        ]

    def get_actions(self, obj) -> dict[str, str]:
        return {str(a.sub_period.number): a.text for a in obj.actions.all()}


class PlanSerializer(serializers.ModelSerializer):
    """A plan as read, with its results (indicators, targets, actions) and behaviours."""

    status = AgreementStatusField(read_only=True)  # the agreement's steps

    results = serializers.SerializerMethodField()
    behaviours = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "employee",
            "position",
            "position_title",
            "unit",
            "period",
            "starts",
            "ends",
            "approach",
            "status",
            "revision",
            "is_current",
            "previous",
            "revision_reason",
            "evaluator",
            "evaluator_name",
            "evaluator_nip",
            "evaluator_title",
            "evaluator_superior",
            "evaluator_superior_name",
            "evaluator_superior_nip",
            "evaluator_superior_title",
            "delegated_authority",
            "delegation_reason",
            "resources",
            "accountability",
            "consequences",
            "signed_at",
            "version",
            "results",
            "behaviours",
        ]
        read_only_fields = fields

    def get_results(self, obj) -> list[dict]:
        content = plan_content(obj)
        rows = [r.result for r in content["main"] + content["additional"]]
        return PlanResultSerializer(rows, many=True).data

    def get_behaviours(self, obj) -> dict[str, str]:
        return dict(obj.behaviours.values_list("value", "expectation"))


class PlanWriteSerializer(serializers.Serializer):
    """A new plan (``employee``, ``period``) or a change of a draft (with ``version``)."""

    employee = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, help_text=_("The employee (id).")
    )
    period = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.all(), required=False, help_text=_("The year (period id).")
    )
    starts = serializers.DateField(required=False)
    ends = serializers.DateField(required=False)
    approach = serializers.ChoiceField(choices=PlanApproach.choices, required=False)
    evaluator_name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    evaluator_nip = serializers.CharField(required=False, allow_blank=True, max_length=18)
    evaluator_title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    delegated_authority = serializers.BooleanField(required=False)
    delegation_reason = serializers.CharField(**TEXT)
    resources = serializers.CharField(**TEXT)
    accountability = serializers.CharField(**TEXT)
    consequences = serializers.CharField(**TEXT)
    behaviours = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        required=False,
        help_text=_("BerAKHLAK value code -> the superior's specific expectation."),
    )
    version = serializers.IntegerField(required=False, **VERSION)


class PlanStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["submit", "approve", "sign", "return", "revise"])
    version = serializers.IntegerField(**VERSION)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class IndicatorWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    aspect = serializers.CharField(max_length=10)
    perspective = serializers.CharField(max_length=20, required=False, allow_blank=True)
    measure_unit = serializers.CharField(max_length=30)
    data_type = serializers.CharField(max_length=12, required=False, allow_blank=True)
    target = serializers.DictField(required=False)


class ResultWriteSerializer(serializers.Serializer):
    """A result of a plan: on adding, ``plan`` and optionally its ``indicators``; on a change
    the fields it changes, an ``actions`` map (sub-period number -> text) and
    ``remove_indicators`` (ids). Every write names the plan's ``version``."""

    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all(), required=False)
    version = serializers.IntegerField(**VERSION)
    kind = serializers.CharField(max_length=12, required=False)
    text = serializers.CharField(max_length=5000, required=False)
    serves = serializers.PrimaryKeyRelatedField(
        queryset=PlanResult.objects.all(), required=False, allow_null=True
    )
    serves_directly = serializers.BooleanField(required=False)
    serves_target = serializers.IntegerField(required=False, allow_null=True)
    classification = serializers.CharField(max_length=16, required=False, allow_blank=True)
    assigned_by = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.all(), required=False, allow_null=True
    )
    indicators = IndicatorWriteSerializer(many=True, required=False)
    actions = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000), required=False
    )
    remove_indicators = serializers.ListField(child=serializers.IntegerField(), required=False)


class IndicatorAddSerializer(IndicatorWriteSerializer):
    version = serializers.IntegerField(**VERSION)
