"""The append-only audit trail, chained by hashes so that a changed or removed event shows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import AuditEventQuerySet


class AuditEvent(models.Model):
    """One audited action: who did what to which object, with before/after values and a reason.

    Each event stores the hash of the previous one, so `manage.py audit_verify` can find the first
    event that was altered or whose predecessor was deleted. No code path edits or deletes events.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=300, blank=True)
    # Plain integers, not foreign keys: audit imports no domain app, and events outlive rows.
    instansi_id = models.BigIntegerField(_("instansi"), null=True, blank=True, db_index=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_repr}"


class AuditChain(models.Model):
    """The single row holding the chain's head; locking it serialises appends."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"
