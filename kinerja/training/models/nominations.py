"""Development needs recorded for an employee: a competency gap (from an assessment, the
superior or the employee), read with the evaluation's ratings to suggest nominees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

__all__ = ["CompetencyGap", "GapSource"]


class GapSource(models.TextChoices):
    ASSESSMENT = "assessment", _("Competency assessment")
    SUPERIOR = "superior", _("The superior")
    SELF = "self", _("The employee")


class CompetencyGapQuerySet(ScopedQuerySet):
    """A gap is read like the person it is about (``view_people`` on their unit, an
    evaluator's reports, the employee themself)."""

    scope_path = "employee__unit__path"
    scope_post = "employee__position_id"
    scope_action = Action.VIEW_PEOPLE
    scope_own = "employee"


class CompetencyGap(TenantModel):
    """A competency an employee needs to develop in a year: a level of the gap (1 small, up to
    the policy's highest) or a description of it, with where it comes from."""

    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.CASCADE,
        related_name="competency_gaps",
        verbose_name=_("employee"),
    )
    competency = models.ForeignKey(
        "training.Competency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competency"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.PositiveSmallIntegerField(_("gap level"), null=True, blank=True)
    description = models.CharField(_("gap"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=GapSource.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CompetencyGapQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency gap")
        verbose_name_plural = _("competency gaps")
        ordering = ["-year", "employee", "competency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=False) | ~Q(description=""),
                name="training_competencygap_level_or_text",
                violation_error_message=_("Give the level of the gap or describe it."),
            )
        ]
        indexes = [models.Index(fields=["competency", "year"])]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.competency_id} ({self.year})"
