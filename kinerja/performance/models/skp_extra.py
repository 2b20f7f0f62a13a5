"""Around the employee plan (SKP): the performance dialogues and continuous feedback on a
result, and the optional daily work log (an instansi's setting per year, off by default)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

__all__ = ["DialogueKind", "PlanDialogue", "WorkLogEntry", "WorkLogSetting"]


class DialogueKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Performance dialogue")
    FEEDBACK = "feedback", _("Feedback")


class PlanDialogue(TenantModel):
    """A dated entry of the performance dialogue (dialog kinerja) or of the continuous
    feedback on a result, written by the plan's employee or its evaluator."""

    result = models.ForeignKey(
        "performance.PlanResult",
        on_delete=models.CASCADE,
        related_name="dialogues",
        verbose_name=_("result"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=DialogueKind.choices, default=DialogueKind.DIALOGUE
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author's name"), max_length=300)

    class Meta:
        verbose_name = _("dialogue entry")
        verbose_name_plural = _("dialogue entries")
        ordering = ["result", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.author_name}: {self.text[:60]}"


class WorkLogSetting(TenantModel):
    """Whether the instansi keeps a daily work log in a year (off unless set)."""

    period = models.OneToOneField(
        "performance.Period",
        on_delete=models.CASCADE,
        related_name="work_log_setting",
        verbose_name=_("year"),
    )
    enabled = models.BooleanField(_("daily work log"), default=False)

    class Meta:
        verbose_name = _("work log setting")
        verbose_name_plural = _("work log settings")

    def __str__(self) -> str:
        return f"{self.period}: {self.enabled}"


class WorkLogEntry(TenantModel):
    """One day's work against a result of a plan (log harian)."""

    result = models.ForeignKey(
        "performance.PlanResult",
        on_delete=models.CASCADE,
        related_name="work_log",
        verbose_name=_("result"),
    )
    on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    quantity = models.DecimalField(
        _("output quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log entries")
        ordering = ["result", "on", "pk"]
        indexes = [models.Index(fields=["result", "on"], name="perf_worklog_result_on")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.description[:60]}"
