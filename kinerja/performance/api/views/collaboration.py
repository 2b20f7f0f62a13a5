"""The API of collaborations: scoped reads, writes through the services."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from kinerja.core.scope import Action
from kinerja.performance.filters_collaboration import CollaborationFilter
from kinerja.performance.models import Collaboration, CollaborationMember
from kinerja.performance.services import collaboration as services

from ..serializers.collaboration import (
    AcceptSerializer,
    CollaborationSerializer,
    DeclineSerializer,
    InviteSerializer,
    WeightsSerializer,
)
from . import STEP_DOC, PlanningViewSet, documented


def _step_schema(name: str, summary: str, description: str, request):
    return extend_schema(
        operation_id=f"collaborations_{name}",
        tags=["collaborations"],
        summary=summary,
        description=f"{description} {STEP_DOC}",
        request=request,
        responses=CollaborationSerializer,
    )


@documented(
    "collaborations",
    list=dict(
        summary="List collaborations",
        description="The shared targets whose lead unit or invited unit is within reach. "
        "`year`, `unit` (lead or invited) and `status` filter.",
    ),
    retrieve=dict(summary="Read a collaboration"),
    create=dict(
        summary="Share a target",
        description="The agency whose indicator holds `target` leads (manage_plans over it); "
        "a target of the province's own plan names its `lead_unit` (manage_goals across the "
        "instansi). One collaboration per target; the lead's share starts at 100 percent.",
    ),
)
class CollaborationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, PlanningViewSet
):
    model = Collaboration
    optimistic_lock = True  # a stale version answers 409
    change_actions = (Action.MANAGE_PLANS,)
    serializer_class = CollaborationSerializer
    filterset_class = CollaborationFilter
    http_method_names = ["get", "post", "head", "options"]
    select_related = ("lead_unit", "target__indicator")
    prefetch_related = (
        Prefetch(
            "members",
            queryset=CollaborationMember.objects.select_related(
                "unit", "supporting_target__indicator"
            ).order_by("unit__sort_key", "unit__name", "pk"),
        ),
    )
    ordering_fields = ["created_at"]
    ordering = ["-target__year", "title", "pk"]

    def perform_create(self, serializer):
        collaboration = services.collaboration_create(
            **self.call(), instansi=self.get_instansi(), data=dict(serializer.validated_data)
        )
        serializer.instance = self.get_queryset().get(pk=collaboration.pk)

    def _answer(self, request, form_class):
        collaboration = self.get_object()
        form = form_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        given = data.pop("unit")
        key = Q(unit__code=str(given).strip())
        if isinstance(given, int) or str(given).isascii() and str(given).isdigit():
            key |= Q(unit_id=int(given)) if int(given) < 2**63 else Q()
        member = collaboration.members.select_related("unit").filter(key).first()
        if member is None:
            raise NotFound(_("This unit is not invited to the collaboration."))
        return collaboration, member, data

    def _done(self, collaboration, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=collaboration.pk)).data, status=code
        )

    @_step_schema(
        "invite",
        "Invite an agency",
        "The lead's planners (manage_plans over the lead unit) invite any agency of the "
        "instansi with its proposed `weight`; the open invitations fit in the lead's share.",
        InviteSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def invite(self, request, pk=None):
        collaboration = self.get_object()
        form = InviteSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        services.collaboration_invite(
            **self.call(), collaboration=collaboration, **form.validated_data
        )
        return self._done(collaboration)

    @_step_schema(
        "accept",
        "Accept an invitation",
        "Only the invited unit's planners (manage_plans over it: its agency administrator, "
        "Bappeda). Makes the member's supporting result: an indicator (`code`, `name`) under "
        "its `goal` and its target for the shared target's year (the shared target's value "
        "unless `value`, `low`/`high` or `expectation` is given). The lead's share gives up "
        "the member's weight.",
        AcceptSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        collaboration, member, data = self._answer(request, AcceptSerializer)
        version = data.pop("version")
        services.collaboration_accept(**self.call(), member=member, version=version, data=data)
        return self._done(collaboration)

    @_step_schema(
        "decline",
        "Decline an invitation",
        "Only the invited unit's planners, with the `reason`.",
        DeclineSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decline(self, request, pk=None):
        collaboration, member, data = self._answer(request, DeclineSerializer)
        services.collaboration_decline(**self.call(), member=member, **data)
        return self._done(collaboration)

    @_step_schema(
        "weights",
        "Set the weights",
        "The lead's planners set `lead_weight` and each member's weight (`weights`: unit id "
        "and weight; every accepted member given). The lead's share and the accepted "
        "members' weights make exactly 100, or nothing is saved.",
        WeightsSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def weights(self, request, pk=None):
        collaboration = self.get_object()
        form = WeightsSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        services.collaboration_set_weights(
            **self.call(),
            collaboration=collaboration,
            version=data["version"],
            lead_weight=data["lead_weight"],
            weights={row["unit"]: row["weight"] for row in data["weights"]},
        )
        return self._done(collaboration)
