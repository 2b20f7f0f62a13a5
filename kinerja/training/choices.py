"""Statuses and kinds of the training app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    """How a training is delivered (PerLAN 10/2018): in class, counted in lesson hours, or
    outside it (a seminar, coaching, a benchmarking visit), converted to lesson hours by rule."""

    CLASSICAL = "classical", _("Classical")
    NON_CLASSICAL = "non_classical", _("Non-classical")


class CompetencyKind(models.TextChoices):
    MANAGERIAL = "managerial", _("Managerial")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-cultural")
    TECHNICAL = "technical", _("Technical")


class EventStatus(models.TextChoices):
    """An event's life: planned, open for nomination, running, finished, evaluated. The order
    of declaration is the order of the life (`EventStatus.rank`)."""

    PLANNED = "planned", _("Planned")
    NOMINATION = "nomination", _("Open for nomination")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    EVALUATED = "evaluated", _("Evaluated")

    @classmethod
    def rank(cls, status: str) -> int:
        return cls.values.index(status)


class ParticipantStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NominationRoute(models.TextChoices):
    AGENCY = "agency", _("Nominated by the agency")
    INVITATION = "invitation", _("Invited by the organiser")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    EXCUSED = "excused", _("Excused")
    SICK = "sick", _("Sick")
    ABSENT = "absent", _("Absent")


class TestKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class ActionPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved by the mentor")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")


class ReviewerRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant (self)")
    MENTOR = "mentor", _("Mentor")
    PEER = "peer", _("Peer")


class ReviewProgress(models.TextChoices):
    """How a follow-up review sees the action plan: on track or not (Kirkpatrick's behaviour
    level counts the share on track)."""

    AHEAD = "ahead", _("Ahead of plan")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    STALLED = "stalled", _("Stalled")

    @classmethod
    def on_track_values(cls) -> frozenset[str]:
        return frozenset({cls.AHEAD, cls.ON_TRACK})


class RecordSource(models.TextChoices):
    """Where a development-hours record comes from."""

    EVENT = "event", _("Event attended")
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    MENTORING = "mentoring", _("Mentoring")
