"""Learning tests: a participant's pre-test and post-test scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..choices import TestKind

__all__ = ["Assessment"]

SCORE = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True}


class Assessment(TenantModel):
    """One test of a participant: the knowledge score (0-100) and, where the training type
    asks for them, the skill and attitude scores. One pre-test and one post-test each."""

    participant = models.ForeignKey(
        "training.Participant",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("test"), max_length=4, choices=TestKind.choices)
    knowledge = models.DecimalField(_("knowledge score"), **SCORE)
    skill = models.DecimalField(_("skill score"), **SCORE)
    attitude = models.DecimalField(_("attitude score"), **SCORE)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("test score")
        verbose_name_plural = _("test scores")
        ordering = ["participant", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind"], name="training_assessment_one_per_kind"
            ),
            models.CheckConstraint(
                condition=(Q(knowledge__isnull=True) | Q(knowledge__gte=0, knowledge__lte=100))
                & (Q(skill__isnull=True) | Q(skill__gte=0, skill__lte=100))
                & (Q(attitude__isnull=True) | Q(attitude__gte=0, attitude__lte=100)),
                name="training_assessment_score_range",
                violation_error_message=_("A score lies between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind}"
