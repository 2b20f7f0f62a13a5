"""An employee's request to correct their own data, and the agency's decision on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from .querysets import CorrectionRequestQuerySet

# The fields of their own record an employee may ask to correct (titles are two fields).
CORRECTABLE_FIELDS = ("name", "front_title", "back_title", "birth_date", "sex", "email", "grade")


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


def field_choices() -> list[tuple[str, str]]:
    from kinerja.organisations.models import Employee

    return [(name, Employee._meta.get_field(name).verbose_name) for name in CORRECTABLE_FIELDS]


class CorrectionRequest(TenantModel):
    """One proposed change to one field of an employee's record, with the reason and outcome.

    Values are kept as text, as the employee wrote them (dates as YYYY-MM-DD, sex as its code),
    so the request shows what was asked even after the record changes.
    """

    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="correction_requests",
        verbose_name=_("employee"),
    )
    field = models.CharField(_("field"), max_length=40, choices=field_choices)
    current_value = models.CharField(_("current value"), max_length=255, blank=True)
    proposed_value = models.CharField(_("proposed value"), max_length=255, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
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
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "field"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending_per_field",
                violation_error_message=_("A request to correct this field is already pending."),
            ),
        ]
        indexes = [models.Index(fields=["instansi", "status"], name="corr_request_status_idx")]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_field_display()}"

    def get_absolute_url(self) -> str:
        return reverse("corrections:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING

    def shown(self, value: str) -> str:
        """A stored value as people read it (the label of a sex code)."""
        if self.field == "sex" and value:
            from kinerja.organisations.choices import Sex

            return str(dict(Sex.choices).get(value, value))
        return value

    @property
    def current_shown(self) -> str:
        return self.shown(self.current_value)

    @property
    def proposed_shown(self) -> str:
        return self.shown(self.proposed_value)
