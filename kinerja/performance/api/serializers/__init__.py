"""API shapes of performance planning. Rules live in the services; related objects are given
by id (or code) and found only within the caller's reach, so another agency's goal is "not
found" rather than revealed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinerja.organisations.api.serializers import (
    MAX_ID,
    ScopedRelatedField,
    UnitBriefSerializer,
)
from kinerja.organisations.choices import PositionKind
from kinerja.performance.choices import (
    Aggregation,
    AgreementStatus,
    ControlLevel,
    DataType,
    Frequency,
    GoalLevel,
    KeySetStatus,
    Polarity,
    ReportingFrequency,
    SubPeriodStatus,
    TargetShape,
    ZeroTargetRule,
)
from kinerja.performance.models import (
    Agreement,
    AgreementProgram,
    AgreementTarget,
    Goal,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    LateEntryWindow,
    Period,
    SubPeriod,
    Target,
)
from kinerja.performance.policy import (
    development_area_choices,
    measure_unit_choices,
    rb_theme_choices,
)
from kinerja.performance.services import FIRST_YEAR, LAST_YEAR

NUMBER = {"max_digits": 20, "decimal_places": 4, "allow_null": True, "required": False}


def choice_field(choices, name: str, help_text: str = "") -> type[serializers.ChoiceField]:
    """A ChoiceField documented as its own enum component (``name``), so that two fields
    called alike (a region's level, a goal's level) never collide in the schema."""
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "enum": values}, component_name=name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            kwargs.setdefault("help_text", help_text)
            super().__init__(choices=choices, **kwargs)

    Field.__name__ = f"{name}Field"
    return Field


FrequencyField = choice_field(Frequency.choices, "PeriodFrequency")
SubPeriodStatusField = choice_field(SubPeriodStatus.choices, "SubPeriodStatus")
GoalLevelField = choice_field(GoalLevel.choices, "GoalLevel")
PolarityField = choice_field(Polarity.choices, "Polarity")
DataTypeField = choice_field(DataType.choices, "IndicatorDataType")
ControlLevelField = choice_field(ControlLevel.choices, "ControlLevel")
ReportingFrequencyField = choice_field(ReportingFrequency.choices, "ReportingFrequency")
AggregationField = choice_field(Aggregation.choices, "Aggregation")
ShapeField = choice_field(TargetShape.choices, "TargetShape")
KeySetStatusField = choice_field(KeySetStatus.choices, "KeySetStatus")
MeasureUnitField = choice_field(measure_unit_choices(), "MeasureUnit")
PostKindField = choice_field(PositionKind.choices, "IndicatorPostKind")
RbThemeField = choice_field(rb_theme_choices(), "RbTheme")
AreaField = choice_field(list(development_area_choices()), "DevelopmentArea")
ZeroTargetRuleField = choice_field(ZeroTargetRule.choices, "ZeroTargetRule")


def year_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


class ScopedIdField(ScopedRelatedField):
    """A related object given by its id only (a number, or digits as text), found within the
    caller's reach."""

    default_error_messages = {
        "does_not_exist": _('No {model} "{value}" was found.'),
        "incorrect_type": _("Give the id (a number)."),
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and data.isascii() and data.isdigit() and len(data) <= 19:
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type")
        obj = self.get_queryset().filter(pk=data).first() if 0 < data <= MAX_ID else None
        if obj is None:
            self.fail("does_not_exist", model=self.brief.Meta.model._meta.verbose_name, value=data)
        return obj


class ScopedIdFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ScopedIdField
    priority = 1

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": "id"}
        return auto_schema.resolve_serializer(self.target.brief, direction).ref


# Periods -----------------------------------------------------------------------------------


class SubPeriodBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubPeriod
        fields = ["id", "number", "starts", "ends"]


class SubPeriodSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="period.year", read_only=True)
    status = SubPeriodStatusField(read_only=True)

    class Meta:
        model = SubPeriod
        fields = ["id", "year", "number", "starts", "ends", "status"]
        read_only_fields = fields


class SubPeriodStatusSerializer(serializers.Serializer):
    status = SubPeriodStatusField(help_text=_("open or closed."))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )


class PeriodSerializer(serializers.ModelSerializer):
    year = year_field(help_text=_("The year; it cannot change once open."))
    frequency = FrequencyField(
        required=False, help_text=_("monthly or quarterly; the policy's default when left out.")
    )
    plans_due = serializers.DateField(required=False)
    periodic_evaluation_days = serializers.IntegerField(required=False, min_value=0, max_value=90)
    annual_evaluation_due = serializers.DateField(required=False)
    sub_periods = SubPeriodSerializer(many=True, read_only=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )

    class Meta:
        model = Period
        fields = [
            "id",
            "year",
            "frequency",
            "plans_due",
            "periodic_evaluation_days",
            "annual_evaluation_due",
            "sub_periods",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class LateEntryWindowSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(brief=UnitBriefSerializer, help_text=_("Unit (id or code)."))
    sub_period = ScopedIdField(brief=SubPeriodBriefSerializer, help_text=_("Sub-period id."))
    reason = serializers.CharField(max_length=1000)

    class Meta:
        model = LateEntryWindow
        fields = ["id", "unit", "sub_period", "opens", "closes", "reason", "created_at"]
        read_only_fields = ["created_at"]


# Goals -------------------------------------------------------------------------------------


class GoalBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "code", "name"]


