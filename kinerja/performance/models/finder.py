"""Candidates of the collaboration finder: two indicators of different agencies whose manuals
read alike, proposed to Bappeda as a target to share (docs/planning-finder.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

__all__ = ["CandidateStatus", "CollaborationCandidate"]


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class CollaborationCandidateQuerySet(ScopedQuerySet):
    """A candidate is read by whoever reads the plans of one of its two agencies: the
    instansi-wide planning readers all of them, an agency's head or administrator those that
    involve the agency."""

    scope_path = ("unit_a__path", "unit_b__path")
    scope_action = Action.VIEW_PLANNING

    def proposed(self) -> CollaborationCandidateQuerySet:
        return self.filter(status=CandidateStatus.PROPOSED)

    def involving(self, unit_id: int) -> CollaborationCandidateQuerySet:
        return self.filter(Q(unit_a_id=unit_id) | Q(unit_b_id=unit_id))


class CollaborationCandidate(TenantModel):
    """Two indicators of two agencies (the lower id first; one row per pair, whatever the
    year) found to measure the same thing, with the score of the run that found them and the
    shared stems that weigh most in it. Bappeda accepts it (a collaboration is created and
    linked) or dismisses it with a reason; a dismissed pair is not proposed again."""

    year = models.PositiveSmallIntegerField(_("year"))
    indicator_a = models.ForeignKey(
        "performance.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("first indicator"),
    )
    indicator_b = models.ForeignKey(
        "performance.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("second indicator"),
    )
    unit_a = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("first agency"),
    )
    unit_b = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("second agency"),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=4)
    terms = models.JSONField(_("shared stems"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PROPOSED,
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
    reason = models.TextField(_("reason"), blank=True)
    collaboration = models.ForeignKey(
        "performance.Collaboration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("collaboration"),
    )

    objects = CollaborationCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration candidate")
        verbose_name_plural = _("collaboration candidates")
        ordering = ["-score", "pk"]
        indexes = [
            models.Index(
                fields=["instansi", "status", "-score"],
                name="perf_candidate_status_score",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                "indicator_a", "indicator_b", name="%(app_label)s_%(class)s_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(indicator_a__lt=F("indicator_b")),
                name="%(app_label)s_%(class)s_ordered_pair",
            ),
            models.CheckConstraint(
                condition=~Q(unit_a=F("unit_b")),
                name="%(app_label)s_%(class)s_two_agencies",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1),
                name="%(app_label)s_%(class)s_score",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(reason=""),
                name="%(app_label)s_%(class)s_dismissed_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_a.name} ~ {self.indicator_b.name}"

    def get_absolute_url(self) -> str:
        return reverse("performance:finder_detail", args=[self.pk])

    @property
    def is_proposed(self) -> bool:
        return self.status == CandidateStatus.PROPOSED
