"""API of the unit's predikat and its distribution curve: scoped like the unit's plans (who
reads the unit's plans sees its predikat), every write through `services.unit_predikat` with
the ``version`` read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.idempotency import IdempotentMixin
from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit

from ... import selectors_unit_predikat as sel
from ...models import Period, UnitPredikat, UnitPredikatStatus
from ...services import unit_predikat as svc
from ..serializers.unit_predikat import (
    DistributionSerializer,
    FinaliseSerializer,
    RecommendSerializer,
    SetSerializer,
    UnitPredikatOpenSerializer,
    UnitPredikatSerializer,
)
from . import documented

STEP_DOC = "Needs the `version` you read; a stale one answers 409. A final distribution refuses it."


@documented(
    "unit-predikat",
    list=dict(
        summary="List the units' predikat",
        description="The predikat of the units whose plans the caller reads. Filters: `unit`, "
        "`year`, `sub_period` (0: the year), `status` (open, set, final).",
    ),
    retrieve=dict(
        summary="Read a unit's predikat",
        description="The suggestion with its basis, the predikat set, the recommendations and, "
        "once final, the distribution recorded (counts, limits, breaches, justification).",
    ),
    create=dict(
        summary="Open a unit's predikat with the suggestion",
        description="`unit`, `year`, `sub_period` (0 for the year) and, for the year, the "
        "unit's delivery against the `expectation`. By the leader one level up or who keeps "
        "the unit's plans. The suggestion comes from the action plans' progress (periodic) or "
        "the PK achievement and the expectation (annual).",
        request=UnitPredikatOpenSerializer,
        responses={201: UnitPredikatSerializer},
    ),
)
class UnitPredikatViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UnitPredikatSerializer
    permission_classes = [permissions.IsAuthenticated]
    optimistic_lock = True  # a stale version answers 409
    http_method_names = ["get", "post", "head", "options"]

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnitPredikat.objects.none()
        qs = (
            UnitPredikat.objects.within(self.request.scope)
            .select_related("unit", "period", "distribution")
            .prefetch_related("recommendations")
        )
        get = self.request.query_params
        for name, lookup in (
            ("unit", "unit_id"),
            ("year", "period__year"),
            ("sub_period", "sub_period"),
        ):
            value = get.get(name, "")
            if value.isdigit():
                qs = qs.filter(**{lookup: int(value)})
        if get.get("status") in UnitPredikatStatus.values:
            qs = qs.filter(status=get["status"])
        return qs.order_by("period__year", "sub_period", "unit__sort_key", "pk")

    def read(self, unit_predikat: UnitPredikat, code=status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=unit_predikat.pk)
        return Response(UnitPredikatSerializer(row).data, status=code)

    def create(self, request, *args, **kwargs):
        form = UnitPredikatOpenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        scope = request.scope
        unit = OrgUnit.objects.within(scope, Action.VIEW_PLANNING).filter(pk=data["unit"]).first()
        if unit is None:
            raise ValidationError({"unit": _("No such unit.")})
        period = Period.objects.within(scope).filter(year=data["year"]).first()
        if period is None:
            raise ValidationError({"year": _("The year has no period.")})
        unit_predikat = svc.unit_predikat_open(
            **self.call(),
            unit=unit,
            period=period,
            sub_period=data["sub_period"],
            expectation=data.get("expectation", ""),
        )
        return self.read(unit_predikat, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="unit-predikat_recommend",
        tags=["unit-predikat"],
        summary="Recommend a predikat (Bappeda, BKD, Inspektorat)",
        description="`predikat` and a `note`; the source is the caller's role (`source` when "
        "they hold several). Replaces the source's earlier recommendation. " + STEP_DOC,
        request=RecommendSerializer,
        responses=UnitPredikatSerializer,
    )
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        return self._step(
            RecommendSerializer,
            svc.unit_predikat_recommend,
            lambda data: {
                "predikat": data["predikat"],
                "note": data.get("note", ""),
                "source": data.get("source"),
            },
        )

    @extend_schema(
        operation_id="unit-predikat_set",
        tags=["unit-predikat"],
        summary="Set the unit's predikat (the leader one level up)",
        description="`predikat`; another than the suggestion needs a `reason`. " + STEP_DOC,
        request=SetSerializer,
        responses=UnitPredikatSerializer,
    )
    @action(detail=True, methods=["post"], url_path="set")
    def set_predikat(self, request, pk=None):
        return self._step(
            SetSerializer,
            svc.unit_predikat_set,
            lambda data: {"predikat": data["predikat"], "reason": data.get("reason", "")},
        )

    @extend_schema(
        operation_id="unit-predikat_finalise",
        tags=["unit-predikat"],
        summary="Finalise the unit's distribution of employee predikat",
        description="By the head of the unit or who acts for the agency. Every evaluation "
        "counted must be final; a breach of the curve needs a `justification`, recorded with "
        "the breaches. The unit's evaluations of the period are then closed. " + STEP_DOC,
        request=FinaliseSerializer,
        responses=UnitPredikatSerializer,
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        return self._step(
            FinaliseSerializer,
            svc.distribution_finalise,
            lambda data: {"justification": data.get("justification", "")},
        )

    @extend_schema(
        operation_id="unit-predikat_distribution",
        tags=["unit-predikat"],
        summary="The distribution against the curve, as it fills",
        description="Final evaluations per predikat, drafts still open and, once the predikat "
        "is set, per band (and group) the count, the least and most the curve allows, the room "
        "left and what is still needed, and the breaches.",
        responses=DistributionSerializer,
    )
    @action(detail=True, methods=["get"])
    def distribution(self, request, pk=None):
        row = self.get_object()
        found = sel.distribution(row.unit, row.period, row.sub_period, row.predikat)
        return Response(found.as_dict())

    def _step(self, form_class, service, arguments):
        unit_predikat = self.get_object()
        form = form_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        service(
            **self.call(), unit_predikat=unit_predikat, version=data["version"], **arguments(data)
        )
        return self.read(unit_predikat)
