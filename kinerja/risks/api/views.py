"""The risk register's API: ``/api/v1/risks/`` and ``/api/v1/risk-mitigations/``.

Read like the pages: the register's readers (`selectors.may_read`) see the risks within their
reach, another role gets 403, a row out of reach 404. Writes go through the services: a role
that manages no plans gets 403 before its payload is read, a risk whose unit the caller does
not manage 403, bad input 400 with field errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.scope import Action
from kinerja.organisations.models import Instansi

from .. import selectors, services
from ..filters import MitigationFilter, RiskFilter
from ..models import Mitigation, Risk
from .serializers import (
    FromTargetSerializer,
    MitigationPatchSerializer,
    MitigationSerializer,
    MitigationWriteSerializer,
    RiskCloseSerializer,
    RiskPatchSerializer,
    RiskSerializer,
    RiskWriteSerializer,
)


class ReadsRegister(permissions.BasePermission):
    """Reading needs the register (`may_read`); writing needs manage_plans somewhere."""

    def has_permission(self, request, view) -> bool:
        if not selectors.may_read(request.scope):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.scope.can_anywhere(Action.MANAGE_PLANS)


def _documented(noun: str, **docs):
    return extend_schema_view(
        **{
            name: extend_schema(operation_id=f"{noun}_{name}", tags=[noun], **doc)
            for name, doc in docs.items()
        }
    )


class _Base(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ReadsRegister]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def call(self) -> dict:
        return {"actor": self.request.user, "scope": self.request.scope}

    def _valid(self, serializer_class, data, **kwargs):
        form = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        form.is_valid(raise_exception=True)
        return form.validated_data


def _risk_queryset(scope):
    return (
        Risk.objects.within(scope)
        .select_related("unit", "target__indicator", "goal", "project")
        .prefetch_related(
            Prefetch("mitigations", queryset=Mitigation.objects.order_by("due_on", "pk"))
        )
    )


@_documented(
    "risks",
    list=dict(
        summary="List risks",
        description="The risks within reach, highest level first. Filters as the register: "
        "`q`, `year`, `agency`, `kind` (goal, target, project), `target`, `goal`, `project`, "
        "`band` (very_low .. very_high), `status` (`live`: open or being mitigated), "
        "`category`, `source`, `likelihood`, `impact`.",
    ),
    retrieve=dict(summary="Read a risk, with its mitigations"),
    create=dict(
        summary="Register a risk",
        description="Exactly one of `goal`, `target` (a plan's target) or `project`. The "
        "owning unit comes from it; the caller manages its plans (manage_plans over it). "
        "`likelihood` and `impact` on the policy's scale (1-5); the level is their product. "
        "The owner defaults to the head post of the unit.",
    ),
    partial_update=dict(
        summary="Change a risk",
        description="A live risk's description, levels, residual levels, owner, next review, "
        "or its status between `open` and `mitigating`. Closing: `POST {id}/close/`.",
    ),
)
class RiskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base):
    serializer_class = RiskSerializer
    filterset_class = RiskFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Risk.objects.none()
        return _risk_queryset(self.request.scope).by_level()

    def _answer(self, risk, code=status.HTTP_200_OK):
        return Response(
            RiskSerializer(_risk_queryset(self.request.scope).get(pk=risk.pk)).data, status=code
        )

    @extend_schema(request=RiskWriteSerializer, responses={201: RiskSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self._valid(RiskWriteSerializer, request.data))
        obj = next((data[f] for f in ("goal", "target", "project") if data.get(f)), None)
        instansi = Instansi.objects.filter(pk=request.scope.instansi_id).first()
        if obj is not None and not services.may_manage(request.scope, services.owning_unit(obj)):
            raise PermissionDenied
        risk = services.risk_create(**self.call(), instansi=instansi, data=data)
        return self._answer(risk, status.HTTP_201_CREATED)

    @extend_schema(request=RiskPatchSerializer, responses=RiskSerializer)
    def partial_update(self, request, *args, **kwargs):
        risk = self.get_object()
        data = dict(self._valid(RiskPatchSerializer, request.data, partial=True))
        reason = data.pop("reason", "")
        risk = services.risk_update(**self.call(), risk=risk, data=data, reason=reason)
        return self._answer(risk)

    @extend_schema(
        operation_id="risks_close",
        tags=["risks"],
        summary="Close a risk",
        description="`status` closed (it no longer threatens) or accepted (it stays within "
        "the appetite, without further treatment), with the `reason`; `closed_on` defaults "
        "to today.",
        request=RiskCloseSerializer,
        responses=RiskSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        risk = self.get_object()
        data = self._valid(RiskCloseSerializer, request.data)
        risk = services.risk_close(
            **self.call(),
            risk=risk,
            status=data["status"],
            reason=data.get("reason", ""),
            on=data.get("closed_on"),
        )
        return self._answer(risk)

    @extend_schema(
        operation_id="risks_from_target",
        tags=["risks"],
        summary="Raise an at-risk target as a risk",
        description="From the early warning: the `target`, its `projected_percent` and the "
        "`threshold` it fell below. The title, category (performance), likelihood (from the "
        "shortfall) and impact (from the target's weight) follow the policy. Refused while "
        "the target has an open risk raised from the early warning.",
        request=FromTargetSerializer,
        responses={201: RiskSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-target", filterset_class=None)
    def from_target(self, request):
        data = dict(self._valid(FromTargetSerializer, request.data))
        risk = services.risk_raise_from_warning(**self.call(), **data)
        return self._answer(risk, status.HTTP_201_CREATED)


@_documented(
    "risk-mitigations",
    list=dict(
        summary="List mitigations",
        description="The mitigations of the risks within reach; `risk` and `status` filter.",
    ),
    retrieve=dict(summary="Read a mitigation"),
    create=dict(
        summary="Add a mitigation",
        description="To a live `risk` whose unit the caller manages. An open risk becomes "
        "`mitigating`.",
    ),
    partial_update=dict(
        summary="Update a mitigation",
        description="Its action, responsible, due date, status (`done` sets the day and 100 "
        "percent) and progress.",
    ),
)
class MitigationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _Base
):
    serializer_class = MitigationSerializer
    filterset_class = MitigationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Mitigation.objects.none()
        return Mitigation.objects.within(self.request.scope).order_by("risk", "due_on", "pk")

    def _answer(self, mitigation, code=status.HTTP_200_OK):
        return Response(MitigationSerializer(mitigation).data, status=code)

    @extend_schema(request=MitigationWriteSerializer, responses={201: MitigationSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self._valid(MitigationWriteSerializer, request.data))
        risk = data.pop("risk")
        mitigation = services.mitigation_add(**self.call(), risk=risk, data=data)
        return self._answer(mitigation, status.HTTP_201_CREATED)

    @extend_schema(request=MitigationPatchSerializer, responses=MitigationSerializer)
    def partial_update(self, request, *args, **kwargs):
        mitigation = self.get_object()
        data = dict(self._valid(MitigationPatchSerializer, request.data, partial=True))
        mitigation = services.mitigation_update(**self.call(), mitigation=mitigation, data=data)
        return self._answer(mitigation)
