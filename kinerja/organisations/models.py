"""Regions, the instansi (tenant), its effective-dated unit tree, positions and employees."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core import paths
from kinerja.core.models import EffectiveDated, TenantModel, TimeStampedModel, valid_range

from .choices import (
    ActingKind,
    EmployeeStatus,
    Eselon,
    InstansiKind,
    PositionKind,
    RegionLevel,
    Sex,
    UnitKind,
    grade_choices,
)
from .display import grade_label, person_name
from .querysets import (
    ActingAssignmentQuerySet,
    AssignmentQuerySet,
    EmployeeQuerySet,
    OrgUnitQuerySet,
    PositionQuerySet,
    RegionQuerySet,
    ReportingLineQuerySet,
)
from .validators import validate_nip, validate_region_code, validate_unit_code

SORT_KEY_LENGTH = 500  # OrgUnit.sort_key: digits only, one segment per tree level


class Region(models.Model):
    """A Kemendagri region (province, regency or city), keyed by its dotted code."""

    code = models.CharField(
        _("code"), max_length=13, unique=True, validators=[validate_region_code]
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=20, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Instansi(TimeStampedModel):
    """A whole regional government (such as Pemprov Jatim): the tenant every row belongs to."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InstansiKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="instansis", verbose_name=_("region")
    )
    is_synthetic = models.BooleanField(_("synthetic data"), default=False)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(EffectiveDated, TenantModel):
    """A unit of the instansi: an agency (OPD) at the top, its divisions, sections and UPT below.

    ``path`` is the materialised path of the unit in the tree (fixed-width steps, see
    `kinerja.core.paths`), so a subtree is one indexed ``startswith``: that is what scoping
    narrows by. Units are effective-dated;
    a merged or renamed unit closes (``valid_to``) and its successor lists it as a predecessor.
    """

    code = models.CharField(_("code"), max_length=40, validators=[validate_unit_code])
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    agency = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency (OPD)"),
        help_text=_("The top-level unit this unit belongs to; itself for an agency."),
    )
    path = models.CharField(
        _("tree path"), max_length=paths.MAX_LENGTH, db_index=True, editable=False
    )
    sort_key = models.CharField(
        _("sort key"),
        max_length=SORT_KEY_LENGTH,
        db_index=True,
        editable=False,
        default="",
        help_text=_("The unit's place in the official order, kept by the services."),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("region"),
    )
    duties = models.TextField(_("duties (tupoksi)"), blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessors"),
    )
    is_synthetic = models.BooleanField(_("synthetic data"), default=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        constraints = [
            # Codes are unique regardless of case: DIKBUD and dikbud are one unit.
            models.UniqueConstraint(
                "instansi",
                Lower("code"),
                name="%(app_label)s_%(class)s_unique_code_ci",
                violation_error_message=_("A unit with this code already exists."),
            ),
            valid_range(_("A unit cannot close before it opens.")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:unit_detail", args=[self.pk])


class Position(TenantModel):
    """A post (jabatan) in a unit, with its kind, eselon and the post it reports to."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("unit")
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_unit_code])
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PositionKind.choices)
    eselon = models.CharField(_("eselon"), max_length=6, choices=Eselon.choices, blank=True)
    is_head = models.BooleanField(
        _("head of unit"), default=False, help_text=_("The post that leads its unit.")
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("reports to"),
    )
    duties = models.TextField(_("duties (tupoksi)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The post's life: is_active is today's value of this range, kept by the services.
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Empty: since before the records.")
    )
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    formation = models.PositiveSmallIntegerField(
        _("formation"),
        null=True,
        blank=True,
        help_text=_("How many people the post may have (empty: no limit)."),
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__path", "-is_head", "title"]
        constraints = [
            models.UniqueConstraint(
                "instansi",
                Lower("code"),
                name="%(app_label)s_%(class)s_unique_code_ci",
                violation_error_message=_("A position with this code already exists."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_head=True, is_active=True),
                name="%(app_label)s_%(class)s_one_head_per_unit",
                violation_error_message=_("This unit already has an active head position."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
                violation_error_message=_("A position cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("organisations:position_detail", args=[self.pk])


class Employee(TenantModel):
    """A person who works for the instansi: a civil servant (PNS, PPPK) or non-ASN staff.

    ``unit`` and ``position`` are the current ones, kept by the services from the dated
    assignments (history survives transfers); ``unit`` is what scoping narrows by.
    """

    nip = models.CharField(
        _("NIP"), max_length=18, null=True, blank=True, unique=True, validators=[validate_nip]
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    front_title = models.CharField(_("title before name"), max_length=40, blank=True)
    back_title = models.CharField(_("title after name"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EmployeeStatus.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    grade = models.CharField(
        _("grade (golongan)"), max_length=10, blank=True, choices=grade_choices
    )
    grade_tmt = models.DateField(
        _("grade effective date (TMT golongan)"),
        null=True,
        blank=True,
        help_text=_("The date from which the employee holds the grade."),
    )
    email = models.EmailField(_("email"), blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit")
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("position"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_synthetic = models.BooleanField(_("synthetic data"), default=False)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="non_asn", nip__isnull=True))
                | (Q(status__in=["pns", "pppk"]) & Q(nip__isnull=False)),
                name="%(app_label)s_%(class)s_nip_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "status"], name="org_employee_status_idx"),
            # The list's default order (name, then key) within an instansi: the first page of
            # a whole instansi reads 50 index entries instead of sorting every employee.
            models.Index(fields=["instansi", "name", "id"], name="org_employee_name_sort_idx"),
            # Head-counts of active staff by unit and status read this index alone.
            models.Index(
                fields=["instansi", "is_active", "unit", "status"],
                name="org_employee_active_unit_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("organisations:employee_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return person_name(self.front_title, self.name, self.back_title)

    @property
    def grade_label(self) -> str:
        return grade_label(self)


class Assignment(EffectiveDated, TenantModel):
    """A dated placement of an employee in a position (the history of their posts): from its
    first day (``valid_from``) to its last (``valid_to``, open for the current post)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("employee")
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("position"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit")
    )
    valid_from = models.DateField(_("start date"))
    valid_to = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["employee", "-valid_from"]
        constraints = [
            valid_range(_("An assignment cannot end before it starts.")),
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(valid_to__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_employee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} @ {self.unit} ({self.valid_from})"


class ReportingLine(EffectiveDated, TenantModel):
    """From ``valid_from`` to ``valid_to`` (inclusive; open when empty) ``position`` reports to
    ``reports_to``: the dated chain of superiors. One open line per post (a database constraint);
    ``Position.reports_to`` is today's line, kept in step by the services.
    """

    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        related_name="lines_up",
        verbose_name=_("position"),
    )
    reports_to = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        related_name="lines_down",
        verbose_name=_("reports to"),
    )

    objects = ReportingLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting line")
        verbose_name_plural = _("reporting lines")
        ordering = ["position", "-valid_from"]
        constraints = [
            valid_range(_("A reporting line cannot end before it starts.")),
            models.CheckConstraint(
                condition=~Q(position=models.F("reports_to")),
                name="%(app_label)s_%(class)s_not_to_itself",
                violation_error_message=_("A position cannot report to itself."),
            ),
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(valid_to__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_position",
            ),
        ]
        indexes = [
            models.Index(fields=["reports_to", "valid_from"], name="org_line_down_idx"),
            models.Index(fields=["position", "valid_from"], name="org_line_up_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.position} → {self.reports_to} ({self.valid_from})"


class ActingAssignment(EffectiveDated, TenantModel):
    """An acting official (Plt or Plh) of a post for a dated period, by decree (SK).

    In the period the acting holder answers for the post: they are the superior of the post's
    reports, even when the post has a definitive holder (a Plh while the holder is away).
    """

    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="acting_assignments",
        verbose_name=_("employee"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        related_name="acting_assignments",
        verbose_name=_("position"),
    )
    kind = models.CharField(_("kind"), max_length=3, choices=ActingKind.choices)
    decree_number = models.CharField(_("decree (SK) number"), max_length=100)

    objects = ActingAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")
        ordering = ["position", "-valid_from"]
        constraints = [
            valid_range(_("An acting assignment cannot end before it starts.")),
        ]
        indexes = [
            models.Index(fields=["position", "valid_from"], name="org_acting_pos_idx"),
            models.Index(fields=["employee", "valid_from"], name="org_acting_emp_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}: {self.employee}"
