"""Every write to the organisation registry that carries a rule; each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Max, Value
from django.db.models.functions import Concat, Left, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core import paths
from kinerja.core.scope import Action, Scope

from .choices import EmployeeStatus, UnitKind, grade_status
from .display import grade_text
from .models import SORT_KEY_LENGTH, Assignment, Employee, Instansi, OrgUnit, Position
from .validators import parse_nip

UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "region",
    "duties",
    "valid_from",
    "valid_to",
)
POSITION_FIELDS = (
    "unit",
    "code",
    "title",
    "kind",
    "eselon",
    "is_head",
    "reports_to",
    "duties",
    "is_active",
)
EMPLOYEE_FIELDS = (
    "nip",
    "name",
    "front_title",
    "back_title",
    "status",
    "sex",
    "birth_date",
    "grade",
    "grade_tmt",
    "email",
    "unit",
    "position",
    "is_active",
)


def _snapshot(obj, fields) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, f"{name}_id", None) if _is_fk(obj, name) else getattr(obj, name)
        out[name] = value
    return out


def _is_fk(obj, name: str) -> bool:
    return obj._meta.get_field(name).is_relation


def _require(scope: Scope, action: str, unit: OrgUnit | None) -> None:
    """Raise PermissionDenied unless ``action`` is granted on ``unit``.

    With no unit (a new agency at the top of the tree) only an instansi-wide grant will do.
    """
    allowed = scope.can(action, unit.path) if unit is not None else scope.paths_for(action) is None
    if not allowed:
        raise PermissionDenied(_("You may not change data of this unit."))


def _same_instansi(instansi_id: int, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.instansi_id != instansi_id:
            raise ValidationError(_("%(obj)s belongs to another instansi.") % {"obj": obj})


def unit_path(unit: OrgUnit) -> str:
    """Return the materialised path of ``unit`` from its parent's path and its own key."""
    return paths.child(unit.parent.path if unit.parent_id else "", unit.pk)


def _check_depth(deepest: int) -> None:
    """Refuse a tree deeper than its paths can hold (``deepest`` counts from 0 at an agency)."""
    if deepest >= paths.MAX_DEPTH:
        raise ValidationError(
            {
                "parent": _("The unit tree cannot be deeper than %(n)d levels.")
                % {"n": paths.MAX_DEPTH}
            }
        )


SORT_CODE_CHARS = 24  # characters of a code that count in its sort key segment


def sort_segment(kind: str, code: str) -> str:
    """Return one level of a unit's sort key: the kind's rank, then the code, then ``00``.

    Digits only, so every database collation orders it the same way: two digits for the rank
    in the official order (UnitKind), two per character of the upper-cased code (its ASCII
    value less 32: every code character gives 13 or more) and ``00`` as the end, which sorts
    below any character, so a code that is the start of another sorts first and a unit's
    subtree stays together.
    """
    chars = "".join(f"{ord(c) - 32:02d}" for c in code.upper()[:SORT_CODE_CHARS])
    return f"{UnitKind.sort_rank(kind):02d}{chars}00"


def unit_sort_key(unit: OrgUnit, parent_key: str | None = None) -> str:
    """Return the sort key of ``unit``: its parent's key and its own segment.

    Ordering by it lists the tree depth-first with the siblings in the official order (kind),
    then by code: Sekretariat Daerah before Sekretariat DPRD, Inspektorat, Dinas, Badan, ...
    """
    if parent_key is None:
        parent_key = unit.parent.sort_key if unit.parent_id else ""
    return f"{parent_key}{sort_segment(unit.kind, unit.code)}"[:SORT_KEY_LENGTH]


def resort_subtree(unit: OrgUnit) -> None:
    """Bring the sort keys of ``unit`` and its subtree up to date (after its kind changed).

    One UPDATE: every key in the subtree starts with the unit's old key, which is replaced.
    """
    unit = OrgUnit.objects.select_related("parent").get(pk=unit.pk)
    old, new = unit.sort_key, unit_sort_key(unit)
    if old == new:
        return
    OrgUnit.objects.filter(instansi_id=unit.instansi_id, path__startswith=unit.path).update(
        sort_key=Left(
            Concat(Value(new), Substr("sort_key", len(old) + 1), output_field=CharField()),
            SORT_KEY_LENGTH,
        )
    )


