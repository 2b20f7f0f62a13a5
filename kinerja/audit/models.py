"""The append-only audit trail: one keyed hash chain per instansi, so a changed or removed
event shows, and so that the audited writes of different instansi never wait on each other."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .querysets import AuditEventQuerySet

GENESIS = "0" * 64


class AuditChain(models.Model):
    """The head of one instansi's chain (``instansi_id`` None: the system chain).

    Locking this row serialises the appends to its chain only. ``seal`` is the keyed MAC of the
    head, so that the head cannot be rewound to an earlier event without the key.
    """

    instansi_id = models.BigIntegerField(_("instansi"), null=True, blank=True, editable=False)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    seal = models.CharField(max_length=64, blank=True)
    # The sequence of the chain's last event that may change who reaches what (a grant, the
    # organisation, an account: `kinerja.audit.freshness.moves_access`); the callers' scopes
    # are kept under it, so a realisation or a plan written leaves them standing.
    access_sequence = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        constraints = [
            # One chain per instansi, and one system chain (NULL counts once: 0 is no instansi key).
            models.UniqueConstraint(
                Coalesce("instansi_id", 0), name="audit_auditchain_one_per_instansi"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} #{self.last_sequence} {self.last_hash[:12]}"

    @property
    def label(self) -> str:
        return "system" if self.instansi_id is None else f"instansi {self.instansi_id}"


class AuditEvent(models.Model):
    """One audited action: who did what to which object, with before/after values and a reason.

    Each event carries an HMAC (``hash``, keyed by ``settings.KINERJA_AUDIT_KEY``) over every
    field that is shown or used for scoping, including the previous event's hash in its chain,
    so `manage.py audit_verify` names each event that was altered, removed or re-ordered. No code
    path edits or deletes events.
    """

    chain = models.ForeignKey(
        AuditChain,
        on_delete=models.PROTECT,
        related_name="events",
        editable=False,
        db_index=False,  # the unique (chain, sequence) index serves lookups by chain
        # No foreign key in the database: the services lock the head before they append, and
        # each event's seal covers its chain. A key check per new row reads the head row, which
        # a long transaction (an import, the demo) has updated once per append: the check walks
        # every one of those versions, so 88,618 events took 94 s instead of 2 s on PostgreSQL.
        db_constraint=False,
        verbose_name=_("chain"),
    )
    sequence = models.PositiveBigIntegerField(_("sequence"), editable=False)
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
    # Indexed with target_id (audit_target_idx), which also serves lookups by type alone.
    target_type = models.CharField(_("target type"), max_length=100)
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
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="audit_auditevent_sequence_per_chain"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_repr}"
