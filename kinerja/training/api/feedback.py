"""API of reaction feedback and test scores.

- ``training-feedback-forms``: the forms of the instansi's events within reach (as the events);
  ``POST {id}/respond/`` answers one as the caller's own enrolment (once, having attended);
  ``GET {id}/results/`` the aggregated results of a released form, for the organiser and the
  form's speaker: means only, from the form's minimum count, never a single response.
- ``training-assessments``: pre- and post-test scores; the organiser reads all and writes
  (create or change, through the service); a participant reads their own.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Assessment, FeedbackForm, FeedbackFormStatus, FeedbackReceipt, Participant
from ..querysets import organises
from ..selectors_feedback import form_results
from ..services import feedback as svc


class FeedbackFormSerializer(serializers.ModelSerializer):
    answered = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackForm
        fields = (
            "id",
            "event",
            "kind",
            "session",
            "speaker",
            "status",
            "opens_at",
            "closes_at",
            "min_count",
            "answered",
        )
        read_only_fields = fields

    def get_answered(self, obj) -> bool:
        """Whether the caller has answered this form (their own receipt; nothing else)."""
        return obj.pk in self.context.get("answered", set())


class RespondSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ResultsSerializer(serializers.Serializer):
    form = serializers.IntegerField()
    released = serializers.BooleanField()
    suppressed = serializers.BooleanField()
    n = serializers.IntegerField(allow_null=True)
    means = serializers.DictField(
        child=serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    )
    overall = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        summary="List reaction feedback forms",
        description="The forms of the events within reach; `answered` says whether the caller "
        "has answered. No counts: results come from `results/` once released.",
    ),
    retrieve=extend_schema(summary="Read a feedback form"),
)
class FeedbackFormViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = FeedbackFormSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ("event", "kind", "status")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FeedbackForm.objects.none()
        return FeedbackForm.objects.within(self.request.scope).order_by("event", "kind", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        scope = getattr(self.request, "scope", None)
        if scope is not None and scope.employee_id:
            context["answered"] = set(
                FeedbackReceipt.objects.filter(
                    participant__employee_id=scope.employee_id,
                    participant__instansi_id=scope.instansi_id,
                ).values_list("form_id", flat=True)
            )
        return context

    @extend_schema(
        summary="Answer a feedback form (once, as a participant who attended)",
        description="`answers`: relevance, speaker, material, applicability (a session form) "
        "or venue, facilities, schedule (the organisation form), whole numbers 1-5; "
        "`comment` optional, moderated before a speaker sees it. The answer is stored "
        "without the caller's name; the reply says only that it was recorded.",
        request=RespondSerializer,
        responses={201: DetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        form = self.get_object()
        data = RespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        svc.feedback_respond(
            actor=request.user,
            scope=request.scope,
            form=form,
            answers=data.validated_data["answers"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response({"detail": _("Thank you: your answer is recorded.")}, status=201)

    @extend_schema(
        summary="Aggregated results of a released form",
        description="For the organiser and the form's speaker. 404 until the form's results "
        "are released; below the minimum count `suppressed` is true and no number is given.",
        responses={200: ResultsSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        form = self.get_object()
        scope = request.scope
        mine = form.speaker_id is not None and form.speaker.user_id == scope.user_id
        if not (svc.may_organise(scope, form.event) or mine):
            raise Http404
        if form.status != FeedbackFormStatus.RELEASED:
            raise Http404
        result = form_results(form)
        return Response(
            ResultsSerializer(
                {
                    "form": form.pk,
                    "released": True,
                    "suppressed": result["suppressed"],
                    "n": result["n"],
                    "means": result["means"],
                    "overall": result["overall"],
                }
            ).data
        )


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = (
            "id",
            "participant",
            "kind",
            "knowledge",
            "skill",
            "attitude",
            "taken_on",
            "version",
        )
        read_only_fields = ("id", "version")
        extra_kwargs = {"participant": {"queryset": Participant.objects.none()}}


class AssessmentWriteSerializer(serializers.Serializer):
    participant = serializers.IntegerField()
    kind = serializers.CharField()
    knowledge = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    skill = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    attitude = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    taken_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        summary="List test scores",
        description="The organiser reads every participant's; a participant reads their own.",
    ),
    retrieve=extend_schema(summary="Read a test score"),
    create=extend_schema(
        summary="Enter or change a pre- or post-test score (the organiser)",
        description="`participant`, `kind` (pre or post), `knowledge`, and `skill` and "
        "`attitude` where the training type asks for them; 0-100. A score left out keeps "
        "what is stored.",
        request=AssessmentWriteSerializer,
        responses={201: AssessmentSerializer},
    ),
)
class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssessmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ("participant", "kind", "participant__event")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        scope = self.request.scope
        qs = Assessment.objects.filter(instansi_id=scope.instansi_id)
        if not organises(scope):
            qs = qs.filter(participant__employee_id=scope.employee_id or 0)
        return qs.order_by("participant", "kind")

    def create(self, request, *args, **kwargs):
        data = AssessmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        scope = request.scope
        if not organises(scope):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Only the organiser enters test scores."))
        participant = Participant.objects.within(scope).filter(pk=values["participant"]).first()
        if participant is None:
            raise ValidationError({"participant": _("No such participant.")})
        row = svc.assessment_set(
            actor=request.user,
            scope=scope,
            participant=participant,
            kind=values["kind"],
            data={f: values[f] for f in ("knowledge", "skill", "attitude") if f in values},
            taken_on=values.get("taken_on"),
        )
        return Response(AssessmentSerializer(row).data, status=status.HTTP_201_CREATED)