def _place(unit: OrgUnit) -> None:
    unit.depth = unit.parent.depth + 1 if unit.parent_id else 0
    _check_depth(unit.depth)
    unit.path = unit_path(unit)
    unit.agency_id = unit.parent.agency_id if unit.parent_id else unit.pk
    unit.sort_key = unit_sort_key(unit)
    OrgUnit.objects.filter(pk=unit.pk).update(
        path=unit.path, depth=unit.depth, agency_id=unit.agency_id, sort_key=unit.sort_key
    )


@transaction.atomic
def unit_create(*, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]) -> OrgUnit:
    """Create a unit under ``data['parent']`` (or an agency at the top) and audit it."""
    parent = data.get("parent")
    _require(scope, Action.CHANGE_ORG, parent)
    _same_instansi(instansi.pk, parent)
    unit = OrgUnit(instansi=instansi, **{k: v for k, v in data.items() if k in UNIT_FIELDS})
    unit.valid_from = unit.valid_from or timezone.localdate()
    unit.full_clean(exclude=["path", "agency"])
    unit.save()
    _place(unit)
    record(
        actor=actor,
        action="unit.create",
        target=unit,
        changes=diff({}, _snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(
    *, actor, scope: Scope, unit: OrgUnit, data: dict[str, Any], reason: str = ""
) -> OrgUnit:
    """Change a unit; moving it under another parent moves its whole subtree."""
    _require(scope, Action.CHANGE_ORG, unit)
    before = _snapshot(unit, UNIT_FIELDS)
    old_path, old_depth, old_key = unit.path, unit.depth, unit.sort_key
    for key, value in data.items():
        if key in UNIT_FIELDS:
            setattr(unit, key, value)
    new_parent = unit.parent
    if new_parent is not None:
        _require(scope, Action.CHANGE_ORG, new_parent)
        _same_instansi(unit.instansi_id, new_parent)
        if new_parent.path.startswith(old_path):
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
    elif before["parent"] is not None:
        _require(scope, Action.CHANGE_ORG, None)  # becoming an agency needs an instansi-wide grant
    unit.full_clean(exclude=["path", "agency"])
    moving = unit_path(unit) != old_path
    if moving:
        below = OrgUnit.objects.filter(instansi_id=unit.instansi_id, path__startswith=old_path)
        height = below.aggregate(deepest=Max("depth"))["deepest"] - old_depth
        _check_depth((new_parent.depth + 1 if new_parent else 0) + height)
    unit.save()
    if moving or unit_sort_key(unit) != old_key:
        _move_subtree(unit, old_path, old_depth, old_key)
    record(
        actor=actor,
        action="unit.update",
        target=unit,
        changes=diff(before, _snapshot(unit, UNIT_FIELDS)),
        reason=reason,
    )
    return unit


def _move_subtree(unit: OrgUnit, old_path: str, old_depth: int, old_key: str) -> None:
    """Re-place ``unit`` and its whole subtree in one statement: each path's old prefix becomes
    the new one, depths shift by the same amount, every unit takes the agency of its new place
    (the unit itself, when it becomes an agency), and each sort key's old prefix becomes the
    unit's new key (after a move or a change of kind or code)."""
    new_path = unit_path(unit)
    unit.depth = unit.parent.depth + 1 if unit.parent_id else 0
    unit.agency_id = unit.parent.agency_id if unit.parent_id else unit.pk
    unit.path = new_path
    unit.sort_key = unit_sort_key(unit)
    OrgUnit.objects.filter(instansi_id=unit.instansi_id, path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (unit.depth - old_depth),
        agency_id=unit.agency_id,
        sort_key=Left(
            Concat(
                Value(unit.sort_key),
                Substr("sort_key", len(old_key) + 1),
                output_field=CharField(),
            ),
            SORT_KEY_LENGTH,
        ),
    )


@transaction.atomic
def unit_close(
    *,
    actor,
    scope: Scope,
    unit: OrgUnit,
    on: dt.date,
    successor: OrgUnit | None = None,
    reason: str,
) -> OrgUnit:
    """Close a unit on a date (merged, renamed or dissolved); the successor keeps its history."""
    _require(scope, Action.CHANGE_ORG, unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the unit.")})
    if on < unit.valid_from:
        raise ValidationError({"valid_to": _("A unit cannot close before it opened.")})
    if unit.employees.filter(is_active=True).exists():
        raise ValidationError(_("Move the unit's employees before closing it."))
    unit.valid_to = on
    unit.save(update_fields=["valid_to", "updated_at"])
    if successor is not None:
        _require(scope, Action.CHANGE_ORG, successor)
        _same_instansi(unit.instansi_id, successor)
        successor.predecessors.add(unit)
    record(
        actor=actor,
        action="unit.close",
        target=unit,
        reason=reason,
        changes={"valid_to": [None, on], "successor": [None, getattr(successor, "pk", None)]},
    )
    return unit


@transaction.atomic
def position_create(*, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]) -> Position:
    position = Position(
        instansi=instansi, **{k: v for k, v in data.items() if k in POSITION_FIELDS}
    )
    _require(scope, Action.CHANGE_ORG, position.unit)
    _same_instansi(instansi.pk, position.unit, position.reports_to)
    position.full_clean()
    position.save()
    record(
        actor=actor,
        action="position.create",
        target=position,
        changes=diff({}, _snapshot(position, POSITION_FIELDS)),
    )
    return position


@transaction.atomic
def position_update(*, actor, scope: Scope, position: Position, data: dict[str, Any]) -> Position:
    _require(scope, Action.CHANGE_ORG, position.unit)
    before = _snapshot(position, POSITION_FIELDS)
    for key, value in data.items():
        if key in POSITION_FIELDS:
            setattr(position, key, value)
    _require(scope, Action.CHANGE_ORG, position.unit)
    _same_instansi(position.instansi_id, position.unit, position.reports_to)
    if position.reports_to_id == position.pk:
        raise ValidationError({"reports_to": _("A position cannot report to itself.")})
    position.full_clean()
    position.save()
    record(
        actor=actor,
        action="position.update",
        target=position,
        changes=diff(before, _snapshot(position, POSITION_FIELDS)),
    )
    return position


def clean_employee(employee: Employee) -> None:
    """Apply the multi-field employee rules (status and NIP, NIP and birth date and sex)."""
    errors: dict[str, str] = {}
    if employee.status == EmployeeStatus.NON_ASN:
        if employee.nip:
            errors["nip"] = _("Non-ASN staff have no NIP.")
        employee.nip = None
    elif not employee.nip:
        errors["nip"] = _("A PNS or PPPK employee needs an 18-digit NIP.")
    else:
        try:
            parts = parse_nip(employee.nip, pppk=employee.status == EmployeeStatus.PPPK)
        except ValidationError as exc:
            errors["nip"] = exc.messages[0]
        else:
            if employee.birth_date and employee.birth_date != parts.birth_date:
                errors["birth_date"] = _("The birth date does not match the NIP.")
            if employee.sex and employee.sex != parts.sex:
                errors["sex"] = _("The sex does not match the NIP.")
            employee.birth_date = parts.birth_date
            employee.sex = parts.sex
    if employee.position_id and employee.position.unit_id != employee.unit_id:
        errors["position"] = _("The position belongs to another unit.")
    grade_error = check_grade(employee.status, employee.grade)
    if grade_error:
        errors["grade"] = grade_error
    elif getattr(employee, "grade_tmt", None) and not employee.grade:
        errors["grade_tmt"] = _("Give the grade this date belongs to.")
    if errors:
        raise ValidationError(errors)


def check_grade(status: str, grade: str) -> str | None:
    """Return why ``grade`` does not fit ``status`` (a message), or None when it does.

    PNS hold the grades I/a to IV/e, PPPK the grades I to XVII, non-ASN staff none.
    """
    if not grade:
        return None
    owner = grade_status(grade)
    if owner is None:
        return _("%(grade)s is not a known grade.") % {"grade": grade}
    if status == EmployeeStatus.NON_ASN:
        return _("Non-ASN staff have no grade (golongan).")
    if owner != status:
        if status == EmployeeStatus.PPPK:
            return _(
                "%(grade)s is a PNS grade; a PPPK employee holds a PPPK grade (I to XVII)."
            ) % {"grade": grade}
        return _("%(grade)s is a PPPK grade; a PNS holds a PNS grade (I/a to IV/e).") % {
            "grade": grade
        }
    return None


def grade_label(code: str) -> str:
    """Return a grade as people read it: "III/a Penata Muda", "IX"; an unknown code as is."""
    return grade_text(code)


@transaction.atomic
def employee_create(
    *,
    actor,
    scope: Scope,
    instansi: Instansi,
    data: dict[str, Any],
    valid_from: dt.date | None = None,
) -> Employee:
    """Create an employee in a unit (and position), opening their first assignment on
    ``valid_from`` (today when left out)."""
    employee = Employee(
        instansi=instansi, **{k: v for k, v in data.items() if k in EMPLOYEE_FIELDS}
    )
    if employee.unit_id is None and employee.position_id:
        employee.unit_id = employee.position.unit_id
    _require(scope, Action.CHANGE_PEOPLE, employee.unit if employee.unit_id else None)
    _same_instansi(instansi.pk, employee.unit if employee.unit_id else None, employee.position)
    clean_employee(employee)
    employee.full_clean()
    employee.save()
    Assignment.objects.create(
        instansi=instansi,
        employee=employee,
        position=employee.position,
        unit=employee.unit,
        valid_from=valid_from or timezone.localdate(),
    )
    record(
        actor=actor,
        action="employee.create",
        target=employee,
        changes=diff({}, _snapshot(employee, EMPLOYEE_FIELDS)),
    )
    return employee


@transaction.atomic
def employee_update(
    *,
    actor,
    scope: Scope,
    employee: Employee,
    data: dict[str, Any],
    reason: str = "",
    effective: dt.date | None = None,
) -> Employee:
    """Change an employee; a new unit or position closes the open assignment and opens another.

    A transfer needs the right to change people both in the old and in the new unit.
    """
    _require(scope, Action.CHANGE_PEOPLE, employee.unit)
    before = _snapshot(employee, EMPLOYEE_FIELDS)
    for key, value in data.items():
        if key in EMPLOYEE_FIELDS:
            setattr(employee, key, value)
    if employee.position_id and "unit" not in data:
        employee.unit_id = employee.position.unit_id
    moved = (before["unit"], before["position"]) != (employee.unit_id, employee.position_id)
    if moved:
        _require(scope, Action.CHANGE_PEOPLE, OrgUnit.objects.get(pk=employee.unit_id))
    _same_instansi(employee.instansi_id, employee.unit, employee.position)
    clean_employee(employee)
    employee.full_clean()
    employee.save()
    if moved:
        _reassign(employee, effective or timezone.localdate())
    changes = diff(before, _snapshot(employee, EMPLOYEE_FIELDS))
    if changes:
        record(
            actor=actor, action="employee.update", target=employee, changes=changes, reason=reason
        )
    return employee


def _reassign(employee: Employee, on: dt.date) -> None:
    open_ = Assignment.objects.filter(employee=employee, valid_to__isnull=True).first()
    if open_ is not None:
        if on < open_.valid_from:
            raise ValidationError(_("A transfer cannot take effect before the current post began."))
        open_.valid_to = on
        open_.save(update_fields=["valid_to", "updated_at"])
    Assignment.objects.create(
        instansi_id=employee.instansi_id,
        employee=employee,
        position=employee.position,
        unit=employee.unit,
        valid_from=on,
    )
