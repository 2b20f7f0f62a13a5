"""Programmes, their events (editions), the timetable (sessions and speakers) and its published
versions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..choices import EventStatus
from ..querysets import EventQuerySet, ProgrammeQuerySet, SessionQuerySet, SpeakerQuerySet

__all__ = [
    "Event",
    "EventQuota",
    "Programme",
    "Session",
    "SessionMaterial",
    "SessionSpeaker",
    "Speaker",
    "TimetableVersion",
]

JP_MINUTES = 45  # one lesson hour (jam pelajaran)


class Programme(TenantModel):
    """A recurring development programme, such as "Refreshment Manajemen Pemerintah"."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    organiser_unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser unit"),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "name"], name="training_programme_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Event(TenantModel):
    """One edition of a programme: where, when, for whom, organised by which unit, and the
    training type whose rules apply (certificate, scores, seminars, the hours it counts)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="events", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    venue_region = models.ForeignKey(
        "organisations.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue region"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    organiser_unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser unit"),
    )
    training_type = models.ForeignKey(
        "training.TrainingType",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("training type"),
    )
    # The audience: kinds of post and eselon levels (empty: any). Acting heads (Plt, Plh) of a
    # post of the audience count (the eligibility rule reads their acting assignment).
    audience_kinds = models.JSONField(_("audience: kinds of post"), default=list, blank=True)
    audience_eselons = models.JSONField(_("audience: eselon"), default=list, blank=True)
    audience_note = models.CharField(_("audience"), max_length=250, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(_("planned sessions"), default=0)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    opened_by = models.CharField(_("opened by"), max_length=200, blank=True)
    timetable_version = models.PositiveIntegerField(_("published timetable version"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="training_event_dates",
                violation_error_message=_("The last day cannot precede the first."),
            )
        ]
        indexes = [models.Index(fields=["instansi", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.starts_on.year

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class EventQuota(TenantModel):
    """The seats of one agency (a unit at the top of the tree) at an event."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("event")
    )
    agency = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["event", "agency"], name="training_eventquota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.agency_id}: {self.seats}"


class Speaker(TenantModel):
    """A speaker (narasumber) or staff trainer (widyaiswara). An external speaker needs no
    account; an internal one may point at their employee record."""

    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=250, blank=True)
    organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    bio = models.TextField(_("short bio"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employee record"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Session(TenantModel):
    """One session of the timetable. ``jp`` is its lesson hours (45 minutes each), by default
    its length in lesson hours; ``published`` is False for a session whose subject was not
    made public (it still holds its slot)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("learning objectives"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    jp = models.DecimalField(
        _("lesson hours (JP)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    published = models.BooleanField(_("published"), default=True)
    competencies = models.ManyToManyField(
        "training.Competency", blank=True, related_name="+", verbose_name=_("competencies")
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        related_name="sessions",
        verbose_name=_("speakers"),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="training_session_times",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="session_links")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"], name="training_sessionspeaker_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.speaker_id}"


class SessionMaterial(TenantModel):
    """A file handed out in a session (slides, a reader)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="training/materials/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class TimetableVersion(TenantModel):
    """A published state of an event's timetable: the sessions as they stood (a JSON snapshot)
    and what changed from the version before."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="timetable_versions", verbose_name=_("event")
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    sessions = models.JSONField(_("sessions"), default=list)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("timetable version")
        verbose_name_plural = _("timetable versions")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"], name="training_timetableversion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} v{self.number}"
