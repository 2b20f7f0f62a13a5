"""The employee evaluation (PermenPAN-RB 6/2022): a plan's periodic evaluation (one sub-period)
or annual one, with the results rating (suggested from achievement, given by the evaluator),
the behaviour rating, per BerAKHLAK value a rating with feedback, per result feedback, and the
predikat from the policy matrix (`kinerja.performance.evaluation_rules`).

A final evaluation no longer changes here; ``version`` counts the writes (a stale one is
refused as a conflict)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..evaluation_rules import Predikat, Rating

__all__ = [
    "Evaluation",
    "EvaluationBehaviour",
    "EvaluationKind",
    "EvaluationResultFeedback",
    "EvaluationSource",
    "EvaluationStatus",
]

ANNUAL = 0  # ``sub_period`` of an annual evaluation


class EvaluationKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    ANNUAL = "annual", _("Annual")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class EvaluationSource(models.TextChoices):
    """Where the suggested results rating comes from."""

    PLAN = "plan", _("The plan's achievement")
    PLANS = "plans", _("The year's plans, combined")
    AGENCY = "agency", _("The agency's achievement (head of organisation)")
    EVALUATOR = "evaluator", _("The evaluator (no achievement)")


class Evaluation(TenantModel):
    plan = models.ForeignKey(
        "performance.Plan",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices)
    sub_period = models.PositiveSmallIntegerField(
        _("sub-period"), help_text=_("Its number; 0 for the annual evaluation.")
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    achievement = models.DecimalField(
        _("achievement (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=EvaluationSource.choices)
    suggested_rating = models.CharField(
        _("suggested results rating"), max_length=20, choices=Rating.choices, blank=True
    )
    results_rating = models.CharField(
        _("results rating"), max_length=20, choices=Rating.choices, blank=True
    )
    override_reason = models.TextField(_("reason for overriding the suggestion"), blank=True)
    behaviour_rating = models.CharField(
        _("behaviour rating"), max_length=20, choices=Rating.choices, blank=True
    )
    predikat = models.CharField(_("predikat"), max_length=20, choices=Predikat.choices, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("employee evaluation")
        verbose_name_plural = _("employee evaluations")
        ordering = ["plan", "kind", "sub_period"]
        indexes = [
            # The overrides across agencies, newest first: a few in a hundred of the rows.
            models.Index(
                fields=["instansi", "-id"],
                condition=~Q(override_reason=""),
                name="perf_evaluation_overrides",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                "plan", "kind", "sub_period", name="%(app_label)s_%(class)s_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(kind="annual", sub_period=0) | Q(kind="periodic", sub_period__gte=1),
                name="%(app_label)s_%(class)s_sub_period",
            ),
            models.CheckConstraint(
                condition=Q(status="final", finalised_at__isnull=False)
                | (~Q(status="final") & Q(finalised_at__isnull=True)),
                name="%(app_label)s_%(class)s_finalised_at",
            ),
        ]

    def __str__(self) -> str:
        when = _("annual") if self.kind == EvaluationKind.ANNUAL else f"#{self.sub_period}"
        return f"{self.plan} {when}"

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL


class EvaluationBehaviour(models.Model):
    """The rating and feedback of one BerAKHLAK value (by the policy's code)."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="behaviours",
        verbose_name=_("evaluation"),
    )
    value = models.CharField(_("core value"), max_length=40)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("behaviour rating")
        verbose_name_plural = _("behaviour ratings")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                "evaluation", "value", name="%(app_label)s_%(class)s_one_per_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.rating}"


class EvaluationResultFeedback(models.Model):
    """The evaluator's feedback on one result (RHK) of the plan."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("evaluation")
    )
    result = models.ForeignKey(
        "performance.PlanResult",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("result"),
    )
    feedback = models.TextField(_("feedback"))

    class Meta:
        verbose_name = _("feedback on a result")
        verbose_name_plural = _("feedback on results")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                "evaluation", "result", name="%(app_label)s_%(class)s_one_per_result"
            ),
        ]

    def __str__(self) -> str:
        return self.feedback[:80]
