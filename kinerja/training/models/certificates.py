"""Certificates of attendance (STTPP) and the batches in which they are initialled and signed."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel
from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action, Scope
from kinerja.performance.document_codes import grouped

from ..querysets import organises

__all__ = [
    "BatchStatus",
    "Certificate",
    "CertificateBatch",
    "CertificateStatus",
    "RevocationReason",
]

JP = {"max_digits": 6, "decimal_places": 2, "default": Decimal("0")}


class CertificateQuerySet(ScopedQuerySet):
    """Certificates, read like the person (as enrolments are): ``view_people`` on the unit they
    were enrolled from, an evaluator's reports, their own; the organiser across the instansi."""

    scope_path = "unit__path"
    scope_post = "participant__position_id"
    scope_action = Action.VIEW_PEOPLE
    scope_own = "employee"

    def _grants_q(self, scope: Scope, action: str):
        if organises(scope):
            return None
        return super()._grants_q(scope, action)

    def valid(self):
        return self.exclude(status=CertificateStatus.REVOKED)


class CertificateBatchQuerySet(ScopedQuerySet):
    """Batches are the organiser's (and the signer's, through the signing page's own check)."""

    scope_path = None

    def within(self, scope: Scope, action: str | None = None):
        if scope.instansi_id is None or not organises(scope):
            return self.none()
        return self.filter(self.instansi_q(scope))


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    INITIALLED = "initialled", _("Initialled")
    SIGNED = "signed", _("Signed")
    REVOKED = "revoked", _("Revoked")


class BatchStatus(models.TextChoices):
    ISSUING = "issuing", _("Issuing")
    READY = "ready", _("Awaiting the initial")
    INITIALLED = "initialled", _("Initialled, awaiting the signature")
    SIGNED = "signed", _("Signed")
    FAILED = "failed", _("Failed")


class RevocationReason(models.TextChoices):
    """The category of a revocation, shown on the public page (the note is not)."""

    ISSUED_IN_ERROR = "error", _("Issued in error")
    ATTENDANCE_CORRECTED = "attendance", _("Attendance corrected")
    MISCONDUCT = "misconduct", _("Breach of the training rules")
    REPLACED = "replaced", _("Replaced by a new certificate")


class CertificateBatch(TenantModel):
    """The certificates of an event issued together: the bulk issue's progress, then the
    reviewer's initial (paraf) and the signer's signature, which cover the whole batch."""

    event = models.ForeignKey(
        "training.Event",
        on_delete=models.PROTECT,
        related_name="certificate_batches",
        verbose_name=_("event"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.ISSUING
    )
    total = models.PositiveIntegerField(_("participants to issue"), default=0)
    done = models.PositiveIntegerField(_("participants done"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    initialled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initialled by"),
    )
    initialled_at = models.DateTimeField(_("initialled at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    objects = CertificateBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_id} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(self.done * 100 / self.total))


class Certificate(TenantModel):
    """A participant's certificate of attendance (STTPP). What it states is kept as issued
    (``facts``); the unsigned PDF and the signed one are kept as files, and a revoked
    certificate keeps both unchanged. One valid certificate per participant."""

    participant = models.ForeignKey(
        "training.Participant",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("participant"),
    )
    event = models.ForeignKey(
        "training.Event",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("event"),
    )
    # Copied from the enrolment, so that scoping reads the certificate like the person.
    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    unit = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    batch = models.ForeignKey(
        CertificateBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("batch"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("certificate number"), max_length=80)
    code = models.CharField(_("verification code"), max_length=10, unique=True)
    jp_total = models.DecimalField(_("lesson hours attended (JP)"), **JP)
    jp_planned = models.DecimalField(_("lesson hours of the event (JP)"), **JP)
    facts = models.JSONField(_("what the certificate states"), default=dict)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    exception_reason = models.TextField(_("reason for the exception"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ISSUED,
    )
    pdf = models.FileField(_("PDF (unsigned)"), upload_to="training/certificates/%Y/", blank=True)
    signed_pdf = models.FileField(
        _("signed PDF"), upload_to="training/certificates/signed/%Y/", blank=True
    )
    signer_name = models.CharField(_("signed by"), max_length=250, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signature_subject = models.CharField(
        _("signing certificate subject"), max_length=400, blank=True
    )
    signature_serial = models.CharField(_("signing certificate serial"), max_length=80, blank=True)
    signature_backend = models.CharField(_("signing service"), max_length=20, blank=True)
    was_signed = models.BooleanField(_("signed before revocation"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_category = models.CharField(
        _("reason for revocation"), max_length=12, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(_("note on the revocation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=~Q(status="revoked"),
                name="training_certificate_one_valid",
                violation_error_message=_("This participant already holds a valid certificate."),
            ),
            models.UniqueConstraint(
                fields=["instansi", "year", "sequence"], name="training_certificate_sequence"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def printed_code(self) -> str:
        return grouped(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED
