"""API shapes of the caller's own identity."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinerja.accounts.roles import Role
from kinerja.organisations.api.serializers import PositionBriefSerializer, UnitBriefSerializer
from kinerja.organisations.models import Employee, Instansi


class InstansiBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instansi
        fields = ["id", "code", "name"]


class OwnEmployeeSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    position = PositionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Employee
        fields = ["id", "nip", "name", "display_name", "status", "unit", "position"]


@extend_schema_field(
    {"type": "string", "enum": Role.values, "description": "A role code."}, component_name="Role"
)
class RoleField(serializers.ChoiceField):
    """A role code; one schema component for every place a role appears."""

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, **kwargs)


class GrantSerializer(serializers.Serializer):
    role = RoleField()
    unit = UnitBriefSerializer(
        allow_null=True, help_text="The unit whose subtree the role covers; null: the instansi."
    )
    actions = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    instansi = InstansiBriefSerializer(allow_null=True)
    employee = OwnEmployeeSerializer(allow_null=True)
    roles = serializers.ListField(child=RoleField())
    actions = serializers.ListField(
        child=serializers.CharField(), help_text="Every action any of the roles allows."
    )
    grants = GrantSerializer(many=True)
