"""Performance planning: the year and its sub-periods, the goal tree (RPJMD and Renstra), the
indicators with their manual, the indicator library, targets and the key-indicator (IKU) sets.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.organisations.choices import PositionKind

from ..choices import (
    Aggregation,
    AgreementStatus,
    Aspect,
    ControlLevel,
    DataType,
    Frequency,
    GoalLevel,
    KeySetStatus,
    Perspective,
    Polarity,
    ReportingFrequency,
    SubPeriodStatus,
    TagKind,
    TargetShape,
    ZeroTargetRule,
)
from ..policy import measure_unit_choices
from ..querysets import (
    AgreementQuerySet,
    GoalQuerySet,
    IndicatorQuerySet,
    IndicatorTemplateQuerySet,
    KeyIndicatorSetQuerySet,
    LateEntryWindowQuerySet,
    PeriodQuerySet,
    SubPeriodQuerySet,
    TargetQuerySet,
)

NUMBER = {"max_digits": 20, "decimal_places": 4}  # rupiah up to 10^16, percentages to 4 places


class Period(TenantModel):
    """One year of the instansi's performance cycle, with its settings: how the year is split
    (monthly or quarterly sub-periods) and the cycle's dates, defaults from policy data."""

    year = models.PositiveSmallIntegerField(_("year"))
    frequency = models.CharField(
        _("sub-periods"), max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    plans_due = models.DateField(_("plans set by"))
    periodic_evaluation_days = models.PositiveSmallIntegerField(
        _("periodic evaluation due (days after a sub-period ends)")
    )
    annual_evaluation_due = models.DateField(_("annual evaluation due"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                "instansi", "year", name="%(app_label)s_%(class)s_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("performance:period_detail", args=[self.pk])


class SubPeriod(TenantModel):
    """A month or a quarter of a period, open for entries or closed."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="sub_periods", verbose_name=_("period")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts = models.DateField(_("first day"))
    ends = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=8, choices=SubPeriodStatus.choices, default=SubPeriodStatus.OPEN
    )

    objects = SubPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub-period")
        verbose_name_plural = _("sub-periods")
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(
                "period", "number", name="%(app_label)s_%(class)s_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(ends__gte=F("starts")), name="%(app_label)s_%(class)s_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.year} {self.label}"

    @property
    def label(self) -> str:
        if self.period.frequency == Frequency.QUARTERLY:
            return _("Quarter %(n)d") % {"n": self.number}
        return self.starts.strftime("%m/%Y")

    @property
    def is_open(self) -> bool:
        return self.status == SubPeriodStatus.OPEN


class LateEntryWindow(TenantModel):
    """Days on which one unit (and its sub-units) may still enter data for a closed
    sub-period, opened by an administrator with a reason."""

    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="late_entry_windows",
        verbose_name=_("unit"),
    )
    sub_period = models.ForeignKey(
        SubPeriod,
        on_delete=models.CASCADE,
        related_name="late_entry_windows",
        verbose_name=_("sub-period"),
    )
    opens = models.DateField(_("from"))
    closes = models.DateField(_("to"))
    reason = models.TextField(_("reason"))

    objects = LateEntryWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("late-entry window")
        verbose_name_plural = _("late-entry windows")
        ordering = ["-opens", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=F("opens")), name="%(app_label)s_%(class)s_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.sub_period}: {self.opens}..{self.closes}"


class Goal(TenantModel):
    """A goal of the tree: the regional plan (RPJMD: mission > objective > target, no unit)
    and, under an RPJMD target, an agency's strategic plan (Renstra: objective > target),
    owned by the agency."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent goal"),
    )
    level = models.CharField(_("level"), max_length=20, choices=GoalLevel.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("agency"),
        help_text=_(
            "The agency whose strategic plan (Renstra) holds the goal; empty for the "
            "regional plan (RPJMD)."
        ),
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                "instansi",
                "code",
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("A goal with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("performance:goal_tree") + f"#goal-{self.pk}"


class GoalTag(models.Model):
    """A tag of a goal: an RB Tematik theme or a development area (Perpres 80/2019), by the
    code of the policy data's list."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="tags", verbose_name=_("goal")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TagKind.choices)
    code = models.CharField(_("code"), max_length=60)

    class Meta:
        verbose_name = _("goal tag")
        verbose_name_plural = _("goal tags")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                "goal", "kind", "code", name="%(app_label)s_%(class)s_unique_tag"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class IndicatorManual(models.Model):
    """The fields of an indicator's manual (manual indikator) that a library entry and an
    indicator share."""

    name = models.CharField(_("name"), max_length=500)
    definition = models.TextField(_("definition"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    measure_unit = models.CharField(
        _("unit of measure"), max_length=30, choices=measure_unit_choices
    )
    data_type = models.CharField(
        _("data type"), max_length=12, choices=DataType.choices, default=DataType.DECIMAL
    )
    polarity = models.CharField(
        _("polarity"),
        max_length=20,
        choices=Polarity.choices,
        default=Polarity.HIGHER_IS_BETTER,
    )
    control_level = models.CharField(
        _("control level"), max_length=24, choices=ControlLevel.choices
    )
    formula = models.TextField(_("formula"), blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=12,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
    )
    aggregation = models.CharField(
        _("aggregation over sub-periods"),
        max_length=12,
        choices=Aggregation.choices,
        default=Aggregation.LAST_VALUE,
    )

    class Meta:
        abstract = True


class IndicatorTemplate(IndicatorManual, TenantModel):
    """An entry of the indicator library: a reusable indicator for a kind of post."""

    position_kind = models.CharField(_("kind of post"), max_length=20, choices=PositionKind.choices)

    objects = IndicatorTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator library entry")
        verbose_name_plural = _("indicator library")
        ordering = ["position_kind", "name"]
        constraints = [
            models.UniqueConstraint(
                "instansi",
                "position_kind",
                "name",
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_(
                    "The library already has an indicator of this name for this kind of post."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(IndicatorManual, TenantModel):
    """A performance indicator measuring one goal, with its whole manual; a key indicator
    (IKU) when ``is_key``. Its unit is its goal's (none for the regional plan's)."""

    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("goal"),
    )
    # An individual indicator (IKI) of an employee plan's result measures the result, not a
    # goal (exactly one of the two), by an aspect and, in a JPT plan, under a perspective.
    result = models.ForeignKey(
        "performance.PlanResult",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("result (SKP)"),
    )
    aspect = models.CharField(_("aspect"), max_length=10, choices=Aspect.choices, blank=True)
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Perspective.choices, blank=True
    )
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("agency"),
        editable=False,
    )
    template = models.ForeignKey(
        IndicatorTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("library entry"),
    )
    code = models.CharField(_("code"), max_length=40)
    producer = models.CharField(_("data producer"), max_length=300, blank=True)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **NUMBER)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    cap_percent = models.DecimalField(
        _("achievement cap (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the policy's default cap."),
    )
    zero_target_rule = models.CharField(
        _("zero-target rule"),
        max_length=16,
        choices=ZeroTargetRule.choices,
        null=True,
        blank=True,
        help_text=_("What a target of 0 gives. Empty: the policy's default rule."),
    )
    is_key = models.BooleanField(_("key indicator (IKU)"), default=False)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                "instansi",
                "code",
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("An indicator with this code already exists."),
            ),
            models.CheckConstraint(
                condition=Q(cap_percent__isnull=True) | Q(cap_percent__gte=100),
                name="%(app_label)s_%(class)s_cap_from_100",
            ),
            models.CheckConstraint(
                condition=Q(zero_target_rule__isnull=True)
                | Q(zero_target_rule__in=ZeroTargetRule.values),
                name="%(app_label)s_%(class)s_zero_target_rule",
            ),
            models.CheckConstraint(
                condition=Q(goal__isnull=False, result__isnull=True)
                | Q(goal__isnull=True, result__isnull=False),
                name="%(app_label)s_%(class)s_goal_or_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Target(TenantModel):
    """An indicator's target for a year: a value, a range (read with the indicator's
    polarity), or a qualitative expectation with no number."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    shape = models.CharField(_("shape"), max_length=12, choices=TargetShape.choices)
    value = models.DecimalField(_("value"), null=True, blank=True, **NUMBER)
    low = models.DecimalField(_("low bound"), null=True, blank=True, **NUMBER)
    high = models.DecimalField(_("high bound"), null=True, blank=True, **NUMBER)
    expectation = models.TextField(_("expectation"), blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                "indicator", "year", name="%(app_label)s_%(class)s_one_per_year"
            ),
            models.CheckConstraint(
                condition=(
                    Q(shape="value", value__isnull=False, low__isnull=True, high__isnull=True)
                    | Q(shape="range", value__isnull=True, low__isnull=False, high__isnull=False)
                    & Q(low__lte=F("high"))
                    | Q(shape="qualitative", value__isnull=True, low__isnull=True)
                    & Q(high__isnull=True)
                    & ~Q(expectation="")
                ),
                name="%(app_label)s_%(class)s_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}"

    @property
    def display(self) -> str:
        if self.shape == TargetShape.VALUE:
            return f"{self.value.normalize():f}"
        if self.shape == TargetShape.RANGE:
            return f"{self.low.normalize():f}\u2013{self.high.normalize():f}"
        return self.expectation


class TargetValue(models.Model):
    """A target's value for one sub-period of its year (a range's bounds for a range)."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="values", verbose_name=_("target")
    )
    sub_period = models.ForeignKey(
        SubPeriod, on_delete=models.PROTECT, related_name="+", verbose_name=_("sub-period")
    )
    value = models.DecimalField(_("value"), null=True, blank=True, **NUMBER)
    low = models.DecimalField(_("low bound"), null=True, blank=True, **NUMBER)
    high = models.DecimalField(_("high bound"), null=True, blank=True, **NUMBER)

    class Meta:
        verbose_name = _("sub-period target")
        verbose_name_plural = _("sub-period targets")
        ordering = ["target", "sub_period__number"]
        constraints = [
            models.UniqueConstraint(
                "target", "sub_period", name="%(app_label)s_%(class)s_one_per_sub_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.sub_period.number}"


class KeyIndicatorSet(TenantModel):
    """The key indicators (IKU) of the province (no unit) or of one agency for the years of a
    plan, each with a target for every year before the set is set (ditetapkan)."""

    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_indicator_sets",
        verbose_name=_("agency"),
        help_text=_("Empty for the province's own set."),
    )
    name = models.CharField(_("name"), max_length=300)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=8, choices=KeySetStatus.choices, default=KeySetStatus.DRAFT
    )
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    indicators = models.ManyToManyField(
        Indicator,
        through="KeyIndicatorSetItem",
        related_name="key_sets",
        verbose_name=_("indicators"),
    )

    objects = KeyIndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("key indicator set (IKU)")
        verbose_name_plural = _("key indicator sets (IKU)")
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="%(app_label)s_%(class)s_years",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.first_year}\u2013{self.last_year}"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class KeyIndicatorSetItem(models.Model):
    key_set = models.ForeignKey(
        KeyIndicatorSet, on_delete=models.CASCADE, related_name="items", verbose_name=_("set")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key indicator of a set")
        verbose_name_plural = _("key indicators of a set")
        ordering = ["key_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "key_set", "indicator", name="%(app_label)s_%(class)s_unique_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_set} {self.indicator}"


class Agreement(TenantModel):
    """A performance agreement (Perjanjian Kinerja, PK) of one unit for a year, or the
    province's own (no unit, the governor's, from the province's IKU set). The parties come
    from the reporting lines on the agreement's date and are kept here as a snapshot: the
    first party holds (or acts in) the unit's head post, the second is their superior.

    A signed agreement no longer changes; a revision is a new draft copy (``revision`` n+1)
    and the signed one stays readable. ``version`` counts the writes: every write names the
    version its author saw, and a stale one is refused as a conflict."""

    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("unit"),
        help_text=_("Empty for the province's own agreement (the governor's)."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    is_current = models.BooleanField(_("current revision"), default=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revises"),
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    agreement_date = models.DateField(_("date of the agreement"))
    head_post = models.ForeignKey(
        "organisations.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head post"),
    )
    first_party = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first party"),
    )
    first_party_name = models.CharField(_("first party's name"), max_length=300)
    first_party_nip = models.CharField(_("first party's NIP"), max_length=18, blank=True)
    first_party_title = models.CharField(_("first party's title"), max_length=300)
    second_party = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second party"),
    )
    second_party_name = models.CharField(_("second party's name"), max_length=300, blank=True)
    second_party_nip = models.CharField(_("second party's NIP"), max_length=18, blank=True)
    second_party_title = models.CharField(_("second party's title"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("performance agreement")
        verbose_name_plural = _("performance agreements")
        ordering = ["-year", "unit__path", "-revision"]
        constraints = [
            models.UniqueConstraint(
                "instansi",
                "unit",
                "year",
                condition=Q(is_current=True, unit__isnull=False),
                name="%(app_label)s_%(class)s_one_current",
            ),
            models.UniqueConstraint(
                "instansi",
                "year",
                condition=Q(is_current=True, unit__isnull=True),
                name="%(app_label)s_%(class)s_one_current_province",
            ),
            models.CheckConstraint(
                condition=Q(status="signed", signed_at__isnull=False)
                | (~Q(status="signed") & Q(signed_at__isnull=True)),
                name="%(app_label)s_%(class)s_signed_at",
            ),
        ]

    def __str__(self) -> str:
        owner = self.unit.name if self.unit_id else _("Province")
        return f"PK {self.year} {owner} rev. {self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("performance:agreement_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status == AgreementStatus.SIGNED


class AgreementTarget(models.Model):
    """A target of the agreement: one of the owner's targets for the year, with the goal it
    serves. Signing copies the indicator and the target's shape and values into the row (the
    locked snapshot); before that the row reads the live target."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="targets", verbose_name=_("agreement")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="+", verbose_name=_("target")
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="+", verbose_name=_("goal")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    goal_name = models.CharField(_("goal (signed)"), max_length=500, blank=True)
    indicator_name = models.CharField(_("indicator (signed)"), max_length=500, blank=True)
    measure_unit = models.CharField(_("unit of measure (signed)"), max_length=30, blank=True)
    shape = models.CharField(
        _("shape (signed)"), max_length=12, choices=TargetShape.choices, blank=True
    )
    value = models.DecimalField(_("value (signed)"), null=True, blank=True, **NUMBER)
    low = models.DecimalField(_("low bound (signed)"), null=True, blank=True, **NUMBER)
    high = models.DecimalField(_("high bound (signed)"), null=True, blank=True, **NUMBER)
    expectation = models.TextField(_("expectation (signed)"), blank=True)

    class Meta:
        verbose_name = _("target of an agreement")
        verbose_name_plural = _("targets of an agreement")
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "agreement", "target", name="%(app_label)s_%(class)s_unique_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.target_id}"

    @property
    def is_locked(self) -> bool:
        return bool(self.shape)

    @property
    def display(self) -> str:
        """The target as agreed: the signed copy, else the live target."""
        if not self.is_locked:
            return self.target.display
        return Target(
            shape=self.shape,
            value=self.value,
            low=self.low,
            high=self.high,
            expectation=self.expectation,
        ).display


class AgreementProgram(models.Model):
    """A row of the agreement's program and budget table (rupiah)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="programs", verbose_name=_("agreement")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("program"), max_length=500)
    sipd_code = models.CharField(_("SIPD code"), max_length=60, blank=True)
    budget = models.DecimalField(_("budget (Rp)"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("program of an agreement")
        verbose_name_plural = _("programs of an agreement")
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="%(app_label)s_%(class)s_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


from .actions import *  # noqa: E402,F401,F403
from .aggregates import *  # noqa: E402,F401,F403
from .collaboration import *  # noqa: E402,F401,F403
from .document_checks import *  # noqa: E402,F401,F403
from .evaluation import *  # noqa: E402,F401,F403
from .finder import *  # noqa: E402,F401,F403
from .objections import *  # noqa: E402,F401,F403
from .realisations import *  # noqa: E402,F401,F403
from .skp import *  # noqa: E402,F401,F403
from .skp_extra import *  # noqa: E402,F401,F403
from .unit_predikat import *  # noqa: E402,F401,F403
