"""Maintained roll-ups of achievement (`kinerja.performance.aggregates` keeps them): one row per
object and period, so that a page reads a few rows instead of every realisation under it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Rollup", "RollupKind"]

YEAR = 0  # ``sub_period`` of a year's row


class RollupKind(models.TextChoices):
    TARGET = "target", _("Target")
    PLAN = "plan", _("Employee plan (SKP)")
    UNIT = "unit", _("Unit (its staff's plans)")
    AGENCY = "agency", _("Agency (its PK and Renstra targets)")
    PROVINCE = "province", _("Province (instansi)")


class Rollup(models.Model):
    """The achievement of one object (``kind`` and ``object_id``: a target, a plan, a unit, an
    agency or the instansi) for a year (``sub_period`` 0) or one of its sub-periods (its
    number). A target's row keeps its aggregated realisation and target; a roll-up's row the
    weighted mean of its members' achievements and how many members had one."""

    instansi = models.ForeignKey(
        "organisations.Instansi",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("instansi"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RollupKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    year = models.PositiveSmallIntegerField(_("year"))
    sub_period = models.PositiveSmallIntegerField(
        _("sub-period"), help_text=_("Its number; 0 for the whole year.")
    )
    percent = models.DecimalField(
        _("achievement (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    realisation = models.DecimalField(
        _("realisation (aggregated)"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("target (aggregated)"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    target_low = models.DecimalField(
        _("target's low bound"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    target_high = models.DecimalField(
        _("target's high bound"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    reason = models.CharField(_("why not computed"), max_length=24, blank=True)
    computed = models.PositiveIntegerField(_("members computed"), default=0)
    not_computed = models.PositiveIntegerField(_("members not computed"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("achievement roll-up")
        verbose_name_plural = _("achievement roll-ups")
        ordering = ["kind", "object_id", "year", "sub_period"]
        indexes = [models.Index(fields=["instansi", "kind"], name="perf_rollup_instansi_kind")]
        constraints = [
            models.UniqueConstraint(
                "kind", "object_id", "year", "sub_period", name="%(app_label)s_%(class)s_key"
            ),
        ]

    def __str__(self) -> str:
        when = self.year if self.sub_period == YEAR else f"{self.year}/{self.sub_period}"
        return f"{self.kind} {self.object_id} {when}: {self.percent}"
