"""API of the action plans, under ``/api/v1/training-action-plans/``.

Read like the pages (`selectors_action_plans.action_plans_for`): the participant, whoever reads
the participant's enrolment (their agency's viewers, the organiser), the mentor and the invited
peers. Every write goes through `services.action_plans`: a plan outside the caller's reach
answers 404, a caller who reads it but may not do this 403, bad input 400."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.idempotency import IdempotentMixin

from ..choices import ReviewProgress
from ..models import (
    ActionPlan,
    ActionPlanLink,
    Event,
    FollowUpReview,
    LeadershipSeminar,
    Milestone,
    Participant,
    ProgressUpdate,
)
from ..models.actionplans import SeminarKind, SeminarOutcome
from ..selectors_action_plans import action_plans_for
from ..services import action_plans as svc

# Serializers -------------------------------------------------------------------------------


class APLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPlanLink
        fields = ["id", "agreement_target", "plan_result"]
        read_only_fields = fields


class APProgressUpdateSerializer(serializers.ModelSerializer):
    # A plain string: the link is optional, and an empty one is "" (not a URI).
    link = serializers.CharField(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "on", "percent", "evidence", "link", "feedback", "realisation_evidence"]
        read_only_fields = fields


class APMilestoneSerializer(serializers.ModelSerializer):
    updates = APProgressUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "progress", "evidence", "link", "updates"]
        read_only_fields = fields


class APReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpReview
        fields = ["id", "month", "reviewer", "role", "progress", "comment", "submitted_at"]
        read_only_fields = fields


class APSeminarSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="design, results")

    class Meta:
        model = LeadershipSeminar
        fields = [
            "id",
            "kind",
            "held_on",
            "examiner",
            "examiner_name",
            "coach_name",
            "mentor_name",
            "outcome",
            "score",
            "assessment",
        ]
        read_only_fields = fields


class ActionPlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="draft, submitted, approved, completed, dropped"
    )
    event = serializers.IntegerField(source="participant.event_id", read_only=True)
    employee = serializers.IntegerField(source="participant.employee_id", read_only=True)
    links = APLinkSerializer(many=True, read_only=True)
    milestones = APMilestoneSerializer(many=True, read_only=True)
    reviews = APReviewSerializer(many=True, read_only=True)
    seminars = APSeminarSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "participant",
            "event",
            "employee",
            "title",
            "change",
            "status",
            "mentor",
            "coach",
            "coach_name",
            "submitted_at",
            "closed_at",
            "close_reason",
            "version",
            "links",
            "milestones",
            "reviews",
            "seminars",
        ]
        read_only_fields = fields


class APWriteSerializer(serializers.Serializer):
    participant = serializers.IntegerField()
    title = serializers.CharField(max_length=300)
    change = serializers.CharField()
    coach = serializers.IntegerField(required=False, allow_null=True)
    coach_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class APLinkWriteSerializer(serializers.Serializer):
    agreement_target = serializers.IntegerField(required=False, allow_null=True)
    plan_result = serializers.IntegerField(required=False, allow_null=True)
    new_result = serializers.CharField(
        required=False, allow_blank=True, help_text="Text of a new result added to your SKP."
    )


class APDropSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the plan is dropped.")


class APMilestoneWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    due_on = serializers.DateField()
    link = serializers.IntegerField(required=False, allow_null=True)


class APProgressWriteSerializer(serializers.Serializer):
    milestone = serializers.IntegerField()
    percent = serializers.IntegerField()
    evidence = serializers.CharField(required=False, allow_blank=True)
    link = serializers.CharField(required=False, allow_blank=True)
    attach = serializers.BooleanField(required=False, default=False)


class APReviewWriteSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    progress = serializers.ChoiceField(choices=ReviewProgress.choices)
    comment = serializers.CharField(required=False, allow_blank=True)


class APInviteSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    peer = serializers.IntegerField()


class APSeminarWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=", ".join(SeminarKind.values))
    held_on = serializers.DateField()
    examiner = serializers.IntegerField(required=False, allow_null=True)
    examiner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    coach_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    mentor_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    outcome = serializers.ChoiceField(choices=SeminarOutcome.choices)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    assessment = serializers.CharField(required=False, allow_blank=True)


class APMentorChoiceSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    mentor = serializers.IntegerField()


class APDelegateResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many plans changed mentor.")


class APDelegateSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    mentors = APMentorChoiceSerializer(many=True)
    reason = serializers.CharField()


# The viewset -------------------------------------------------------------------------------


def _doc(summary: str, description: str = "", request=None, responses=None):
    return extend_schema(
        tags=["training-action-plans"],
        summary=summary,
        description=description,
        request=request,
        responses=responses or ActionPlanSerializer,
    )


@extend_schema_view(
    list=extend_schema(
        tags=["training-action-plans"],
        summary="List the action plans within reach",
        description="Own, mentored, invited to review, and those of the enrolments the caller "
        "reads (agency viewers, the organiser). Filters: `event`, `status`, `mentor` (`me`).",
    ),
    retrieve=extend_schema(tags=["training-action-plans"], summary="Read an action plan"),
    create=extend_schema(
        tags=["training-action-plans"],
        summary="Write the participant's action plan",
        description="By the participant only, from the event's first day until 14 days after "
        "its last (policy). Writing again rewrites a draft or submitted plan. The mentor "
        "defaults to the participant's superior on the event's last day.",
        request=APWriteSerializer,
        responses={201: ActionPlanSerializer},
    ),
)
class ActionPlanViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActionPlanSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionPlan.objects.none()
        qs = action_plans_for(self.request.scope).prefetch_related(
            "links", "milestones__updates", "reviews", "seminars"
        )
        get = self.request.query_params
        if get.get("event", "").isdigit():
            qs = qs.filter(participant__event_id=int(get["event"]))
        if get.get("status"):
            qs = qs.filter(status=get["status"])
        if get.get("mentor") == "me":
            qs = qs.filter(mentor_id=self.request.scope.employee_id or 0)
        return qs.select_related("participant").order_by("participant__event_id", "pk")

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}

    def data(self, serializer_class) -> dict[str, Any]:
        form = serializer_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        return form.validated_data

    def answer(self, plan, code=status.HTTP_200_OK) -> Response:
        return Response(ActionPlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self.data(APWriteSerializer)
        participant = (
            Participant.objects.within(request.scope).filter(pk=data["participant"]).first()
        )
        if participant is None:
            raise ValidationError({"participant": _("No such enrolment.")})
        plan = svc.action_plan_write(
            **self.call(),
            participant=participant,
            title=data["title"],
            change=data["change"],
            coach=data.get("coach"),
            coach_name=data.get("coach_name", ""),
        )
        return self.answer(plan, status.HTTP_201_CREATED)

    @_doc(
        "Link a target of your own PK or SKP",
        "One of `agreement_target` (your own agreement of the event's year), `plan_result` "
        "(your own SKP of that year) or `new_result` (a new result added to your SKP, which "
        "must be a draft). Someone else's target is refused.",
        APLinkWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        plan = self.get_object()
        data = self.data(APLinkWriteSerializer)
        if data.get("new_result"):
            svc.action_plan_link_new_result(**self.call(), plan=plan, text=data["new_result"])
        else:
            svc.action_plan_link(
                **self.call(),
                plan=plan,
                agreement_target=data.get("agreement_target"),
                plan_result=data.get("plan_result"),
            )
        return self.answer(plan)

    @_doc("Add a milestone", "Dated from the event's first day to the last review's due date.")
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        plan = self.get_object()
        data = self.data(APMilestoneWriteSerializer)
        svc.milestone_add(
            **self.call(),
            plan=plan,
            title=data["title"],
            due_on=data["due_on"],
            link=data.get("link"),
        )
        return self.answer(plan)

    @_doc("Submit the plan to the mentor", "Needs a linked target and a milestone.")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.answer(svc.action_plan_submit(**self.call(), plan=self.get_object()))

    @_doc("Approve a submitted plan (the mentor)")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.answer(svc.action_plan_approve(**self.call(), plan=self.get_object()))

    @_doc(
        "Mark an approved plan completed (the mentor or the organiser)",
        "Every milestone must be done; the refusal names those still open.",
        request=None,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self.answer(svc.action_plan_complete(**self.call(), plan=self.get_object()))

    @_doc(
        "Drop a plan with its reason (the participant, the mentor or the organiser)",
        request=APDropSerializer,
    )
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        data = self.data(APDropSerializer)
        plan = svc.action_plan_drop(**self.call(), plan=self.get_object(), reason=data["reason"])
        return self.answer(plan)

    @_doc(
        "Report a milestone's progress",
        "`percent` 0-100, `evidence` text, `link`. A feedback entry is added to the SKP "
        "result the milestone serves; with `attach` the link is added to the linked PK "
        "target's realisation of the current sub-period (only if it is open for entries).",
        APProgressWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        plan = self.get_object()
        data = self.data(APProgressWriteSerializer)
        milestone = plan.milestones.filter(pk=data["milestone"]).first()
        if milestone is None:
            raise ValidationError({"milestone": _("No such milestone in this plan.")})
        svc.progress_update(
            **self.call(),
            milestone=milestone,
            percent=data["percent"],
            evidence=data.get("evidence", ""),
            link=data.get("link", ""),
            attach=data.get("attach", False),
        )
        return self.answer(plan)

    @_doc(
        "Give a follow-up review",
        "By the participant, the mentor or an invited peer, at `month` 3, 6 or 12, from 14 "
        "days before its due date; once each.",
        APReviewWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def reviews(self, request, pk=None):
        plan = self.get_object()
        data = self.data(APReviewWriteSerializer)
        svc.review_submit(
            **self.call(),
            plan=plan,
            month=data["month"],
            progress=data["progress"],
            comment=data.get("comment", ""),
        )
        return self.answer(plan)

    @_doc(
        "Invite a peer to a review",
        "By the participant or the organiser: an employee of the same instansi, at most 2 per "
        "review month.",
        APInviteSerializer,
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        plan = self.get_object()
        data = self.data(APInviteSerializer)
        svc.review_invite(**self.call(), plan=plan, month=data["month"], peer=data["peer"])
        return self.answer(plan)

    @_doc(
        "Record a seminar of leadership training",
        "By the organiser, for accredited leadership training only: the design or results "
        "seminar with the examiner, outcome and score.",
        APSeminarWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def seminars(self, request, pk=None):
        plan = self.get_object()
        data = self.data(APSeminarWriteSerializer)
        svc.seminar_record(**self.call(), plan=plan, **data)
        return self.answer(plan)

    @extend_schema(
        tags=["training-action-plans"],
        summary="Delegate the mentors of an event's plans by agency",
        description="By the organiser: `mentors` is a list of `{agency, mentor}`; `reason` "
        "required. Answers how many plans changed.",
        request=APDelegateSerializer,
        responses={200: APDelegateResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def delegate(self, request):
        data = self.data(APDelegateSerializer)
        event = Event.objects.within(request.scope).filter(pk=data["event"]).first()
        if event is None:
            raise ValidationError({"event": _("No such event.")})
        changed = svc.mentor_delegate(
            **self.call(),
            event=event,
            mentors={row["agency"]: row["mentor"] for row in data["mentors"]},
            reason=data["reason"],
        )
        return Response({"changed": changed})
