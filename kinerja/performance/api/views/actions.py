"""API of the action plan (rencana aksi): scoped reads, writes through the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action as route
from rest_framework.response import Response

from kinerja.performance.models import (
    Action,
    ActionProgress,
    ActionSchedule,
    Agreement,
    AgreementTarget,
    SubPeriod,
)
from kinerja.performance.services import actions as svc

from ..serializers.actions import (
    ActionProgressEntrySerializer,
    ActionScheduleSetSerializer,
    ActionSerializer,
    schedule_rows,
)
from . import READ_WRITE, PlanningViewSet, documented

FIELDS = (
    "parent",
    "code",
    "position",
    "text",
    "unit",
    "program_code",
    "activity_code",
    "sub_activity_code",
    "budget",
    "spending",
    "funding_source",
)


@documented(
    "actions",
    list=dict(
        summary="List actions",
        description="The action plan (rencana aksi) of the agreements within reach; "
        "`agreement` keeps to one agreement.",
    ),
    retrieve=dict(summary="Read an action"),
    create=dict(
        summary="Add an action",
        description="An action under a target row of a draft agreement, with its schedule "
        "(weights summing to 100). Needs manage_plans over the agreement's unit.",
    ),
    partial_update=dict(
        summary="Change an action",
        description="Names the `version` read; a given `schedule` replaces the old one. A "
        "signed agreement's actions change only through a revision.",
    ),
)
class ActionViewSet(*READ_WRITE, PlanningViewSet):
    optimistic_lock = True  # a stale version answers 409
    model = Action
    serializer_class = ActionSerializer
    select_related = ("unit", "parent")
    prefetch_related = (
        Prefetch("schedule", queryset=ActionSchedule.objects.select_related("sub_period")),
        Prefetch("progress", queryset=ActionProgress.objects.select_related("sub_period")),
    )
    ordering = ["agreement_id", "position", "code", "pk"]

    def get_queryset(self):
        qs = super().get_queryset()
        agreement = self.request.query_params.get("agreement", "")
        if self.action == "list" and agreement:
            if not (agreement.isascii() and agreement.isdigit() and len(agreement) <= 18):
                raise ValidationError({"agreement": _("Give the id (a number).")})
            qs = qs.filter(agreement_id=int(agreement))
        return qs.order_by(*self.ordering)

    def _target(self, pk) -> AgreementTarget:
        agreements = Agreement.objects.within(self.request.scope)
        row = (
            AgreementTarget.objects.filter(pk=pk, agreement__in=agreements)
            .select_related("agreement__unit")
            .first()
        )
        if row is None:
            raise ValidationError({"agreement_target": _("No such target of an agreement.")})
        return row

    def _data(self, validated) -> dict:
        return {k: v for k, v in validated.items() if k in FIELDS}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        schedule = schedule_rows(data.get("schedule", []))
        action = svc.action_create(
            **self.call(),
            agreement_target=self._target(data["agreement_target_id"]),
            data=self._data(data),
            schedule=schedule,
        )
        serializer.instance = self.get_queryset().get(pk=action.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        action = serializer.instance
        target = data.get("agreement_target_id", action.agreement_target_id)
        if target != action.agreement_target_id:
            raise ValidationError(
                {"agreement_target": _("The target an action serves cannot change.")}
            )
        schedule = schedule_rows(data["schedule"]) if "schedule" in data else None
        action = svc.action_update(
            **self.call(),
            action=action,
            version=data.get("version"),
            data=self._data(data),
            schedule=schedule,
        )
        serializer.instance = self.get_queryset().get(pk=action.pk)

    @extend_schema(
        operation_id="actions_schedule",
        tags=["actions"],
        summary="Set an action's schedule",
        description="Replaces the schedule: one row per month or quarter, weights summing "
        "to exactly 100; anything else is refused and nothing is saved.",
        request=ActionScheduleSetSerializer,
        responses=ActionSerializer,
    )
    @route(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        action = self.get_object()
        form = ActionScheduleSetSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        action = svc.action_set_schedule(
            **self.call(),
            action=action,
            version=form.validated_data["version"],
            schedule=schedule_rows(form.validated_data["schedule"]),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=action.pk)).data)

    @extend_schema(
        operation_id="actions_progress",
        tags=["actions"],
        summary="Enter an action's progress",
        description="The percent of a sub-period's plan done, inside an open sub-period or a "
        "late-entry window of the responsible unit; needs manage_plans over that unit.",
        request=ActionProgressEntrySerializer,
        responses=ActionSerializer,
    )
    @route(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        action = self.get_object()
        form = ActionProgressEntrySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        sub_period = SubPeriod.objects.filter(
            instansi_id=action.instansi_id,
            period__year=action.agreement.year,
            number=data.pop("sub_period"),
        ).first()
        if sub_period is None:
            raise ValidationError({"sub_period": _("No such sub-period in the year.")})
        svc.action_progress_enter(
            **self.call(),
            action=action,
            sub_period=sub_period,
            version=data.pop("version"),
            data=data,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=action.pk)).data)
