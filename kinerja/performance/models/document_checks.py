"""Issued official documents and their verification codes (the public check page ``/cek/<code>/``
reads them). One row per issued version of a document: printing the same unchanged document
again reuses its row; a changed one gets a new row and code, and the earlier codes show as
superseded. The row keeps what the check page may show (name, NIP, period, predikat) as the
document printed it, so the page needs nothing else."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..document_codes import grouped

__all__ = ["DocumentCheck", "DocumentKind"]


class DocumentKind(models.TextChoices):
    EVALUATION = "evaluation", _("Employee performance evaluation (Evaluasi Kinerja Pegawai)")
    EVALUATION_DOCUMENT = (
        "evaluation_document",
        _("Employee performance evaluation document (Dokumen Evaluasi Kinerja Pegawai)"),
    )
    UNIT_PREDIKAT = (
        "unit_predikat",
        _("Decision on the unit's performance predikat (Penetapan Predikat Kinerja)"),
    )


class DocumentCheck(TenantModel):
    code = models.CharField(_("verification code"), max_length=10, unique=True)
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(
        _("object"), help_text=_("The evaluation (or, for a decision, the unit's predikat).")
    )
    digest = models.CharField(_("digest of the document's facts"), max_length=64)
    subject = models.CharField(_("name"), max_length=300)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    period_label = models.CharField(_("period"), max_length=200)
    predikat = models.CharField(_("predikat"), max_length=20, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["kind", "object_id", "issued_at"]
        constraints = [
            models.UniqueConstraint(
                "kind", "object_id", "digest", name="%(app_label)s_%(class)s_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return self.printed_code

    @property
    def printed_code(self) -> str:
        return grouped(self.code)
