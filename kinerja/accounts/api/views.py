"""The caller's identity, roles and reach, for other systems and for the front end."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.organisations.models import Employee, Instansi, OrgUnit

from .serializers import MeSerializer


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
