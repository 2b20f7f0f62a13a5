"""Collaboration (kolaborasi): a target shared across agencies. One agency leads it and enters
its realisation once; the invited agencies consent, each with a contribution weight and a
supporting result of its own (an indicator and target of the member's plan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

__all__ = [
    "Collaboration",
    "CollaborationMember",
    "CollaborationStatus",
    "MemberStatus",
]

WEIGHT = {"max_digits": 5, "decimal_places": 2}  # percent, 0.00 to 100.00


class CollaborationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class CollaborationQuerySet(ScopedQuerySet):
    """A collaboration is seen by whoever reads the plans of its lead unit or of one of the
    units invited to it."""

    scope_path = ("lead_unit__path", "members__unit__path")
    scope_action = Action.VIEW_PLANNING
    scope_distinct = True


class Collaboration(TenantModel):
    """A shared target: the target of the lead unit's indicator (or, for the province's own
    target, a lead unit chosen for it), with the lead's share of the weight. The lead's share
    plus the accepted members' weights make 100 percent. ``version`` counts the writes."""

    target = models.OneToOneField(
        "performance.Target",
        on_delete=models.PROTECT,
        related_name="collaboration",
        verbose_name=_("shared target"),
    )
    lead_unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="led_collaborations",
        verbose_name=_("lead unit"),
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CollaborationStatus.choices,
        default=CollaborationStatus.OPEN,
    )
    lead_weight = models.DecimalField(_("lead's share (%)"), default=100, **WEIGHT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["-target__year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lead_weight__gte=0, lead_weight__lte=100),
                name="%(app_label)s_%(class)s_lead_weight",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("performance:collaboration_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CollaborationStatus.OPEN


class CollaborationMember(models.Model):
    """A unit invited to a collaboration with its proposed weight; it accepts (and gets its
    supporting result) or declines with a reason, answered by someone keeping its plans."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("collaboration"),
    )
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="collaboration_memberships",
        verbose_name=_("member unit"),
    )
    weight = models.DecimalField(_("contribution weight (%)"), **WEIGHT)
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    reason = models.TextField(_("reason for declining"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    supporting_target = models.ForeignKey(
        "performance.Target",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_collaborations",
        verbose_name=_("supporting result"),
    )

    class Meta:
        verbose_name = _("collaboration member")
        verbose_name_plural = _("collaboration members")
        ordering = ["collaboration", "unit__sort_key", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "collaboration", "unit", name="%(app_label)s_%(class)s_unique_unit"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100),
                name="%(app_label)s_%(class)s_weight",
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", supporting_target__isnull=False)
                | (~Q(status="accepted") & Q(supporting_target__isnull=True)),
                name="%(app_label)s_%(class)s_supporting_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration} · {self.unit}"

    @property
    def is_invited(self) -> bool:
        return self.status == MemberStatus.INVITED
