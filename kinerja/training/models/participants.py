"""Enrolments and attendance."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..choices import AttendanceStatus, NominationRoute, ParticipantStatus
from ..querysets import ParticipantQuerySet

__all__ = ["Attendance", "Participant"]


class Participant(TenantModel):
    """An employee's enrolment in an event. The post, unit, agency, kind of post and eselon are
    copied at enrolment (``*_name``, ``position_title`` and the foreign keys as they stood), so
    that a later transfer does not rewrite who attended as what. ``acting`` says the post was
    held as acting head (Plt or Plh)."""

    event = models.ForeignKey(
        "training.Event",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("event"),
    )
    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("employee"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.NOMINATED,
    )
    route = models.CharField(
        _("nominated through"),
        max_length=12,
        choices=NominationRoute.choices,
        default=NominationRoute.AGENCY,
    )
    # The snapshot at enrolment.
    position = models.ForeignKey(
        "organisations.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    position_title = models.CharField(_("post"), max_length=250, blank=True)
    position_kind = models.CharField(_("kind of post"), max_length=20, blank=True)
    eselon = models.CharField(_("eselon"), max_length=6, blank=True)
    acting = models.CharField(_("acting (Plt/Plh)"), max_length=3, blank=True)
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    unit_name = models.CharField(_("unit"), max_length=250, blank=True)
    agency = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    agency_name = models.CharField(_("agency"), max_length=250, blank=True)
    # The nomination.
    suggestion = models.TextField(_("why suggested"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominated_at = models.DateTimeField(_("nominated at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "agency_name", "employee__name"]
        constraints = [
            # One seat per person per event; a withdrawn enrolment frees it.
            models.UniqueConstraint(
                fields=["event", "employee"],
                condition=~Q(status=ParticipantStatus.WITHDRAWN),
                name="training_participant_one_seat",
                violation_error_message=_("This employee is already enrolled in the event."),
            )
        ]
        indexes = [models.Index(fields=["event", "agency"])]

    def __str__(self) -> str:
        return f"{self.employee_id} @ {self.event_id}"


class Attendance(TenantModel):
    """A participant's attendance of one session. Lesson hours count only for the time present
    (``minutes_present`` between check-in and check-out, within the session); ``jp`` is what
    the session gives this participant."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    session = models.ForeignKey(
        "training.Session",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.ABSENT,
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    minutes_present = models.PositiveIntegerField(_("minutes present"), default=0)
    jp = models.DecimalField(
        _("lesson hours (JP)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session__starts_at", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="training_attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.session_id}: {self.status}"
