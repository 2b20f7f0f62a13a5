"""Requests to correct one's own data, and the agency's decisions; each write is audited.

The employee asks; an administrator who may change people in the employee's unit accepts or
refuses. Accepting applies the change through `organisations.services.employee_update`, so the
employee rules (NIP against birth date and sex, email format, ...) and its audit event apply as
for any other edit; the request's own steps are audited on the employee too, so the employee's
history shows the request, the decision and the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.choices import Sex
from kinerja.organisations.models import Employee
from kinerja.organisations.services import employee_update

from .models import CORRECTABLE_FIELDS, CorrectionRequest, CorrectionStatus

DATE_INPUT_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
# Ways people write sex, mapped to its code ("L"/"P" as on Indonesian forms).
SEX_WORDS = {
    "m": Sex.MALE,
    "l": Sex.MALE,
    "male": Sex.MALE,
    "laki-laki": Sex.MALE,
    "pria": Sex.MALE,
    "f": Sex.FEMALE,
    "p": Sex.FEMALE,
    "female": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
}


def as_text(field: str, value: Any) -> str:
    """A field's value as stored in a request (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_value(field: str, text: str) -> Any:
    """Read a proposed value as the employee record holds it, with the model field's own checks.

    Raises ValidationError naming ``proposed_value``.
    """
    if field not in CORRECTABLE_FIELDS:
        raise ValidationError({"field": _("This field cannot be corrected by a request.")})
    text = (text or "").strip()
    model_field = Employee._meta.get_field(field)
    try:
        if field == "birth_date":
            value = forms.DateField(input_formats=DATE_INPUT_FORMATS).clean(text) if text else None
        elif field == "sex":
            value = SEX_WORDS.get(text.lower(), text) if text else ""
            if value and value not in Sex.values:
                raise ValidationError(_("Write the sex as L (male) or P (female)."))
        else:
            value = text
        model_field.clean(value, None)
    except ValidationError as exc:
        raise ValidationError({"proposed_value": exc.messages}) from exc
    return value


def _own_record(scope: Scope, employee: Employee) -> None:
    if not scope.employee_id or scope.employee_id != employee.pk:
        raise PermissionDenied(_("You may only ask to correct your own record."))


def _may_decide(scope: Scope, correction: CorrectionRequest) -> None:
    if not scope.can(Action.CHANGE_PEOPLE, correction.employee.unit.path):
        raise PermissionDenied(_("You may not change data of this unit."))
    if scope.employee_id and scope.employee_id == correction.employee_id:
        raise PermissionDenied(_("Another administrator decides on your own request."))
    if not correction.is_pending:
        raise ValidationError(_("This request has already been decided."))


@transaction.atomic
def request_correction(
    *, actor, scope: Scope, employee: Employee, field: str, proposed_value: str, reason: str
) -> CorrectionRequest:
    """File a request to correct one field of the caller's own record."""
    _own_record(scope, employee)
    value = parse_value(field, proposed_value)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the data should be corrected.")})
    current = as_text(field, getattr(employee, field))
    proposed = as_text(field, value)
    if proposed == current:
        raise ValidationError({"proposed_value": _("This is the value already recorded.")})
    if CorrectionRequest.objects.filter(employee=employee, field=field).pending().exists():
        raise ValidationError({"field": _("A request to correct this field is already pending.")})
    correction = CorrectionRequest.objects.create(
        instansi_id=employee.instansi_id,
        employee=employee,
        field=field,
        current_value=current,
        proposed_value=proposed,
        reason=reason.strip(),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="employee.correction_request",
        target=employee,
        changes={field: [current, proposed]},
        reason=correction.reason,
    )
    return correction


def _decide(correction: CorrectionRequest, actor, status: str, note: str) -> None:
    correction.status = status
    correction.decided_by = actor if getattr(actor, "pk", None) else None
    correction.decided_at = timezone.now()
    correction.decision_note = note
    correction.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )


@transaction.atomic
def accept_correction(
    *, actor, scope: Scope, correction: CorrectionRequest, note: str = ""
) -> CorrectionRequest:
    """Accept a pending request: the change goes through the employee update service."""
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    _may_decide(scope, correction)
    note = (note or "").strip()
    employee = Employee.objects.select_related("unit", "position").get(pk=correction.employee_id)
    value = parse_value(correction.field, correction.proposed_value)
    employee_update(
        actor=actor,
        scope=scope,
        employee=employee,
        data={correction.field: value},
        reason=_("Correction request #%(pk)s: %(reason)s")
        % {"pk": correction.pk, "reason": correction.reason},
    )
    _decide(correction, actor, CorrectionStatus.ACCEPTED, note)
    record(
        actor=actor,
        action="employee.correction_accept",
        target=employee,
        reason=note,
    )
    return correction


@transaction.atomic
def refuse_correction(
    *, actor, scope: Scope, correction: CorrectionRequest, note: str
) -> CorrectionRequest:
    """Refuse a pending request, saying why; the employee's record stays as it is."""
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    _may_decide(scope, correction)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the request is refused.")})
    _decide(correction, actor, CorrectionStatus.REFUSED, note)
    record(
        actor=actor,
        action="employee.correction_refuse",
        target=correction.employee,
        reason=note,
    )
    return correction
