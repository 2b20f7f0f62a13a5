"""Writes of the development-hours ledger. Atomic, checked, audited: bad input raises a
ValidationError naming the field and writes nothing; a caller without the right raises
PermissionDenied.

Who:
- enters, changes or removes other training (source "entered" or "imported"): who changes the
  person's record (``change_people`` on the employee's unit: the agency administrator, BKD, the
  system administrator). A record from an event or from mentoring is changed at its source.
- `record_from_event` and `record_mentoring` are called by the other parts of the training app
  (attendance, action plans) and by the demo: they take the rows as those parts wrote them and
  check no caller's right (``actor`` only names who is audited, the system when None).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee

from ..choices import ParticipantStatus, RecordSource
from ..ledger_rules import JP, rules_on
from ..models import Attendance, DevelopmentRecord, Participant, TrainingType

__all__ = [
    "FIELDS",
    "clean_record",
    "development_record_create",
    "development_record_delete",
    "development_record_update",
    "may_enter",
    "record_from_event",
    "record_mentoring",
]

FIELDS = (
    "year",
    "training_type",
    "route",
    "title",
    "organiser",
    "starts_on",
    "ends_on",
    "quantity",
    "quantity_unit",
    "hours",
    "conversion_version",
    "certificate_number",
)
EDITABLE_SOURCES = (RecordSource.ENTERED, RecordSource.IMPORTED)
MAX_QUANTITY = Decimal("9999.99")
FIRST_YEAR, LAST_YEAR = 1950, 2999


def may_enter(scope: Scope, employee: Employee) -> bool:
    """Who keeps the person's record: ``change_people`` on the employee's unit."""
    return scope.instansi_id == employee.instansi_id and scope.can(
        Action.CHANGE_PEOPLE, employee.unit.path
    )


def _snapshot(record_: DevelopmentRecord) -> dict[str, Any]:
    out = {}
    for name in FIELDS:
        out[name] = getattr(record_, DevelopmentRecord._meta.get_field(name).attname)
    return out


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not number.is_finite() or number <= 0 or number > MAX_QUANTITY:
        raise ValidationError(
            {field: _("Give a number above 0 and at most %(max)s.") % {"max": MAX_QUANTITY}}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: _("At most two decimals.")})
    return number


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise ValidationError({field: _("Give a date as YYYY-MM-DD.")}) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError({field: _("Give a date between 1950 and 2999.")})
    return day


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return text


def clean_record(data: dict[str, Any]) -> dict[str, Any]:
    """Check a record's fields and convert its quantity; return the fields to store.

    ``data``: ``training_type`` (a TrainingType or its code), ``title``, ``organiser``,
    ``starts_on``, ``ends_on``, ``year`` (optional: the year of the last day), ``quantity`` and
    ``quantity_unit`` (a unit of the rules in force on the first day; "jp" by default),
    ``certificate_number``. All errors of the fields come in one ValidationError."""
    errors: dict[str, list] = {}
    out: dict[str, Any] = {}

    def take(field, fn):
        try:
            out[field] = fn()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)

    def training_type():
        value = data.get("training_type")
        if isinstance(value, TrainingType):
            return value
        found = TrainingType.objects.filter(code=str(value or "").strip()).first()
        if found is None:
            raise ValidationError({"training_type": _("Choose a training type.")})
        return found

    take("training_type", training_type)
    take("title", lambda: _text(data.get("title"), "title", 250, required=True))
    take("organiser", lambda: _text(data.get("organiser"), "organiser", 250))
    take(
        "certificate_number",
        lambda: _text(data.get("certificate_number"), "certificate_number", 100),
    )
    take("starts_on", lambda: _date(data.get("starts_on"), "starts_on"))
    take("ends_on", lambda: _date(data.get("ends_on") or data.get("starts_on"), "ends_on"))
    take("quantity", lambda: _decimal(data.get("quantity"), "quantity"))
    unit = str(data.get("quantity_unit") or JP).strip()
    if "starts_on" in out:
        rules = rules_on(out["starts_on"])
        if unit not in rules.units:
            errors.setdefault("quantity_unit", []).append(
                _("Give one of the units: %(units)s.") % {"units": ", ".join(rules.units)}
            )
        elif "quantity" in out:
            out["quantity_unit"] = unit
            out["hours"] = rules.convert(out["quantity"], unit)
            out["conversion_version"] = rules.valid_from
    if "starts_on" in out and "ends_on" in out:
        if out["ends_on"] < out["starts_on"]:
            errors.setdefault("ends_on", []).append(
                _("The last day cannot be before the first day.")
            )
        else:
            year = data.get("year")
            if year in (None, ""):
                out["year"] = out["ends_on"].year
            else:
                try:
                    out["year"] = int(str(year).strip())
                except ValueError:
                    out["year"] = None
                if out["year"] is None or not (
                    out["starts_on"].year <= out["year"] <= out["ends_on"].year
                ):
                    errors.setdefault("year", []).append(
                        _("The year must be a year of the training's dates.")
                    )
    if errors:
        raise ValidationError(errors)
    out["route"] = out["training_type"].route
    return out


def _place(record_: DevelopmentRecord, employee: Employee) -> None:
    """Copy where the person stands today."""
    record_.unit_id = employee.unit_id
    record_.agency_id = employee.unit.agency_id or employee.unit_id
    record_.position_id = employee.position_id


@transaction.atomic
def development_record_create(
    *,
    actor: Any,
    scope: Scope,
    employee: Employee,
    data: dict[str, Any],
    source: str = RecordSource.ENTERED,
) -> DevelopmentRecord:
    """Enter other training of ``employee`` (``source`` entered or imported)."""
    if not may_enter(scope, employee):
        raise PermissionDenied(_("You may not keep this employee's development hours."))
    if source not in EDITABLE_SOURCES:
        raise ValidationError({"source": _("Records of events and mentoring come from there.")})
    fields = clean_record(data)
    created = DevelopmentRecord(
        instansi_id=employee.instansi_id,
        employee=employee,
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    _place(created, employee)
    created.save()
    record(
        actor=actor,
        action="training.development_record.create",
        target=created,
        changes=diff({}, _snapshot(created)),
    )
    return created


def _editable(scope: Scope, record_: DevelopmentRecord) -> DevelopmentRecord:
    locked = DevelopmentRecord.objects.select_for_update().select_related("employee__unit")
    locked = locked.get(pk=record_.pk)
    if not may_enter(scope, locked.employee):
        raise PermissionDenied(_("You may not keep this employee's development hours."))
    if locked.source not in EDITABLE_SOURCES:
        raise ValidationError(
            {"source": _("This record comes from an event or mentoring: change it there.")}
        )
    return locked


@transaction.atomic
def development_record_update(
    *, actor: Any, scope: Scope, record_: DevelopmentRecord, data: dict[str, Any]
) -> DevelopmentRecord:
    """Change an entered or imported record; fields left out of ``data`` keep their value.
    The quantity is converted again under the rules in force on its (new) first day."""
    locked = _editable(scope, record_)
    before = _snapshot(locked)
    merged = {
        "training_type": locked.training_type,
        "title": locked.title,
        "organiser": locked.organiser,
        "starts_on": locked.starts_on,
        "ends_on": locked.ends_on,
        "quantity": locked.quantity,
        "quantity_unit": locked.quantity_unit,
        "certificate_number": locked.certificate_number,
        **data,
    }
    if "year" not in data and not ({"starts_on", "ends_on"} & set(data)):
        merged["year"] = locked.year
    fields = clean_record(merged)
    for name, value in fields.items():
        setattr(locked, name, value)
    changes = diff(before, _snapshot(locked))
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    record(
        actor=actor,
        action="training.development_record.update",
        target=locked,
        changes=changes,
    )
    return locked


@transaction.atomic
def development_record_delete(
    *, actor: Any, scope: Scope, record_: DevelopmentRecord, reason: str = ""
) -> None:
    """Remove an entered or imported record (audited with what it held)."""
    locked = _editable(scope, record_)
    before = _snapshot(locked)
    record(
        actor=actor,
        action="training.development_record.delete",
        target=locked,
        changes=diff(before, {}),
        reason=_text(reason, "reason", 1000),
    )
    locked.delete()


@transaction.atomic
def record_from_event(participant: Participant, *, actor: Any = None) -> DevelopmentRecord | None:
    """The participant's record of the event: the lesson hours of their attendance rows
    (`Attendance.jp`, time present only), under the event's training type and dates.

    Idempotent: one record per enrolment, created on the first call, brought up to date on a
    later one (a corrected attendance), left alone when nothing changed. A withdrawn enrolment,
    or one with no lesson hours and no record yet, gives no record (None)."""
    participant = Participant.objects.select_related(
        "event__training_type", "event__organiser_unit", "employee"
    ).get(pk=participant.pk)
    event = participant.event
    jp = Attendance.objects.filter(participant=participant).aggregate(total=Sum("jp"))["total"]
    jp = (jp or Decimal("0")).quantize(Decimal("0.01"))
    existing = DevelopmentRecord.objects.select_for_update().filter(participant=participant).first()
    if participant.status == ParticipantStatus.WITHDRAWN or (existing is None and jp <= 0):
        return existing
    rules = rules_on(event.starts_on)
    fields = {
        "year": event.ends_on.year,
        "training_type": event.training_type,
        "route": event.training_type.route,
        "title": event.title[:250],
        "organiser": (event.organiser_unit.name if event.organiser_unit_id else "")[:250],
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "quantity": jp,
        "quantity_unit": JP,
        "hours": jp,
        "conversion_version": rules.valid_from,
    }
    if existing is not None:
        before = _snapshot(existing)
        for name, value in fields.items():
            setattr(existing, name, value)
        changes = diff(before, _snapshot(existing))
        if not changes:
            return existing
        existing.version += 1
        existing.save()
        record(
            actor=actor,
            action="training.development_record.update",
            target=existing,
            changes=changes,
        )
        return existing
    created = DevelopmentRecord(
        instansi_id=participant.instansi_id,
        employee=participant.employee,
        participant=participant,
        source=RecordSource.EVENT,
        # Read from where the person was enrolled.
        unit_id=participant.unit_id,
        agency_id=participant.agency_id,
        position_id=participant.position_id,
        **fields,
    )
    created.save()
    record(
        actor=actor,
        action="training.development_record.create",
        target=created,
        changes=diff({}, _snapshot(created)),
    )
    return created


@transaction.atomic
def record_mentoring(
    employee: Employee,
    date: dt.date,
    sessions: int | Decimal,
    *,
    actor: Any = None,
    title: str = "",
    organiser: str = "",
) -> DevelopmentRecord:
    """Record ``sessions`` mentoring sessions of ``employee`` held on ``date`` (the follow-up
    year of an action plan), converted by the rules in force that day (2 JP a session by
    default)."""
    mentoring = TrainingType.objects.filter(code="mentoring").first()
    if mentoring is None:
        raise ValidationError({"training_type": _("The training type mentoring is missing.")})
    fields = clean_record(
        {
            "training_type": mentoring,
            "title": title or _("Mentoring"),
            "organiser": organiser,
            "starts_on": date,
            "ends_on": date,
            "quantity": sessions,
            "quantity_unit": "mentoring_session",
        }
    )
    created = DevelopmentRecord(
        instansi_id=employee.instansi_id,
        employee=employee,
        source=RecordSource.MENTORING,
        **fields,
    )
    _place(created, employee)
    created.save()
    record(
        actor=actor,
        action="training.development_record.create",
        target=created,
        changes=diff({}, _snapshot(created)),
    )
    return created
