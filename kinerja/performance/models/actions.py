"""The action plan (rencana aksi) under a performance agreement: actions in up to three levels
under each target of the agreement, each with its responsible unit, SIPD budget tags, budget
ceiling (pagu) and spending; its schedule over the year's sub-periods (planned output and a
weight, the weights summing to 100) and the progress entered per sub-period."""

from __future__ import annotations

import functools
import json

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinerja.core.models import TenantModel

from ..policy import DATA
from ..querysets import PlanningQuerySet

__all__ = [
    "Action",
    "ActionProgress",
    "ActionSchedule",
    "MAX_ACTION_DEPTH",
    "funding_source_choices",
]

MAX_ACTION_DEPTH = 3
MONEY = {"max_digits": 18, "decimal_places": 2}  # rupiah, below 10^16
PERCENT = {"max_digits": 5, "decimal_places": 2}  # 0.00 to 100.00


@functools.cache
def funding_source_choices() -> tuple[tuple[str, str], ...]:
    """The funding sources (sumber dana) an action may name (code, label), from policy data."""
    with open(DATA / "funding_sources.json", encoding="utf-8") as handle:
        sources = json.load(handle)["sources"]
    return tuple((s["code"], s["label"]) for s in sources)


class ActionQuerySet(PlanningQuerySet):
    """Actions are read where their agreement is: its unit's subtree, the province's by all."""

    scope_path = "agreement__unit__path"
    scope_unit = "agreement__unit"


class Action(TenantModel):
    """An action of the action plan under one target of an agreement, in levels (an action
    may have sub-actions, three levels at most)."""

    agreement = models.ForeignKey(
        "performance.Agreement",
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("agreement"),
        editable=False,
    )
    agreement_target = models.ForeignKey(
        "performance.AgreementTarget",
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("target of the agreement"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent action"),
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1, editable=False)
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(pgettext_lazy("action plan", "action"), max_length=1000)
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    program_code = models.CharField(_("SIPD program code"), max_length=20, blank=True)
    activity_code = models.CharField(_("SIPD activity code"), max_length=30, blank=True)
    sub_activity_code = models.CharField(_("SIPD sub-activity code"), max_length=40, blank=True)
    budget = models.DecimalField(_("budget ceiling (Rp)"), default=0, **MONEY)
    spending = models.DecimalField(_("spending (Rp)"), default=0, **MONEY)
    funding_source = models.CharField(
        _("funding source"), max_length=12, choices=funding_source_choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("action plan", "action")
        verbose_name_plural = _("action plan")
        ordering = ["agreement", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                "agreement", "code", name="%(app_label)s_%(class)s_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & Q(spending__gte=0),
                name="%(app_label)s_%(class)s_money_positive",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=MAX_ACTION_DEPTH),
                name="%(app_label)s_%(class)s_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("performance:action_plan", args=[self.agreement_id]) + f"#action-{self.pk}"


class ActionSchedule(models.Model):
    """The plan of an action for one sub-period: the output planned and its weight (percent of
    the action; an action's weights sum to 100)."""

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="schedule",
        verbose_name=pgettext_lazy("action plan", "action"),
    )
    sub_period = models.ForeignKey(
        "performance.SubPeriod",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-period"),
    )
    planned_output = models.CharField(_("planned output"), max_length=500, blank=True)
    weight = models.DecimalField(_("weight (%)"), **PERCENT)

    class Meta:
        verbose_name = _("schedule of an action")
        verbose_name_plural = _("schedules of actions")
        ordering = ["action", "sub_period__number"]
        constraints = [
            models.UniqueConstraint(
                "action", "sub_period", name="%(app_label)s_%(class)s_one_per_sub_period"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100),
                name="%(app_label)s_%(class)s_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} {self.sub_period.number}: {self.weight}"


class ActionProgress(models.Model):
    """The progress of an action in one sub-period: the percent of that sub-period's plan
    done, with a note and a link to the evidence."""

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=pgettext_lazy("action plan", "action"),
    )
    sub_period = models.ForeignKey(
        "performance.SubPeriod",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-period"),
    )
    progress = models.DecimalField(_("progress (%)"), **PERCENT)
    note = models.TextField(_("note"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("progress of an action")
        verbose_name_plural = _("progress of actions")
        ordering = ["action", "sub_period__number"]
        constraints = [
            models.UniqueConstraint(
                "action", "sub_period", name="%(app_label)s_%(class)s_one_per_sub_period"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="%(app_label)s_%(class)s_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} {self.sub_period.number}: {self.progress}"
