"""The employee plan (Sasaran Kinerja Pegawai, SKP; PermenPAN-RB 6/2022): the employee's
results (RHK), each serving a result of the evaluator (or an agreement target for a head of
agency), their individual indicators (IKI, `Indicator` rows with a `Target`), a per-sub-period
action plan, the expected behaviour per BerAKHLAK value and the three annexes.

A plan covers its own dates inside the year: an employee who moves post during the year has
two plans that do not overlap. The evaluator and the evaluator's superior are read from the
reporting lines on the plan's first day and kept here (a snapshot of name, NIP and title).
Like an agreement, a signed plan no longer changes; a revision is a new draft copy and
``version`` counts the writes (a stale one is refused as a conflict)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

from ..choices import AgreementStatus, PlanApproach, ResultClassification, ResultKind

__all__ = ["Plan", "PlanAction", "PlanBehaviour", "PlanQuerySet", "PlanResult", "PlanStatus"]

PlanStatus = AgreementStatus  # the same steps: draft, submitted, approved, signed


class PlanQuerySet(ScopedQuerySet):
    """Plans of a unit's subtree, of the posts below an evaluator, and the caller's own."""

    scope_path = "unit__path"
    scope_post = "position_id"
    scope_action = Action.VIEW_PLANNING
    scope_own = "employee"

    def current(self) -> PlanQuerySet:
        return self.filter(is_current=True)


class Plan(TenantModel):
    """An employee's plan (SKP) for the dates ``starts``..``ends`` of a year."""

    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("employee"),
    )
    position = models.ForeignKey(
        "organisations.Position",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("post"),
    )
    position_title = models.CharField(_("post (at the start)"), max_length=300)
    position_kind = models.CharField(_("kind of post (at the start)"), max_length=20)
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("unit"),
    )
    period = models.ForeignKey(
        "performance.Period",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("year"),
    )
    starts = models.DateField(_("first day"))
    ends = models.DateField(_("last day"))
    approach = models.CharField(
        _("approach"),
        max_length=12,
        choices=PlanApproach.choices,
        default=PlanApproach.QUANTITATIVE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
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
    evaluator = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    evaluator_name = models.CharField(_("evaluator's name"), max_length=300, blank=True)
    evaluator_nip = models.CharField(_("evaluator's NIP"), max_length=18, blank=True)
    evaluator_title = models.CharField(_("evaluator's title"), max_length=300, blank=True)
    evaluator_superior = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluator's superior"),
    )
    evaluator_superior_name = models.CharField(
        _("evaluator's superior's name"), max_length=300, blank=True
    )
    evaluator_superior_nip = models.CharField(
        _("evaluator's superior's NIP"), max_length=18, blank=True
    )
    evaluator_superior_title = models.CharField(
        _("evaluator's superior's title"), max_length=300, blank=True
    )
    delegated_authority = models.BooleanField(
        _("evaluator by delegated authority"),
        default=False,
        help_text=_(
            "Set by the personnel office (BKD): an evaluator below the pengawas level "
            "evaluates by delegation (PP 30/2019)."
        ),
    )
    delegation_reason = models.TextField(_("reason for the delegation"), blank=True)
    resources = models.TextField(_("resources (dukungan sumber daya)"), blank=True)
    accountability = models.TextField(_("accountability scheme"), blank=True)
    consequences = models.TextField(_("consequences"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee plan (SKP)")
        verbose_name_plural = _("employee plans (SKP)")
        ordering = ["-starts", "employee__name", "-revision"]
        indexes = [
            models.Index(fields=["employee", "starts"], name="perf_plan_employee_starts"),
            # The later revision of a plan. Most plans have no previous revision: the key's own
            # index is then all NULLs to SQLite's statistics, which scanned every plan instead.
            models.Index(
                fields=["previous"],
                condition=models.Q(previous__isnull=False),
                name="perf_plan_previous_set",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gte=F("starts")), name="%(app_label)s_%(class)s_dates"
            ),
            models.UniqueConstraint(
                "employee",
                "starts",
                condition=Q(is_current=True),
                name="%(app_label)s_%(class)s_one_current",
            ),
            models.CheckConstraint(
                condition=Q(status="signed", signed_at__isnull=False)
                | (~Q(status="signed") & Q(signed_at__isnull=True)),
                name="%(app_label)s_%(class)s_signed_at",
            ),
        ]

    def __str__(self) -> str:
        dates = f"{self.starts:%d/%m/%Y}\u2013{self.ends:%d/%m/%Y}"
        return f"SKP {dates} {self.employee} rev. {self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("performance:plan_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status == PlanStatus.SIGNED

    @property
    def is_jpt(self) -> bool:
        return self.position_kind.startswith("jpt_")


class PlanResult(models.Model):
    """A result of the plan (rencana hasil kerja, RHK) and what it serves: a result of the
    evaluator's plan (or of a team leader's who assigned it), directly or not; for a head of
    agency, a target of the unit's agreement (PK)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="results", verbose_name=_("plan")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ResultKind.choices, default=ResultKind.MAIN
    )
    text = models.TextField(_("result"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    serves = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name=_("serves the result"),
    )
    serves_directly = models.BooleanField(_("serves it directly"), default=True)
    serves_target = models.ForeignKey(
        "performance.AgreementTarget",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("serves the agreement target"),
    )
    classification = models.CharField(
        _("classification"), max_length=16, choices=ResultClassification.choices, blank=True
    )
    assigned_by = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by (team leader)"),
    )

    class Meta:
        verbose_name = _("result of a plan (RHK)")
        verbose_name_plural = _("results of a plan (RHK)")
        ordering = ["plan", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(serves__isnull=True) | Q(serves_target__isnull=True),
                name="%(app_label)s_%(class)s_serves_one",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PlanAction(models.Model):
    """What the employee will do for a result in one sub-period (rencana aksi)."""

    result = models.ForeignKey(
        PlanResult, on_delete=models.CASCADE, related_name="actions", verbose_name=_("result")
    )
    sub_period = models.ForeignKey(
        "performance.SubPeriod",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-period"),
    )
    text = models.TextField(_("action"))

    class Meta:
        verbose_name = _("action of a result")
        verbose_name_plural = _("actions of a result")
        ordering = ["result", "sub_period__number"]
        constraints = [
            models.UniqueConstraint(
                "result", "sub_period", name="%(app_label)s_%(class)s_one_per_sub_period"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PlanBehaviour(models.Model):
    """The superior's specific expectation for one BerAKHLAK value (by the policy's code)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="behaviours", verbose_name=_("plan")
    )
    value = models.CharField(_("core value"), max_length=40)
    expectation = models.TextField(_("specific expectation"))

    class Meta:
        verbose_name = _("expected behaviour")
        verbose_name_plural = _("expected behaviours")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint("plan", "value", name="%(app_label)s_%(class)s_one_per_value"),
        ]

    def __str__(self) -> str:
        return self.value
