"""API of the nominations: enrolments (``training-participants``: list scoped like the
person, create = nominate for an agency or invite for the organiser, ``confirm`` and
``withdraw``), an event's suggested nominees (``training-events/{id}/suggestions/``) and the
competency gaps (``training-competency-gaps``). Every write goes through
`services.nominations`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.core.scope import Action
from kinerja.organisations.models import Employee

from ..choices import NominationRoute, ParticipantStatus
from ..filters_nominations import ParticipantFilter
from ..models import Competency, CompetencyGap, Event, GapSource, Participant
from ..querysets import organises
from ..selectors_nominations import (
    nominates,
    participants_for,
    staff_within,
    suggested_nominees,
)
from ..services import nominations as svc

ID = {"min_value": 1, "max_value": 2**63 - 1}


class ParticipantSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.display_name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(ParticipantStatus.values))
    route = serializers.CharField(read_only=True, help_text=", ".join(NominationRoute.values))

    class Meta:
        model = Participant
        fields = [
            "id",
            "event",
            "employee",
            "employee_name",
            "status",
            "route",
            "position",
            "position_title",
            "position_kind",
            "eselon",
            "acting",
            "unit",
            "unit_name",
            "agency",
            "agency_name",
            "suggestion",
            "nominated_at",
            "confirmed_at",
            "withdrawn_at",
            "withdrawal_reason",
            "replaces",
            "version",
        ]
        read_only_fields = fields


class ParticipantCreateSerializer(serializers.Serializer):
    event = serializers.IntegerField(**ID)
    employee = serializers.IntegerField(**ID)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ParticipantWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)
    replacement = serializers.IntegerField(required=False, allow_null=True, **ID)


def _not_found(field: str):
    return serializers.ValidationError({field: [_("Not found.")]})


@extend_schema_view(
    list=extend_schema(
        operation_id="training_participants_list",
        tags=["training-participants"],
        description="Enrolments read like the person (the organiser: the instansi). "
        "Filters: `event`, `agency`, `status` (nominated, confirmed, withdrawn).",
    ),
    retrieve=extend_schema(
        operation_id="training_participants_read", tags=["training-participants"]
    ),
    create=extend_schema(
        operation_id="training_participants_create",
        tags=["training-participants"],
        description="The organiser (manage_training) invites, outside the quotas, while the "
        "event is open or running; an agency (nominate) nominates its own staff within its "
        "quota while the event is open for nomination.",
        request=ParticipantCreateSerializer,
        responses={201: ParticipantSerializer},
    ),
)
class ParticipantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    ordering_fields = ["agency_name", "nominated_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participant.objects.none()
        return (
            participants_for(self.request.scope)
            .select_related("employee", "event", "unit")
            .order_by("event_id", "agency_name", "employee__name", "pk")
        )

    def _out(self, participant, code=status.HTTP_200_OK):
        return Response(ParticipantSerializer(participant).data, status=code)

    def create(self, request, *args, **kwargs):
        scope = request.scope
        if not (organises(scope) or nominates(scope)):
            raise PermissionDenied(_("You neither organise training nor nominate."))
        data = ParticipantCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = Event.objects.within(scope).filter(pk=data.validated_data["event"]).first()
        if event is None:
            raise _not_found("event")
        employee = staff_within(scope).filter(pk=data.validated_data["employee"]).first()
        if employee is None:
            raise _not_found("employee")
        write = svc.participant_invite if organises(scope) else svc.participant_nominate
        participant = write(
            actor=request.user,
            scope=scope,
            event=event,
            employee=employee,
            reason=data.validated_data.get("reason", ""),
        )
        return self._out(participant, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="training_participants_confirm",
        tags=["training-participants"],
        request=None,
        responses={200: ParticipantSerializer},
        description="The organiser confirms a nominee.",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        participant = self.get_object()
        svc.participant_confirm(actor=request.user, scope=request.scope, participant=participant)
        return self._out(participant)

    @extend_schema(
        operation_id="training_participants_withdraw",
        tags=["training-participants"],
        request=ParticipantWithdrawSerializer,
        responses={200: ParticipantSerializer},
        description="Withdraw with a `reason` (required); an optional `replacement` (an "
        "employee id) takes the freed seat in the same call, eligibility and quota checked. "
        "Answers the replacement's enrolment when there is one, else the withdrawn one.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        participant = self.get_object()
        data = ParticipantWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        replacement = None
        if data.validated_data.get("replacement"):
            replacement = (
                staff_within(request.scope).filter(pk=data.validated_data["replacement"]).first()
            )
            if replacement is None:
                raise _not_found("replacement")
        old, new = svc.participant_withdraw(
            actor=request.user,
            scope=request.scope,
            participant=participant,
            reason=data.validated_data["reason"],
            replacement=replacement,
        )
        return self._out(new or old)


class SuggestionSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee_id")
    name = serializers.CharField()
    nip = serializers.CharField(allow_null=True)
    position_title = serializers.CharField()
    unit_name = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class EventSuggestionsView(APIView):
    """The suggested nominees of an event with the reasons: the organiser sees the
    instansi's, an agency (nominate) its own staff's."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="training_events_suggestions",
        tags=["training-events"],
        responses={200: SuggestionSerializer(many=True)},
    )
    def get(self, request, pk):
        scope = request.scope
        event = get_object_or_404(Event.objects.within(scope), pk=pk)
        if not (organises(scope) or nominates(scope)):
            raise PermissionDenied(_("You neither organise training nor nominate."))
        rows = suggested_nominees(event, scope, limit=500)
        return Response(SuggestionSerializer(rows, many=True).data)


