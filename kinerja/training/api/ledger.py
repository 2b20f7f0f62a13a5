"""API of the development-hours ledger: the records (scoped like the person; filters
``employee``, ``year``, ``agency``, ``nip``, ``source``, ``training_type``; POST enters other
training through the ledger service) and the shortfall of a year with its forecast."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from kinerja.core.idempotency import IdempotentMixin
from kinerja.core.scope import Action
from kinerja.organisations.models import Employee
from kinerja.performance.api.views import CanChange, documented

from ..filters_ledger import DevelopmentRecordFilter
from ..ledger_rules import UNIT_LABELS, rules_for_year
from ..models import DevelopmentRecord
from ..selectors_ledger import agencies_for, reads_shortfall, shortfall
from ..services import ledger as services
from ..views.ledger import _year


class DevelopmentRecordSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    nip = serializers.CharField(source="employee.nip", read_only=True)
    training_type = serializers.CharField(source="training_type.code", read_only=True)

    class Meta:
        model = DevelopmentRecord
        fields = [
            "id",
            "employee",
            "employee_name",
            "nip",
            "year",
            "training_type",
            "route",
            "title",
            "organiser",
            "starts_on",
            "ends_on",
            "quantity",
            "quantity_unit",
            "hours",
            "conversion_version",
            "certificate_number",
            "source",
            "participant",
            "unit",
            "agency",
            "version",
        ]
        read_only_fields = fields


class DevelopmentRecordCreateSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    training_type = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=250)
    organiser = serializers.CharField(max_length=250, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    year = serializers.IntegerField(required=False, allow_null=True)
    quantity = serializers.DecimalField(max_digits=6, decimal_places=2)
    quantity_unit = serializers.ChoiceField(choices=list(UNIT_LABELS), required=False)
    certificate_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


@documented(
    "training-development-records",
    list=dict(
        summary="List development-hours records",
        description="Records within reach (read like the person). Filters: `employee`, "
        "`year`, `agency`, `nip`, `source`, `training_type` (code).",
    ),
    retrieve=dict(summary="Read a development-hours record"),
    create=dict(
        summary="Enter other training",
        description="Who keeps the employee's record (`change_people` on their unit). "
        "`quantity` in `quantity_unit` (jp, seminar_day, coaching_session, "
        "mentoring_session, benchmarking_day) is converted by the rules in force on "
        "`starts_on`; `year` defaults to the year of `ends_on`.",
        request=DevelopmentRecordCreateSerializer,
        responses={201: DevelopmentRecordSerializer},
    ),
)
class DevelopmentRecordViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DevelopmentRecordSerializer
    permission_classes = [permissions.IsAuthenticated, CanChange]
    change_actions = (Action.CHANGE_PEOPLE,)
    filterset_class = DevelopmentRecordFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DevelopmentRecord.objects.none()
        return (
            DevelopmentRecord.objects.within(self.request.scope)
            .select_related("employee", "training_type")
            .order_by("-year", "employee__name", "starts_on", "pk")
        )

    def create(self, request, *args, **kwargs):
        form = DevelopmentRecordCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        employee = (
            Employee.objects.within(request.scope, Action.VIEW_PEOPLE)
            .filter(pk=data.pop("employee"))
            .select_related("unit")
            .first()
        )
        if employee is None:
            raise serializers.ValidationError({"employee": [_("Not found.")]})
        created = services.development_record_create(
            actor=request.user, scope=request.scope, employee=employee, data=data
        )
        created = self.get_queryset().get(pk=created.pk)
        return Response(self.serializer_class(created).data, status=status.HTTP_201_CREATED)


class ShortfallRowSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="pk")
    nip = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    agency = serializers.IntegerField(source="unit.agency_id", allow_null=True)
    agency_name = serializers.CharField(source="unit.agency.name", default="")
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    enrolled = serializers.DecimalField(max_digits=8, decimal_places=2)
    missing = serializers.DecimalField(max_digits=8, decimal_places=2)
    unreachable = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(
        tags=["training-hours-shortfall"],
        summary="Staff below the yearly minimum of development hours",
        description="Active staff within reach whose status the year's minimum applies to and "
        "whose recorded JP are below it. `year` (default: this year), `agency` (an agency's id), "
        "`forecast=unreachable` for those who can no longer reach it this year.",
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("agency", int),
            OpenApiParameter("forecast", str, enum=["unreachable"]),
        ],
        responses={200: ShortfallRowSerializer(many=True)},
    )
)
class ShortfallViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ShortfallRowSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        from django.core.exceptions import PermissionDenied

        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Employee.objects.none()
        scope = self.request.scope
        if not reads_shortfall(scope):
            raise PermissionDenied
        agency = None
        raw = self.request.query_params.get("agency", "")
        if raw:
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
                raise serializers.ValidationError({"agency": [_("Not found.")]})
            agency = agencies_for(scope).filter(pk=int(raw)).first()
            if agency is None:
                raise serializers.ValidationError({"agency": [_("Not found.")]})
        year = _year(self.request)
        self.rules = rules_for_year(year)
        return shortfall(
            scope,
            year=year,
            agency=agency,
            unreachable_only=self.request.query_params.get("forecast") == "unreachable",
        )
