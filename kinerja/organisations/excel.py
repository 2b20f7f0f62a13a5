"""Importers for the organisation registry: units, positions and employees.

Each checks a row with the rules the forms and the API use (the model fields' validators and
choices through the column parsers, `services.clean_employee` for the multi-field employee
rules), against lookups preloaded once into dicts, and writes in bulk.

Natural keys: units and positions by code within the instansi, employees by NIP. Non-ASN staff
have no NIP: they are matched by name and unit (case and spacing ignored); a row that matches no
one creates a new person, and a name held by two non-ASN staff of the same unit is refused.

Scope: every row's unit must lie where the caller may import. The lookups read the whole
instansi (and NIPs across instansi, since a NIP is unique nationally) rather than starting from
``.within(scope)``, so that a row can say "outside your scope" instead of "unknown"; no detail of
a record outside the scope is ever put in a message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.bulk import insert_rows, max_query_params
from kinerja.core.scope import Action
from kinerja.imports import Column, Importer, RowError, register
from kinerja.imports.columns import as_text, date, for_field

from . import services
from .choices import EmployeeStatus
from .models import Assignment, Employee, OrgUnit, Position, Region

CHUNK = 900  # values per IN (...): below SQLite's limit of bound parameters
BATCH = 1000


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class UnitRef:
    """A unit as the importers need it: enough to place, scope and compare it."""

    id: int
    code: str
    path: str
    depth: int
    agency_id: int | None
    parent_id: int | None


class _RegistryImporter(Importer):
    """Unit lookups by code and the scope check every organisation importer shares."""

    def _load_units(self) -> None:
        self.units: dict[str, UnitRef] = {}
        self.units_by_id: dict[int, UnitRef] = {}
        folded: dict[str, UnitRef | None] = {}
        rows = OrgUnit.objects.filter(instansi_id=self.ctx.instansi_id).values_list(
            "id", "code", "path", "depth", "agency_id", "parent_id"
        )
        for row in rows:
            unit = UnitRef(*row)
            self.units[unit.code] = unit
            self.units_by_id[unit.id] = unit
            key = unit.code.casefold()
            folded[key] = None if key in folded else unit  # None: two codes differ by case only
        self.units_folded = folded
        self._scope_cache: dict[str, bool] = {}
        self.agencies: set[int | None] = set()

    def _in_scope(self, path: str) -> bool:
        allowed = self._scope_cache.get(path)
        if allowed is None:
            allowed = self._scope_cache[path] = self.ctx.scope.can(Action.IMPORT, path)
        return allowed

    def _unit(self, code: str, column: str) -> UnitRef:
        """Return the unit with ``code`` if the caller may import into it, else raise."""
        unit = self.units.get(code) or self.units_folded.get(code.casefold())
        if unit is None:
            raise ValidationError({column: _("Unknown unit code '%(code)s'.") % {"code": code}})
        if not self._in_scope(unit.path):
            raise ValidationError(
                {column: _("Unit %(code)s is outside your scope.") % {"code": unit.code}}
            )
        self.agencies.add(unit.agency_id)
        return unit

    def audit_unit(self) -> OrgUnit | None:
        """File the audit event under the agency when every row lies in one agency."""
        if len(self.agencies) == 1:
            (agency_id,) = self.agencies
            if agency_id is not None:
                return OrgUnit.objects.filter(pk=agency_id).first()
        return None


def _changed(obj: Model, before: dict[str, Any], fields: Iterable[str]) -> list[str]:
    return [f for f in fields if getattr(obj, f) != before[f]]


def _bulk_update(model: type[Model], updates: list[tuple[Model, list[str]]], now) -> None:
    """Update in bulk, one statement per batch of rows that changed the same fields."""
    groups: dict[tuple[str, ...], list[Model]] = defaultdict(list)
    for obj, fields in updates:
        obj.updated_at = now
        groups[tuple(fields)].append(obj)
    for fields, objs in groups.items():
        names = [model._meta.get_field(f).name for f in fields]
        model.objects.bulk_update(objs, [*names, "updated_at"], batch_size=500)


# --- units ---------------------------------------------------------------------------------

UNIT_FIELDS = ("name", "short_name", "kind", "region_id", "duties", "valid_from", "valid_to")


@register
class UnitImporter(_RegistryImporter):
    kind = "units"
    label = gettext_lazy("Org units")
    description = gettext_lazy(
        "Agencies and the units beneath them, matched by code. A new unit goes under the unit "
        "named in parent_code (in the file or already registered); an empty parent_code adds an "
        "agency. Moving an existing unit is done on its page."
    )
    key = ("code",)
    columns = (
        for_field(
            OrgUnit,
            "code",
            example="DIKBUD-SMK",
            help=gettext_lazy("Unit code, unique in the instansi"),
        ),
        for_field(OrgUnit, "name", example="Bidang Pembinaan SMK"),
        for_field(OrgUnit, "kind", example="bidang"),
        for_field(
            OrgUnit,
            "code",
            column="parent_code",
            required=False,
            example="DIKBUD",
            help=gettext_lazy("Code of the parent unit; empty for an agency (OPD)"),
        ),
        for_field(OrgUnit, "short_name", example="SMK"),
        for_field(
            Region,
            "code",
            column="region_code",
            required=False,
            example="35",
            help=gettext_lazy("Kemendagri code of the unit's region"),
        ),
        for_field(
            OrgUnit,
            "valid_from",
            required=False,
            example="2024-01-01",
            help=gettext_lazy("First day of the unit (default: today)"),
        ),
        for_field(OrgUnit, "valid_to", example=""),
        for_field(OrgUnit, "duties", example=""),
    )
    field_columns = {"parent": "parent_code", "region": "region_code"}

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        self.existing = {
            row["code"]: row
            for row in OrgUnit.objects.filter(instansi_id=self.ctx.instansi_id).values(
                "id", "code", *UNIT_FIELDS
            )
        }
        self.regions = dict(Region.objects.values_list("code", "id"))
        self.creates: dict[str, tuple[int, OrgUnit, str | None]] = {}
        self.updates: list[tuple[OrgUnit, list[str]]] = []
        self.unchanged = 0

    def check(self, row: int, values: dict[str, Any]) -> None:
        code, parent_code = values["code"], values["parent_code"]
        if parent_code == code:
            raise ValidationError({"parent_code": _("A unit cannot be placed under itself.")})
        region_id = None
        if values["region_code"]:
            region_id = self.regions.get(values["region_code"])
            if region_id is None:
                raise ValidationError(
                    {
                        "region_code": _("Unknown region code '%(code)s'.")
                        % {"code": values["region_code"]}
                    }
                )
        ref = self.units.get(code)
        before = self.existing.get(code)
        if ref is not None and before is not None:
            self._check_existing(ref, parent_code)
            data = {**before}
        else:
            self._check_new_parent(parent_code)
            data = {f: "" for f in ("short_name", "duties")}
            data.update(valid_from=self.ctx.today, valid_to=None, region_id=None)
        for name in ("name", "kind", "short_name", "duties", "valid_from", "valid_to"):
            if values[name] is not None:
                data[name] = values[name]
        if region_id is not None:
            data["region_id"] = region_id
        unit = OrgUnit(
            instansi_id=self.ctx.instansi_id, code=code, **{f: data[f] for f in UNIT_FIELDS}
        )
        # The model's own constraints (valid_to not before valid_from); units are few.
        try:
            unit.validate_constraints(exclude={"instansi", "code"})
        except ValidationError as exc:
            raise ValidationError({"valid_to": exc.messages}) from None
        if before is None:
            self.creates[code] = (row, unit, parent_code)
            return
        unit.pk = unit.id = before["id"]
        changed = _changed(unit, before, UNIT_FIELDS)
        if changed:
            self.updates.append((unit, changed))
        else:
            self.unchanged += 1

    def _check_existing(self, ref: UnitRef, parent_code: str | None) -> None:
        if not self._in_scope(ref.path):
            raise ValidationError(
                {"code": _("Unit %(code)s is outside your scope.") % {"code": ref.code}}
            )
        self.agencies.add(ref.agency_id)
        parent = self.units_by_id.get(ref.parent_id) if ref.parent_id else None
        if (parent.code if parent else None) != parent_code:
            raise ValidationError(
                {"parent_code": _("To move a unit under another parent, edit it on its page.")}
            )

    def _check_new_parent(self, parent_code: str | None) -> None:
        if parent_code is None:
            if self.ctx.scope.paths_for(Action.IMPORT) is not None:
                raise ValidationError(
                    {
                        "parent_code": _(
                            "Only an administrator of the whole instansi may add an "
                            "agency; fill in parent_code."
                        )
                    }
                )
            self.agencies.add(None)
            return
        if parent_code in self.units:
            self._unit(parent_code, "parent_code")
        # Otherwise the parent must be a new unit of this file: `finish` checks it.

    def finish(self) -> list[RowError]:
        errors = []
        for code, (row, _unit, parent_code) in self.creates.items():
            if parent_code and parent_code not in self.units and parent_code not in self.creates:
                errors.append(
                    RowError(
                        row,
                        "parent_code",
                        _("Unknown parent unit code '%(code)s'.") % {"code": parent_code},
                    )
                )
            elif self._level(code) is None:
                errors.append(
                    RowError(row, "parent_code", _("The parent units of this unit form a circle."))
                )
        return errors

    def _level(self, code: str) -> int | None:
        """Return how many new units of the file stand above ``code``; None for a circle."""
        level, seen = 0, {code}
        parent = self.creates[code][2]
        while parent and parent not in self.units:
            if parent in seen or parent not in self.creates:
                return None if parent in seen else level
            seen.add(parent)
            level += 1
            parent = self.creates[parent][2]
        return level

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        placed: dict[str, OrgUnit] = {}
        levels: dict[int, list[str]] = defaultdict(list)
        for code in self.creates:
            levels[self._level(code) or 0].append(code)
        for level in sorted(levels):
            batch = []
            for code in levels[level]:
                _row, unit, parent_code = self.creates[code]
                if parent_code:
                    parent = placed.get(parent_code) or self._existing_unit(parent_code)
                    unit.parent = parent
                batch.append(unit)
            OrgUnit.objects.bulk_create(batch, batch_size=BATCH)
            for unit in batch:
                services._place(unit)  # path, depth and agency by the one tree convention
                placed[unit.code] = unit
        _bulk_update(OrgUnit, self.updates, timezone.now())

    def _existing_unit(self, code: str) -> OrgUnit:
        ref = self.units[code]
        return OrgUnit(
            id=ref.id,
            instansi_id=self.ctx.instansi_id,
            code=ref.code,
            path=ref.path,
            depth=ref.depth,
            agency_id=ref.agency_id,
            parent_id=ref.parent_id,
        )


# --- positions -----------------------------------------------------------------------------

POSITION_FIELDS = ("unit_id", "title", "kind", "eselon", "is_head", "duties", "is_active")


@register
class PositionImporter(_RegistryImporter):
    kind = "positions"
    label = gettext_lazy("Positions")
    description = gettext_lazy(
        "Posts (jabatan) in units, matched by code. reports_to_code names the post this one "
        "reports to, in the file or already registered."
    )
    key = ("code",)
    columns = (
        for_field(
            Position,
            "code",
            example="DIKBUD-SMK-01",
            help=gettext_lazy("Position code, unique in the instansi"),
        ),
        for_field(Position, "title", example="Analis Kurikulum SMK"),
        for_field(
            OrgUnit,
            "code",
            column="unit_code",
            required=True,
            example="DIKBUD-SMK",
            help=gettext_lazy("Code of the unit the position belongs to"),
        ),
        for_field(Position, "kind", example="fungsional"),
        for_field(Position, "eselon", example=""),
        for_field(Position, "is_head", required=False, example="no"),
        for_field(
            Position,
            "code",
            column="reports_to_code",
            required=False,
            example="DIKBUD-SMK-KABID",
            help=gettext_lazy("Code of the position this one reports to"),
        ),
        for_field(Position, "duties", example=""),
        for_field(Position, "is_active", required=False, example="yes"),
    )
    field_columns = {"unit": "unit_code", "reports_to": "reports_to_code"}

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        self.existing = {
            row["code"]: row
            for row in Position.objects.filter(instansi_id=self.ctx.instansi_id).values(
                "id", "code", "reports_to_id", *POSITION_FIELDS
            )
        }
        self.creates: dict[str, tuple[int, Position]] = {}
        self.updates: list[tuple[Position, list[str]]] = []
        self.links: list[tuple[Position, str]] = []  # reports_to a position new in this file
        self.heads: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.in_file: dict[str, tuple[int, bool]] = {}  # code -> (unit id, active head?)
        self.reports: dict[str, tuple[int, str]] = {}
        self.unchanged = 0

    def check(self, row: int, values: dict[str, Any]) -> None:
        code, boss = values["code"], values["reports_to_code"]
        unit = self._unit(values["unit_code"], "unit_code")
        before = self.existing.get(code)
        if before is not None:
            old_unit = self.units_by_id.get(before["unit_id"])
            if old_unit is None or not self._in_scope(old_unit.path):
                raise ValidationError(
                    {"code": _("Position %(code)s is outside your scope.") % {"code": code}}
                )
            data = {**before}
        else:
            data = {
                "eselon": "",
                "is_head": False,
                "duties": "",
                "is_active": True,
                "reports_to_id": None,
            }
        if boss == code:
            raise ValidationError({"reports_to_code": _("A position cannot report to itself.")})
        for name in ("title", "kind", "eselon", "is_head", "duties", "is_active"):
            if values[name] is not None:
                data[name] = values[name]
        data["unit_id"] = unit.id
        position = Position(
            instansi_id=self.ctx.instansi_id, code=code, **{f: data[f] for f in POSITION_FIELDS}
        )
        position.reports_to_id = data["reports_to_id"]
        if boss:
            self.reports[code] = (row, boss)
        active_head = bool(position.is_head and position.is_active)
        self.in_file[code] = (unit.id, active_head)
        if active_head:
            self.heads[unit.id].append((row, code))
        if before is None:
            self.creates[code] = (row, position)
            return
        position.pk = position.id = before["id"]
        self._plan_update(position, before, boss)

    def _plan_update(self, position: Position, before: dict[str, Any], boss: str | None) -> None:
        boss_before = before["reports_to_id"]
        known = self.existing.get(boss) if boss else None
        if known is not None:
            position.reports_to_id = known["id"]
        changed = _changed(position, before, POSITION_FIELDS)
        if boss and known is None:
            self.links.append((position, boss))
        elif position.reports_to_id != boss_before:
            changed.append("reports_to_id")
        if changed:
            self.updates.append((position, changed))
        elif not (boss and known is None):
            self.unchanged += 1

    def finish(self) -> list[RowError]:
        errors = []
        for row, boss in self.reports.values():
            if boss not in self.existing and boss not in self.in_file:
                errors.append(
                    RowError(
                        row,
                        "reports_to_code",
                        _("Unknown position code '%(code)s'.") % {"code": boss},
                    )
                )
        # One active head per unit: the database's constraint, checked before writing.
        db_heads = {
            p["unit_id"]: p["code"]
            for p in self.existing.values()
            if p["is_head"] and p["is_active"]
        }
        for unit_id, rows in self.heads.items():
            for row, _code in rows[1:]:
                errors.append(
                    RowError(
                        row,
                        "is_head",
                        _("Row %(row)d already names the head of this unit.") % {"row": rows[0][0]},
                    )
                )
            head = db_heads.get(unit_id)
            row, code = rows[0]
            if head and head != code and self.in_file.get(head, (unit_id, True)) == (unit_id, True):
                errors.append(
                    RowError(
                        row,
                        "is_head",
                        _("Unit %(unit)s already has a head position (%(code)s).")
                        % {"unit": self.units_by_id[unit_id].code, "code": head},
                    )
                )
        return errors

    def counts(self) -> dict[str, int]:
        linked_only = {p.pk for p, _b in self.links} - {p.pk for p, _f in self.updates}
        return {
            "created": len(self.creates),
            "updated": len(self.updates) + len(linked_only),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        now = timezone.now()
        new = []
        for code, (_row, position) in self.creates.items():
            boss = self.reports.get(code)
            if boss and boss[1] in self.existing:
                position.reports_to_id = self.existing[boss[1]]["id"]
            elif boss:
                self.links.append((position, boss[1]))
            new.append(position)
        # Release heads first, so that a head moving between posts never meets itself.
        self.updates.sort(key=lambda u: u[0].is_head and u[0].is_active)
        _bulk_update(Position, self.updates, now)
        Position.objects.bulk_create(new, batch_size=BATCH)
        if self.links:
            ids = {code: p["id"] for code, p in self.existing.items()}
            ids.update({p.code: p.pk for p in new})
            for position, boss in self.links:
                position.reports_to_id = ids[boss]
                position.updated_at = now
            Position.objects.bulk_update(
                [p for p, _b in self.links], ["reports_to", "updated_at"], batch_size=500
            )


# --- employees -----------------------------------------------------------------------------

EMPLOYEE_FIELDS = (
    "nip",
    "name",
    "front_title",
    "back_title",
    "status",
    "sex",
    "birth_date",
    "grade",
    "email",
    "unit_id",
    "position_id",
)
_OPTIONAL = ("front_title", "back_title", "sex", "birth_date", "grade", "email")
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
    email: str
    unit_id: int
    position_id: int | None
    position: PositionRef | None


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
    return cell.replace(" ", "")


@register
class EmployeeImporter(_RegistryImporter):
    kind = "employees"
    label = gettext_lazy("Employees")
    description = gettext_lazy(
        "Civil servants (PNS, PPPK) matched by NIP, and non-ASN staff matched by name and unit. "
        "A new employee starts an assignment to the unit and position; a changed unit or "
        "position is a transfer on start_date. unit_code and position_code always state the "
        "current post; other empty cells keep what is stored."
    )
    key = ("nip",)
    columns = (
        Column(
            "nip",
            _nip,
            required=True,
            blank=True,
            example="198503142005011001",
            help=gettext_lazy("NIP, 18 digits; empty for non-ASN staff"),
            format=gettext_lazy("18 digits, typed as text"),
        ),
        for_field(Employee, "name", example="Siti Aminah"),
        for_field(Employee, "status", example="pns"),
        for_field(
            OrgUnit,
            "code",
            column="unit_code",
            required=True,
            example="DIKBUD-SMA",
            help=gettext_lazy("Code of the unit the employee works in"),
        ),
        for_field(
            Position,
            "code",
            column="position_code",
            required=False,
            example="DIKBUD-SMA-01",
            help=gettext_lazy("Code of the employee's position; it must be in the unit"),
        ),
        for_field(Employee, "front_title", example=""),
        for_field(Employee, "back_title", example="S.Pd."),
        for_field(
            Employee,
            "sex",
            example="m",
            aliases={"l": "m", "laki-laki": "m", "p": "f", "perempuan": "f"},
            help=gettext_lazy("Sex; for PNS and PPPK it follows from the NIP"),
        ),
        for_field(
            Employee,
            "birth_date",
            example="",
            help=gettext_lazy("Birth date; for PNS and PPPK it follows from the NIP"),
        ),
        for_field(Employee, "grade", example="III/a"),
        for_field(Employee, "email", example=""),
        Column(
            "start_date",
            date,
            example="",
            help=gettext_lazy(
                "First day in this post, for new staff and transfers (default: today)"
            ),
            format=gettext_lazy("date, YYYY-MM-DD or DD/MM/YYYY"),
        ),
    )
    field_columns = {"position": "position_code", "unit": "unit_code"}

    def row_key(self, values: dict[str, Any]) -> Hashable | None:
        if values["nip"]:
            return values["nip"]
        if values["status"] == EmployeeStatus.NON_ASN and values["name"]:
            return (_fold(values["name"]), values["unit_code"].casefold())
        return None

    def duplicate_error(self, row: int, key: Hashable, first_row: int) -> RowError:
        if isinstance(key, str):
            message = _("NIP %(nip)s appears more than once in the file (first in row %(row)d).")
            return RowError(row, "nip", message % {"nip": key, "row": first_row})
        return RowError(
            row,
            "name",
            _("This non-ASN employee appears more than once in the file (first in row %(row)d).")
            % {"row": first_row},
        )

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        instansi_id = self.ctx.instansi_id
        self.positions = {
            code: (pk, unit_id)
            for pk, code, unit_id in Position.objects.filter(instansi_id=instansi_id).values_list(
                "id", "code", "unit_id"
            )
        }
        self._position_refs: dict[str, PositionRef] = {}
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
            key = (_fold(row[1]), row[9])
            self.non_asn[key] = _AMBIGUOUS if key in self.non_asn else row
        self.present_optional = [c for c in _OPTIONAL if c in self.ctx.present]
        self.creates: list[EmployeeDraft] = []
        self.starts: list[dt.date] = []
        self.updates: list[tuple[Employee, list[str]]] = []
        self.moves: list[tuple[int, Employee, dt.date]] = []
        self.unchanged = 0

    def _position(self, code: str) -> PositionRef:
        position = self._position_refs.get(code)
        if position is None:
            found = self.positions.get(code)
            if found is None:
                raise ValidationError(
                    {"position_code": _("Unknown position code '%(code)s'.") % {"code": code}}
                )
            position = self._position_refs[code] = PositionRef(*found)
        return position

    def check(self, row: int, values: dict[str, Any]) -> None:
        unit = self._unit(values["unit_code"], "unit_code")
        position = self._position(values["position_code"]) if values["position_code"] else None
        nip, status = values["nip"], values["status"]
        before = None
        if nip:
            before = self.by_nip.get(nip)
            if before is not None and (
                before[12] != self.ctx.instansi_id or not self._in_scope(before[13] or "")
            ):
                raise ValidationError(
                    {"nip": _("This NIP belongs to an employee outside your scope.")}
                )
        elif status == EmployeeStatus.NON_ASN:
            before = self.non_asn.get((_fold(values["name"]), unit.id))
            if before is _AMBIGUOUS:
                message = _(
                    "Several non-ASN staff of this unit have this name; change them on their "
                    "own pages."
                )
                raise ValidationError({"name": message})
        if before is not None:
            data = dict(zip(EMPLOYEE_FIELDS, before, strict=False))
        else:
            data = {
                "front_title": "",
                "back_title": "",
                "sex": "",
                "birth_date": None,
                "grade": "",
                "email": "",
            }
        for name in self.present_optional:
            value = values[name]
            if value is not None:
                data[name] = value
        employee = EmployeeDraft(
            nip or None,
            values["name"],
            data["front_title"],
            data["back_title"],
            status,
            data["sex"],
            data["birth_date"],
            data["grade"],
            data["email"],
            unit.id,
            position.id if position else None,
            position,
        )
        services.clean_employee(employee)  # the same multi-field rules as the forms and API
        on = values["start_date"] or self.ctx.today
        if before is None:
            self.creates.append(employee)
            self.starts.append(on)
            return
        old = dict(zip(EMPLOYEE_FIELDS, before, strict=False))
        old_unit = self.units_by_id.get(old["unit_id"])
        self.agencies.add(old_unit.agency_id if old_unit else None)
        changed = _changed(employee, old, EMPLOYEE_FIELDS)
        if not changed:
            self.unchanged += 1
            return
        saved = Employee(
            id=before[11],
            instansi_id=self.ctx.instansi_id,
            **{f: getattr(employee, f) for f in EMPLOYEE_FIELDS},
        )
        self.updates.append((saved, changed))
        if "unit_id" in changed or "position_id" in changed:
            self.moves.append((row, saved, on))

    def finish(self) -> list[RowError]:
        """Check that no transfer takes effect before the employee's current post began."""
        self.open: dict[int, tuple[int, dt.date]] = {}
        ids = [employee.pk for _row, employee, _on in self.moves]
        for chunk in _chunks(ids):
            for pk, employee_id, start in Assignment.objects.filter(
                employee_id__in=chunk, end_date__isnull=True
            ).values_list("id", "employee_id", "start_date"):
                self.open[employee_id] = (pk, start)
        errors = []
        for row, employee, on in self.moves:
            current = self.open.get(employee.pk)
            if current is not None and on < current[1]:
                errors.append(
                    RowError(
                        row,
                        "start_date",
                        _("A transfer cannot take effect before the current post began."),
                    )
                )
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
        assignments = [
            (instansi_id, pk, e.position_id, e.unit_id, on)
            for pk, e, on in zip(ids, self.creates, self.starts, strict=True)
        ]
        _bulk_update(Employee, self.updates, now)
        closing: dict[dt.date, list[int]] = defaultdict(list)
        for _row, employee, on in self.moves:
            current = self.open.get(employee.pk)
            if current is not None:
                closing[on].append(current[0])
            assignments.append(
                (instansi_id, employee.pk, employee.position_id, employee.unit_id, on)
            )
        for on, pks in closing.items():
            for chunk in _chunks(pks):
                Assignment.objects.filter(pk__in=chunk).update(end_date=on, updated_at=now)
        insert_rows(
            Assignment,
            ("instansi_id", "employee_id", "position_id", "unit_id", "start_date"),
            assignments,
        )


def _nip_key(cell: Any) -> str | None:
    if cell.__class__ is str:
        return cell.replace(" ", "").strip() or None
    return None
