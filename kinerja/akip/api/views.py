"""The AKIP evaluation under ``/api/v1/``: ``akip-evaluations`` (list, read, start, answer,
refresh, finalise) and ``akip-recommendations`` (list, read, add, change, follow-ups).

Read like the pages (`kinerja.akip.querysets`): a sheet out of reach answers 404; a reader who
may not write 403; bad input 400 with the field named (the project's exception handler)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.organisations.models import OrgUnit

from .. import selectors, services
from ..choices import GRADE_CHOICES, RecommendationStatus
from ..models import Answer, Evaluation, FollowUp, Recommendation
from ..querysets import evaluates, reads_any


class ReaderPermission(permissions.IsAuthenticated):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and reads_any(request.scope)


def _form(serializer_class, data) -> dict:
    form = serializer_class(data=data)
    form.is_valid(raise_exception=True)
    return form.validated_data


# Serializers -------------------------------------------------------------------------------


class AkipAnswerSerializer(serializers.ModelSerializer):
    # Empty until answered (or suggested), and a link may be empty: plain text in the schema.
    grade = serializers.CharField(read_only=True, help_text="AA, A, BB, B, CC, C, D, E or empty")
    suggested_grade = serializers.CharField(read_only=True)
    evidence_link = serializers.CharField(read_only=True)

    class Meta:
        model = Answer
        fields = [
            "criterion",
            "grade",
            "source",
            "suggested_grade",
            "prefilled_from",
            "suggested_at",
            "evidence_note",
            "evidence_link",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields


class AkipEvaluationSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "agency",
            "agency_name",
            "year",
            "status",
            "policy_version",
            "evaluator",
            "budget_approved_on",
            "score",
            "predikat",
            "finalised_at",
            "finalised_by",
        ]
        read_only_fields = fields


class AkipEvaluationDetailSerializer(AkipEvaluationSerializer):
    answers = AkipAnswerSerializer(many=True, read_only=True)
    scores = serializers.SerializerMethodField()

    class Meta(AkipEvaluationSerializer.Meta):
        fields = [*AkipEvaluationSerializer.Meta.fields, "scores", "answers"]
        read_only_fields = fields

    def get_scores(self, obj) -> dict:
        sheet = selectors.evaluation_sheet(obj)
        s = sheet.score
        return {
            "total": str(s.total),
            "covered_weight": str(s.covered_weight),
            "predicted": None if s.predicted is None else str(s.predicted),
            "predikat": s.predikat,
            "answered": sheet.answered,
            "predicted_criteria": sheet.predicted,
            "criteria": sheet.count,
            "missing": list(s.missing),
            "components": [
                {
                    "code": c.code,
                    "weight": str(c.weight),
                    "score": str(c.score),
                    "sub_components": [
                        {
                            "code": sub.code,
                            "weight": str(sub.weight),
                            "score": None if sub.score is None else str(sub.score),
                            "answered": sub.answered,
                            "criteria": sub.count,
                        }
                        for sub in c.subs
                    ],
                }
                for c in s.components
            ],
        }


class AkipStartSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    year = serializers.IntegerField()
    budget_approved_on = serializers.DateField(required=False, allow_null=True)


class AkipAnswerWriteSerializer(serializers.Serializer):
    criterion = serializers.CharField(max_length=12)
    grade = serializers.ChoiceField(choices=GRADE_CHOICES)
    evidence_note = serializers.CharField(required=False, allow_blank=True)
    evidence_link = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class AkipRefreshSerializer(serializers.Serializer):
    budget_approved_on = serializers.DateField(required=False, allow_null=True)


class AkipFollowUpSerializer(serializers.ModelSerializer):
    evidence_link = serializers.CharField(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "on", "note", "evidence_link", "created_by", "created_at"]
        read_only_fields = fields


class AkipRecommendationSerializer(serializers.ModelSerializer):
    follow_ups = AkipFollowUpSerializer(many=True, read_only=True)
    agency = serializers.IntegerField(source="evaluation.agency_id", read_only=True)
    year = serializers.IntegerField(source="evaluation.year", read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "evaluation",
            "agency",
            "year",
            "component",
            "criterion",
            "text",
            "due_on",
            "status",
            "status_note",
            "closed_on",
            "responsible_unit",
            "created_by",
            "follow_ups",
        ]
        read_only_fields = fields


class AkipRecommendationWriteSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField()
    component = serializers.CharField(max_length=4)
    criterion = serializers.CharField(max_length=12, required=False, allow_blank=True)
    text = serializers.CharField()
    due_on = serializers.DateField()
    responsible_unit = serializers.IntegerField()


class RecommendationPatchSerializer(serializers.Serializer):
    text = serializers.CharField(required=False)
    due_on = serializers.DateField(required=False)
    responsible_unit = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=RecommendationStatus.choices, required=False)
    status_note = serializers.CharField(required=False, allow_blank=True)


class FollowUpWriteSerializer(serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField()
    evidence_link = serializers.CharField(required=False, allow_blank=True, max_length=1000)


# Viewsets ----------------------------------------------------------------------------------

TAG_E, TAG_R = ["akip-evaluations"], ["akip-recommendations"]


@extend_schema_view(
    list=extend_schema(
        tags=TAG_E,
        summary="List the AKIP evaluations within reach",
        description="Filters: `year`, `agency`, `status` (draft, final).",
    ),
    retrieve=extend_schema(
        tags=TAG_E,
        summary="Read an evaluation with its answers and scores",
        responses=AkipEvaluationDetailSerializer,
    ),
    create=extend_schema(
        tags=TAG_E,
        summary="Start an agency's evaluation for a year (the Inspektorat)",
        description="The system's suggestions fill the draft answers, each with its reason.",
        request=AkipStartSerializer,
        responses={201: AkipEvaluationDetailSerializer},
    ),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AkipEvaluationSerializer
    permission_classes = [ReaderPermission]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        qs = Evaluation.objects.within(self.request.scope).select_related("agency")
        get = self.request.query_params
        if get.get("year", "").isdigit():
            qs = qs.filter(year=int(get["year"]))
        if get.get("agency", "").isdigit():
            qs = qs.filter(agency_id=int(get["agency"]))
        if get.get("status"):
            qs = qs.filter(status=get["status"])
        return qs.order_by("-year", "agency__sort_key", "pk")

    def get_serializer_class(self):
        return AkipEvaluationDetailSerializer if self.action != "list" else AkipEvaluationSerializer

    def _must_evaluate(self):
        if not evaluates(self.request.scope):
            raise PermissionDenied(_("Only the Inspektorat fills the AKIP evaluation."))

    def answer(self, evaluation, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=evaluation.pk)
        return Response(AkipEvaluationDetailSerializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        self._must_evaluate()
        data = _form(AkipStartSerializer, request.data)
        agency = selectors.agencies_for(request.scope).filter(pk=data["agency"]).first()
        if agency is None:
            raise ValidationError({"agency": _("No such agency.")})
        evaluation = services.evaluation_start(
            actor=request.user,
            scope=request.scope,
            agency=agency,
            year=data["year"],
            budget_approved_on=data.get("budget_approved_on"),
        )
        return self.answer(evaluation, status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG_E,
        summary="Answer a criterion (confirm or change the suggestion)",
        description="Evidence (`evidence_note` or `evidence_link`) is required unless the "
        "system's suggestion is confirmed as it is. A final evaluation refuses.",
        request=AkipAnswerWriteSerializer,
        responses=AkipEvaluationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        evaluation = self.get_object()
        self._must_evaluate()
        data = _form(AkipAnswerWriteSerializer, request.data)
        services.answer_set(actor=request.user, scope=request.scope, evaluation=evaluation, **data)
        return self.answer(evaluation)

    @extend_schema(
        tags=TAG_E,
        summary="Suggest again from today's data",
        description="Unanswered criteria take the new suggestions; `budget_approved_on` "
        "(optional) changes the date the PK is due from.",
        request=AkipRefreshSerializer,
        responses=AkipEvaluationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        evaluation = self.get_object()
        self._must_evaluate()
        data = _form(AkipRefreshSerializer, request.data)
        services.evaluation_refresh(
            actor=request.user,
            scope=request.scope,
            evaluation=evaluation,
            budget_approved_on=data.get("budget_approved_on", "keep"),
        )
        return self.answer(evaluation)

    @extend_schema(
        tags=TAG_E,
        summary="Finalise the evaluation",
        description="Every criterion must be answered by the evaluator; the score and "
        "predikat are kept and nothing changes after.",
        request=None,
        responses=AkipEvaluationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        evaluation = self.get_object()
        self._must_evaluate()
        services.evaluation_finalise(actor=request.user, scope=request.scope, evaluation=evaluation)
        return self.answer(evaluation)


def _unit(evaluation: Evaluation, pk) -> OrgUnit | None:
    return OrgUnit.objects.filter(
        pk=pk, instansi_id=evaluation.instansi_id, path__startswith=evaluation.agency.path
    ).first()


@extend_schema_view(
    list=extend_schema(
        tags=TAG_R,
        summary="List the recommendations within reach",
        description="Filters: `evaluation`, `year`, `status`.",
    ),
    retrieve=extend_schema(tags=TAG_R, summary="Read a recommendation with its follow-ups"),
    create=extend_schema(
        tags=TAG_R,
        summary="Add a recommendation (the Inspektorat)",
        request=AkipRecommendationWriteSerializer,
        responses={201: AkipRecommendationSerializer},
    ),
    partial_update=extend_schema(
        tags=TAG_R,
        summary="Change a recommendation or the state of its follow-up (the Inspektorat)",
        description="`done` needs a follow-up on record; `dropped` needs `status_note`.",
        request=RecommendationPatchSerializer,
    ),
)
class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AkipRecommendationSerializer
    permission_classes = [ReaderPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        qs = (
            Recommendation.objects.within(self.request.scope)
            .select_related("evaluation__agency")
            .prefetch_related("follow_ups")
        )
        get = self.request.query_params
        if get.get("evaluation", "").isdigit():
            qs = qs.filter(evaluation_id=int(get["evaluation"]))
        if get.get("year", "").isdigit():
            qs = qs.filter(evaluation__year=int(get["year"]))
        if get.get("status"):
            qs = qs.filter(status=get["status"])
        return qs.order_by("evaluation_id", "due_on", "pk")

    def answer(self, rec, code=status.HTTP_200_OK):
        return Response(
            AkipRecommendationSerializer(self.get_queryset().get(pk=rec.pk)).data, status=code
        )

    def create(self, request, *args, **kwargs):
        if not evaluates(request.scope):
            raise PermissionDenied(_("Only the Inspektorat fills the AKIP evaluation."))
        data = _form(AkipRecommendationWriteSerializer, request.data)
        evaluation = (
            Evaluation.objects.within(request.scope)
            .select_related("agency")
            .filter(pk=data["evaluation"])
            .first()
        )
        if evaluation is None:
            raise ValidationError({"evaluation": _("No such evaluation.")})
        rec = services.recommendation_add(
            actor=request.user,
            scope=request.scope,
            evaluation=evaluation,
            component=data["component"],
            criterion=data.get("criterion", ""),
            text=data["text"],
            due_on=data["due_on"],
            responsible_unit=_unit(evaluation, data["responsible_unit"]),
        )
        return self.answer(rec, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        rec = self.get_object()
        if not evaluates(request.scope):
            raise PermissionDenied(_("Only the Inspektorat fills the AKIP evaluation."))
        data = dict(_form(RecommendationPatchSerializer, request.data))
        if "responsible_unit" in data:
            data["responsible_unit"] = _unit(rec.evaluation, data["responsible_unit"])
        services.recommendation_update(
            actor=request.user, scope=request.scope, recommendation=rec, data=data
        )
        return self.answer(rec)

    @extend_schema(
        tags=TAG_R,
        summary="Record a follow-up (the agency's head or administrator)",
        description="An open recommendation moves to in progress; a closed one refuses.",
        request=FollowUpWriteSerializer,
        responses={201: AkipRecommendationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-ups", url_name="follow-ups")
    def follow_ups(self, request, pk=None):
        rec = self.get_object()
        data = _form(FollowUpWriteSerializer, request.data)
        services.follow_up_add(actor=request.user, scope=request.scope, recommendation=rec, **data)
        return self.answer(rec, status.HTTP_201_CREATED)
