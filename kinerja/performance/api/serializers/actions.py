"""API shapes of the action plan (rencana aksi) under a performance agreement."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinerja.organisations.api.serializers import ScopedRelatedField, UnitBriefSerializer
from kinerja.performance.models import Action, ActionProgress, ActionSchedule
from kinerja.performance.models.actions import funding_source_choices
from kinerja.performance.selectors_actions import action_progress

from . import VERSION, ScopedIdField

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": 0}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class ActionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "code", "text", "level"]


class ScheduleRowSerializer(serializers.ModelSerializer):
    sub_period = serializers.IntegerField(
        source="sub_period.number",
        min_value=1,
        max_value=12,
        help_text=_("The number of the month or quarter in the agreement's year."),
    )
    planned_output = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    weight = serializers.DecimalField(**PERCENT, help_text=_("Percent; the weights sum to 100."))

    class Meta:
        model = ActionSchedule
        fields = ["sub_period", "planned_output", "weight"]


class ProgressRowSerializer(serializers.ModelSerializer):
    sub_period = serializers.IntegerField(source="sub_period.number", read_only=True)
    evidence_url = serializers.CharField(
        read_only=True, help_text=_("A link to the evidence, or empty.")
    )

    class Meta:
        model = ActionProgress
        fields = ["sub_period", "progress", "note", "evidence_url", "entered_at", "version"]
        read_only_fields = fields


def schedule_rows(rows) -> list[dict]:
    return [
        {
            "sub_period": row["sub_period"]["number"],
            "planned_output": row.get("planned_output", ""),
            "weight": row["weight"],
        }
        for row in rows
    ]


class ActionSerializer(serializers.ModelSerializer):
    agreement_target = serializers.IntegerField(
        source="agreement_target_id",
        min_value=1,
        help_text=_("The target row of the agreement the action serves (id). Fixed once made."),
    )
    agreement = serializers.IntegerField(source="agreement_id", read_only=True)
    parent = ScopedIdField(
        brief=ActionBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("The action above this one (id); empty at the top. Three levels at most."),
    )
    unit = ScopedRelatedField(
        brief=UnitBriefSerializer,
        help_text=_("The responsible unit (id or code), inside the agreement's unit."),
    )
    code = serializers.CharField(max_length=40)
    text = serializers.CharField(max_length=1000)
    program_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    activity_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    sub_activity_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    budget = serializers.DecimalField(**MONEY, required=False, help_text=_("Pagu, rupiah."))
    spending = serializers.DecimalField(**MONEY, required=False, help_text=_("Rupiah."))
    funding_source = serializers.ChoiceField(
        choices=funding_source_choices(), required=False, allow_blank=True
    )
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you read: a change must name it (409 if the action changed)."),
        **VERSION,
    )
    schedule = ScheduleRowSerializer(many=True, required=False, max_length=12)
    progress = ProgressRowSerializer(many=True, read_only=True)
    weighted_progress = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "agreement",
            "agreement_target",
            "parent",
            "level",
            "code",
            "position",
            "text",
            "unit",
            "program_code",
            "activity_code",
            "sub_activity_code",
            "budget",
            "spending",
            "funding_source",
            "version",
            "schedule",
            "progress",
            "weighted_progress",
        ]
        read_only_fields = ["level"]

    def get_weighted_progress(self, obj) -> str:
        return f"{action_progress(obj):f}"


class ActionScheduleSetSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version you read."), **VERSION)
    schedule = ScheduleRowSerializer(many=True, max_length=12)


class ActionProgressEntrySerializer(serializers.Serializer):
    sub_period = serializers.IntegerField(
        min_value=1, max_value=12, help_text=_("The number of the month or quarter.")
    )
    progress = serializers.DecimalField(**PERCENT, help_text=_("Percent of the plan done."))
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Correcting an entry: the version of it you read."),
        **VERSION,
    )
