"""Thin API views over the organisation registry: scoped reads, writes through the services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.audit.freshness import kept
from kinerja.core.scope import Action
from kinerja.organisations import selectors, services
from kinerja.organisations.filters import (
    ActingFilter,
    EmployeeFilter,
    OrgUnitFilter,
    PositionFilter,
    RegionFilter,
    ReportingLineFilter,
)
from kinerja.organisations.models import (
    ActingAssignment,
    Employee,
    Instansi,
    OrgUnit,
    Position,
    Region,
    ReportingLine,
)

from .serializers import (
    ActingAssignmentSerializer,
    ActingCreateSerializer,
    ActingEndSerializer,
    EmployeeSerializer,
    OrgUnitSerializer,
    PositionLinesSerializer,
    PositionSerializer,
    RegionSerializer,
    ReportingLineSerializer,
    ReportingLineSetSerializer,
    ReportSerializer,
    UnitCloseSerializer,
    superiors_context,
)


def plain(data):
    """``data`` as plain dicts, lists and values: what a serializer wrote, without the
    serializer each of its dicts and lists holds on to (a kept answer is pickled)."""
    if isinstance(data, Mapping):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [plain(value) for value in data]
    if isinstance(data, Promise):
        return str(data)
    return data


# Write-only fields that steer the service call rather than set a model field.
CALL_FIELDS = ("reason", "effective_date")


def documented(noun: str, **docs: dict[str, Any]):
    """Give each action of a viewset a stable operation id (``units_list``) and one tag."""
    return extend_schema_view(
        **{
            name: extend_schema(operation_id=f"{noun}_{name}", tags=[noun], **doc)
            for name, doc in docs.items()
        }
    )


class ScopeActionPermission(permissions.BasePermission):
    """Let a write through only where the caller's roles carry the view's ``change_action``.

    Objects outside the scope never get this far: the scoped queryset answers 404 first.
    The services check again; this check only makes a read-only role get 403 before its
    payload is validated.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.scope.can_anywhere(view.change_action)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.scope.can(view.change_action, view.unit_path_of(obj))


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update; no delete (units close, employees are deactivated)."""

    model: type
    change_action: str
    select_related: tuple[str, ...] = ()
    permission_classes = [permissions.IsAuthenticated, ScopeActionPermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.model.objects.within(self.request.scope).select_related(*self.select_related)

    def unit_path_of(self, obj) -> str:
        return obj.unit.path

    def get_instansi(self) -> Instansi:
        """Return the caller's instansi: new rows belong to it, never to one named in a payload."""
        return selectors.caller_instansi(self.request.scope)

    @staticmethod
    def split(serializer) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return (model data, call arguments) from the validated data."""
        data = dict(serializer.validated_data)
        call = {name: data.pop(name) for name in CALL_FIELDS if name in data}
        return data, call


@documented(
    "regions",
    list=dict(
        summary="List regions",
        description="Kemendagri regions (province, regencies, cities). `q` searches code "
        "prefix and name.",
    ),
    retrieve=dict(summary="Read a region"),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Kemendagri regions: reference data that every signed-in caller may read."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["code", "name", "level"]
    ordering = ["code"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Region.objects.none()
        return Region.objects.within(self.request.scope).select_related("parent")


@documented(
    "units",
    list=dict(
        summary="List units",
        description="Agencies (OPD) and the units beneath them that the caller may see. "
        "`q` searches code and name; `active=true` keeps the units open today.",
    ),
    retrieve=dict(summary="Read a unit"),
    create=dict(
        summary="Create a unit",
        description="Create a unit under `parent` (id or code), or an agency when empty.",
    ),
    update=dict(summary="Replace a unit"),
    partial_update=dict(
        summary="Change a unit",
        description="A new `parent` moves the unit with its whole subtree.",
    ),
)
class OrgUnitViewSet(ScopedViewSet):
    """Units of the caller's instansi within their reach. Units are never deleted; they close."""

    model = OrgUnit
    change_action = Action.CHANGE_ORG
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter
    select_related = ("parent", "agency", "region")
    ordering_fields = ["code", "name", "kind", "path", "sort_key", "valid_from", "valid_to"]
    ordering = ["sort_key", "path"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("predecessors")

    def unit_path_of(self, obj) -> str:
        return obj.path

    def perform_create(self, serializer):
        data, _call = self.split(serializer)
        serializer.instance = services.unit_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=self.get_instansi(),
            data=data,
        )

    def perform_update(self, serializer):
        data, call = self.split(serializer)
        serializer.instance = services.unit_update(
            actor=self.request.user,
            scope=self.request.scope,
            unit=serializer.instance,
            data=data,
            reason=call.get("reason", ""),
        )

    @extend_schema(
        operation_id="units_close",
        tags=["units"],
        summary="Close a unit",
        description="Close the unit on `valid_to` (merged, renamed or dissolved). The "
        "`successor` keeps its history. The unit must have no active employees left.",
        request=UnitCloseSerializer,
        responses=OrgUnitSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        unit = self.get_object()
        form = UnitCloseSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        unit = services.unit_close(
            actor=request.user,
            scope=request.scope,
            unit=unit,
            on=form.validated_data["valid_to"],
            successor=form.validated_data["successor"],
            reason=form.validated_data["reason"],
        )
        return Response(self.get_serializer(unit).data)


@documented(
    "positions",
    list=dict(
        summary="List positions",
        description="Posts (jabatan) in the units the caller may see. `unit` includes the "
        "unit's sub-units; `q` searches code and title.",
    ),
    retrieve=dict(summary="Read a position"),
    create=dict(summary="Create a position"),
    update=dict(summary="Replace a position"),
    partial_update=dict(
        summary="Change a position", description="Set `is_active=false` to retire a post."
    ),
)
class PositionViewSet(ScopedViewSet):
    """Posts (jabatan) in the units within the caller's reach."""

    model = Position
    change_action = Action.CHANGE_ORG
    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    select_related = ("unit", "reports_to")
    ordering_fields = ["code", "title", "kind", "eselon", "unit__path"]
    ordering = ["unit__path", "-is_head", "title", "pk"]

    def perform_create(self, serializer):
        data, _call = self.split(serializer)
        serializer.instance = services.position_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=self.get_instansi(),
            data=data,
        )

    def perform_update(self, serializer):
        data, _call = self.split(serializer)
        serializer.instance = services.position_update(
            actor=self.request.user,
            scope=self.request.scope,
            position=serializer.instance,
            data=data,
        )


