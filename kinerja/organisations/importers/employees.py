"""The employee importer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.audit.sealing import CreationText
from kinerja.core.bulk import RawJSON, insert_rows, max_query_params
from kinerja.imports import Column, ImportContext, RowError, register
from kinerja.imports.columns import as_text, date, for_field, readonly

from .. import services
from ..choices import EmployeeStatus, Sex
from ..models import Assignment, Employee, OrgUnit, Position
from ..validators import normalise_nip, parse_nip
from .common import (
    _audit_name,
    _bulk_update,
    _changed,
    _chunks,
    _fold,
    _nip_elsewhere,
    _RegistryImporter,
    _units_in_scope,
    _unknown_position,
    _unknown_unit,
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
    "unit_id",
    "position_id",
    "is_active",
)
_OPTIONAL = ("front_title", "back_title", "sex", "birth_date", "grade", "grade_tmt", "email")
_EMPLOYEE_BLANK = {
    "front_title": "",
    "back_title": "",
    "sex": "",
    "birth_date": None,
    "grade": "",
    "grade_tmt": None,
    "email": "",
}
# Where the columns after EMPLOYEE_FIELDS stand in a preloaded employee row.
_ID, _INSTANSI, _PATH = len(EMPLOYEE_FIELDS), len(EMPLOYEE_FIELDS) + 1, len(EMPLOYEE_FIELDS) + 2
_UNIT = EMPLOYEE_FIELDS.index("unit_id")
_AMBIGUOUS = object()


@dataclass(slots=True)
class PositionRef:
    """A position as `services.clean_employee` reads it: its key and its unit."""

    id: int
    unit_id: int


@dataclass(slots=True)
class EmployeeDraft:
    """The employee a row describes: the fields `services.clean_employee` reads and sets, and
    those `write` inserts. A fraction of the cost of a model instance, at 80,000 rows a second
    or two."""

    nip: str | None
    name: str
    front_title: str
    back_title: str
    status: str
    sex: str
    birth_date: dt.date | None
    grade: str
    grade_tmt: dt.date | None
    email: str
    unit_id: int | None
    position_id: int | None
    position: PositionRef | None
    is_active: bool


def _nip(cell: Any) -> str:
    """Return a NIP typed as text; a number cell has lost digits to Excel's 15-digit limit."""
    if cell.__class__ is not str:
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise ValidationError(
                _(
                    "Type the NIP as text: Excel rounds numbers longer than "
                    "15 digits. Format the column as Text."
                )
            )
        cell = as_text(cell)
    return normalise_nip(cell)


