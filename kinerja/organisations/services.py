"""Every write to the organisation registry that carries a rule; each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, F, Max, Q, Value
from django.db.models.functions import Concat, Left, Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core import paths
from kinerja.core.scope import Action, Scope

from .choices import ActingKind, EmployeeStatus, UnitKind, grade_status
from .display import grade_text
from .models import (
    SORT_KEY_LENGTH,
    ActingAssignment,
    Assignment,
    Employee,
    Instansi,
    OrgUnit,
    Position,
    ReportingLine,
)
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
    today = timezone.localdate()
    position.valid_from = position.valid_from or today
    _sync_active(position, today)
    position.full_clean()
    if position.reports_to_id:
        _check_line(position, position.reports_to, today)
    position.save()
    if position.reports_to_id:
        _set_line(position, position.reports_to, today)
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
    today = timezone.localdate()
    _sync_active(position, today)
    position.full_clean()
    line_changed = position.reports_to_id != before["reports_to"]
    if line_changed and position.reports_to_id:
        _check_line(position, position.reports_to, today)
    if position.unit_id != before["unit"]:
        _check_unit_move(position, today, keep_own=not line_changed)
    position.save()
    if line_changed:
        _set_line(position, position.reports_to, today)
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
    check_head_post_free(employee)
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
    if moved or (employee.is_active and not before["is_active"]):
        check_head_post_free(employee)
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
    """Close the open assignment on the day before ``on`` (its last day, as every dated row
    ends) and open the new post from ``on``. A placement that began on ``on`` itself never
    held a day of its own: it is corrected in place (the employee's audit event keeps what it
    was)."""
    open_ = Assignment.objects.filter(employee=employee, valid_to__isnull=True).first()
    if open_ is not None:
        if on < open_.valid_from:
            raise ValidationError(_("A transfer cannot take effect before the current post began."))
        if on == open_.valid_from:
            open_.position, open_.unit = employee.position, employee.unit
            open_.save(update_fields=["position", "unit", "updated_at"])
            return
        open_.valid_to = on - dt.timedelta(days=1)
        open_.save(update_fields=["valid_to", "updated_at"])
    Assignment.objects.create(
        instansi_id=employee.instansi_id,
        employee=employee,
        position=employee.position,
        unit=employee.unit,
        valid_from=on,
    )


# Reporting lines, acting officials and head posts --------------------------------------------


def _sync_active(position: Position, today: dt.date) -> None:
    """Keep a post's dated life and its ``is_active`` flag (today's value) in step."""
    if not position.is_active and position.valid_to is None:
        position.valid_to = max(today, position.valid_from or today)
    elif position.is_active and position.valid_to is not None and position.valid_to < today:
        position.valid_to = None


def _check_line(position: Position, reports_to: Position, on: dt.date) -> None:
    """Refuse a line to a post outside the unit's ancestry, to a closed post, or in a loop."""
    from . import selectors

    if reports_to.pk == position.pk:
        raise ValidationError({"reports_to": _("A position cannot report to itself.")})
    if reports_to.instansi_id != position.instansi_id:
        raise ValidationError(
            {"reports_to": _("%(obj)s belongs to another instansi.") % {"obj": reports_to}}
        )
    if not position.unit.path.startswith(reports_to.unit.path):
        raise ValidationError(
            {
                "reports_to": _(
                    "%(post)s is in %(unit)s, which is neither this post's unit nor a unit "
                    "above it. A post reports to a post in its own unit or a unit above it."
                )
                % {"post": reports_to.title, "unit": reports_to.unit.name}
            }
        )
    if not Position.objects.active_on(on).filter(pk=reports_to.pk).exists():
        raise ValidationError(
            {"reports_to": _("%(post)s is not active on that date.") % {"post": reports_to.title}}
        )
    if position.pk is None:
        return
    for day in (on, selectors.FAR_FUTURE):
        lines = selectors.lines_up([reports_to.pk], day)
        post, seen = reports_to.pk, set()
        while post is not None and post not in seen:
            if post == position.pk:
                raise ValidationError(
                    {
                        "reports_to": _(
                            "%(post)s already reports, directly or not, to this post: the line "
                            "would make a loop."
                        )
                        % {"post": reports_to.title}
                    }
                )
            seen.add(post)
            post = lines.get(post)


