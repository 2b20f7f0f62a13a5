"""The internal evaluation of performance accountability (AKIP): worksheets (LKE) per agency,
their answers with evidence and the system's suggestions, and the recommendations whose
follow-up is tracked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from .choices import (
    GRADE_CHOICES,
    GRADES,
    AnswerSource,
    EvaluationStatus,
    RecommendationStatus,
)
from .querysets import AnswerQuerySet, EvaluationQuerySet, RecommendationQuerySet

SCORE = {"max_digits": 5, "decimal_places": 2}


class Evaluation(TenantModel):
    """The LKE of one agency for one year, under the policy version it was started with.
    A final evaluation no longer changes: its score and predikat are kept as finalised."""

    agency = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="akip_evaluations",
        verbose_name=_("agency"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    policy_version = models.CharField(_("policy version"), max_length=20)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    budget_approved_on = models.DateField(
        _("budget document approved on"),
        null=True,
        blank=True,
        help_text=_(
            "The approval date of the year's budget document (DPA). The PK is due one month "
            "after it; empty: the policy's date."
        ),
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE)
    predikat = models.CharField(_("predikat"), max_length=2, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("AKIP evaluation")
        verbose_name_plural = _("AKIP evaluations")
        ordering = ["-year", "agency__sort_key"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                "year",
                name="%(app_label)s_%(class)s_one_per_agency_year",
                violation_error_message=_("This agency already has an evaluation for the year."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values),
                name="%(app_label)s_%(class)s_status",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="%(app_label)s_%(class)s_year",
            ),
            # Final: the score, predikat and time are kept; a draft has none of them.
            models.CheckConstraint(
                condition=Q(
                    status=EvaluationStatus.FINAL,
                    score__isnull=False,
                    finalised_at__isnull=False,
                )
                & ~Q(predikat="")
                | Q(
                    status=EvaluationStatus.DRAFT,
                    score__isnull=True,
                    finalised_at__isnull=True,
                    predikat="",
                ),
                name="%(app_label)s_%(class)s_final_has_score",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="%(app_label)s_%(class)s_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"LKE {self.year} {self.agency.name}"

    def get_absolute_url(self) -> str:
        return reverse("akip:sheet", args=[self.agency_id, self.year])

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL


class Answer(models.Model):
    """The answer to one criterion of an evaluation: a grade with its evidence. A row the
    system suggested (``source`` suggested) keeps its reason in ``prefilled_from``; when the
    evaluator confirms or changes it, ``suggested_grade`` and the reason stay for the record.
    A suggestion without a grade (nothing in the system tells) only carries its reason."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("evaluation")
    )
    criterion = models.CharField(_("criterion"), max_length=12)
    grade = models.CharField(_("answer"), max_length=2, choices=GRADE_CHOICES, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=AnswerSource.choices, default=AnswerSource.ANSWERED
    )
    suggested_grade = models.CharField(
        _("suggested answer"), max_length=2, choices=GRADE_CHOICES, blank=True
    )
    prefilled_from = models.TextField(_("reason of the suggestion"), blank=True)
    suggested_at = models.DateTimeField(_("suggested at"), null=True, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("LKE answer")
        verbose_name_plural = _("LKE answers")
        ordering = ["evaluation", "criterion"]
        constraints = [
            models.UniqueConstraint(
                "evaluation", "criterion", name="%(app_label)s_%(class)s_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=GRADES),
                name="%(app_label)s_%(class)s_grade",
            ),
            models.CheckConstraint(
                condition=Q(suggested_grade="") | Q(suggested_grade__in=GRADES),
                name="%(app_label)s_%(class)s_suggested_grade",
            ),
            # A suggestion not yet confirmed is the suggested grade itself (or no grade with
            # its reason); an evaluator's answer always has a grade and a time.
            models.CheckConstraint(
                condition=Q(
                    source=AnswerSource.SUGGESTED,
                    grade=F("suggested_grade"),
                    answered_at__isnull=True,
                )
                & ~Q(prefilled_from="")
                | Q(source=AnswerSource.ANSWERED, answered_at__isnull=False) & ~Q(grade=""),
                name="%(app_label)s_%(class)s_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.grade or '-'}"

    @property
    def is_suggested(self) -> bool:
        return self.source == AnswerSource.SUGGESTED


class Recommendation(TenantModel):
    """A recommendation of an evaluation, on a criterion or a whole component, with its due
    date, the unit responsible and the state of its follow-up."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("evaluation"),
    )
    component = models.CharField(_("component"), max_length=4)
    criterion = models.CharField(_("criterion"), max_length=12, blank=True)
    text = models.TextField(_("recommendation"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    responsible_unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    status_note = models.TextField(_("note on the status"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("AKIP recommendation")
        verbose_name_plural = _("AKIP recommendations")
        ordering = ["evaluation", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="%(app_label)s_%(class)s_status",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.closed(), closed_on__isnull=False)
                | ~Q(status__in=RecommendationStatus.closed()) & Q(closed_on__isnull=True),
                name="%(app_label)s_%(class)s_closed_on",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="%(app_label)s_%(class)s_text"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("akip:recommendation_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in RecommendationStatus.closed()


class FollowUp(models.Model):
    """A dated note of what the agency did on a recommendation, with its evidence."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("recommendation"),
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("follow-up"))
    evidence_link = models.URLField(_("evidence link"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["recommendation", "on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="%(app_label)s_%(class)s_note"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.note[:60]}"