@register
class EmployeeImporter(_RegistryImporter):
    kind = "employees"
    label = gettext_lazy("Employees")
    description = gettext_lazy(
        "Civil servants (PNS, PPPK) matched by NIP, and non-ASN staff matched by name and unit. "
        "A new employee starts an assignment to the unit and position; a changed unit or "
        "position is a transfer on the start date. The employee export has the same columns, "
        "so an exported file can be edited and imported again."
    )
    key = ("nip",)
    columns = (
        Column(
            "nip",
            _nip,
            required=True,
            blank=True,
            label="NIP",
            example="198503142005012001",
            help=gettext_lazy("NIP, 18 digits; empty for non-ASN staff"),
            format=gettext_lazy("18 digits, typed as text"),
        ),
        for_field(Employee, "name", label="Nama", example="Siti Aminah"),
        for_field(Employee, "status", label="Status", example="PNS"),
        for_field(
            OrgUnit,
            "code",
            column="unit_code",
            label="Kode Unit",
            required=True,
            example="DIKBUD-SMA",
            help=gettext_lazy("Code of the unit the employee works in"),
        ),
        readonly(
            "unit_name",
            "Unit",
            help=gettext_lazy("Name of the unit, for reading; the unit code decides"),
        ),
        for_field(
            Position,
            "code",
            column="position_code",
            label="Kode Jabatan",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy(
                "Code of the employee's position; it must be in the unit. Empty: no position"
            ),
        ),
        readonly(
            "position_title",
            "Jabatan",
            help=gettext_lazy("Title of the position, for reading; the position code decides"),
        ),
        for_field(Employee, "front_title", label="Gelar Depan", example=""),
        for_field(Employee, "back_title", label="Gelar Belakang", example="S.Pd."),
        for_field(
            Employee,
            "sex",
            label="Jenis Kelamin",
            example="",
            aliases={"l": "m", "laki-laki": "m", "p": "f", "perempuan": "f"},
            help=gettext_lazy("Sex; for PNS and PPPK it follows from the NIP"),
        ),
        for_field(
            Employee,
            "birth_date",
            label="Tanggal Lahir",
            example="",
            help=gettext_lazy("Birth date; for PNS and PPPK it follows from the NIP"),
        ),
        for_field(
            Employee,
            "grade",
            label="Golongan",
            example="III/a",
            help=gettext_lazy("Grade: PNS I/a to IV/e, PPPK I to XVII"),
        ),
        for_field(Employee, "grade_tmt", label="TMT Golongan", example=""),
        for_field(Employee, "email", label="Email", example=""),
        Column(
            "valid_from",
            date,
            blank=True,
            label="Tanggal Mulai",
            aliases=("start_date",),  # the header of files exported before the rename
            example="",
            help=gettext_lazy(
                "First day in this post, for new staff and transfers (default: today)"
            ),
            format=gettext_lazy("date, YYYY-MM-DD or DD/MM/YYYY"),
        ),
        for_field(
            Employee,
            "is_active",
            label="Aktif",
            required=False,
            blank=False,
            example=gettext_lazy("yes"),
        ),
        readonly("eselon", "Eselon", help=gettext_lazy("Eselon of the position, for reading")),
        readonly("agency_name", "OPD", help=gettext_lazy("Agency (OPD) of the unit, for reading")),
    )
    field_columns = {"position": "position_code", "unit": "unit_code"}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        """Return a valid new employee: a free NIP of a woman, a unit (and a post) in scope."""
        row = super().example_row(ctx)
        birth, sequence = dt.date(1985, 3, 14), 1
        nip = f"{birth:%Y%m%d}2005012{sequence:03d}"
        while ctx is not None and sequence < 999 and Employee.objects.filter(nip=nip).exists():
            sequence += 1
            nip = f"{birth:%Y%m%d}2005012{sequence:03d}"
        row.update(
            nip=nip,
            status=str(EmployeeStatus.PNS.label),
            sex=str(Sex.FEMALE.label),
            birth_date=birth.isoformat(),
        )
        unit = _units_in_scope(ctx).first() if ctx is not None else None
        if unit is not None:
            row.update(unit_code=unit.code, unit_name=unit.name)
            position = (  # not a head post: it has its one definitive holder already
                Position.objects.filter(unit=unit, is_active=True, is_head=False)
                .order_by("code")
                .first()
            )
            if position is not None:
                row.update(position_code=position.code, position_title=position.title)
        return row

    def row_key(self, values: dict[str, Any]) -> Hashable | None:
        if values["nip"]:
            return values["nip"]
        if values["status"] == EmployeeStatus.NON_ASN and values["name"]:
            return (_fold(values["name"]), values["unit_code"].casefold())
        return None

    def duplicate_error(self, row: int, key: Hashable, first_row: int) -> RowError:
        if isinstance(key, str):
            message = _("NIP %(nip)s appears more than once in the file (first in row %(row)d).")
            return RowError(row, "nip", message % {"nip": key, "row": first_row}, value=key)
        return RowError(
            row,
            "name",
            _("This non-ASN employee appears more than once in the file (first in row %(row)d).")
            % {"row": first_row},
        )

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        instansi_id = self.ctx.instansi_id
        self.positions: dict[str, tuple[int, int]] = {}
        self.position_units: dict[int, int] = {}
        for pk, code, unit_id in Position.objects.filter(instansi_id=instansi_id).values_list(
            "id", "code", "unit_id"
        ):
            self.positions[code.lower()] = (pk, unit_id)
            self.position_units[pk] = unit_id
        self._position_refs: dict[str, PositionRef | None] = {}
        nips = sorted({n for n in (_nip_key(c) for c in column("nip")) if n})
        self.by_nip: dict[str, tuple] = {}
        fields = (*EMPLOYEE_FIELDS, "id", "instansi_id", "unit__path")
        for chunk in _chunks(nips, min(5000, max_query_params(connection) - 1)):
            for row in Employee.objects.filter(nip__in=chunk).values_list(*fields):
                self.by_nip[row[0]] = row
        self.non_asn: dict[tuple[str, int], Any] = {}
        for row in Employee.objects.filter(
            instansi_id=instansi_id, status=EmployeeStatus.NON_ASN
        ).values_list(*fields):
            key = (_fold(row[1]), row[_UNIT])
            self.non_asn[key] = _AMBIGUOUS if key in self.non_asn else row
        present = self.ctx.present
        self.present_optional = [c for c in _OPTIONAL if c in present]
        self.position_present = "position_code" in present
        self.active_present = "is_active" in present
        self.creates: list[EmployeeDraft] = []
        self.starts: list[dt.date] = []
        self.created_ids: list[int] = []
        self.updates: list[tuple[Employee, list[str]]] = []
        self.update_before: list[dict[str, Any]] = []
        self.moves: list[tuple[int, Employee, dt.date]] = []
        self.unchanged = 0
        self.placements: list[tuple[int, int | None, int | None]] = []  # the head-post rule

    def _position(self, code: str) -> PositionRef | None:
        """Return the position with ``code`` (any case) if it lies in the caller's scope."""
        key = code.lower()
        try:
            return self._position_refs[key]
        except KeyError:
            pass
        found = self.positions.get(key)
        ref = None
        if found is not None:
            unit = self.units_by_id.get(found[1])
            if unit is not None and self._in_scope(unit.path):
                ref = PositionRef(*found)
        self._position_refs[key] = ref
        return ref

    def check(self, row: int, values: dict[str, Any]) -> None:
        errors: dict[str, list[str]] = {}
        unit = None
        unit_code = values["unit_code"]
        if unit_code is not None:
            unit = self.units.get(unit_code.lower())
            if unit is None or not self._in_scope(unit.path):
                unit = None
                errors["unit_code"] = [_unknown_unit(unit_code)]
            else:
                self.agencies.add(unit.agency_id)
        position = None
        if self.position_present and values["position_code"] is not None:
            position = self._position(values["position_code"])
            if position is None:
                errors["position_code"] = [_unknown_position(values["position_code"])]
        nip, status, name = values["nip"], values["status"], values["name"]
        before = None
        if nip:
            before = self.by_nip.get(nip)
            if before is not None and (
                before[_INSTANSI] != self.ctx.instansi_id or not self._in_scope(before[_PATH])
            ):
                errors["nip"] = [_nip_elsewhere()]
                before = None
        elif status == EmployeeStatus.NON_ASN and unit is not None and name:
            before = self.non_asn.get((_fold(name), unit.id))
            if before is _AMBIGUOUS:
                errors["name"] = [
                    _(
                        "Several non-ASN staff of this unit have this name; change them on "
                        "their own pages."
                    )
                ]
                before = None
        old = dict(zip(EMPLOYEE_FIELDS, before, strict=False)) if before is not None else None
        data = {**old} if old is not None else {**_EMPLOYEE_BLANK, "position_id": None}
        for field in self.present_optional:
            value = values[field]
            data[field] = _EMPLOYEE_BLANK[field] if value is None else value
        if not self.position_present:
            # No position column: the stored post stays, unless the employee leaves its unit.
            kept = data["position_id"]
            if kept is not None and unit is not None and self.position_units.get(kept) == unit.id:
                position = PositionRef(kept, unit.id)
        is_active = values["is_active"] if self.active_present else None
        if is_active is None:
            is_active = old["is_active"] if old is not None else True
        employee = EmployeeDraft(
            nip or None,
            name,
            data["front_title"],
            data["back_title"],
            status,
            data["sex"],
            data["birth_date"],
            data["grade"],
            data["grade_tmt"],
            data["email"],
            unit.id if unit is not None else None,
            position.id if position is not None and unit is not None else None,
            position if unit is not None else None,
            is_active,
        )
        bad = self.bad
        if errors or bad:
            self._check_partial(employee, errors, bad)
            return
        services.clean_employee(employee)  # the same multi-field rules as the forms and API
        on = values["valid_from"] or self.ctx.today
        if old is None:
            self.creates.append(employee)
            self.starts.append(on)
            if employee.is_active:
                self.placements.append((row, None, employee.position_id))
            return
        old_unit = self.units_by_id.get(old["unit_id"])
        self.agencies.add(old_unit.agency_id if old_unit else None)
        changed = _changed(employee, old, EMPLOYEE_FIELDS)
        if not changed:
            self.unchanged += 1
            return
        saved = Employee(
            id=before[_ID],
            instansi_id=self.ctx.instansi_id,
            **{f: getattr(employee, f) for f in EMPLOYEE_FIELDS},
        )
        self.updates.append((saved, changed))
        self.update_before.append(old)
        if "unit_id" in changed or "position_id" in changed:
            self.moves.append((row, saved, on))
            if saved.is_active:
                self.placements.append((row, saved.pk, saved.position_id))

    def _check_partial(
        self, employee: EmployeeDraft, errors: dict[str, list[str]], bad: frozenset[str]
    ) -> None:
        """Add the field rules that the failed columns do not decide, then raise."""
        if "status" in bad:
            if employee.nip and "nip" not in errors:
                try:
                    parse_nip(employee.nip, pppk=True)
                except ValidationError as exc:
                    errors["nip"] = exc.messages
        else:
            try:
                services.clean_employee(employee)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, messages)
        if errors:
            raise ValidationError(errors)

    def finish(self) -> list[RowError]:
        """Check that no transfer takes effect before the employee's current post began."""
        self.open: dict[int, tuple[int, dt.date]] = {}
        ids = [employee.pk for _row, employee, _on in self.moves]
        for chunk in _chunks(ids):
            for pk, employee_id, start in Assignment.objects.filter(
                employee_id__in=chunk, valid_to__isnull=True
            ).values_list("id", "employee_id", "valid_from"):
                self.open[employee_id] = (pk, start)
        errors = []
        for row, employee, on in self.moves:
            current = self.open.get(employee.pk)
            if current is not None and on < current[1]:
                errors.append(
                    RowError(
                        row,
                        "valid_from",
                        _("A transfer cannot take effect before the current post began."),
                        value=on.isoformat(),
                    )
                )
        # One definitive holder per head post (the rule of services.check_head_post_free).
        for row, message in services.head_post_errors(self.ctx.instansi_id, self.placements):
            errors.append(RowError(row, "position_code", message))
        return errors

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        now = timezone.now()
        instansi_id = self.ctx.instansi_id
        ids = insert_rows(
            Employee,
            ("instansi_id", *EMPLOYEE_FIELDS),
            ([instansi_id, *(getattr(e, f) for f in EMPLOYEE_FIELDS)] for e in self.creates),
            return_ids=True,
        )
        self.created_ids = ids
        assignments = [
            (instansi_id, pk, e.position_id, e.unit_id, on)
            for pk, e, on in zip(ids, self.creates, self.starts, strict=True)
        ]
        _bulk_update(Employee, self.updates, now)
        # The open post ends the day before the new one starts (its last day, as services.
        # _reassign writes it); one that began on that very day is corrected in place.
        closing: dict[dt.date, list[int]] = defaultdict(list)
        corrected: list[Assignment] = []
        for _row, employee, on in self.moves:
            current = self.open.get(employee.pk)
            if current is not None and current[1] == on:
                corrected.append(
                    Assignment(
                        pk=current[0],
                        position_id=employee.position_id,
                        unit_id=employee.unit_id,
                        updated_at=now,
                    )
                )
                continue
            if current is not None:
                closing[on - dt.timedelta(days=1)].append(current[0])
            assignments.append(
                (instansi_id, employee.pk, employee.position_id, employee.unit_id, on)
            )
        for last_day, pks in closing.items():
            for chunk in _chunks(pks):
                Assignment.objects.filter(pk__in=chunk).update(valid_to=last_day, updated_at=now)
        Assignment.objects.bulk_update(
            corrected, ["position", "unit", "updated_at"], batch_size=500
        )
        insert_rows(
            Assignment,
            ("instansi_id", "employee_id", "position_id", "unit_id", "valid_from"),
            assignments,
        )

    def audit_entries(self) -> Iterator[dict[str, Any]]:
        """Yield one audit entry per created or changed employee, with its changed fields.

        The ids of new employees come back from the bulk insert (RETURNING), in row order.
        """
        paths = {pk: unit.path for pk, unit in self.units_by_id.items()}
        # The change set of a new row is written as canonical JSON text at once (keys sorted).
        fields = sorted(EMPLOYEE_FIELDS, key=_audit_name)
        text = CreationText(tuple(_audit_name(f) for f in fields))
        values = attrgetter(*fields)  # this loop runs once per new row
        for pk, employee in zip(self.created_ids, self.creates, strict=True):
            unit_id = employee.unit_id
            yield {
                "action": "create",
                "target_type": "organisations.employee",
                "target_id": pk,
                "target_repr": employee.name,
                "unit_id": unit_id,
                "unit_path": paths.get(unit_id, ""),
                "changes": RawJSON(text(values(employee))),
            }
        for (employee, changed), before in zip(self.updates, self.update_before, strict=True):
            yield {
                "action": "update",
                "target_type": "organisations.employee",
                "target_id": employee.pk,
                "target_repr": employee.name,
                "unit_id": employee.unit_id,
                "unit_path": paths.get(employee.unit_id, ""),
                "changes": {_audit_name(f): [before[f], getattr(employee, f)] for f in changed},
            }


def _nip_key(cell: Any) -> str | None:
    if cell.__class__ is str:
        try:
            return normalise_nip(cell) or None
        except ValidationError:
            return None  # the row's own check reports it
    return None
