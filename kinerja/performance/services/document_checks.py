"""Issuing the official documents' verification codes: atomic and audited like every write.

Issuing an evaluation's document is allowed to whoever sees the evaluation (who sees its plan)
and only for a final evaluation (a draft is previewed without a code). The same facts (the same
digest) reuse the issued code; changed facts get a new code, and the earlier ones read as
superseded on the check page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Scope

from ..document_codes import digest, new_code
from ..evaluation_documents import (
    evaluation_digest,
    period_label,
    unit_period_label,
    unit_predikat_facts,
)
from ..models import DocumentCheck, DocumentKind, Evaluation
from ..plan_selectors import plans_for

EVALUATION_KINDS = (DocumentKind.EVALUATION, DocumentKind.EVALUATION_DOCUMENT)


def _fresh_code() -> str:
    for _attempt in range(5):
        code = new_code()
        if not DocumentCheck.objects.filter(code=code).exists():
            return code
    raise IntegrityError("no free verification code")  # 2^50 codes: never in practice


@transaction.atomic
def evaluation_document_issue(
    *, actor, scope: Scope, evaluation: Evaluation, kind: str
) -> tuple[DocumentCheck, bool]:
    """The issued version of a final evaluation's document (``kind``: ``evaluation`` or
    ``evaluation_document``) with its code: the existing one when the document's facts are
    unchanged, else a new one. Returns the check and whether it was issued now."""
    if kind not in EVALUATION_KINDS:
        raise ValidationError({"kind": _("Choose a document of the evaluation.")})
    if not plans_for(scope).filter(pk=evaluation.plan_id).exists():
        raise PermissionDenied(_("This evaluation is out of your reach."))
    # Locked, so that two prints at once of an unchanged evaluation share one code.
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("plan__employee", "plan__period", "plan__unit")
        .get(pk=evaluation.pk)
    )
    if not evaluation.is_final:
        raise ValidationError(
            {"status": _("Only a final evaluation's document carries a verification code.")}
        )
    plan = evaluation.plan
    return issue(
        actor=actor,
        instansi_id=evaluation.instansi_id,
        unit=plan.unit,
        kind=kind,
        object_id=evaluation.pk,
        digest=evaluation_digest(evaluation, kind),
        subject=plan.employee.display_name,
        nip=plan.employee.nip or "",
        period_label=period_label(evaluation),
        predikat=evaluation.predikat,
    )


@transaction.atomic
def unit_predikat_document_issue(
    *, actor, scope: Scope, unit_predikat
) -> tuple[DocumentCheck, bool]:
    """The issued version of the decision on a unit's predikat and its distribution (Format
    Penetapan Predikat Kinerja): for whoever sees the unit predikat, once its distribution is
    final."""
    from ..models import UnitPredikat

    if not UnitPredikat.objects.within(scope).filter(pk=unit_predikat.pk).exists():
        raise PermissionDenied(_("This unit predikat is out of your reach."))
    found = (
        UnitPredikat.objects.select_for_update(of=("self",))
        .select_related("unit", "period")
        .get(pk=unit_predikat.pk)
    )
    if not found.is_final:
        raise ValidationError(
            {"status": _("Only a final distribution's decision carries a verification code.")}
        )
    return issue(
        actor=actor,
        instansi_id=found.instansi_id,
        unit=found.unit,
        kind=DocumentKind.UNIT_PREDIKAT,
        object_id=found.pk,
        digest=digest(unit_predikat_facts(found)),
        subject=found.unit.name,
        nip="",
        period_label=unit_period_label(found),
        predikat=found.predikat,
    )


@transaction.atomic
def issue(
    *,
    actor,
    instansi_id: int,
    unit,
    kind: str,
    object_id: int,
    digest: str,
    subject: str,
    nip: str,
    period_label: str,
    predikat: str,
) -> tuple[DocumentCheck, bool]:
    """The issued version of a document with these facts (``digest``), or a new one with a
    fresh code, audited as ``document.issue`` on ``unit``. The caller has checked permission
    and holds a lock on the object (inside its transaction)."""
    found = DocumentCheck.objects.filter(kind=kind, object_id=object_id, digest=digest).first()
    if found is not None:
        return found, False
    check = DocumentCheck.objects.create(
        instansi_id=instansi_id,
        code=_fresh_code(),
        kind=kind,
        object_id=object_id,
        digest=digest,
        subject=subject[:300],
        nip=nip,
        period_label=period_label[:200],
        predikat=predikat,
        issued_by=actor if getattr(actor, "pk", None) else None,
        issued_at=timezone.now(),
    )
    record(
        actor=actor,
        action="document.issue",
        target=check,
        unit=unit,
        changes={
            "kind": [None, kind],
            "object": [None, object_id],
            "code": [None, check.code],
            "digest": [None, digest],
        },
    )
    return check, True
