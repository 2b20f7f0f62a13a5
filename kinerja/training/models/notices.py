"""In-app notices of the events capability: a published change of the timetable, told to a
confirmed participant or to a speaker of a changed session."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

__all__ = ["TrainingNotice"]


class TrainingNotice(TenantModel):
    """One notice to one recipient: an employee (a participant) or a speaker (who may have no
    account). ``version`` is the timetable version that caused it; ``read_at`` is set when the
    participant marks it read."""

    event = models.ForeignKey(
        "training.Event", on_delete=models.CASCADE, related_name="notices", verbose_name=_("event")
    )
    version = models.ForeignKey(
        "training.TimetableVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("timetable version"),
    )
    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_notices",
        verbose_name=_("employee"),
    )
    speaker = models.ForeignKey(
        "training.Speaker",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("speaker"),
    )
    text = models.TextField(_("text"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training notice")
        verbose_name_plural = _("training notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(employee__isnull=False) & Q(speaker__isnull=True))
                | (Q(employee__isnull=True) & Q(speaker__isnull=False)),
                name="training_notice_one_recipient",
            )
        ]
        indexes = [models.Index(fields=["employee", "read_at"])]

    def __str__(self) -> str:
        return self.text[:80]
