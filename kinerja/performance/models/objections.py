"""Objections to a final evaluation (keberatan, PP 30/2019 Pasal 59) and the non-binding input
of others on an evaluation (an adviser, peers, subordinates).

An objection is filed by the employee within the policy's days of the final rating and decided
by the evaluator's superior: upheld (the rating stands) or changed (new ratings, a new predikat
from the matrix). The ratings before and after are kept on the objection. At most one objection
of an evaluation is open at a time (a database constraint)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..evaluation_rules import Predikat, Rating

__all__ = [
    "EvaluationInput",
    "InputRelation",
    "InputStatus",
    "Objection",
    "ObjectionStatus",
]


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld (the rating stands)")
    CHANGED = "changed", _("Changed (new rating)")


class Objection(TenantModel):
    evaluation = models.ForeignKey(
        "performance.Evaluation",
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("evaluation"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"))
    reasons = models.TextField(_("reasons"))
    evidence = models.TextField(_("evidence"), blank=True)
    links = models.JSONField(_("evidence links"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    results_before = models.CharField(
        _("results rating before"), max_length=20, choices=Rating.choices
    )
    behaviour_before = models.CharField(
        _("behaviour rating before"), max_length=20, choices=Rating.choices
    )
    predikat_before = models.CharField(
        _("predikat before"), max_length=20, choices=Predikat.choices
    )
    results_after = models.CharField(
        _("results rating after"), max_length=20, choices=Rating.choices, blank=True
    )
    behaviour_after = models.CharField(
        _("behaviour rating after"), max_length=20, choices=Rating.choices, blank=True
    )
    predikat_after = models.CharField(
        _("predikat after"), max_length=20, choices=Predikat.choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "evaluation",
                condition=Q(status="open"),
                name="%(app_label)s_%(class)s_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="%(app_label)s_%(class)s_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.OPEN


class InputRelation(models.TextChoices):
    ADVISER = "adviser", _("Adviser (pemberi pertimbangan)")
    PEER = "peer", _("Peer")
    SUBORDINATE = "subordinate", _("Subordinate")


class InputStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EvaluationInput(TenantModel):
    """Input on an evaluation by someone other than the evaluator: requested by the evaluator,
    given by the invitee; shown to the evaluator, never binding."""

    evaluation = models.ForeignKey(
        "performance.Evaluation",
        on_delete=models.CASCADE,
        related_name="inputs",
        verbose_name=_("evaluation"),
    )
    author = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    relation = models.CharField(_("relation"), max_length=12, choices=InputRelation.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=InputStatus.choices, default=InputStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    suggested_rating = models.CharField(
        _("suggested rating"), max_length=20, choices=Rating.choices, blank=True
    )
    text = models.TextField(_("input"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("input on an evaluation")
        verbose_name_plural = _("inputs on evaluations")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                "evaluation", "author", name="%(app_label)s_%(class)s_one_per_author"
            ),
            models.CheckConstraint(
                condition=Q(status="given", given_at__isnull=False)
                | (~Q(status="given") & Q(given_at__isnull=True)),
                name="%(app_label)s_%(class)s_given_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.get_relation_display()}"
