"""API shapes of the caller's own identity and of role grants."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.core.scope import Action
from kinerja.organisations.api.serializers import PositionBriefSerializer, UnitBriefSerializer
from kinerja.organisations.models import Employee, Instansi, OrgUnit


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


class UserBriefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


class RoleGrantSerializer(serializers.ModelSerializer):
    """A role grant as read; ``unit`` null means the whole instansi."""

    user = UserBriefSerializer(read_only=True)
    role = RoleField(read_only=True)
    unit = UnitBriefSerializer(read_only=True, allow_null=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "unit", "valid_from", "valid_to", "is_active"]

    def get_is_active(self, obj) -> bool:
        return obj.is_active_on()


class RoleGrantCreateSerializer(serializers.Serializer):
    """Grant a role: to a user (id), on a unit (id; null for an instansi-wide role)."""

    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    role = RoleField()
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), allow_null=True, required=False, default=None
    )
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            scope = request.scope
            # Only units where the caller manages access; another agency's unit is "not found".
            self.fields["unit"].queryset = OrgUnit.objects.within(scope, Action.MANAGE_ACCESS)
            self.fields["user"].queryset = User.objects.filter(is_active=True).filter(
                Q(instansi_id=scope.instansi_id) | Q(instansi__isnull=True)
            )


class RoleGrantEndSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The first day without the role; default today (at once).",
    )
    reason = serializers.CharField(max_length=500)
