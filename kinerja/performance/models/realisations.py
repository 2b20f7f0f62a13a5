"""Realisations: what an indicator's target achieved in one sub-period, with its evidence,
entered by the target's holder and verified (or returned) by the verifier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.scope import Scope

from ..querysets import PlanningQuerySet

__all__ = ["Evidence", "EvidenceKind", "Realisation", "RealisationStatus"]

NUMBER = {"max_digits": 20, "decimal_places": 4}


class RealisationStatus(models.TextChoices):
    """The steps of a realisation: a returned one goes back to its holder, who resubmits."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    VERIFIED = "verified", _("Verified")

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT, cls.RETURNED})

    @classmethod
    def awaiting(cls) -> frozenset[str]:
        """The steps at which the verifier acts."""
        return frozenset({cls.SUBMITTED, cls.RESUBMITTED})


class RealisationQuerySet(PlanningQuerySet):
    """Reached through the target's unit (view_planning), and by its holder and verifier."""

    scope_path = "target__indicator__unit__path"
    scope_unit = "target__indicator__unit"

    def _own_q(self, scope: Scope, action: str) -> Q | None:
        """A holder's and a verifier's own realisations, in one filter with the grants' (an
        OR of two querysets cost more to build than the query to run)."""
        if not scope.employee_id or action != self.scope_action:
            return None
        return Q(holder_id=scope.employee_id) | Q(verifier_id=scope.employee_id)

    def awaiting(self):
        return self.filter(status__in=RealisationStatus.awaiting())


class Realisation(TenantModel):
    """A target's realisation in one sub-period of its year: a number (for a value or a range
    target), or a described outcome for a qualitative target. ``version`` counts the writes;
    a write naming a stale version is refused as a conflict."""

    target = models.ForeignKey(
        "performance.Target",
        on_delete=models.PROTECT,
        related_name="realisations",
        verbose_name=_("target"),
    )
    sub_period = models.ForeignKey(
        "performance.SubPeriod",
        on_delete=models.PROTECT,
        related_name="realisations",
        verbose_name=_("sub-period"),
    )
    value = models.DecimalField(_("value"), null=True, blank=True, **NUMBER)
    outcome = models.TextField(_("described outcome"), blank=True)
    supporting_factors = models.TextField(_("supporting factors"), blank=True)
    obstructing_factors = models.TextField(_("obstructing factors"), blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RealisationStatus.choices,
        default=RealisationStatus.DRAFT,
    )
    holder = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("holder"),
    )
    verifier = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verifier"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("verifier's comment"), blank=True)
    resubmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resubmitted by"),
    )
    resubmitted_at = models.DateTimeField(_("resubmitted at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = RealisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["target", "sub_period__number"]
        constraints = [
            models.UniqueConstraint(
                "target", "sub_period", name="%(app_label)s_%(class)s_one_per_sub_period"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(outcome=""),
                name="%(app_label)s_%(class)s_number_or_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.sub_period.number}"

    @property
    def display(self) -> str:
        if self.value is not None:
            return f"{self.value.normalize():f}"
        return self.outcome

    @property
    def is_editable(self) -> bool:
        return self.status in RealisationStatus.editable()


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


class Evidence(TenantModel):
    """A piece of evidence of a realisation: an uploaded file (its type read from its content)
    or a link."""

    realisation = models.ForeignKey(
        Realisation,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("realisation"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=EvidenceKind.choices)
    label = models.CharField(_("label"), max_length=300)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=8, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["realisation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="file", url="") & ~Q(file="")
                | Q(kind="link", file="") & ~Q(url=""),
                name="%(app_label)s_%(class)s_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.label
