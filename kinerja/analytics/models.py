"""What the early warning keeps between runs: the flags of the staff plans' targets (SKP).

A province holds some 400,000 SKP targets; no page projects them all. `warning_scan` (a
command and a task, nightly and before each weekly digest) projects them in chunks and keeps
here only the flagged ones, so a head's page reads a page of flags and re-projects those
rows live (docs/analytics-warning.md, "Speed"). The agencies' and the province's targets (a
few thousand) are projected live and are not kept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningStatus(models.TextChoices):
    AT_RISK = "at_risk", _("At risk")
    SILENT = "silent", _("Silent")


class TargetWarning(models.Model):
    """A flagged target of a staff plan at the last scan: its projected achievement (empty
    when it cannot be projected) and how many sub-periods due went unreported."""

    instansi = models.ForeignKey(
        "organisations.Instansi",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("instansi"),
    )
    target = models.OneToOneField(
        "performance.Target",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("target"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=8, choices=WarningStatus.choices)
    percent = models.DecimalField(
        _("projected achievement (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    silent = models.PositiveSmallIntegerField(_("sub-periods due without a report"), default=0)
    scanned_at = models.DateTimeField(_("scanned at"))

    class Meta:
        verbose_name = _("early-warning flag")
        verbose_name_plural = _("early-warning flags")
        ordering = ["instansi", "year", "status", "percent"]
        indexes = [
            models.Index(fields=["instansi", "year", "status"], name="analytics_warning_year"),
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.year}: {self.status}"
