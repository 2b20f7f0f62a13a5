"""API shapes of collaborations (shared targets across agencies)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinerja.core.scope import Scope
from kinerja.organisations.api.serializers import (
    ScopedRelatedField,
    ScopedRelatedFieldExtension,
    UnitBriefSerializer,
)
from kinerja.organisations.models import OrgUnit
from kinerja.performance.models import (
    Collaboration,
    CollaborationMember,
    CollaborationStatus,
    MemberStatus,
    Target,
)

from . import (
    NUMBER,
    VERSION,
    GoalBriefSerializer,
    IndicatorBriefSerializer,
    ScopedIdField,
    ShapeField,
    TargetBriefSerializer,
    choice_field,
)

CollaborationStatusField = choice_field(CollaborationStatus.choices, "CollaborationStatus")
MemberStatusField = choice_field(MemberStatus.choices, "CollaborationMemberStatus")


class AgencyField(ScopedRelatedField):
    """An agency of the caller's instansi (id or code): any agency may be invited, inside the
    caller's reach or not, so the lookup is the instansi's agencies."""

    def get_queryset(self):
        request = self.context.get("request")
        scope = getattr(request, "scope", None) or Scope.empty()
        if scope.instansi_id is None:
            return OrgUnit.objects.none()
        return OrgUnit.objects.filter(instansi_id=scope.instansi_id, parent__isnull=True)


class AgencyFieldExtension(ScopedRelatedFieldExtension):
    """Document an AgencyField as its parent: an id or a code in, a brief unit out."""

    target_class = AgencyField


class SharedTargetSerializer(serializers.ModelSerializer):
    indicator = IndicatorBriefSerializer(read_only=True)
    display = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = ["id", "year", "indicator", "display"]
        read_only_fields = fields


class CollaborationMemberSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    status = MemberStatusField(read_only=True)
    supporting_target = SharedTargetSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CollaborationMember
        fields = [
            "id",
            "unit",
            "weight",
            "status",
            "reason",
            "invited_at",
            "answered_at",
            "supporting_target",
        ]
        read_only_fields = fields


class CollaborationSerializer(serializers.ModelSerializer):
    target = ScopedIdField(
        brief=TargetBriefSerializer,
        help_text=_("The shared target (id): the lead unit's, or the province's own."),
    )
    lead_unit = AgencyField(
        brief=UnitBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_(
            "The lead agency (id or code): only for a target of the province's own plan; "
            "otherwise the agency whose indicator holds the target."
        ),
    )
    status = CollaborationStatusField(read_only=True)
    members = CollaborationMemberSerializer(many=True, read_only=True)
    shared_target = SharedTargetSerializer(source="target", read_only=True)

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "target",
            "shared_target",
            "lead_unit",
            "title",
            "status",
            "lead_weight",
            "version",
            "members",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["lead_weight", "version", "created_at", "updated_at"]


class CollaborationStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The version you read."), **VERSION)


class InviteSerializer(CollaborationStepSerializer):
    unit = AgencyField(brief=UnitBriefSerializer, help_text=_("The agency invited (id or code)."))
    weight = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("Its proposed weight, in percent.")
    )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "id"},
            {"type": "string", "description": "code"},
        ]
    }
)
class MemberField(serializers.Field):
    """The invited unit (id or code) whose answer this is."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).strip():
            raise serializers.ValidationError(_("Give the unit (id or code)."))
        return data

    def to_representation(self, value):
        return value


class AnswerSerializer(CollaborationStepSerializer):
    unit = MemberField(help_text=_("The invited unit answering (id or code)."))


class AcceptSerializer(AnswerSerializer):
    goal = ScopedIdField(
        brief=GoalBriefSerializer, help_text=_("The member agency's goal the result serves.")
    )
    code = serializers.CharField(max_length=40, help_text=_("The supporting indicator's code."))
    name = serializers.CharField(max_length=500, help_text=_("The supporting indicator's name."))
    shape = ShapeField(required=False, help_text=_("The shared target's shape when left out."))
    value = serializers.DecimalField(**NUMBER)
    low = serializers.DecimalField(**NUMBER)
    high = serializers.DecimalField(**NUMBER)
    expectation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DeclineSerializer(AnswerSerializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why the unit declines."))


class WeightSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, help_text=_("The member unit's id."))
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class WeightsSerializer(CollaborationStepSerializer):
    lead_weight = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("The lead's share, in percent.")
    )
    weights = WeightSerializer(many=True, max_length=200)
