"""API of attendance: the attendance rows (read like the participant; corrected by the
organiser with PATCH and a reason), the scans (one or a queued batch, idempotent by UUID) and
an event's totals in JP. Every write goes through `services.attendance`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Attendance, Event, Participant, ScanDirection, ScanMethod, Session
from ..services import attendance as svc


class AttendanceSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="session.event_id", read_only=True)
    employee = serializers.IntegerField(source="participant.employee_id", read_only=True)
    # Plain text, not an enum: the schema has other "status" enums (the values: present, late,
    # left_early, excused, sick, absent).
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "event",
            "session",
            "participant",
            "employee",
            "status",
            "checked_in_at",
            "checked_out_at",
            "minutes_present",
            "jp",
            "correction_reason",
            "version",
        ]
        read_only_fields = fields


class AttendanceCorrectSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=12)  # checked by the service
    checked_in_at = serializers.DateTimeField(required=False, allow_null=True)
    checked_out_at = serializers.DateTimeField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class ScanSerializer(serializers.Serializer):
    uuid = serializers.CharField(max_length=64)
    session = serializers.IntegerField()
    code = serializers.CharField(max_length=200, allow_blank=True)
    direction = serializers.ChoiceField(choices=ScanDirection.choices)
    scanned_at = serializers.DateTimeField(required=False, allow_null=True)
    device = serializers.CharField(max_length=64, required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=[ScanMethod.CAMERA, ScanMethod.TYPED], required=False)


class ScanBatchSerializer(serializers.Serializer):
    scans = ScanSerializer(many=True)


class ScanAnswerSerializer(serializers.Serializer):
    uuid = serializers.CharField()
    outcome = serializers.CharField()
    participant = serializers.IntegerField(required=False)
    message = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        operation_id="training_attendance_list",
        tags=["training"],
        summary="List attendance per session",
        description="The attendance rows of the enrolments within reach (read like the "
        "participant: the organiser sees all). Filters: `event`, `session`, `participant`.",
    ),
    retrieve=extend_schema(operation_id="training_attendance_retrieve", tags=["training"]),
    partial_update=extend_schema(
        operation_id="training_attendance_correct",
        tags=["training"],
        summary="Correct an attendance by hand (organiser)",
        description="`status` (present, late, left_early, excused, sick, absent), "
        "`checked_in_at` and `checked_out_at` (required for present, late and left early), "
        "`reason` (required). The JP follow from the times; excused, sick and absent give 0. "
        "Audited with before and after; later scans no longer change the row.",
        request=AttendanceCorrectSerializer,
        responses=AttendanceSerializer,
    ),
)
class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AttendanceSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        qs = svc.attendance_for(self.request.scope).select_related("session", "participant")
        get = self.request.query_params
        for name, lookup in (
            ("event", "session__event_id"),
            ("session", "session_id"),
            ("participant", "participant_id"),
        ):
            value = get.get(name, "")
            if value.isdigit():
                qs = qs.filter(**{lookup: int(value)})
        return qs.order_by("session__starts_at", "participant_id", "pk")

    def partial_update(self, request, *args, **kwargs):
        att = self.get_object()
        form = AttendanceCorrectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        att = svc.attendance_correct(
            actor=request.user,
            scope=request.scope,
            participant=att.participant,
            session=att.session,
            status=data["status"],
            checked_in_at=data.get("checked_in_at"),
            checked_out_at=data.get("checked_out_at"),
            reason=data["reason"],
        )
        return Response(AttendanceSerializer(att).data)


@extend_schema_view(
    create=extend_schema(
        operation_id="training_scans_create",
        tags=["training"],
        summary="Send badge scans (one, or a queue from an offline device)",
        description="The organiser only. One scan (`uuid`, `session`, `code`, `direction` in "
        'or out, `scanned_at` the device\'s time, `device`), or `{"scans": [...]}`. Each scan '
        "is kept once by its `uuid`: sending it again answers `duplicate` and changes "
        "nothing. A scan counts only inside the session's window (30 minutes before the start "
        "to 15 after the end) and with a device clock at most 120 s ahead. One scan answers "
        "201 (`counted` or `ignored`), 200 (`duplicate`) or 400 (`refused`); a queue answers "
        "200 with each scan's outcome.",
        request=ScanBatchSerializer,
        responses={
            200: ScanAnswerSerializer(many=True),
            201: ScanAnswerSerializer,
            400: OpenApiResponse(description="The scan is refused, with the reason."),
        },
    )
)
class ScanViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ScanSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Session.objects.none()

    def _items(self, raw: list[Any]) -> list[dict[str, Any]]:
        sessions = Session.objects.within(self.request.scope).select_related("event")
        found = ScanSerializer(data=raw, many=True)
        found.is_valid(raise_exception=True)
        ids = {item["session"] for item in found.validated_data}
        by_id = {s.pk: s for s in sessions.filter(pk__in=ids)}
        return [{**item, "session": by_id.get(item["session"])} for item in found.validated_data]

    def create(self, request, *args, **kwargs):
        if not svc.organises(request.scope):
            return Response(
                {"detail": _("Only the organiser may do this.")}, status=status.HTTP_403_FORBIDDEN
            )
        batch = isinstance(request.data, dict) and "scans" in request.data
        raw = request.data.get("scans") if batch else [request.data]
        if not isinstance(raw, list) or len(raw) > 500:
            raise ValidationError({"scans": _("Send a list of at most 500 scans.")})
        answers = svc.scans_record_batch(
            actor=request.user, scope=request.scope, items=self._items(raw)
        )
        if batch:
            return Response({"results": answers})
        answer = answers[0]
        code = {
            svc.REFUSED: status.HTTP_400_BAD_REQUEST,
            svc.DUPLICATE: status.HTTP_200_OK,
        }.get(answer["outcome"], status.HTTP_201_CREATED)
        return Response(answer, status=code)


class JpTotalRowSerializer(serializers.Serializer):
    participant = serializers.IntegerField()
    employee = serializers.IntegerField()
    name = serializers.CharField()
    agency = serializers.CharField()
    jp_attended = serializers.DecimalField(max_digits=7, decimal_places=2)
    jp_planned = serializers.DecimalField(max_digits=7, decimal_places=2)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2)


class EventJpTotalsView(APIView):
    """``GET training-events/{id}/jp-totals/``: JP attended per participant within reach."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="training_events_jp_totals",
        tags=["training"],
        summary="JP attended per participant of an event",
        description="Per participant within reach (read like the participant): JP attended, "
        "JP planned (every session of the event) and the percent, rounded down to 0.01.",
        responses=JpTotalRowSerializer(many=True),
    )
    def get(self, request, pk: int):
        event = Event.objects.within(request.scope).filter(pk=pk).first()
        if event is None:
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        participants = (
            Participant.objects.within(request.scope)
            .filter(event=event)
            .confirmed()
            .order_by("agency_name", "employee__name", "pk")
        )
        rows = [
            {
                "participant": row["participant"].pk,
                "employee": row["participant"].employee_id,
                "name": row["participant"].employee.display_name,
                "agency": row["participant"].agency_name,
                "jp_attended": row["attended"],
                "jp_planned": row["planned"],
                "percent": row["percent"],
            }
            for row in svc.totals_for(event, participants)
        ]
        return Response(JpTotalRowSerializer(rows, many=True).data)
