"""API of the employee evaluation: scoped like the plans (an evaluation is seen by who sees its
plan), every write through `services.evaluation` with the ``version`` read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.idempotency import IdempotentMixin

from ...evaluation_rules import Rating
from ...models import Evaluation, EvaluationKind, EvaluationStatus
from ...plan_selectors import plans_for
from ...selectors_evaluation import evaluations_for
from ...services import evaluation as svc
from ...services import objections as objections_svc
from ..serializers.evaluation import (
    EvaluationBehaviourWriteSerializer,
    EvaluationFeedbackWriteSerializer,
    EvaluationOpenSerializer,
    EvaluationRateSerializer,
    EvaluationSerializer,
    EvaluationVersionSerializer,
)
from ..serializers.objections import EvaluationReopenSerializer
from . import documented

STEP_DOC = "Needs the `version` you read; a stale one answers 409. A final evaluation refuses it."


@documented(
    "evaluations",
    list=dict(
        summary="List employee evaluations",
        description="The evaluations of the plans within reach (as `plans`). Filters: `plan`, "
        "`kind`, `status`, `year`.",
    ),
    retrieve=dict(summary="Read an evaluation with its behaviour ratings and feedback"),
    create=dict(
        summary="Open an evaluation of a plan",
        description="The periodic (`sub_period`: its number) or annual evaluation of an "
        "approved or signed `plan`, by its evaluator. The results rating is suggested from "
        "the plan's achievement (the year's plans combined for an annual one); for the head "
        "of an agency the agency's achievement is the results rating.",
        request=EvaluationOpenSerializer,
        responses={201: EvaluationSerializer},
    ),
)
class EvaluationViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EvaluationSerializer
    permission_classes = [permissions.IsAuthenticated]
    optimistic_lock = True  # a stale version answers 409
    http_method_names = ["get", "post", "head", "options"]

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        qs = evaluations_for(self.request.scope).select_related("plan__period")
        qs = qs.prefetch_related("behaviours", "feedback", "objections")
        get = self.request.query_params
        for name, lookup in (("plan", "plan_id"), ("year", "plan__period__year")):
            value = get.get(name, "")
            if value.isdigit():
                qs = qs.filter(**{lookup: int(value)})
        if get.get("kind") in EvaluationKind.values:
            qs = qs.filter(kind=get["kind"])
        if get.get("status") in EvaluationStatus.values:
            qs = qs.filter(status=get["status"])
        return qs.order_by("plan_id", "kind", "sub_period", "pk")

    def read(self, evaluation: Evaluation, code=status.HTTP_200_OK) -> Response:
        return Response(
            EvaluationSerializer(self.get_queryset().get(pk=evaluation.pk)).data, status=code
        )

    def create(self, request, *args, **kwargs):
        form = EvaluationOpenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        plan = plans_for(request.scope).filter(pk=data["plan"]).first()
        if plan is None:
            raise ValidationError({"plan": _("No such plan.")})
        evaluation = svc.evaluation_open(
            **self.call(), plan=plan, kind=data["kind"], sub_period=data.get("sub_period")
        )
        return self.read(evaluation, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="evaluations_rate",
        tags=["evaluations"],
        summary="Give the results rating",
        description="`rating` ("
        + ", ".join(Rating.values)
        + "); another rating than the suggestion needs a `reason`. "
        + STEP_DOC,
        request=EvaluationRateSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._step(
            EvaluationRateSerializer,
            svc.evaluation_rate_results,
            lambda data: {"rating": data["rating"], "reason": data.get("reason", "")},
        )

    @extend_schema(
        operation_id="evaluations_behaviour",
        tags=["evaluations"],
        summary="Give the behaviour rating, per BerAKHLAK value with feedback",
        description="`rating` and `values`: a BerAKHLAK value's code -> `rating` and "
        "`feedback`. " + STEP_DOC,
        request=EvaluationBehaviourWriteSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def behaviour(self, request, pk=None):
        return self._step(
            EvaluationBehaviourWriteSerializer,
            svc.evaluation_rate_behaviour,
            lambda data: {
                "rating": data["rating"],
                "values": {k: dict(v) for k, v in data.get("values", {}).items()},
            },
        )

    @extend_schema(
        operation_id="evaluations_feedback",
        tags=["evaluations"],
        summary="Give feedback on the plan's results",
        description="`feedback`: a result's id -> text (an empty text removes it). " + STEP_DOC,
        request=EvaluationFeedbackWriteSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._step(
            EvaluationFeedbackWriteSerializer,
            svc.evaluation_feedback,
            lambda data: {"feedback": data["feedback"]},
        )

    @extend_schema(
        operation_id="evaluations_finalise",
        tags=["evaluations"],
        summary="Finalise the evaluation",
        description="Both ratings given: the predikat is set and the evaluation no longer "
        "changes. " + STEP_DOC,
        request=EvaluationVersionSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        return self._step(EvaluationVersionSerializer, svc.evaluation_finalise, lambda data: {})

    @extend_schema(
        operation_id="evaluations_reopen",
        tags=["evaluations"],
        summary="Reopen a final evaluation (audited)",
        description="By the evaluator's superior recorded on the plan or the personnel office, "
        "with a `reason`: back to draft. Refused while an objection is open or once one of this "
        "rating is decided. Needs the `version` you read; a stale one answers 409.",
        request=EvaluationReopenSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(
            EvaluationReopenSerializer,
            objections_svc.evaluation_reopen,
            lambda data: {"reason": data["reason"]},
        )

    def _step(self, form_class, service, arguments):
        """One step on the evaluation: its form checked, the service called with the version
        and ``arguments(validated data)``, the evaluation answered."""
        evaluation = self.get_object()
        form = form_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        evaluation = service(
            **self.call(), evaluation=evaluation, version=data["version"], **arguments(data)
        )
        return self.read(evaluation)
