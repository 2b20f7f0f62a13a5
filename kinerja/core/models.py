"""Abstract base models shared by every app."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Record when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row that belongs to one instansi, the tenant key every query narrows by."""

    instansi = models.ForeignKey(
        "organisations.Instansi",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instansi"),
    )

    class Meta:
        abstract = True


def valid_range(message=None) -> models.CheckConstraint:
    """The check every effective-dated table carries: no row ends before it starts."""
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name="%(app_label)s_%(class)s_valid_range",
        violation_error_message=message,
    )


class EffectiveDated(models.Model):
    """A row in force from ``valid_from`` to ``valid_to``, both days inclusive; an open end is
    NULL. Its queryset (`kinerja.core.querysets.EffectiveDatedQuerySet`) reads the rows in
    force on a day with ``active_on(day)``; ``is_active_on(day)`` asks the same of one row.

    A model adopts it by inheriting; a model that declares its own ``Meta.constraints`` adds
    ``valid_range(message)`` to them (a Meta of its own replaces this one's).
    """

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [valid_range()]

    def is_active_on(self, day: dt.date | None = None) -> bool:
        """Return whether the row is in force on ``day`` (today when left out)."""
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class IdempotencyKey(models.Model):
    """A write sent with an ``Idempotency-Key`` header and the answer it got: the same key with
    the same request within a day is answered from here without writing again
    (`kinerja.core.idempotency`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    request_hash = models.CharField(_("request hash"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response_body = models.JSONField(_("response body"), null=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint("user", "key", name="%(app_label)s_%(class)s_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key}"