class CompetencyGapSerializer(serializers.ModelSerializer):
    competency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source = serializers.CharField(read_only=True, help_text=", ".join(GapSource.values))

    class Meta:
        model = CompetencyGap
        fields = [
            "id",
            "employee",
            "competency",
            "year",
            "level",
            "description",
            "source",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class CompetencyGapCreateSerializer(serializers.Serializer):
    employee = serializers.IntegerField(**ID)
    competency = serializers.SlugField(help_text="A code of the competency dictionary.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=99)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    source = serializers.CharField(max_length=12, help_text=", ".join(GapSource.values))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(
        operation_id="training_competency_gaps_list",
        tags=["training-competency-gaps"],
        description="Gaps read like the person. Filters: `employee`, `year`.",
    ),
    retrieve=extend_schema(
        operation_id="training_competency_gaps_read", tags=["training-competency-gaps"]
    ),
    create=extend_schema(
        operation_id="training_competency_gaps_create",
        tags=["training-competency-gaps"],
        description="BKD, the employee's agency administrator or their superior records a "
        "gap: a `level` (1 to 3) or a `description`, with its `source`.",
        request=CompetencyGapCreateSerializer,
        responses={201: CompetencyGapSerializer},
    ),
)
class CompetencyGapViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CompetencyGapSerializer
    filterset_fields = ["employee", "year"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CompetencyGap.objects.none()
        return (
            CompetencyGap.objects.within(self.request.scope)
            .select_related("competency")
            .order_by("-year", "employee_id", "pk")
        )

    def create(self, request, *args, **kwargs):
        data = CompetencyGapCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        employee = (
            Employee.objects.within(request.scope, Action.VIEW_PEOPLE)
            .filter(pk=v["employee"])
            .first()
        )
        if employee is None:
            raise _not_found("employee")
        competency = Competency.objects.filter(code=v["competency"]).first()
        if competency is None:
            raise _not_found("competency")
        gap = svc.competency_gap_record(
            actor=request.user,
            scope=request.scope,
            employee=employee,
            competency=competency,
            year=v["year"],
            source=v["source"],
            level=v.get("level"),
            description=v.get("description", ""),
            note=v.get("note", ""),
        )
        return Response(CompetencyGapSerializer(gap).data, status=status.HTTP_201_CREATED)
