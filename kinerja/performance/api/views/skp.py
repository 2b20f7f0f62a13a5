"""API of the employee plan (SKP): scoped like the pages (the caller's own plans, those they
evaluate, their units'), every write through `services.skp` with the ``version`` read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id answers 404
from rest_framework.response import Response

from kinerja.organisations.selectors import caller_instansi

from ...models import AgreementTarget, Indicator, Plan, PlanResult, PlanStatus
from ...plan_selectors import plans_for
from ...services import skp
from ..serializers.skp import (
    IndicatorAddSerializer,
    PlanSerializer,
    PlanStepSerializer,
    PlanWriteSerializer,
    ResultWriteSerializer,
)
from . import documented

STEP_DOC = "Needs the `version` you read; a stale one answers 409."
STEPS = {
    "submit": skp.plan_submit,
    "approve": skp.plan_approve,
    "sign": skp.plan_sign,
    "return": skp.plan_return,
    "revise": skp.plan_revise,
}
PLAN_DATA = (
    "employee",
    "period",
    "starts",
    "ends",
    "approach",
    "evaluator_name",
    "evaluator_nip",
    "evaluator_title",
    "delegated_authority",
    "delegation_reason",
    "resources",
    "accountability",
    "consequences",
)


class PlanApiMixin:
    permission_classes = [permissions.IsAuthenticated]

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}

    def plans(self):
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        return plans_for(self.request.scope).select_related("employee", "unit", "period")

    def read(self, plan: Plan, code=status.HTTP_200_OK) -> Response:
        return Response(PlanSerializer(self.plans().get(pk=plan.pk)).data, status=code)


@documented(
    "plans",
    list=dict(
        summary="List employee plans (SKP)",
        description="The plans within reach: the caller's own, those they evaluate, and "
        "those of the units where they read planning. Filters: `year`, `unit`, `status`, "
        "`employee`; `current=false` lists every revision.",
    ),
    retrieve=dict(summary="Read an employee plan with its results, indicators and behaviours"),
    create=dict(
        summary="Start an employee plan",
        description="A draft for `employee` in `period` from `starts` to `ends` (default: "
        "the whole year). The post and unit are the employee's on `starts`; the evaluator and "
        "the evaluator's superior are read from the reporting lines of that day. At the top of "
        "the lines `evaluator_name` and `evaluator_title` name the evaluator. Plans of one "
        "employee do not overlap.",
        request=PlanWriteSerializer,
        responses={201: PlanSerializer},
    ),
    partial_update=dict(
        summary="Change a draft employee plan",
        description="Dates, approach, annexes, delegation (BKD), the evaluator named by hand "
        "and `behaviours` (value code -> expectation). " + STEP_DOC,
        request=PlanWriteSerializer,
        responses=PlanSerializer,
    ),
)
class PlanViewSet(
    PlanApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PlanSerializer
    optimistic_lock = True  # a stale version answers 409
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = self.plans()
        get = self.request.query_params
        if get.get("current", "true") != "false":
            qs = qs.filter(is_current=True)
        for name, lookup in (
            ("year", "period__year"),
            ("unit", "unit_id"),
            ("employee", "employee_id"),
        ):
            value = get.get(name, "")
            if value.isdigit():
                qs = qs.filter(**{lookup: int(value)})
        if get.get("status") in PlanStatus.values:
            qs = qs.filter(status=get["status"])
        return qs.order_by("-period__year", "employee__name", "starts", "pk")

    def create(self, request, *args, **kwargs):
        form = PlanWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = {k: v for k, v in form.validated_data.items() if k in PLAN_DATA}
        with transaction.atomic():
            plan = skp.plan_create(
                **self.call(), instansi=caller_instansi(request.scope), data=data
            )
            behaviours = form.validated_data.get("behaviours")
            if behaviours:
                plan = skp.plan_set_behaviours(
                    **self.call(), plan=plan, version=plan.version, expectations=behaviours
                )
        return self.read(plan, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        form = PlanWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        given = form.validated_data
        for fixed in ("employee", "period"):
            if fixed in given and given[fixed] != getattr(plan, fixed):
                raise ValidationError({fixed: _("The employee and year of a plan cannot change.")})
        data = {k: v for k, v in given.items() if k in PLAN_DATA[2:]}
        version = given.get("version")
        with transaction.atomic():
            if data or "behaviours" not in given:
                plan = skp.plan_update(**self.call(), plan=plan, version=version, data=data)
                version = plan.version
            if "behaviours" in given:
                plan = skp.plan_set_behaviours(
                    **self.call(), plan=plan, version=version, expectations=given["behaviours"]
                )
        return self.read(plan)

    @extend_schema(
        operation_id="plans_step",
        tags=["plans"],
        summary="Take a step: submit, approve, sign, return or revise",
        description="`submit` (the employee's side: a main result, an indicator on every "
        "result), `approve` and `sign` (the evaluator), `return` to draft (the evaluator, "
        "with a `reason`), `revise` a signed plan (with a `reason`: answers the new "
        "revision; the signed one stays readable). " + STEP_DOC,
        request=PlanStepSerializer,
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        plan = self.get_object()
        form = PlanStepSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        step = data.pop("step")
        if step not in ("return", "revise"):
            data.pop("reason", None)
        else:
            data.setdefault("reason", "")
        plan = STEPS[step](**self.call(), plan=plan, **data)
        return self.read(plan)


@documented(
    "plan-results",
    create=dict(
        summary="Add a result (RHK) to a draft plan",
        description="`plan`, `kind`, `text` and what it serves (`serves`: a result of the "
        "evaluator or of the team leader `assigned_by`; `serves_target`: for a head of unit "
        "an agreement target, with `classification`), optionally its `indicators` (each with "
        "its `target`) and `actions`. " + STEP_DOC,
        request=ResultWriteSerializer,
        responses={201: PlanSerializer},
    ),
    partial_update=dict(
        summary="Change a result of a draft plan",
        description="The fields given, `actions` (sub-period number -> text, replacing the "
        "action plan) and `remove_indicators` (ids). " + STEP_DOC,
        request=ResultWriteSerializer,
        responses=PlanSerializer,
    ),
    destroy=dict(
        summary="Remove a result of a draft plan",
        description="With its indicators and actions; `version` as a query parameter. "
        "A result that others serve stays.",
    ),
)
class PlanResultViewSet(
    PlanApiMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ResultWriteSerializer
    optimistic_lock = True  # a stale version answers 409
    http_method_names = ["post", "patch", "delete", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PlanResult.objects.none()
        return PlanResult.objects.filter(plan__in=self.plans().values("pk")).select_related(
            "plan__unit", "plan__period"
        )

    def _fields(self, data: dict[str, Any], plan: Plan) -> dict[str, Any]:
        out = {
            k: data[k]
            for k in ("kind", "text", "serves", "serves_directly", "classification", "assigned_by")
            if k in data
        }
        if "serves_target" in data:
            pk = data["serves_target"]
            out["serves_target"] = None
            if pk is not None:
                out["serves_target"] = AgreementTarget.objects.filter(
                    pk=pk, agreement__instansi_id=plan.instansi_id
                ).first()
                if out["serves_target"] is None:
                    raise ValidationError({"serves_target": _("No such agreement target.")})
        return out

    def _actions(self, result: PlanResult, plan: Plan, actions: dict[str, str]) -> Plan:
        numbers = {}
        for key, text in actions.items():
            if not str(key).isdigit():
                raise ValidationError({f"actions.{key}": _("Give a sub-period's number.")})
            numbers[int(key)] = text
        skp.plan_set_actions(**self.call(), result=result, version=plan.version, actions=numbers)
        plan.refresh_from_db(fields=["version"])
        return plan

    def create(self, request, *args, **kwargs):
        form = ResultWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        plan = data.get("plan")
        if plan is None or not self.plans().filter(pk=plan.pk).exists():
            # Named in the payload, not the URL: a field error, like every scoped lookup.
            raise ValidationError({"plan": _("No such plan within your reach.")})
        with transaction.atomic():
            result = skp.plan_result_add(
                **self.call(), plan=plan, version=data["version"], data=self._fields(data, plan)
            )
            plan.refresh_from_db(fields=["version"])
            for i, row in enumerate(data.get("indicators") or []):
                try:
                    skp.plan_indicator_add(
                        **self.call(), result=result, version=plan.version, data=dict(row)
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        raise ValidationError(
                            {f"indicators.{i}.{k}": v for k, v in error.error_dict.items()}
                        ) from None
                    raise
                plan.refresh_from_db(fields=["version"])
            if data.get("actions"):
                plan = self._actions(result, plan, data["actions"])
        return self.read(plan, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        result = get_object_or_404(self.get_queryset(), pk=pk)
        plan = result.plan
        form = ResultWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if "version" not in data:
            raise ValidationError({"version": _("Give the version of the plan you saw.")})
        version = data["version"]
        with transaction.atomic():
            fields = self._fields(data, plan)
            if fields:
                skp.plan_result_update(**self.call(), result=result, version=version, data=fields)
                plan.refresh_from_db(fields=["version"])
                version = plan.version
            for indicator_pk in data.get("remove_indicators") or []:
                indicator = Indicator.objects.filter(pk=indicator_pk, result=result).first()
                if indicator is None:
                    raise ValidationError(
                        {
                            "remove_indicators": _("No indicator %(id)s on this result.")
                            % {"id": indicator_pk}
                        }
                    )
                skp.plan_indicator_remove(**self.call(), indicator=indicator, version=version)
                plan.refresh_from_db(fields=["version"])
                version = plan.version
            if "actions" in data:
                plan.version = version
                plan = self._actions(result, plan, data["actions"])
            elif not fields and not data.get("remove_indicators"):
                plan = skp._lock(plan, version)  # nothing to change: the version still counts
        return self.read(plan)

    def destroy(self, request, pk=None):
        result = get_object_or_404(self.get_queryset(), pk=pk)
        version = request.query_params.get("version") or request.data.get("version", "")
        if isinstance(version, str):
            version = int(version) if version.isdigit() else None
        plan = skp.plan_result_remove(**self.call(), result=result, version=version)
        return self.read(plan)

    @extend_schema(
        operation_id="plan-results_indicators",
        tags=["plan-results"],
        summary="Add an individual indicator (IKI) to a result",
        description="With its `target` for the plan's year (shape, value, low, high, "
        "expectation; a qualitative plan takes an expectation, a JPT plan a `perspective`). "
        "The indicator gets the code `SKP<plan>-<n>`. " + STEP_DOC,
        request=IndicatorAddSerializer,
        responses={201: PlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        result = get_object_or_404(self.get_queryset(), pk=pk)
        form = IndicatorAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        version = data.pop("version")
        skp.plan_indicator_add(**self.call(), result=result, version=version, data=data)
        return self.read(result.plan, status.HTTP_201_CREATED)