LISTED_POSTS = 3  # posts a message names before it says "and N more"


def _names(titles: list[str]) -> str:
    shown = ", ".join(titles[:LISTED_POSTS])
    if len(titles) > LISTED_POSTS:
        shown += " " + _("and %(n)d more") % {"n": len(titles) - LISTED_POSTS}
    return shown


def _check_unit_move(position: Position, today: dt.date, *, keep_own: bool) -> None:
    """Refuse moving ``position`` (already given its new unit) to a unit where its lines from
    ``today`` on would break the rule: the post it reports to must stay in its unit or above,
    and the posts reporting to it must stay in its new unit or below. ``keep_own``: its own
    lines stay (no new line is set in the same change)."""
    path, unit = position.unit.path, position.unit
    if keep_own:
        bosses = (
            ReportingLine.objects.filter(position_id=position.pk)
            .filter(_open_on(today))
            .select_related("reports_to__unit")
            .order_by("valid_from")
        )
        for line in bosses:
            boss = line.reports_to
            if not path.startswith(boss.unit.path):
                raise ValidationError(
                    {
                        "unit": _(
                            "This post reports to %(post)s in %(unit)s, which is not above "
                            "%(new)s. A post reports to a post in its own unit or a unit above "
                            "it: change its reporting line first."
                        )
                        % {"post": boss.title, "unit": boss.unit.name, "new": unit.name}
                    }
                )
    below = (
        ReportingLine.objects.filter(reports_to_id=position.pk)
        .filter(_open_on(today))
        .select_related("position__unit")
        .order_by("position__title", "position_id")
    )
    outside = sorted(
        {line.position.title for line in below if not line.position.unit.path.startswith(path)}
    )
    if outside:
        raise ValidationError(
            {
                "unit": _(
                    "%(posts)s report to this post but would no longer be in %(new)s or a unit "
                    "below it. Change their reporting lines first."
                )
                % {"posts": _names(outside), "new": unit.name}
            }
        )


def _set_line(position: Position, reports_to: Position | None, on: dt.date) -> list[int]:
    """Make ``position`` report to ``reports_to`` from ``on`` (None: to nobody) and return the
    ids of the lines it replaced. Keeps ``Position.reports_to`` as today's line."""
    lines = ReportingLine.objects.filter(position=position)
    replaced = list(lines.filter(valid_from__gte=on).values_list("pk", flat=True))
    lines.filter(pk__in=replaced).delete()
    lines.filter(valid_from__lt=on).filter(_open_on(on)).update(
        valid_to=on - dt.timedelta(days=1), updated_at=timezone.now()
    )
    if reports_to is not None:
        ReportingLine.objects.create(
            instansi_id=position.instansi_id,
            position=position,
            reports_to=reports_to,
            valid_from=on,
        )
    today = timezone.localdate()
    current = (
        ReportingLine.objects.active_on(today)
        .filter(position=position)
        .order_by("-valid_from")
        .values_list("reports_to_id", flat=True)
        .first()
    )
    if current != position.reports_to_id:
        Position.objects.filter(pk=position.pk).update(reports_to_id=current)
        position.reports_to_id = current
    return replaced


def _open_on(on: dt.date) -> Q:
    """Rows of a dated model that still run on ``on`` (or later)."""
    return Q(valid_to__isnull=True) | Q(valid_to__gte=on)


