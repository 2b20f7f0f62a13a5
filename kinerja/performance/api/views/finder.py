"""The API of the collaboration finder: the candidates within reach, Bappeda's decisions and
the run, through the services."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.scope import Action
from kinerja.performance.filters_finder import CandidateFilter
from kinerja.performance.finder import finder_policy
from kinerja.performance.models import CollaborationCandidate
from kinerja.performance.services import finder as services

from ..serializers.finder import (
    CandidateAcceptSerializer,
    CandidateDismissSerializer,
    CandidateSerializer,
    FinderRunResultSerializer,
    FinderRunSerializer,
)
from . import PlanningViewSet, documented

NOUN = "collaboration-candidates"


@documented(
    NOUN,
    list=dict(
        summary="List collaboration candidates",
        description="Pairs of indicators of two agencies whose manuals read alike, best score "
        "first. The instansi-wide planning readers see all of them, an agency's readers those "
        "involving the agency. `status`, `unit` (either side), `min_score` and `year` filter.",
    ),
    retrieve=dict(summary="Read a collaboration candidate"),
)
class CollaborationCandidateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, PlanningViewSet
):
    model = CollaborationCandidate
    change_actions = (Action.MANAGE_GOALS,)
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    http_method_names = ["get", "post", "head", "options"]
    select_related = ("indicator_a", "indicator_b", "unit_a", "unit_b")
    ordering_fields = ["score", "created_at"]
    ordering = ["-score", "pk"]

    def _done(self, candidate):
        return Response(self.get_serializer(self.get_queryset().get(pk=candidate.pk)).data)

    @extend_schema(
        operation_id="collaboration_candidates_accept",
        tags=[NOUN],
        summary="Accept a candidate",
        description="Bappeda (manage_goals across the instansi). The lead agency's indicator's "
        "target of the candidate's year becomes a shared target and the other agency is "
        "invited with `weight`; the collaboration rules apply (400 with the field).",
        request=CandidateAcceptSerializer,
        responses=CandidateSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        candidate = self.get_object()
        form = CandidateAcceptSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        lead = data["lead_unit"]
        indicator = (
            candidate.indicator_a if lead.pk == candidate.unit_a_id else candidate.indicator_b
        )
        services.candidate_accept(
            **self.call(),
            candidate=candidate,
            lead_unit=lead,
            weight=data.get("weight", finder_policy().default_member_weight),
            title=data.get("title") or indicator.name[:300],
        )
        return self._done(candidate)

    @extend_schema(
        operation_id="collaboration_candidates_dismiss",
        tags=[NOUN],
        summary="Dismiss a candidate",
        description="Bappeda, with the `reason`; the pair is not proposed again.",
        request=CandidateDismissSerializer,
        responses=CandidateSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def dismiss(self, request, pk=None):
        candidate = self.get_object()
        form = CandidateDismissSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.candidate_dismiss(
            **self.call(), candidate=candidate, reason=form.validated_data["reason"]
        )
        return self._done(candidate)

    @extend_schema(
        operation_id="collaboration_candidates_run",
        tags=[NOUN],
        summary="Run the finder",
        description="Bappeda. Compares the agency indicators with a target in `year` and "
        "proposes the pairs above the policy's threshold; decided candidates stay.",
        request=FinderRunSerializer,
        responses=FinderRunResultSerializer,
    )
    @action(detail=False, methods=["post"], filterset_class=None)
    def run(self, request):
        form = FinderRunSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        summary = services.finder_run(
            **self.call(), instansi=self.get_instansi(), year=form.validated_data["year"]
        )
        return Response(asdict(summary), status=status.HTTP_200_OK)