class GoalSerializer(serializers.ModelSerializer):
    parent = ScopedRelatedField(
        brief=GoalBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("The goal above (id or code); empty for a mission."),
    )
    level = GoalLevelField()
    unit = ScopedRelatedField(
        brief=UnitBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("The agency of a Renstra goal (id or code); empty for the RPJMD."),
    )
    rb_themes = serializers.ListField(
        child=RbThemeField(), required=False, max_length=10, help_text=_("RB Tematik themes.")
    )
    development_areas = serializers.ListField(
        child=AreaField(),
        required=False,
        max_length=10,
        help_text=_("Development areas of Perpres 80/2019."),
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default="", max_length=500
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "code",
            "name",
            "description",
            "level",
            "parent",
            "unit",
            "rb_themes",
            "development_areas",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        tags = list(instance.tags.all())
        data["rb_themes"] = [t.code for t in tags if t.kind == "rb_theme"]
        data["development_areas"] = [t.code for t in tags if t.kind == "development_area"]
        return data


# Indicators --------------------------------------------------------------------------------

MANUAL = [
    "name",
    "definition",
    "purpose",
    "measure_unit",
    "data_type",
    "polarity",
    "control_level",
    "formula",
    "data_source",
    "reporting_frequency",
    "aggregation",
]


class ManualFields(serializers.ModelSerializer):
    measure_unit = MeasureUnitField()
    data_type = DataTypeField(required=False)
    polarity = PolarityField(required=False)
    control_level = ControlLevelField()
    reporting_frequency = ReportingFrequencyField(required=False)
    aggregation = AggregationField(required=False)


class IndicatorTemplateBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTemplate
        fields = ["id", "name"]


class IndicatorTemplateSerializer(ManualFields):
    position_kind = PostKindField()

    class Meta:
        model = IndicatorTemplate
        fields = ["id", "position_kind", *MANUAL, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class IndicatorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name"]


class IndicatorSerializer(ManualFields):
    goal = ScopedRelatedField(brief=GoalBriefSerializer, help_text=_("Goal (id or code)."))
    unit = UnitBriefSerializer(read_only=True, allow_null=True)
    template = ScopedIdField(
        brief=IndicatorTemplateBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("Library entry (id): fills the manual fields left out."),
    )
    name = serializers.CharField(max_length=500, required=False)
    measure_unit = MeasureUnitField(required=False)
    control_level = ControlLevelField(required=False)
    baseline = serializers.DecimalField(**NUMBER)
    baseline_year = year_field(required=False, allow_null=True)
    cap_percent = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=100,
        allow_null=True,
        required=False,
        help_text=_("Empty: the policy's default cap (120)."),
    )
    zero_target_rule = ZeroTargetRuleField(
        allow_null=True,
        required=False,
        help_text=_(
            "What a target of 0 gives: exact, not_worse, better_capped or evaluator. "
            "Empty: the policy's default rule."
        ),
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default="", max_length=500
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "goal",
            "unit",
            "template",
            *MANUAL,
            "producer",
            "baseline",
            "baseline_year",
            "cap_percent",
            "zero_target_rule",
            "is_key",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


SimilarKindField = choice_field(
    [("indicator", "indicator"), ("template", "template")], "SimilarIndicatorKind"
)


class SimilarSerializer(serializers.Serializer):
    kind = SimilarKindField(help_text=_("An indicator, or an entry of the library."))
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(help_text=_("0 to 100: how close the name is."))


# Targets -----------------------------------------------------------------------------------


class TargetValueSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="sub_period.number")
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    low = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    high = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class TargetSerializer(serializers.ModelSerializer):
    indicator = ScopedRelatedField(
        brief=IndicatorBriefSerializer, help_text=_("Indicator (id or code).")
    )
    year = year_field()
    shape = ShapeField(
        required=False,
        help_text=_(
            "value, range or qualitative; by default a value (qualitative for a "
            "qualitative indicator)."
        ),
    )
    value = serializers.DecimalField(**NUMBER)
    low = serializers.DecimalField(**NUMBER)
    high = serializers.DecimalField(**NUMBER)
    expectation = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    values = TargetValueSerializer(many=True, read_only=True)
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default="", max_length=500
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "year",
            "shape",
            "value",
            "low",
            "high",
            "expectation",
            "values",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class SubPeriodValueSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=12)
    value = serializers.DecimalField(**NUMBER)
    low = serializers.DecimalField(**NUMBER)
    high = serializers.DecimalField(**NUMBER)


