"""A participant's action plan (aksi perubahan, a change project), the targets it serves, its
milestones and its follow-up reviews at 3, 6 and 12 months."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..choices import ActionPlanStatus, ReviewerRole, ReviewProgress

__all__ = ["ActionPlan", "ActionPlanLink", "FollowUpReview", "Milestone"]


class ActionPlan(TenantModel):
    """What a participant will change after the event, linked to targets of their own PK or
    SKP (`ActionPlanLink`), with a mentor (by default their superior) and a coach."""

    participant = models.OneToOneField(
        "training.Participant",
        on_delete=models.CASCADE,
        related_name="action_plan",
        verbose_name=_("participant"),
    )
    title = models.CharField(_("title"), max_length=300)
    change = models.TextField(_("what will change"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActionPlanStatus.choices,
        default=ActionPlanStatus.DRAFT,
    )
    mentor = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    mentor_delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor delegated by"),
    )
    coach = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coach"),
    )
    coach_name = models.CharField(_("coach (external)"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("completed or dropped at"), null=True, blank=True)
    close_reason = models.TextField(_("why it was dropped"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["participant"]

    def __str__(self) -> str:
        return self.title


class ActionPlanLink(models.Model):
    """A target the action plan serves: a target of the participant's own performance
    agreement (PK) or a result of their own employee plan (SKP)."""

    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="links", verbose_name=_("action plan")
    )
    agreement_target = models.ForeignKey(
        "performance.AgreementTarget",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement target"),
    )
    plan_result = models.ForeignKey(
        "performance.PlanResult",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan result"),
    )

    class Meta:
        verbose_name = _("linked target")
        verbose_name_plural = _("linked targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_target__isnull=False, plan_result__isnull=True)
                | Q(agreement_target__isnull=True, plan_result__isnull=False),
                name="training_actionplanlink_one_kind",
            ),
            models.UniqueConstraint(
                fields=["action_plan", "agreement_target"],
                condition=Q(agreement_target__isnull=False),
                name="training_actionplanlink_unique_target",
            ),
            models.UniqueConstraint(
                fields=["action_plan", "plan_result"],
                condition=Q(plan_result__isnull=False),
                name="training_actionplanlink_unique_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_plan_id}: {self.agreement_target_id or self.plan_result_id}"


class Milestone(models.Model):
    """A step of the action plan with its planned and actual dates and its progress."""

    action_plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("action plan"),
    )
    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    evidence = models.TextField(_("evidence"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    link = models.ForeignKey(
        ActionPlanLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("serves the linked target"),
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["action_plan", "position", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="training_milestone_progress_range"
            )
        ]

    def __str__(self) -> str:
        return self.title


class FollowUpReview(TenantModel):
    """A follow-up review of the action plan at 3, 6 or 12 months after the event, by the
    participant, the mentor or a peer (360-style)."""

    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("action plan")
    )
    month = models.PositiveSmallIntegerField(_("month after the event"))
    reviewer = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    role = models.CharField(_("as"), max_length=12, choices=ReviewerRole.choices)
    progress = models.CharField(
        _("progress"), max_length=10, choices=ReviewProgress.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up review")
        verbose_name_plural = _("follow-up reviews")
        ordering = ["action_plan", "month", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "month", "reviewer"],
                name="training_followupreview_once",
            ),
            models.CheckConstraint(
                condition=Q(month__in=[3, 6, 12]), name="training_followupreview_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_plan_id} m{self.month} {self.role}"
