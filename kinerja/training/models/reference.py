"""Reference data of the training app, kept as rows an administrator can extend: the official
competency dictionary and the training types with the rules each carries."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CompetencyKind, Route

__all__ = ["Competency", "TrainingType"]


class Competency(models.Model):
    """A competency of the official dictionary (PermenPAN-RB 38/2017: eight managerial, one
    socio-cultural), or a technical competency an instansi adds; a session is tagged with them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=CompetencyKind.choices)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["kind", "sort", "name"]

    def __str__(self) -> str:
        return self.name


class TrainingType(models.Model):
    """A kind of training and the rules it brings: its route, whether it is accredited
    leadership training (design and results seminars, an examiner), what a certificate needs
    (the share of lesson hours attended, the post-test), which test scores it asks for, and the
    code of the national civil-service system's training-history record."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    accredited = models.BooleanField(_("accredited"), default=False)
    leadership = models.BooleanField(
        _("leadership training"),
        default=False,
        help_text=_(
            "Accredited leadership training (PKN, PKA, PKP): coach, mentor, examiner and "
            "the design and results seminars of the change project."
        ),
    )
    min_attendance_percent = models.DecimalField(
        _("lesson hours to attend for a certificate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
    )
    post_test_required = models.BooleanField(
        _("post-test required for a certificate"), default=True
    )
    skill_attitude_scores = models.BooleanField(_("skill and attitude scores"), default=False)
    siasn_code = models.CharField(
        _("training-type code (national system)"), max_length=20, blank=True
    )
    siasn_record = models.CharField(
        _("national training-history record"),
        max_length=10,
        choices=[("diklat", _("Formal training")), ("kursus", _("Course"))],
        default="kursus",
    )
    description = models.TextField(_("description"), blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("training type")
        verbose_name_plural = _("training types")
        ordering = ["sort", "name"]

    def __str__(self) -> str:
        return self.name
