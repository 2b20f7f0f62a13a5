"""API of the objections to a final evaluation and of the input of others on an evaluation.

An objection is seen by whoever sees its evaluation's plan (the employee, the evaluator, the
evaluator's superior, the roles reading the unit's plans). An input is seen by the person asked
and by who rates the plan; the evaluated employee does not see it. Every write goes through
`services.objections`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.idempotency import IdempotentMixin
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee

from ...models import EvaluationInput, InputStatus, Objection, ObjectionStatus
from ...selectors_evaluation import evaluations_for, objections_for
from ...services import objections as svc
from ..serializers.objections import (
    EvaluationInputGiveSerializer,
    EvaluationInputRequestSerializer,
    EvaluationInputSerializer,
    EvaluationInputVersionSerializer,
    ObjectionDecideSerializer,
    ObjectionFileSerializer,
    ObjectionSerializer,
)
from . import documented


class _Base(
    IdempotentMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    optimistic_lock = True  # a stale version answers 409
    http_method_names = ["get", "post", "head", "options"]

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}

    def read(self, obj, code=status.HTTP_200_OK) -> Response:
        return Response(self.serializer_class(self.get_queryset().get(pk=obj.pk)).data, status=code)

    def form(self, form_class) -> dict[str, Any]:
        form = form_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        return form.validated_data


@documented(
    "objections",
    list=dict(
        summary="List objections to final evaluations",
        description="The objections to the evaluations within reach (as `evaluations`). "
        "Filters: `evaluation`, `status` (open, upheld, changed), `year`.",
    ),
    retrieve=dict(summary="Read an objection with its reasons, evidence and decision"),
    create=dict(
        summary="Object to a final rating (keberatan)",
        description="Only the employee whose plan it is, on a final `evaluation`, within the "
        "policy's days (14) of its finalisation, counted in local days; one per final rating. "
        "`reasons` required; `evidence` (text) and `links` (http or https) optional.",
        request=ObjectionFileSerializer,
        responses={201: ObjectionSerializer},
    ),
)
class ObjectionViewSet(_Base):
    serializer_class = ObjectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Objection.objects.none()
        qs = objections_for(self.request.scope).select_related("evaluation__plan")
        get = self.request.query_params
        for name, lookup in (
            ("evaluation", "evaluation_id"),
            ("year", "evaluation__plan__period__year"),
        ):
            value = get.get(name, "")
            if value.isdigit():
                qs = qs.filter(**{lookup: int(value)})
        if get.get("status") in ObjectionStatus.values:
            qs = qs.filter(status=get["status"])
        return qs.order_by("-filed_at", "-pk")

    def create(self, request, *args, **kwargs):
        data = self.form(ObjectionFileSerializer)
        evaluation = evaluations_for(request.scope).filter(pk=data["evaluation"]).first()
        if evaluation is None:
            raise ValidationError({"evaluation": _("No such evaluation.")})
        objection = svc.objection_file(
            **self.call(),
            evaluation=evaluation,
            reasons=data["reasons"],
            evidence=data.get("evidence", ""),
            links=data.get("links", []),
        )
        return self.read(objection, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="objections_decide",
        tags=["objections"],
        summary="Decide an objection: uphold or change",
        description="By the evaluator's superior recorded on the plan (the personnel office "
        "when the plan records none). `decision`: `uphold` (the rating stands) or `change` "
        "(`results_rating` and/or `behaviour_rating`: the predikat follows from the matrix). "
        "`reason` required. The decision is final. Needs the `version` you read; a stale one "
        "answers 409.",
        request=ObjectionDecideSerializer,
        responses=ObjectionSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        objection = self.get_object()
        data = self.form(ObjectionDecideSerializer)
        objection = svc.objection_decide(
            **self.call(),
            objection=objection,
            version=data["version"],
            decision=data["decision"],
            reason=data["reason"],
            results_rating=data.get("results_rating"),
            behaviour_rating=data.get("behaviour_rating"),
        )
        return self.read(objection)


def inputs_for(scope: Scope):
    """The inputs the caller asked to give, and those on the plans the caller rates: as the
    plan's evaluator, for a unit whose plans they keep, or as the personnel office."""
    if scope.instansi_id is None:
        return EvaluationInput.objects.none()
    inputs = EvaluationInput.objects.filter(instansi_id=scope.instansi_id)
    if None in (scope.paths_for(Action.CHANGE_PEOPLE), scope.paths_for(Action.MANAGE_PLANS)):
        return inputs  # the personnel office, or who keeps every unit's plans
    seen = Q(pk__in=[])
    if scope.employee_id is not None:
        seen |= Q(author_id=scope.employee_id) | Q(evaluation__plan__evaluator_id=scope.employee_id)
    if scope.paths_for(Action.MANAGE_PLANS):
        seen |= scope.unit_q(Action.MANAGE_PLANS, "evaluation__plan__unit__path")
    return inputs.filter(seen)


