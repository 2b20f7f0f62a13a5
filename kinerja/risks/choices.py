"""The risk register's statuses and kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Being mitigated")
    CLOSED = "closed", _("Closed")
    ACCEPTED = "accepted", _("Accepted")

    @classmethod
    def live(cls) -> tuple[str, ...]:
        """The statuses of a risk still being managed."""
        return (cls.OPEN, cls.MITIGATING)

    @classmethod
    def ended(cls) -> tuple[str, ...]:
        return (cls.CLOSED, cls.ACCEPTED)


class RiskSource(models.TextChoices):
    MANUAL = "manual", _("Identified by hand")
    EARLY_WARNING = "early_warning", _("Early warning")


class ObjectKind(models.TextChoices):
    """What the risk threatens."""

    GOAL = "goal", _("Goal")
    TARGET = "target", _("Target")
    PROJECT = "project", _("Strategic project")


class MitigationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def active(cls) -> tuple[str, ...]:
        return (cls.PLANNED, cls.IN_PROGRESS)
