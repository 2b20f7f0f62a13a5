"""The unit's predikat (SE MenPAN-RB 03/2023) per unit, period and sub-period (0: the year),
the recommendations of the planning, staffing and oversight units, and the finalisation of the
unit's employee predikat against the curve (the "penetapan": what the Format Penetapan
Predikat Kinerja records). Rules: `kinerja.performance.curve_rules`; writes:
`services.unit_predikat`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

from ..curve_rules import UnitPredikat as UnitPredikatChoice
from ..evaluation_rules import Rating

__all__ = [
    "PredikatDistribution",
    "RecommendationSource",
    "UnitPredikat",
    "UnitPredikatRecommendation",
    "UnitPredikatStatus",
]


class UnitPredikatStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SET = "set", _("Set")
    FINAL = "final", _("Distribution final")


class RecommendationSource(models.TextChoices):
    """Who recommends: the planning (Bappeda), staffing (BKD) and oversight (Inspektorat)."""

    PLANNING = "planning", _("Planning (Bappeda)")
    STAFFING = "staffing", _("Staffing (BKD)")
    OVERSIGHT = "oversight", _("Oversight (Inspektorat)")


class UnitPredikatQuerySet(ScopedQuerySet):
    """A unit's predikat is read by who reads the unit's plans."""

    scope_path = "unit__path"
    scope_action = Action.VIEW_PLANNING

    def within(self, scope, action=None):
        """Who reads the unit's plans, and who heads the unit or the unit above it today (the
        head finalises, the leader one level up sets), whatever their grants."""
        qs = super().within(scope, action)
        if not scope.employee_id or scope.instansi_id is None:
            return qs
        from django.utils import timezone

        from kinerja.organisations.models import Position
        from kinerja.organisations.selectors import held_posts

        held = held_posts(scope.employee_id, timezone.localdate())
        headed = list(
            Position.objects.filter(pk__in=held, is_head=True).values_list("unit_id", flat=True)
        )
        if not headed:
            return qs
        mine = self.filter(
            Q(unit_id__in=headed) | Q(unit__parent_id__in=headed), instansi_id=scope.instansi_id
        )
        return qs | mine


class UnitPredikat(TenantModel):
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="unit_predikats",
        verbose_name=_("unit"),
    )
    period = models.ForeignKey(
        "performance.Period",
        on_delete=models.PROTECT,
        related_name="unit_predikats",
        verbose_name=_("period"),
    )
    sub_period = models.PositiveSmallIntegerField(
        _("sub-period"), help_text=_("Its number; 0 for the year.")
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=UnitPredikatStatus.choices,
        default=UnitPredikatStatus.OPEN,
    )
    # The suggestion and its basis, taken when opened.
    progress = models.DecimalField(
        _("action plan progress against the plan to date (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    no_progress = models.DecimalField(
        _("actions planned to date without progress (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    actions = models.PositiveIntegerField(_("actions planned to date"), null=True, blank=True)
    achievement = models.DecimalField(
        _("performance agreement achievement (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    expectation = models.CharField(
        _("delivery against the expectation"), max_length=20, choices=Rating.choices, blank=True
    )
    suggested = models.CharField(
        _("suggested predikat"), max_length=20, choices=UnitPredikatChoice.choices, blank=True
    )
    predikat = models.CharField(
        _("predikat"), max_length=20, choices=UnitPredikatChoice.choices, blank=True
    )
    reason = models.TextField(_("reason for differing from the suggestion"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_by_name = models.CharField(_("set by (name)"), max_length=300, blank=True)
    set_at = models.DateTimeField(_("set at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = UnitPredikatQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit predikat")
        verbose_name_plural = _("unit predikat")
        ordering = ["period", "sub_period", "unit"]
        constraints = [
            models.UniqueConstraint(
                "unit", "period", "sub_period", name="%(app_label)s_%(class)s_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(predikat=""),
                name="%(app_label)s_%(class)s_set_has_predikat",
            ),
        ]

    def __str__(self) -> str:
        when = _("annual") if self.sub_period == 0 else f"#{self.sub_period}"
        return f"{self.unit} {self.period} {when}"

    @property
    def is_annual(self) -> bool:
        return self.sub_period == 0

    @property
    def is_final(self) -> bool:
        return self.status == UnitPredikatStatus.FINAL


class UnitPredikatRecommendation(TenantModel):
    """A recommendation of the planning, staffing or oversight unit: one per source."""

    unit_predikat = models.ForeignKey(
        UnitPredikat,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("unit predikat"),
    )
    source = models.CharField(_("source"), max_length=10, choices=RecommendationSource.choices)
    predikat = models.CharField(
        _("recommended predikat"), max_length=20, choices=UnitPredikatChoice.choices
    )
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author (name)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recommendation on a unit predikat")
        verbose_name_plural = _("recommendations on unit predikat")
        ordering = ["unit_predikat", "source"]
        constraints = [
            models.UniqueConstraint(
                "unit_predikat", "source", name="%(app_label)s_%(class)s_one_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.predikat}"


class PredikatDistribution(TenantModel):
    """The finalisation of a unit's employee predikat (the penetapan): the counts per
    predikat, the curve's limits and what was breached, the justification, who finalised and
    when, kept as they were."""

    unit_predikat = models.OneToOneField(
        UnitPredikat,
        on_delete=models.PROTECT,
        related_name="distribution",
        verbose_name=_("unit predikat"),
    )
    predikat = models.CharField(
        _("unit predikat"), max_length=20, choices=UnitPredikatChoice.choices
    )
    staff = models.PositiveIntegerField(_("staff"))
    counts = models.JSONField(_("staff per predikat"), default=dict)
    limits = models.JSONField(_("the curve's limits"), default=dict)
    breaches = models.JSONField(_("breaches"), default=list, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    evaluations = models.JSONField(_("evaluations counted"), default=list)
    policy_valid_from = models.DateField(_("policy version"))
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    finalised_by_name = models.CharField(_("finalised by (name)"), max_length=300, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"))

    class Meta:
        verbose_name = _("distribution of predikat")
        verbose_name_plural = _("distributions of predikat")
        ordering = ["unit_predikat"]

    def __str__(self) -> str:
        return str(self.unit_predikat)