@documented(
    "evaluation-inputs",
    list=dict(
        summary="List inputs on evaluations",
        description="The inputs you were asked for, and those on the evaluations you rate. "
        "Filters: `evaluation`, `status`.",
    ),
    retrieve=dict(summary="Read an input on an evaluation"),
    create=dict(
        summary="Ask someone for input on an evaluation",
        description="Who rates the plan asks an employee (`author`) for input on a draft "
        "`evaluation`, as `relation` (adviser, peer, subordinate). The input is shown to the "
        "evaluator and never binding.",
        request=EvaluationInputRequestSerializer,
        responses={201: EvaluationInputSerializer},
    ),
)
class EvaluationInputViewSet(_Base):
    serializer_class = EvaluationInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvaluationInput.objects.none()
        qs = inputs_for(self.request.scope)
        get = self.request.query_params
        value = get.get("evaluation", "")
        if value.isdigit():
            qs = qs.filter(evaluation_id=int(value))
        if get.get("status") in InputStatus.values:
            qs = qs.filter(status=get["status"])
        return qs.order_by("evaluation_id", "pk")

    def create(self, request, *args, **kwargs):
        data = self.form(EvaluationInputRequestSerializer)
        evaluation = evaluations_for(request.scope).filter(pk=data["evaluation"]).first()
        if evaluation is None:
            raise ValidationError({"evaluation": _("No such evaluation.")})
        author = Employee.objects.filter(
            pk=data["author"], instansi_id=request.scope.instansi_id
        ).first()
        if author is None:
            raise ValidationError({"author": _("No such employee.")})
        item = svc.input_request(
            **self.call(), evaluation=evaluation, author=author, relation=data["relation"]
        )
        return self.read(item, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="evaluation-inputs_give",
        tags=["evaluation-inputs"],
        summary="Give the input asked of you",
        description="Only the person asked, while the evaluation is a draft: `text` and "
        "optionally a `suggested_rating`. Needs the `version` you read; a stale one answers 409.",
        request=EvaluationInputGiveSerializer,
        responses=EvaluationInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def give(self, request, pk=None):
        item = self.get_object()
        data = self.form(EvaluationInputGiveSerializer)
        item = svc.input_give(
            **self.call(),
            item=item,
            version=data["version"],
            text=data["text"],
            suggested_rating=data.get("suggested_rating", ""),
        )
        return self.read(item)

    @extend_schema(
        operation_id="evaluation-inputs_withdraw",
        tags=["evaluation-inputs"],
        summary="Withdraw a request for input not yet answered",
        description="By who rates the plan. Needs the `version` you read; a stale one answers 409.",
        request=EvaluationInputVersionSerializer,
        responses=EvaluationInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        item = self.get_object()
        data = self.form(EvaluationInputVersionSerializer)
        item = svc.input_withdraw(**self.call(), item=item, version=data["version"])
        return self.read(item)