def sync_lines(instansi_id: int, position_ids, on: dt.date) -> None:
    """Bring the dated lines and lives of posts written in bulk (the position importer) in step
    with their ``reports_to`` and ``is_active``, from ``on``. The importer audits the posts."""
    ids = sorted(set(position_ids))
    if not ids:
        return
    rows = list(
        Position.objects.filter(instansi_id=instansi_id, pk__in=ids).values_list(
            "pk", "reports_to_id", "is_active", "valid_from", "valid_to"
        )
    )
    open_lines = {
        pos: (pk, boss, start)
        for pk, pos, boss, start in ReportingLine.objects.filter(
            position_id__in=ids, valid_to__isnull=True
        ).values_list("pk", "position_id", "reports_to_id", "valid_from")
    }
    drop, close, new = [], [], []
    for pk, boss, is_active, valid_from, valid_to in rows:
        if not is_active and valid_to is None:
            Position.objects.filter(pk=pk).update(valid_to=max(on, valid_from or on))
        elif is_active and valid_to is not None and valid_to < on:
            Position.objects.filter(pk=pk).update(valid_to=None)
        line = open_lines.get(pk)
        if (line[1] if line else None) == boss:
            continue
        if line is not None:
            (drop if line[2] >= on else close).append(line[0])
        if boss is not None:
            new.append(
                ReportingLine(
                    instansi_id=instansi_id, position_id=pk, reports_to_id=boss, valid_from=on
                )
            )
    ReportingLine.objects.filter(pk__in=drop).delete()
    ReportingLine.objects.filter(pk__in=close).update(
        valid_to=on - dt.timedelta(days=1), updated_at=timezone.now()
    )
    ReportingLine.objects.bulk_create(new, batch_size=2000)


SYNC_BATCH = 2000  # posts compared and written at a time by reporting_lines_sync
# The days a line or an acting assignment may start or end on: wide enough for any record,
# narrow enough that the day before and after always exist.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _check_day(day: dt.date | None, field: str) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            {
                field: _("Give a date from %(first)s to %(last)s.")
                % {"first": date_format(FIRST_DAY), "last": date_format(LAST_DAY)}
            }
        )


@transaction.atomic
def reporting_lines_sync(instansi_id: int, on: dt.date | None = None) -> int:
    """Bring ``Position.reports_to`` (today's line, a cache that scoping and lists read) in step
    with the dated line in force ``on`` (today) for every post of the instansi; return how many
    posts changed. A line set to start on a later day changes nothing until that day comes, so
    this runs daily (``manage.py sync_reporting_lines``). Idempotent: a second run on the same
    day finds nothing to change and writes nothing. Each changed post gets one audit event,
    by the system, in bulk."""
    from kinerja.audit.services import record_many

    on = on or timezone.localdate()
    lines = dict(
        ReportingLine.objects.filter(instansi_id=instansi_id)
        .active_on(on)
        .order_by("valid_from", "pk")
        .values_list("position_id", "reports_to_id")
    )
    changed: list[tuple[int, int | None, int | None, str, int, str]] = []
    posts = (
        Position.objects.filter(instansi_id=instansi_id)
        .order_by("pk")
        .values_list("pk", "reports_to_id", "title", "unit_id", "unit__path")
    )
    for pk, cached, title, unit_id, path in posts.iterator(chunk_size=SYNC_BATCH):
        line = lines.get(pk)
        if line != cached:
            changed.append((pk, cached, line, title, unit_id, path))
    if not changed:
        return 0
    now = timezone.now()
    for start in range(0, len(changed), SYNC_BATCH):
        Position.objects.bulk_update(
            [
                Position(pk=pk, reports_to_id=line, updated_at=now)
                for pk, _old, line, _t, _u, _p in changed[start : start + SYNC_BATCH]
            ],
            ["reports_to", "updated_at"],
            batch_size=500,
        )
    record_many(
        actor=None,
        action="position.reporting_line_sync",
        instansi_id=instansi_id,
        reason=_("The reporting line in force on %(day)s") % {"day": on.isoformat()},
        entries=(
            {
                "target_type": "organisations.position",
                "target_id": pk,
                "target_repr": title,
                "unit_id": unit_id,
                "unit_path": path,
                "changes": {"reports_to": [old, line]},
            }
            for pk, old, line, title, unit_id, path in changed
        ),
    )
    return len(changed)