@documented(
    "employees",
    list=dict(
        summary="List employees",
        description="Employees the caller may see (an employee sees their own record). "
        "`q` searches name and position title, or a NIP prefix when it is all digits; "
        "`unit` includes the unit's sub-units.",
    ),
    retrieve=dict(summary="Read an employee"),
    create=dict(
        summary="Create an employee",
        description="PNS and PPPK need a valid 18-digit NIP; non-ASN staff have none. "
        "Birth date and sex are taken from the NIP.",
    ),
    update=dict(summary="Replace an employee"),
    partial_update=dict(
        summary="Change an employee",
        description="A new `unit` or `position` is a transfer from `effective_date` "
        "(default today). Set `is_active=false` to deactivate the employee.",
    ),
)
class EmployeeViewSet(ScopedViewSet):
    """Employees within the caller's reach. Employees are never deleted; they are deactivated."""

    model = Employee
    change_action = Action.CHANGE_PEOPLE
    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    select_related = ("unit", "unit__agency", "position")
    ordering_fields = ["name", "nip", "status", "grade", "unit__path", "created_at"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # A page reads the employees whole but of their unit, agency and post only what the
            # brief forms show (their timestamps and duties cost more to read than to send).
            queryset = queryset.only(
                *(f.name for f in Employee._meta.concrete_fields),
                *("unit__code", "unit__name", "unit__path", "unit__instansi_id"),
                *("unit__agency__code", "unit__agency__name"),
                *("position__code", "position__title", "position__eselon"),
            )
        return queryset

    def list(self, request, *args, **kwargs):
        """A page of employees, kept until the next audited write of the caller's instansi.

        The page depends on the caller's reach (the key's scope), the path, the query (filters,
        ordering, page), the language (labels) and the address the links are built on; the
        checks (sign-in, throttling) ran before, and a refusal (a bad filter, a page past the
        end) raises from ``compute`` and is never kept.
        """
        base_list = super().list

        def compute():
            return plain(base_list(request, *args, **kwargs).data)

        data = kept(
            "api.employees",
            compute,
            scope=request.scope,
            request=request._request,  # shares the request's read of the data's version
            parts=(
                request.path,
                request.META.get("QUERY_STRING", ""),
                get_language() or "",
                request.build_absolute_uri("/"),
            ),
        )
        return Response(data)

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args and not isinstance(args[0], dict):
            # A page of employees: their superiors in a fixed number of queries.
            args = (list(args[0]), *args[1:])
            kwargs["context"] = {**self.get_serializer_context(), **superiors_context(args[0])}
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data, call = self.split(serializer)
        serializer.instance = services.employee_create(
            actor=self.request.user,
            scope=self.request.scope,
            instansi=self.get_instansi(),
            data=data,
            valid_from=call.get("effective_date"),
        )
        self._warn(serializer)

    def perform_update(self, serializer):
        data, call = self.split(serializer)
        serializer.instance = services.employee_update(
            actor=self.request.user,
            scope=self.request.scope,
            employee=serializer.instance,
            data=data,
            reason=call.get("reason", ""),
            effective=call.get("effective_date"),
        )
        self._warn(serializer)

    @staticmethod
    def _warn(serializer) -> None:
        """A post past its formation is a warning in the response, not a refusal."""
        warning = services.formation_warning(serializer.instance.position)
        serializer.context["warnings"] = [warning] if warning else []

    @extend_schema(
        operation_id="employees_reports",
        tags=["employees"],
        summary="List an employee's direct reports",
        description="The employees whose superior (evaluator) the employee is today, through "
        "the dated reporting lines and acting assignments (Plt, Plh); a vacant post in between "
        "passes its people up. Only the reports the caller may see are listed. Paginated.",
        responses=ReportSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=[])
    def reports(self, request, pk=None):
        employee = self.get_object()
        reports = selectors.direct_reports(employee, timezone.localdate())
        queryset = (
            Employee.objects.within(request.scope)
            .filter(pk__in=[r.employee.pk for r in reports])
            .select_related("unit", "position")
            .order_by("name", "pk")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ReportSerializer(page, many=True).data)


def _position_lines(position: Position) -> dict[str, Any]:
    position.refresh_from_db(fields=["reports_to"])
    lines = (
        ReportingLine.objects.filter(position=position)
        .select_related("position", "reports_to")
        .order_by("-valid_from", "-pk")
    )
    return {"position": position, "reports_to": position.reports_to, "lines": list(lines)}


@documented(
    "reporting_lines",
    list=dict(
        summary="List reporting lines",
        description="The dated lines of the posts the caller may see: from `valid_from` to "
        "`valid_to` (the last day; null while open) `position` reports to `reports_to`. "
        "`position` or `reports_to` keep to one post; `on` (YYYY-MM-DD) to the lines in force "
        "that day.",
    ),
)
class ReportingLineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The dated chain of superiors; a change on a date goes through `reporting_line_set`."""

    serializer_class = ReportingLineSerializer
    filterset_class = ReportingLineFilter
    permission_classes = [permissions.IsAuthenticated, ScopeActionPermission]
    change_action = Action.CHANGE_ORG
    ordering_fields = ["valid_from", "valid_to"]
    ordering = ["position_id", "-valid_from", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReportingLine.objects.none()
        return ReportingLine.objects.within(self.request.scope).select_related(
            "position", "reports_to"
        )

    @extend_schema(
        operation_id="reporting_lines_create",
        tags=["reporting_lines"],
        summary="Set a post's reporting line from a date",
        description="From `valid_from` the post reports to `reports_to` (null: to no one). "
        "The line in force before ends the day before; lines planned from that day on are "
        "replaced; earlier lines stay, so last year's chain can be rebuilt. Refused (400) for a "
        "post of a unit that is neither the post's unit nor above it, a post not active that "
        "day, or a loop. Needs change_org on both posts' units. Answers the post's lines.",
        request=ReportingLineSetSerializer,
        responses={201: PositionLinesSerializer},
    )
    def create(self, request, *args, **kwargs):
        form = ReportingLineSetSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        position = services.reporting_line_set(
            actor=request.user,
            scope=request.scope,
            position=data["position"],
            reports_to=data["reports_to"],
            valid_from=data["valid_from"],
            reason=data["reason"],
        )
        body = PositionLinesSerializer(_position_lines(position)).data
        return Response(body, status=status.HTTP_201_CREATED)


@documented(
    "acting_assignments",
    list=dict(
        summary="List acting assignments",
        description="Acting officials (Plt, Plh) of the posts whose people the caller may see. "
        "`status`: current (in force today), planned or ended; `unit` includes its sub-units.",
    ),
    retrieve=dict(summary="Read an acting assignment"),
)
class ActingAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Acting officials; appointing and ending go through the services (change_people)."""

    serializer_class = ActingAssignmentSerializer
    filterset_class = ActingFilter
    permission_classes = [permissions.IsAuthenticated, ScopeActionPermission]
    change_action = Action.CHANGE_PEOPLE
    ordering_fields = ["valid_from", "valid_to", "created_at"]
    ordering = ["-valid_from", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActingAssignment.objects.none()
        return ActingAssignment.objects.within(
            self.request.scope, Action.VIEW_PEOPLE
        ).select_related("employee", "position", "position__unit")

    def unit_path_of(self, obj) -> str:
        return obj.position.unit.path

    @extend_schema(
        operation_id="acting_assignments_create",
        tags=["acting_assignments"],
        summary="Appoint an acting official",
        description="Appoint `employee` Plt or Plh of `position` from `valid_from` to "
        "`valid_to` (the last day; null until ended). In the period they answer for the post, "
        "even over its definitive holder. One acting official per post at a time; needs "
        "change_people on the post's unit.",
        request=ActingCreateSerializer,
        responses={201: ActingAssignmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        form = ActingCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        acting = services.acting_create(
            actor=request.user, scope=request.scope, **form.validated_data
        )
        acting = self.get_queryset().get(pk=acting.pk)
        return Response(self.get_serializer(acting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="acting_assignments_end",
        tags=["acting_assignments"],
        summary="End an acting assignment",
        description="End the assignment on `valid_to`, its last day (not before it began; a "
        "later end may not run into the post's next acting official).",
        request=ActingEndSerializer,
        responses=ActingAssignmentSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def end(self, request, pk=None):
        acting = self.get_object()
        form = ActingEndSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        acting = services.acting_end(
            actor=request.user,
            scope=request.scope,
            acting=acting,
            on=form.validated_data["valid_to"],
            reason=form.validated_data["reason"],
        )
        return Response(self.get_serializer(acting).data)
