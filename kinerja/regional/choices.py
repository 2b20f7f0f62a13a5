"""Statuses and kinds of the regional app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaRole(models.TextChoices):
    PRIORITY = "priority", _("Priority area")
    SUPPORTING = "supporting", _("Supporting area")


class Funding(models.TextChoices):
    APBN = "apbn", "APBN"
    APBD = "apbd", "APBD"
    APBN_APBD = "apbn_apbd", "APBN/APBD"
    BUMN_BUMD = "bumn_bumd", "BUMN/BUMD"
    KPBU = "kpbu", "KPBU"
    PRIVATE = "private", _("Private")


class Phase(models.TextChoices):
    P1 = "p1", _("P1 (due by 2024)")
    P2 = "p2", _("P2 (after 2024)")


class ProjectStatus(models.TextChoices):
    """In the order a project goes through them (the 2022 evaluation's statuses)."""

    PLANNING = "planning", _("Planning")
    PREPARATION = "preparation", _("Preparation")
    CONSTRUCTION = "construction", _("Construction")
    PARTLY_OPERATING = "partly_operating", _("Partly operating")
    FINISHED = "finished", _("Finished")


# A project at one of these has begun work on the ground, so it has a start date.
STARTED = (ProjectStatus.CONSTRUCTION, ProjectStatus.PARTLY_OPERATING, ProjectStatus.FINISHED)


class LandStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    NOT_NEEDED = "not_needed", _("No land needed")
    NOT_STARTED = "not_started", _("Acquisition not started")
    IN_PROGRESS = "in_progress", _("Acquisition in progress")
    CLEARED = "cleared", _("Land cleared")


class RegionRole(models.TextChoices):
    LOCATION = "location", _("Location")
    SUPPORTING = "supporting", _("Supporting")