@transaction.atomic
def reporting_line_set(
    *,
    actor,
    scope: Scope,
    position: Position,
    reports_to: Position | None,
    valid_from: dt.date,
    reason: str = "",
) -> Position:
    """From ``valid_from``, ``position`` reports to ``reports_to`` (None ends its line).

    The line in force before that day ends the day before; lines planned from that day on are
    replaced. Last year's chain stays readable.
    """
    _require(scope, Action.CHANGE_ORG, position.unit)
    _check_day(valid_from, "valid_from")
    if reports_to is not None:
        _require(scope, Action.CHANGE_ORG, reports_to.unit)
        _check_line(position, reports_to, valid_from)
    before = (
        ReportingLine.objects.active_on(valid_from)
        .filter(position=position)
        .values_list("reports_to_id", flat=True)
        .first()
    )
    replaced = _set_line(position, reports_to, valid_from)
    record(
        actor=actor,
        action="position.reporting_line",
        target=position,
        changes={
            "reports_to": [before, getattr(reports_to, "pk", None)],
            "valid_from": [None, valid_from],
            "replaced_lines": [replaced, []] if replaced else [[], []],
        },
        reason=reason,
    )
    return position


def check_head_post_free(employee: Employee) -> None:
    """Refuse a second definitive holder of a head post; point to the acting route instead."""
    position = employee.position
    if position is None or not position.is_head or not employee.is_active:
        return
    other = (
        Employee.objects.filter(position=position, is_active=True)
        .exclude(pk=employee.pk)
        .order_by("name")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "position": _(
                    "%(post)s is a head post and already has a definitive holder, %(name)s. "
                    "To have someone else lead the unit for a while, appoint them acting "
                    "official (Plt or Plh) of the post instead."
                )
                % {"post": position.title, "name": other.display_name}
            }
        )


def head_post_errors(
    instansi_id: int, placements: list[tuple[int, int | None, int | None]]
) -> list[tuple[int, str]]:
    """The head-post rule for a batch (the employee importer): return (row, message) for each
    placement ``(row, employee id or None for a new one, post id)`` into a head post that has
    another definitive holder, in the database or earlier in the batch. Two queries."""
    wanted = {pos for _row, _pk, pos in placements if pos}
    if not wanted:
        return []
    heads = dict(
        Position.objects.filter(
            instansi_id=instansi_id, pk__in=sorted(wanted), is_head=True
        ).values_list("pk", "title")
    )
    if not heads:
        return []
    moving = {pk for _row, pk, _pos in placements if pk}
    holders: dict[int, tuple[int, str]] = {}
    for pos, pk, name in (
        Employee.objects.filter(position_id__in=sorted(heads), is_active=True)
        .order_by("name")
        .values_list("position_id", "pk", "name")
    ):
        holders.setdefault(pos, (pk, name))
    # Holders that the batch moves elsewhere free their post.
    placed = {pk: pos for _row, pk, pos in placements if pk}
    for pos, (pk, _name) in list(holders.items()):
        if pk in moving and placed.get(pk) != pos:
            del holders[pos]
    errors = []
    for row, pk, pos in placements:
        if pos not in heads:
            continue
        holder = holders.get(pos)
        if holder is not None and holder[0] != pk:
            errors.append(
                (
                    row,
                    _(
                        "%(post)s is a head post and already has a definitive holder, "
                        "%(name)s. To have someone else lead the unit for a while, appoint "
                        "them acting official (Plt or Plh) of the post instead."
                    )
                    % {"post": heads[pos], "name": holder[1]},
                )
            )
        elif holder is None:
            holders[pos] = (pk, _("row %(row)d") % {"row": row})
    return errors


