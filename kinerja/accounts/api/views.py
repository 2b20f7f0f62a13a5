"""The caller's identity, roles and reach; role grants."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.accounts import services
from kinerja.accounts.filters import RoleGrantFilter
from kinerja.accounts.models import RoleAssignment
from kinerja.core.scope import Action
from kinerja.organisations.models import Employee, Instansi, OrgUnit

from .serializers import (
    MeSerializer,
    RoleGrantCreateSerializer,
    RoleGrantEndSerializer,
    RoleGrantSerializer,
)


class MeView(APIView):
    """The signed-in caller: account, employee record, roles and reach."""

    @extend_schema(
        operation_id="me_retrieve",
        tags=["me"],
        summary="Who am I",
        description="The caller's account, employee record, roles and where each role "
        "applies: a unit's subtree, or the whole instansi when `unit` is null.",
        responses=MeSerializer,
    )
    def get(self, request):
        scope = request.scope
        user = request.user
        paths = {grant.unit_path for grant in scope.grants if grant.unit_path}
        units = {
            unit.path: unit
            for unit in OrgUnit.objects.within(scope)
            .filter(path__in=paths)
            .only("id", "code", "name", "path")
        }
        employee = None
        if scope.employee_id:
            employee = (
                Employee.objects.within(scope)
                .select_related("unit", "position")
                .filter(pk=scope.employee_id)
                .first()
            )
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.get_full_name(),
            "instansi": Instansi.objects.filter(pk=scope.instansi_id).first(),
            "employee": employee,
            "roles": sorted(scope.roles),
            "actions": sorted({a for grant in scope.grants for a in grant.actions}),
            "grants": [
                {
                    "role": grant.role,
                    "unit": units.get(grant.unit_path) if grant.unit_path else None,
                    "actions": sorted(grant.actions),
                }
                for grant in scope.grants
            ],
        }
        return Response(MeSerializer(data, context={"request": request}).data)


class ManagesAccess(permissions.BasePermission):
    message = _("You do not manage access anywhere.")

    def has_permission(self, request, view) -> bool:
        return request.scope.can_anywhere(Action.MANAGE_ACCESS)


@extend_schema_view(
    list=extend_schema(
        summary="List role grants",
        description="Grants on units where the caller manages access (for a system "
        "administrator, the whole instansi). Filter by `user`, `unit`, `subtree`, `role`, "
        "`active`.",
    ),
    retrieve=extend_schema(summary="One role grant"),
)
class RoleGrantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Role grants: list by user or unit, grant, and end. Every write is audited."""

    serializer_class = RoleGrantSerializer
    filterset_class = RoleGrantFilter
    permission_classes = [permissions.IsAuthenticated, ManagesAccess]
    ordering_fields = ["valid_from", "role"]
    ordering = ["unit__path", "role", "user__username"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoleAssignment.objects.none()
        return RoleAssignment.objects.within(self.request.scope).select_related("user", "unit")

    @extend_schema(
        summary="Grant a role",
        description="An agency administrator grants only roles at or below its own, on units "
        "inside its own agency; 403 otherwise.",
        request=RoleGrantCreateSerializer,
        responses={201: RoleGrantSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = RoleGrantCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        grant = services.role_grant(
            actor=request.user, scope=request.scope, **serializer.validated_data
        )
        return Response(RoleGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a role grant",
        request=RoleGrantEndSerializer,
        responses={200: RoleGrantSerializer},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        grant = self.get_object()
        serializer = RoleGrantEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = services.role_grant_end(
            actor=request.user,
            scope=request.scope,
            assignment=grant,
            on=serializer.validated_data["on"],
            reason=serializer.validated_data["reason"],
        )
        return Response(RoleGrantSerializer(grant).data)
