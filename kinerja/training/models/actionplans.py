"""What the action plans add to the foundation's rows: the dated progress updates of a
milestone (what flowed into the employee plan with each), and the design and results seminars
of accredited leadership training's change project."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

__all__ = ["LeadershipSeminar", "ProgressUpdate", "SeminarKind", "SeminarOutcome"]


class ProgressUpdate(TenantModel):
    """A dated report on a milestone: the percent reached, the evidence (text and a link), and
    what was written in the employee plan with it (the continuous-feedback entry on the
    linked SKP result, and the evidence link attached to the target's realisation)."""

    milestone = models.ForeignKey(
        "training.Milestone",
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("milestone"),
    )
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    evidence = models.TextField(_("evidence"), blank=True)
    link = models.URLField(_("evidence link"), max_length=1000, blank=True)
    feedback = models.ForeignKey(
        "performance.PlanDialogue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback entry in the SKP"),
    )
    realisation_evidence = models.ForeignKey(
        "performance.Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence of the target's realisation"),
    )
    author = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["milestone", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="training_progressupdate_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} {self.on}: {self.percent}%"


class SeminarKind(models.TextChoices):
    DESIGN = "design", _("Design seminar (seminar rancangan)")
    RESULTS = "results", _("Results seminar (seminar hasil)")


class SeminarOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    REVISE = "revise", _("Passed with revisions")
    FAILED = "failed", _("Not passed")


class LeadershipSeminar(TenantModel):
    """A seminar of the change project in accredited leadership training (PKN, PKA, PKP): the
    design seminar before the break-off period and the results seminar after it, each with the
    examiner (penguji), coach and mentor present, the outcome, the score and the examiner's
    assessment."""

    action_plan = models.ForeignKey(
        "training.ActionPlan",
        on_delete=models.CASCADE,
        related_name="seminars",
        verbose_name=_("action plan"),
    )
    kind = models.CharField(_("seminar"), max_length=8, choices=SeminarKind.choices)
    held_on = models.DateField(_("held on"))
    examiner = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("examiner"),
    )
    examiner_name = models.CharField(_("examiner's name"), max_length=200)
    coach_name = models.CharField(_("coach's name"), max_length=200, blank=True)
    mentor_name = models.CharField(_("mentor's name"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=SeminarOutcome.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    assessment = models.TextField(_("examiner's assessment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("change-project seminar")
        verbose_name_plural = _("change-project seminars")
        ordering = ["action_plan", "held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "kind"], name="training_leadershipseminar_once"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="training_leadershipseminar_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_plan_id} {self.kind}"