def formation_warning(position: Position | None) -> str | None:
    """Return a warning when ``position`` has more active holders than its formation."""
    if position is None or position.formation is None:
        return None
    count = Employee.objects.filter(position=position, is_active=True).count()
    if count <= position.formation:
        return None
    return _("%(post)s now has %(count)d holders, more than its formation of %(formation)d.") % {
        "post": position.title,
        "count": count,
        "formation": position.formation,
    }


ACTING_FIELDS = ("employee", "position", "kind", "decree_number", "valid_from", "valid_to")


@transaction.atomic
def acting_create(
    *,
    actor,
    scope: Scope,
    employee: Employee,
    position: Position,
    kind: str,
    decree_number: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> ActingAssignment:
    """Appoint ``employee`` acting official (Plt or Plh) of ``position`` for the period.

    In the period the acting official is the superior of the post's reports, even when the post
    has a definitive holder. One acting official per post at a time.
    """
    _require(scope, Action.CHANGE_PEOPLE, position.unit)
    _same_instansi(position.instansi_id, employee)
    if kind not in ActingKind.values:
        raise ValidationError({"kind": _("Choose Plt or Plh.")})
    if not decree_number.strip():
        raise ValidationError({"decree_number": _("Give the number of the decree (SK).")})
    if not employee.is_active:
        raise ValidationError({"employee": _("An inactive employee cannot be acting official.")})
    if employee.position_id == position.pk:
        raise ValidationError(
            {"employee": _("%(name)s already holds this post.") % {"name": employee.display_name}}
        )
    _check_day(valid_from, "valid_from")
    _check_day(valid_to, "valid_to")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("An acting assignment cannot end before it starts.")})
    if not Position.objects.active_on(valid_from).filter(pk=position.pk).exists():
        raise ValidationError(
            {"position": _("%(post)s is not active on that date.") % {"post": position.title}}
        )
    _check_acting_clash(position, valid_from, valid_to)
    acting = ActingAssignment(
        instansi_id=position.instansi_id,
        employee=employee,
        position=position,
        kind=kind,
        decree_number=decree_number.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    acting.full_clean()
    acting.save()
    record(
        actor=actor,
        action="acting.create",
        target=acting,
        unit=position.unit,
        changes=diff({}, _snapshot(acting, ACTING_FIELDS)),
        reason=reason,
    )
    return acting


def _check_acting_clash(
    position: Position, valid_from: dt.date, valid_to: dt.date | None, exclude: int | None = None
) -> None:
    """Refuse a second acting official of ``position`` in the period (one at a time)."""
    end = valid_to or dt.date.max
    clash = (
        ActingAssignment.objects.filter(position=position, valid_from__lte=end)
        .filter(_open_on(valid_from))
        .exclude(pk=exclude)
        .select_related("employee")
        .order_by("valid_from", "pk")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "%(name)s is already %(kind)s of this post from %(start)s; end that assignment "
                "first."
            )
            % {
                "name": clash.employee.display_name,
                "kind": clash.get_kind_display(),
                "start": date_format(clash.valid_from),
            }
        )


@transaction.atomic
def acting_end(
    *, actor, scope: Scope, acting: ActingAssignment, on: dt.date, reason: str = ""
) -> ActingAssignment:
    """End an acting assignment on ``on`` (its last day)."""
    _require(scope, Action.CHANGE_PEOPLE, acting.position.unit)
    _check_day(on, "valid_to")
    if on < acting.valid_from:
        raise ValidationError({"valid_to": _("An acting assignment cannot end before it starts.")})
    if acting.valid_to is not None and on > acting.valid_to:
        # Moving the end later must not run into the next acting official of the post.
        _check_acting_clash(acting.position, acting.valid_from, on, exclude=acting.pk)
    before = acting.valid_to
    acting.valid_to = on
    acting.save(update_fields=["valid_to", "updated_at"])
    record(
        actor=actor,
        action="acting.end",
        target=acting,
        unit=acting.position.unit,
        changes={"valid_to": [before, on]},
        reason=reason,
    )
    return acting
