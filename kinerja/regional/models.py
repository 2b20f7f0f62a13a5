"""Development areas (kawasan) and strategic projects of Perpres 80/2019."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from .choices import STARTED, AreaRole, Funding, LandStatus, Phase, ProjectStatus, RegionRole
from .policy import category_choices, prioritisation_choices, readiness_choices
from .querysets import (
    DevelopmentAreaQuerySet,
    MilestoneQuerySet,
    ProjectPartQuerySet,
    ProjectQuerySet,
)


class DevelopmentArea(TenantModel):
    """A development area of Perpres 80/2019: a priority area, or a supporting one with the
    priority area it supports; its member regencies and cities; the project count and
    investment the regulation's reports publish. ``code`` is the slug the goal tags of kind
    development_area use."""

    code = models.SlugField(_("code"), max_length=60)
    abbreviation = models.CharField(_("abbreviation"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=12, choices=AreaRole.choices)
    supports = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_by",
        verbose_name=_("supports"),
    )
    description = models.TextField(_("description"), blank=True)
    published_projects = models.PositiveIntegerField(_("published project count"), null=True)
    published_investment_rp = models.BigIntegerField(
        _("published investment (Rp)"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    members = models.ManyToManyField(
        "organisations.Region",
        through="AreaMember",
        related_name="development_areas",
        verbose_name=_("member regions"),
    )

    objects = DevelopmentAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("development area")
        verbose_name_plural = _("development areas")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint("instansi", "code", name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(published_investment_rp__isnull=True)
                | Q(published_investment_rp__gte=0),
                name="%(app_label)s_%(class)s_investment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regional:area_detail", args=[self.code])

    def clean(self) -> None:
        if self.role == AreaRole.SUPPORTING and self.supports_id is None:
            raise ValidationError({"supports": _("A supporting area names the area it supports.")})
        if self.role == AreaRole.PRIORITY and self.supports_id is not None:
            raise ValidationError({"supports": _("A priority area supports no other area.")})
        if self.supports_id is not None and self.supports_id == self.pk:
            raise ValidationError({"supports": _("An area cannot support itself.")})


class AreaMember(models.Model):
    """A regency or city that belongs to an area; ``confirmed`` once checked against the
    regulation's annex (the defaults from the press are not)."""

    area = models.ForeignKey(
        DevelopmentArea,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("area"),
    )
    region = models.ForeignKey(
        "organisations.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    confirmed = models.BooleanField(_("confirmed against the annex"), default=False)

    class Meta:
        verbose_name = _("area member")
        verbose_name_plural = _("area members")
        ordering = ["area", "region__code"]
        constraints = [
            models.UniqueConstraint("area", "region", name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.region}"


class Project(TenantModel):
    """A strategic project or programme of the regulation's annex in one area: its funding,
    investment, lead and collaborating agencies, regions, phase, readiness, status, and the
    goals and indicators of the plan it serves. ``synthetic`` marks the demo's made-up rows."""

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    area = models.ForeignKey(
        DevelopmentArea, on_delete=models.PROTECT, related_name="projects", verbose_name=_("area")
    )
    category = models.CharField(_("category"), max_length=30, choices=category_choices)
    description = models.TextField(_("description"), blank=True)
    funding = models.CharField(_("funding scheme"), max_length=12, choices=Funding.choices)
    investment_rp = models.BigIntegerField(
        _("investment (Rp)"),
        null=True,
        blank=True,
        help_text=_("In rupiah; empty when not published."),
    )
    lead_agency = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead agency"),
    )
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    land_status = models.CharField(
        _("land status"), max_length=12, choices=LandStatus.choices, default=LandStatus.UNKNOWN
    )
    readiness_met = models.JSONField(_("readiness criteria met"), default=list, blank=True)
    priority_criteria = models.JSONField(_("prioritisation criteria"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic (demo)"), default=False)
    goals = models.ManyToManyField(
        "performance.Goal", blank=True, related_name="regional_projects", verbose_name=_("goals")
    )
    indicators = models.ManyToManyField(
        "performance.Indicator",
        blank=True,
        related_name="regional_projects",
        verbose_name=_("indicators"),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic project")
        verbose_name_plural = _("strategic projects")
        ordering = ["area__order", "code"]
        constraints = [
            models.UniqueConstraint("instansi", "code", name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(investment_rp__isnull=True) | Q(investment_rp__gte=0),
                name="%(app_label)s_%(class)s_investment_not_negative",
                violation_error_message=_("The investment cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(funding__in=Funding.values),
                name="%(app_label)s_%(class)s_funding_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="%(app_label)s_%(class)s_phase_valid"
            ),
        ]
        indexes = [models.Index(fields=["instansi", "area", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("regional:project_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.investment_rp is not None and self.investment_rp < 0:
            errors.setdefault("investment_rp", []).append(_("The investment cannot be negative."))
        if self.status in STARTED and self.start_date is None:
            errors.setdefault("start_date", []).append(
                _("A project under construction or beyond has a start date.")
            )
        readiness = dict(readiness_choices())
        bad = [c for c in self.readiness_met or [] if c not in readiness]
        if bad:
            errors.setdefault("readiness_met", []).append(
                _("Unknown readiness criteria: %(codes)s.") % {"codes": ", ".join(bad)}
            )
        priorities = dict(prioritisation_choices())
        bad = [c for c in self.priority_criteria or [] if c not in priorities]
        if bad:
            errors.setdefault("priority_criteria", []).append(
                _("Unknown prioritisation criteria: %(codes)s.") % {"codes": ", ".join(bad)}
            )
        if errors:
            raise ValidationError(errors)

    @property
    def readiness_labels(self) -> list[str]:
        labels = dict(readiness_choices())
        return [labels.get(c, c) for c in self.readiness_met or []]

    @property
    def priority_labels(self) -> list[str]:
        labels = dict(prioritisation_choices())
        return [labels.get(c, c) for c in self.priority_criteria or []]


class ProjectAgency(models.Model):
    """An agency that works on a project beside the lead agency, with what it does."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="collaborations", verbose_name=_("project")
    )
    agency = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="joined_projects",
        verbose_name=_("agency"),
    )
    contribution = models.CharField(_("contribution"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("collaborating agency")
        verbose_name_plural = _("collaborating agencies")
        ordering = ["project", "agency__sort_key"]
        constraints = [
            models.UniqueConstraint("project", "agency", name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.agency}"


class ProjectRegion(models.Model):
    """A regency or city a project stands in (location) or draws on (supporting)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="project_regions", verbose_name=_("project")
    )
    region = models.ForeignKey(
        "organisations.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    role = models.CharField(
        _("role"), max_length=12, choices=RegionRole.choices, default=RegionRole.LOCATION
    )

    class Meta:
        verbose_name = _("project region")
        verbose_name_plural = _("project regions")
        ordering = ["project", "role", "region__code"]
        constraints = [
            models.UniqueConstraint("project", "region", name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(
                condition=Q(role__in=RegionRole.values), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.region} ({self.role})"


class Milestone(models.Model):
    """A step of a project with its planned date and, once reached, its actual date."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order", "planned_date", "pk"]
        indexes = [models.Index(fields=["actual_date", "planned_date"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        start = self.project.start_date if self.project_id else None
        if self.actual_date and start and self.actual_date < start:
            raise ValidationError(
                {
                    "actual_date": _(
                        "The actual date (%(actual)s) cannot precede the project's start "
                        "(%(start)s)."
                    )
                    % {"actual": self.actual_date.isoformat(), "start": start.isoformat()}
                }
            )

    def is_late(self, on) -> bool:
        return self.actual_date is None and self.planned_date < on


class ProgressUpdate(models.Model):
    """A report of a project's physical progress on a day, with the status it had then and its
    evidence (a link, a file or both)."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="progress_updates",
        verbose_name=_("project"),
    )
    date = models.DateField(_("date"))
    percent = models.DecimalField(_("physical progress (%)"), max_digits=5, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices)
    note = models.TextField(_("note"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="regional/evidence/%Y/", blank=True, max_length=300
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["project", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="%(app_label)s_%(class)s_percent_range",
                violation_error_message=_("Physical progress is from 0 to 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date}: {self.percent}%"

    def clean(self) -> None:
        if self.percent is not None and not (0 <= self.percent <= 100):
            raise ValidationError({"percent": _("Physical progress is from 0 to 100 percent.")})
        if (
            self.status == ProjectStatus.FINISHED
            and self.percent is not None
            and self.percent < 100
        ):
            raise ValidationError(
                {"percent": _("A finished project stands at 100% physical progress.")}
            )
        start = self.project.start_date if self.project_id else None
        if self.date and start and self.date < start:
            raise ValidationError(
                {
                    "date": _("A progress update cannot precede the project's start (%(start)s).")
                    % {"start": start.isoformat()}
                }
            )