class TargetValuesSerializer(serializers.Serializer):
    values = SubPeriodValueSerializer(
        many=True,
        help_text=_(
            "One entry per sub-period of the year: `value`, or `low` and `high` for a range."
        ),
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def validate_values(self, rows):
        numbers = [r["number"] for r in rows]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError(_("Give each sub-period once."))
        return rows


# Key indicator (IKU) sets --------------------------------------------------------------------


class KeySetItemSerializer(serializers.ModelSerializer):
    indicator = IndicatorBriefSerializer(read_only=True)

    class Meta:
        model = KeyIndicatorSetItem
        fields = ["position", "indicator"]
        read_only_fields = fields


class KeyIndicatorSetSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(
        brief=UnitBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("The agency (id or code); empty for the province's own set. Fixed once set."),
    )
    name = serializers.CharField(max_length=300)
    first_year = year_field()
    last_year = year_field()
    status = KeySetStatusField(read_only=True)
    decree_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    items = KeySetItemSerializer(many=True, read_only=True)
    indicators = serializers.ListField(
        child=ScopedRelatedField(brief=IndicatorBriefSerializer),
        write_only=True,
        required=False,
        max_length=100,
        help_text=_(
            "The set's key indicators (ids or codes), in order: given on a change, they "
            "replace the set's indicators (a draft only)."
        ),
    )

    class Meta:
        model = KeyIndicatorSet
        fields = [
            "id",
            "unit",
            "name",
            "first_year",
            "last_year",
            "status",
            "decree_number",
            "items",
            "indicators",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class KeySetFinaliseSerializer(serializers.Serializer):
    decree_number = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The decree that sets the set; kept when left out."),
    )


# Performance agreements (Perjanjian Kinerja) -----------------------------------------------

AgreementStatusField = choice_field(AgreementStatus.choices, "AgreementStatus")
VERSION = {"min_value": 1, "max_value": 2**31 - 1}


class TargetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "year", "shape", "value", "low", "high", "expectation"]


class AgreementTargetSerializer(serializers.ModelSerializer):
    """A row of the agreement's target table: the signed copy once signed, else the live
    target."""

    target = serializers.IntegerField(source="target_id", read_only=True)
    indicator = IndicatorBriefSerializer(source="target.indicator", read_only=True)
    goal = GoalBriefSerializer(read_only=True)
    display = serializers.CharField(read_only=True)
    locked = serializers.BooleanField(source="is_locked", read_only=True)

    class Meta:
        model = AgreementTarget
        fields = [
            "position",
            "target",
            "indicator",
            "goal",
            "display",
            "locked",
            "shape",
            "value",
            "low",
            "high",
            "expectation",
        ]
        read_only_fields = fields


class AgreementProgramSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=500)
    sipd_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    budget = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        min_value=0,
        help_text=_("Rupiah, at most two decimal places."),
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    class Meta:
        model = AgreementProgram
        fields = ["position", "name", "sipd_code", "budget", "note"]
        read_only_fields = ["position"]


def party_field() -> serializers.CharField:
    return serializers.CharField(max_length=300, required=False, allow_blank=True)


class AgreementSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(
        brief=UnitBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_(
            "The unit (id or code): an agency or a unit with a head post; empty for the "
            "province's own agreement (the governor's). Fixed once made."
        ),
    )
    year = year_field()
    status = AgreementStatusField(read_only=True)
    version = serializers.IntegerField(
        required=False,
        help_text=_(
            "The version you read: a change must name it, and is refused (409) if the "
            "agreement changed since."
        ),
        **VERSION,
    )
    first_party_name = party_field()
    first_party_nip = serializers.CharField(max_length=18, required=False, allow_blank=True)
    first_party_title = party_field()
    second_party_name = party_field()
    second_party_nip = serializers.CharField(max_length=18, required=False, allow_blank=True)
    second_party_title = party_field()
    targets = AgreementTargetSerializer(many=True, read_only=True)
    target_ids = serializers.ListField(
        child=ScopedIdField(brief=TargetBriefSerializer),
        write_only=True,
        required=False,
        max_length=200,
        help_text=_("The agreement's targets (ids), in order; they replace its targets."),
    )
    programs = AgreementProgramSerializer(many=True, required=False, max_length=200)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "unit",
            "year",
            "revision",
            "is_current",
            "previous",
            "revision_reason",
            "status",
            "agreement_date",
            "head_post",
            "first_party_name",
            "first_party_nip",
            "first_party_title",
            "second_party_name",
            "second_party_nip",
            "second_party_title",
            "signed_at",
            "version",
            "targets",
            "target_ids",
            "programs",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "revision",
            "is_current",
            "previous",
            "revision_reason",
            "head_post",
            "signed_at",
            "created_at",
            "updated_at",
        ]
        validators = []


class AgreementStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version you read."), **VERSION)


class AgreementReviseSerializer(AgreementStepSerializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why the signed agreement changes.")
    )
