"""The risk register (Perpres 39/2023): risks of a goal, a target or a strategic project, with
their cause, impact, likelihood and impact levels, owner and status, and their mitigations
(treatment plan) with the progress made."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel, TimeStampedModel

from .choices import MitigationStatus, ObjectKind, RiskSource, RiskStatus
from .policy import category_choices, risk_policy
from .querysets import MitigationQuerySet, RiskQuerySet

# The scale's bounds as a database guard; the scale itself is policy data (risk_policy.json).
SCALE = Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5)
PERCENT = {"max_digits": 7, "decimal_places": 2}


class Risk(TenantModel):
    """A risk to exactly one goal, target or strategic project, owned by the unit of what it
    threatens (none for the regional plan's own goals and targets). ``level`` is likelihood x
    impact, kept by the services and held by a check; the residual level is what remains once
    the mitigations work. A risk raised from the early warning keeps the projection and the
    threshold it was raised with."""

    goal = models.ForeignKey(
        "performance.Goal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("goal"),
    )
    target = models.ForeignKey(
        "performance.Target",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("target"),
    )
    project = models.ForeignKey(
        "regional.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("strategic project"),
    )
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owning unit"),
        editable=False,
        help_text=_("The unit of what the risk threatens; empty for the regional plan's own."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("risk"), max_length=300)
    category = models.CharField(_("category"), max_length=30, choices=category_choices)
    cause = models.TextField(_("cause"))
    impact_description = models.TextField(_("impact (consequence)"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    level = models.PositiveSmallIntegerField(_("risk level"), editable=False)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    residual_level = models.PositiveSmallIntegerField(
        _("residual level"), null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    owner_position = models.ForeignKey(
        "organisations.Position",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk owner (post)"),
    )
    owner_employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risk owner (employee)"),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=RiskSource.choices, default=RiskSource.MANUAL
    )
    projected_percent = models.DecimalField(
        _("projected achievement (%)"), null=True, blank=True, **PERCENT
    )
    threshold_percent = models.DecimalField(_("threshold (%)"), null=True, blank=True, **PERCENT)
    identified_on = models.DateField(_("identified on"))
    review_on = models.DateField(_("next review"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-level", "-identified_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, target__isnull=True, project__isnull=True)
                | Q(goal__isnull=True, target__isnull=False, project__isnull=True)
                | Q(goal__isnull=True, target__isnull=True, project__isnull=False),
                name="%(app_label)s_%(class)s_one_object",
                violation_error_message=_(
                    "A risk threatens exactly one goal, target or strategic project."
                ),
            ),
            models.CheckConstraint(condition=SCALE, name="%(app_label)s_%(class)s_scale"),
            models.CheckConstraint(
                condition=Q(level=F("likelihood") * F("impact")),
                name="%(app_label)s_%(class)s_level",
            ),
            models.CheckConstraint(
                condition=Q(
                    residual_likelihood__isnull=True,
                    residual_impact__isnull=True,
                    residual_level__isnull=True,
                )
                | Q(
                    residual_likelihood__gte=1,
                    residual_likelihood__lte=5,
                    residual_impact__gte=1,
                    residual_impact__lte=5,
                    residual_level=F("residual_likelihood") * F("residual_impact"),
                ),
                name="%(app_label)s_%(class)s_residual",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RiskStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RiskStatus.ended(), closed_on__isnull=False)
                | Q(status__in=RiskStatus.live(), closed_on__isnull=True),
                name="%(app_label)s_%(class)s_closed_on",
            ),
            models.CheckConstraint(
                condition=Q(
                    source=RiskSource.MANUAL,
                    projected_percent__isnull=True,
                    threshold_percent__isnull=True,
                )
                | Q(
                    source=RiskSource.EARLY_WARNING,
                    target__isnull=False,
                    projected_percent__isnull=False,
                    threshold_percent__isnull=False,
                ),
                name="%(app_label)s_%(class)s_source",
            ),
            models.CheckConstraint(
                condition=Q(owner_position__isnull=True) | Q(owner_employee__isnull=True),
                name="%(app_label)s_%(class)s_one_owner",
                violation_error_message=_(
                    "Name the risk owner as a post or an employee, not both."
                ),
            ),
            models.UniqueConstraint(
                "target",
                condition=Q(source="early_warning", status__in=["open", "mitigating"]),
                name="%(app_label)s_%(class)s_one_open_warning",
                violation_error_message=_(
                    "This target already has an open risk raised from the early warning."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "status", "level"], name="risks_risk_status_level"),
            models.Index(fields=["instansi", "year"], name="risks_risk_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.pk])

    @property
    def kind(self) -> str:
        if self.target_id:
            return ObjectKind.TARGET
        if self.project_id:
            return ObjectKind.PROJECT
        return ObjectKind.GOAL

    @property
    def threatened(self):
        """The goal, target or project the risk threatens."""
        return self.target or self.project or self.goal

    @property
    def is_live(self) -> bool:
        return self.status in RiskStatus.live()

    @property
    def policy(self):
        return risk_policy(self.identified_on)

    @property
    def band(self):
        return self.policy.band(self.level)

    @property
    def residual_band(self):
        return self.policy.band(self.residual_level)

    @property
    def owner(self):
        return self.owner_employee or self.owner_position


class Mitigation(TimeStampedModel):
    """An action of the risk's treatment plan: who is responsible, by when, its status and the
    progress reported."""

    risk = models.ForeignKey(
        Risk, on_delete=models.CASCADE, related_name="mitigations", verbose_name=_("risk")
    )
    action = models.TextField(_("mitigation action"))
    responsible_position = models.ForeignKey(
        "organisations.Position",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible (post)"),
    )
    responsible_name = models.CharField(_("responsible (name or unit)"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MitigationStatus.choices,
        default=MitigationStatus.PLANNED,
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.TextField(_("progress notes"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = MitigationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mitigation")
        verbose_name_plural = _("mitigations")
        ordering = ["risk", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100),
                name="%(app_label)s_%(class)s_progress",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MitigationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=MitigationStatus.DONE, done_on__isnull=False)
                | (~Q(status=MitigationStatus.DONE) & Q(done_on__isnull=True)),
                name="%(app_label)s_%(class)s_done_on",
            ),
            models.CheckConstraint(
                condition=Q(responsible_position__isnull=False) | ~Q(responsible_name=""),
                name="%(app_label)s_%(class)s_responsible",
                violation_error_message=_("Name who is responsible: a post or a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.action[:80]

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.risk_id]) + f"#mitigation-{self.pk}"

    @property
    def responsible(self) -> str:
        return str(self.responsible_position or self.responsible_name)
