"""The development-hours ledger: every employee's competency development per year, in lesson
hours (JP), with the conversion of what is not counted in minutes."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..choices import RecordSource, Route
from ..querysets import DevelopmentRecordQuerySet

__all__ = ["DevelopmentRecord"]


class DevelopmentRecord(TenantModel):
    """One competency development of an employee in a year: an event attended, other training
    entered or imported, or mentoring sessions. ``quantity`` and ``quantity_unit`` are what was
    given (2 seminar days, 3 coaching sessions, 12 JP); ``hours`` is the JP it counts, converted
    under the rules whose ``valid_from`` is ``conversion_version``. The unit, agency and post are
    copied when the record is made, so the record is read from where the person stood."""

    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="development_records",
        verbose_name=_("employee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    training_type = models.ForeignKey(
        "training.TrainingType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("training type"),
    )
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    title = models.CharField(_("title"), max_length=250)
    organiser = models.CharField(_("organiser"), max_length=250, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.DecimalField(_("lesson hours (JP)"), max_digits=6, decimal_places=2)
    quantity = models.DecimalField(_("quantity"), max_digits=6, decimal_places=2)
    quantity_unit = models.CharField(_("unit of the quantity"), max_length=24, default="jp")
    conversion_version = models.DateField(_("conversion rules of"))
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=RecordSource.choices)
    participant = models.OneToOneField(
        "training.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_record",
        verbose_name=_("enrolment"),
    )
    # Where the person stood when the record was made (scoping reads these).
    unit = models.ForeignKey(
        "organisations.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    agency = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    position = models.ForeignKey(
        "organisations.Position",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DevelopmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("development-hours record")
        verbose_name_plural = _("development-hours records")
        ordering = ["employee_id", "year", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_devrecord_dates",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0")), name="training_devrecord_hours"
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "year", "employee"], name="training_devrec_year_idx"),
            models.Index(fields=["agency", "year"], name="training_devrec_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} JP)"
