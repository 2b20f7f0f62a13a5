"""The scans behind attendance: each badge scan or self check-in, kept once by its UUID, so the
attendance of a session is recomputed from them whatever their order of arrival."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

__all__ = ["AttendanceScan", "ScanDirection", "ScanMethod", "ScanOutcome"]


class ScanDirection(models.TextChoices):
    IN = "in", _("Check-in")
    OUT = "out", _("Check-out")


class ScanMethod(models.TextChoices):
    CAMERA = "camera", _("Badge scanned by camera")
    TYPED = "typed", _("Badge code typed in")
    ROOM_CODE = "room_code", _("Self check-in with the room code")


class ScanOutcome(models.TextChoices):
    """What the scan did when it was received (the attendance itself is always recomputed from
    every scan kept: earliest check-in, latest check-out after it)."""

    COUNTED = "counted", _("Counted")
    IGNORED = "ignored", _("Kept, no change")


class AttendanceScan(TenantModel):
    """One scan of a participant for a session. ``uuid`` is made by the device that scanned, so
    a scan sent twice (an offline queue replayed) is kept once. ``scanned_at`` is the device's
    clock, checked against the session's window; ``received_at`` the server's. ``room_step``
    is the time step of the rotating room code used for a self check-in (one use per
    participant and step)."""

    uuid = models.UUIDField(_("scan id"), unique=True)
    participant = models.ForeignKey(
        "training.Participant",
        on_delete=models.CASCADE,
        related_name="scans",
        verbose_name=_("participant"),
    )
    session = models.ForeignKey(
        "training.Session",
        on_delete=models.CASCADE,
        related_name="scans",
        verbose_name=_("session"),
    )
    direction = models.CharField(_("direction"), max_length=3, choices=ScanDirection.choices)
    method = models.CharField(_("method"), max_length=10, choices=ScanMethod.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"))
    device = models.CharField(_("device"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    room_step = models.BigIntegerField(_("room code step"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=ScanOutcome.choices, default=ScanOutcome.COUNTED
    )

    class Meta:
        verbose_name = _("attendance scan")
        verbose_name_plural = _("attendance scans")
        ordering = ["scanned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session", "room_step"],
                condition=Q(room_step__isnull=False),
                name="training_scan_room_code_once",
                violation_error_message=_("This room code was already used."),
            )
        ]
        indexes = [models.Index(fields=["session", "participant"])]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.session_id} {self.direction} {self.scanned_at}"
