"""API shapes of the risk register. Related rows are given by id and looked up within the
caller's reach (a row out of reach gives the same "not found" as one that does not exist); the
services check every rule."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinerja.core.filters import MAX_ID
from kinerja.core.scope import Scope
from kinerja.organisations.models import Employee, Position
from kinerja.performance.models import Goal, Target
from kinerja.regional.models import Project

from ..choices import MitigationStatus, RiskStatus
from ..models import Mitigation, Risk


def _scope(serializer_field) -> Scope:
    request = serializer_field.context.get("request")
    return getattr(request, "scope", None) or Scope.empty()


@extend_schema_field(OpenApiTypes.INT)
class ScopedId(serializers.Field):
    """A related row given by its id, found by ``lookup(scope)``; out in responses as its id."""

    default_error_messages = {
        "does_not_exist": _('No {model} "{value}" was found.'),
        "incorrect_type": _("Give the id (a number)."),
    }

    def __init__(self, *, lookup, model, **kwargs):
        self.lookup, self.model = lookup, model
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data.isascii() and data.isdigit() and len(data) <= 19:
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type")
        obj = None
        if 0 < data <= MAX_ID:
            obj = self.lookup(_scope(self)).filter(pk=data).first()
        if obj is None:
            self.fail("does_not_exist", model=self.model._meta.verbose_name, value=data)
        return obj

    def to_representation(self, value):
        return getattr(value, "pk", value)


def _targets(scope):
    return Target.objects.within(scope).filter(indicator__goal__isnull=False)


def _goals(scope):
    return Goal.objects.within(scope)


def _projects(scope):
    return Project.objects.within(scope)


def _posts(scope):
    return Position.objects.filter(instansi_id=scope.instansi_id)


def _employees(scope):
    return Employee.objects.filter(instansi_id=scope.instansi_id)


def _risks(scope):
    return Risk.objects.within(scope)


LEVEL = {"min_value": 1, "max_value": 9}  # the policy's scale is checked by the services


class MitigationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=MitigationStatus.choices, read_only=True)

    class Meta:
        model = Mitigation
        fields = [
            "id",
            "risk",
            "action",
            "responsible_position",
            "responsible_name",
            "due_on",
            "status",
            "progress_percent",
            "progress_note",
            "done_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BandSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    low = serializers.IntegerField()
    high = serializers.IntegerField()


class RiskSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="goal, target, project")
    category = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=RiskStatus.choices, read_only=True)
    band = BandSerializer(read_only=True, allow_null=True)
    residual_band = BandSerializer(read_only=True, allow_null=True)
    agency = serializers.IntegerField(source="unit.agency_id", read_only=True, allow_null=True)
    threatens = serializers.SerializerMethodField()
    mitigations = MitigationSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "kind",
            "goal",
            "target",
            "project",
            "threatens",
            "unit",
            "agency",
            "year",
            "title",
            "category",
            "cause",
            "impact_description",
            "likelihood",
            "impact",
            "level",
            "band",
            "residual_likelihood",
            "residual_impact",
            "residual_level",
            "residual_band",
            "status",
            "owner_position",
            "owner_employee",
            "source",
            "projected_percent",
            "threshold_percent",
            "identified_on",
            "review_on",
            "closed_on",
            "close_reason",
            "mitigations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_threatens(self, risk) -> str:
        from ..excel import threatened_label

        return threatened_label(risk)


class RiskWriteSerializer(serializers.Serializer):
    """Register a risk of exactly one of ``goal``, ``target`` (a plan's target) or
    ``project``."""

    goal = ScopedId(lookup=_goals, model=Goal, required=False, allow_null=True)
    target = ScopedId(lookup=_targets, model=Target, required=False, allow_null=True)
    project = ScopedId(lookup=_projects, model=Project, required=False, allow_null=True)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    category = serializers.CharField(max_length=30, required=False, allow_blank=True)
    cause = serializers.CharField(required=False, allow_blank=True)
    impact_description = serializers.CharField(required=False, allow_blank=True)
    likelihood = serializers.IntegerField(required=False, allow_null=True, **LEVEL)
    impact = serializers.IntegerField(required=False, allow_null=True, **LEVEL)
    residual_likelihood = serializers.IntegerField(required=False, allow_null=True, **LEVEL)
    residual_impact = serializers.IntegerField(required=False, allow_null=True, **LEVEL)
    owner_position = ScopedId(lookup=_posts, model=Position, required=False, allow_null=True)
    owner_employee = ScopedId(lookup=_employees, model=Employee, required=False, allow_null=True)
    identified_on = serializers.DateField(required=False, allow_null=True)
    review_on = serializers.DateField(required=False, allow_null=True)


class RiskPatchSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    category = serializers.CharField(max_length=30, required=False, allow_blank=True)
    cause = serializers.CharField(required=False, allow_blank=True)
    impact_description = serializers.CharField(required=False, allow_blank=True)
    likelihood = serializers.IntegerField(required=False, **LEVEL)
    impact = serializers.IntegerField(required=False, **LEVEL)
    residual_likelihood = serializers.IntegerField(required=False, allow_null=True, **LEVEL)
    residual_impact = serializers.IntegerField(required=False, allow_null=True, **LEVEL)
    owner_position = ScopedId(lookup=_posts, model=Position, required=False, allow_null=True)
    owner_employee = ScopedId(lookup=_employees, model=Employee, required=False, allow_null=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=[(s, RiskStatus(s).label) for s in RiskStatus.live()], required=False
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RiskCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s, RiskStatus(s).label) for s in RiskStatus.ended()],
        default=RiskStatus.CLOSED,
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    closed_on = serializers.DateField(required=False, allow_null=True)


class FromTargetSerializer(serializers.Serializer):
    target = ScopedId(lookup=_targets, model=Target)
    projected_percent = serializers.DecimalField(max_digits=7, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=7, decimal_places=2)
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    impact_description = serializers.CharField(required=False, allow_blank=True, default="")
    owner_position = ScopedId(lookup=_posts, model=Position, required=False, allow_null=True)
    owner_employee = ScopedId(lookup=_employees, model=Employee, required=False, allow_null=True)


class MitigationWriteSerializer(serializers.Serializer):
    risk = ScopedId(lookup=_risks, model=Risk)
    action = serializers.CharField(required=False, allow_blank=True)
    responsible_position = ScopedId(lookup=_posts, model=Position, required=False, allow_null=True)
    responsible_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=MitigationStatus.choices, required=False)
    progress_percent = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )
    progress_note = serializers.CharField(required=False, allow_blank=True)


class MitigationPatchSerializer(MitigationWriteSerializer):
    risk = None
