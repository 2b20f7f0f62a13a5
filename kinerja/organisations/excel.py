"""Importers for the organisation registry: units, positions and employees.

Each checks a row with the rules the forms and the API use (the model fields' validators and
choices through the column parsers, `services.clean_employee` for the multi-field employee
rules), against lookups preloaded once into dicts, and writes in bulk.

Natural keys: units and positions by code within the instansi, regardless of case (DIKBUD and
dikbud are one unit, as the database's constraint says); employees by NIP. Non-ASN staff have
no NIP: they are matched by name and unit (case and spacing ignored); a row that matches no one
creates a new person, and a name held by two non-ASN staff of the same unit is refused.

A column absent from the file keeps what is stored; an empty cell in a column that is present
clears the value where the field may be blank (otherwise the engine reports the empty cell).

Scope: every lookup (unit, parent unit, position, reports-to position, NIP) is limited to where
the caller may import. A code outside the scope gets the same message as an unknown code, and a
NIP registered elsewhere one neutral message, so no message tells anything about a record the
caller may not see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.audit.sealing import CreationText
from kinerja.core.bulk import RawJSON, insert_rows, max_query_params
from kinerja.core.scope import Action
from kinerja.imports import Column, ImportContext, Importer, RowError, register
from kinerja.imports.columns import as_text, date, for_field, readonly

from . import services
from .choices import EmployeeStatus, Sex
from .models import Assignment, Employee, OrgUnit, Position, Region
from .validators import normalise_nip, parse_nip

CHUNK = 900  # values per IN (...): below SQLite's limit of bound parameters
BATCH = 1000
_KEEP = object()  # a column absent from the file: keep what is stored


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _unknown_unit(code: str) -> str:
    return _("Unknown unit code '%(code)s'.") % {"code": code}


def _unknown_position(code: str) -> str:
    return _("Unknown position code '%(code)s'.") % {"code": code}


def _code_taken() -> str:
    return _("This code is already in use in the instansi; choose another.")


def _nip_elsewhere() -> str:
    return _(
        "This NIP is already registered. Transfers of employees between agencies are handled "
        "by BKD."
    )


def _audit_name(field: str) -> str:
    return field[:-3] if field.endswith("_id") else field


def _created(values: dict[str, Any]) -> dict[str, list[Any]]:
    """Return the audit changes of a new row: every filled field as [None, value]."""
    return {_audit_name(k): [None, v] for k, v in values.items() if v is not None and v != ""}


@dataclass(slots=True)
class UnitRef:
    """A unit as the importers need it: enough to place, scope and compare it."""

    id: int
    code: str
    path: str
    depth: int
    agency_id: int | None
    parent_id: int | None


def _units_in_scope(ctx: ImportContext):
    """Return the active units where the caller of ``ctx`` may import, tree order."""
    return (
        OrgUnit.objects.filter(instansi_id=ctx.instansi_id)
        .filter(ctx.scope.unit_q(Action.IMPORT, "path"))
        .active(ctx.today)
        .order_by("path")
    )


def _free_code(model: type[Model], instansi_id: int, base: str) -> str:
    """Return ``base`` (or ``base-2``, ...) when no row of ``model`` has it in any case."""
    code, n = base[:40], 1
    while model.objects.filter(instansi_id=instansi_id, code__iexact=code).exists():
        n += 1
        code = f"{base[:36]}-{n}"
    return code


class _RegistryImporter(Importer):
    """Unit lookups by code and the scope check every organisation importer shares."""

    checks_partial_rows = True

    def row_key(self, values: dict[str, Any]) -> Hashable | None:
        code = values["code"]
        return code.lower() if code else None

    def _load_units(self) -> None:
        # Keyed by the lower-cased code: codes are unique regardless of case.
        self.units: dict[str, UnitRef] = {}
        self.units_by_id: dict[int, UnitRef] = {}
        rows = OrgUnit.objects.filter(instansi_id=self.ctx.instansi_id).values_list(
            "id", "code", "path", "depth", "agency_id", "parent_id"
        )
        for row in rows:
            unit = UnitRef(*row)
            self.units[unit.code.lower()] = unit
            self.units_by_id[unit.id] = unit
        self._scope_cache: dict[str, bool] = {}
        self.agencies: set[int | None] = set()

    def _in_scope(self, path: str) -> bool:
        allowed = self._scope_cache.get(path)
        if allowed is None:
            allowed = self._scope_cache[path] = self.ctx.scope.can(Action.IMPORT, path)
        return allowed

    def _find_unit(self, code: str) -> UnitRef | None:
        """Return the unit with ``code`` (any case) if the caller may import into it."""
        unit = self.units.get(code.lower())
        if unit is None or not self._in_scope(unit.path):
            return None
        return unit

    def _unit(self, code: str, column: str) -> UnitRef:
        """Return the unit with ``code`` if the caller may import into it, else raise."""
        unit = self._find_unit(code)
        if unit is None:
            # Outside the scope reads as unknown: the message tells nothing of other agencies.
            raise ValidationError({column: _unknown_unit(code)})
        self.agencies.add(unit.agency_id)
        return unit

    def audit_unit(self) -> OrgUnit | None:
        """File the audit event under the agency when every row lies in one agency."""
        if len(self.agencies) == 1:
            (agency_id,) = self.agencies
            if agency_id is not None:
                return OrgUnit.objects.filter(pk=agency_id).first()
        return None


def _changed(obj: Any, before: dict[str, Any], fields: Iterable[str]) -> list[str]:
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
_UNIT_BLANK = {"short_name": "", "duties": "", "valid_to": None}


@register
class UnitImporter(_RegistryImporter):
    kind = "units"
    label = gettext_lazy("Org units")
    description = gettext_lazy(
        "Agencies and the units beneath them, matched by code (in any case). A new unit goes "
        "under the unit named in the parent code (in the file or already registered); an empty "
        "parent code adds an agency. Moving an existing unit is done on its page."
    )
    key = ("code",)
    columns = (
        for_field(
            OrgUnit,
            "code",
            label="Kode Unit",
            example="DIKBUD-SMK",
            help=gettext_lazy("Unit code, unique in the instansi regardless of case"),
        ),
        for_field(OrgUnit, "name", label="Nama Unit", example="Bidang Pembinaan SMK"),
        for_field(OrgUnit, "kind", label="Jenis Unit", example="bidang"),
        for_field(
            OrgUnit,
            "code",
            column="parent_code",
            label="Kode Unit Induk",
            required=False,
            blank=True,
            example="DIKBUD",
            help=gettext_lazy("Code of the parent unit; empty for an agency (OPD)"),
        ),
        for_field(OrgUnit, "short_name", label="Nama Singkat", example="SMK"),
        for_field(
            Region,
            "code",
            column="region_code",
            label="Kode Wilayah",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy("Kemendagri code of the unit's region"),
        ),
        for_field(
            OrgUnit,
            "valid_from",
            label="Berlaku Mulai",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy(
                "First day of the unit; empty: today for a new unit, unchanged for an existing one"
            ),
        ),
        for_field(OrgUnit, "valid_to", label="Berlaku Sampai", example=""),
        for_field(OrgUnit, "duties", label="Tugas dan Fungsi", example=""),
    )
    field_columns = {"parent": "parent_code", "region": "region_code"}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        row = super().example_row(ctx)
        parent = _units_in_scope(ctx).first() if ctx is not None else None
        if parent is not None:
            row.update(
                code=_free_code(OrgUnit, ctx.instansi_id, f"{parent.code}-BARU"),
                parent_code=parent.code,
                name="Bidang Baru",
                short_name="",
            )
        return row

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        self.existing = {
            row["code"].lower(): row
            for row in OrgUnit.objects.filter(instansi_id=self.ctx.instansi_id).values(
                "id", "code", *UNIT_FIELDS
            )
        }
        self.regions = dict(Region.objects.values_list("code", "id"))
        self.creates: dict[str, tuple[int, OrgUnit, str | None]] = {}
        self.updates: list[tuple[OrgUnit, list[str]]] = []
        self.update_before: list[dict[str, Any]] = []
        self.created_units: list[OrgUnit] = []
        self.unchanged = 0

    def check(self, row: int, values: dict[str, Any]) -> None:
        bad, present = self.bad, self.ctx.present
        errors: dict[str, list[str]] = {}
        code, parent_code = values["code"], values["parent_code"]
        key = code.lower() if code else None
        parent_key = parent_code.lower() if parent_code else None
        parent_given = "parent_code" in present and "parent_code" not in bad
        if key and parent_key == key:
            errors["parent_code"] = [_("A unit cannot be placed under itself.")]
        region_id: Any = _KEEP
        if "region_code" in present and "region_code" not in bad:
            region_id = None
            if values["region_code"]:
                region_id = self.regions.get(values["region_code"])
                if region_id is None:
                    errors["region_code"] = [
                        _("Unknown region code '%(code)s'.") % {"code": values["region_code"]}
                    ]
        ref = self.units.get(key) if key else None
        before = self.existing.get(key) if key else None
        if ref is not None and before is not None:
            if not self._in_scope(ref.path):
                errors["code"] = [_code_taken()]
            elif parent_given and "parent_code" not in errors:
                parent = self.units_by_id.get(ref.parent_id) if ref.parent_id else None
                if (parent.code.lower() if parent else None) != parent_key:
                    errors["parent_code"] = [
                        _("To move a unit under another parent, edit it on its page.")
                    ]
            if "code" not in errors:
                self.agencies.add(ref.agency_id)
            data = {**before}
        else:
            if "parent_code" not in bad and "parent_code" not in errors:
                try:
                    self._check_new_parent(parent_key, parent_code)
                except ValidationError as exc:
                    errors.update(exc.message_dict)
            data = {**_UNIT_BLANK, "valid_from": self.ctx.today, "region_id": None}
        if errors:
            raise ValidationError(errors)
        if bad:
            return
        for name in ("name", "kind", "short_name", "duties", "valid_to"):
            if name in present:
                value = values[name]
                data[name] = _UNIT_BLANK[name] if value is None else value
        if values["valid_from"] is not None:
            data["valid_from"] = values["valid_from"]
        if region_id is not _KEEP:
            data["region_id"] = region_id
        unit = OrgUnit(
            instansi_id=self.ctx.instansi_id,
            code=before["code"] if before else code,  # the stored spelling stays
            **{f: data[f] for f in UNIT_FIELDS},
        )
        # The model's own constraints (valid_to not before valid_from); units are few.
        try:
            unit.validate_constraints(exclude={"instansi", "code"})
        except ValidationError as exc:
            raise ValidationError({"valid_to": exc.messages}) from None
        if before is None:
            self.creates[key] = (row, unit, parent_key)
            return
        unit.pk = unit.id = before["id"]
        changed = _changed(unit, before, UNIT_FIELDS)
        if changed:
            self.updates.append((unit, changed))
            self.update_before.append(before)
        else:
            self.unchanged += 1

    def _check_new_parent(self, parent_key: str | None, parent_code: str | None) -> None:
        if parent_key is None:
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
        if parent_key in self.units:
            self._unit(parent_code, "parent_code")
        # Otherwise the parent must be a new unit of this file: `finish` checks it.

    def finish(self) -> list[RowError]:
        errors = []
        for key, (row, _unit, parent_key) in self.creates.items():
            if parent_key and parent_key not in self.units and parent_key not in self.creates:
                errors.append(
                    RowError(row, "parent_code", _unknown_unit(parent_key), value=parent_key)
                )
            elif self._level(key) is None:
                errors.append(
                    RowError(row, "parent_code", _("The parent units of this unit form a circle."))
                )
        return errors

    def _level(self, key: str) -> int | None:
        """Return how many new units of the file stand above ``key``; None for a circle."""
        level, seen = 0, {key}
        parent = self.creates[key][2]
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
        for key in self.creates:
            levels[self._level(key) or 0].append(key)
        for level in sorted(levels):
            batch = []
            for key in levels[level]:
                _row, unit, parent_key = self.creates[key]
                if parent_key:
                    parent = placed.get(parent_key) or self._existing_unit(parent_key)
                    unit.parent = parent
                batch.append(unit)
            OrgUnit.objects.bulk_create(batch, batch_size=BATCH)
            for unit in batch:
                services._place(unit)  # path, depth and agency by the one tree convention
                placed[unit.code.lower()] = unit
            self.created_units.extend(batch)
        _bulk_update(OrgUnit, self.updates, timezone.now())

    def audit_entries(self) -> Iterator[dict[str, Any]]:
        """Yield one audit entry per created or changed unit, with its changed fields."""
        for unit in self.created_units:
            yield {
                "action": "create",
                "target_type": "organisations.orgunit",
                "target_id": unit.pk,
                "target_repr": unit.name,
                "unit_id": unit.pk,
                "unit_path": unit.path,
                "changes": _created(
                    {
                        "code": unit.code,
                        "parent_id": unit.parent_id,
                        **{f: getattr(unit, f) for f in UNIT_FIELDS},
                    }
                ),
            }
        for (unit, changed), before in zip(self.updates, self.update_before, strict=True):
            ref = self.units_by_id.get(unit.pk)
            yield {
                "action": "update",
                "target_type": "organisations.orgunit",
                "target_id": unit.pk,
                "target_repr": unit.name,
                "unit_id": unit.pk,
                "unit_path": ref.path if ref else "",
                "changes": {_audit_name(f): [before[f], getattr(unit, f)] for f in changed},
            }

    def _existing_unit(self, key: str) -> OrgUnit:
        ref = self.units[key]
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
        "Posts (jabatan) in units, matched by code (in any case). The superior's position code "
        "names the post this one reports to, in the file or already registered."
    )
    key = ("code",)
    columns = (
        for_field(
            Position,
            "code",
            label="Kode Jabatan",
            example="DIKBUD-SMK-01",
            help=gettext_lazy("Position code, unique in the instansi regardless of case"),
        ),
        for_field(Position, "title", label="Nama Jabatan", example="Analis Kurikulum SMK"),
        for_field(
            OrgUnit,
            "code",
            column="unit_code",
            label="Kode Unit",
            required=True,
            example="DIKBUD-SMK",
            help=gettext_lazy("Code of the unit the position belongs to"),
        ),
        for_field(Position, "kind", label="Jenis Jabatan", example="fungsional"),
        for_field(Position, "eselon", label="Eselon", example=""),
        for_field(
            Position,
            "is_head",
            label="Kepala Unit",
            required=False,
            blank=False,
            example=gettext_lazy("no"),
        ),
        for_field(
            Position,
            "code",
            column="reports_to_code",
            label="Kode Jabatan Atasan",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy("Code of the position this one reports to"),
        ),
        for_field(Position, "duties", label="Tugas dan Fungsi", example=""),
        for_field(
            Position,
            "is_active",
            label="Aktif",
            required=False,
            blank=False,
            example=gettext_lazy("yes"),
        ),
    )
    field_columns = {"unit": "unit_code", "reports_to": "reports_to_code"}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        row = super().example_row(ctx)
        unit = _units_in_scope(ctx).first() if ctx is not None else None
        if unit is not None:
            head = Position.objects.filter(unit=unit, is_head=True, is_active=True).first()
            row.update(
                code=_free_code(Position, ctx.instansi_id, f"{unit.code}-ANALIS"),
                title="Analis Kebijakan",
                unit_code=unit.code,
                reports_to_code=head.code if head else "",
            )
        return row

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        self.existing = {
            row["code"].lower(): row
            for row in Position.objects.filter(instansi_id=self.ctx.instansi_id).values(
                "id", "code", "reports_to_id", *POSITION_FIELDS
            )
        }
        self.creates: dict[str, tuple[int, Position]] = {}
        self.updates: list[tuple[Position, list[str]]] = []
        self.update_before: dict[int, dict[str, Any]] = {}
        self.links: list[tuple[Position, str]] = []  # reports_to a position new in this file
        self.heads: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.in_file: dict[str, tuple[int, bool]] = {}  # code -> (unit id, active head?)
        self.reports: dict[str, tuple[int, str]] = {}
        self.created: list[Position] = []
        self.unchanged = 0

    def _visible(self, position: dict[str, Any]) -> bool:
        unit = self.units_by_id.get(position["unit_id"])
        return unit is not None and self._in_scope(unit.path)

    def check(self, row: int, values: dict[str, Any]) -> None:
        bad, present = self.bad, self.ctx.present
        errors: dict[str, list[str]] = {}
        code, boss = values["code"], values["reports_to_code"]
        key = code.lower() if code else None
        boss_key = boss.lower() if boss else None
        boss_given = "reports_to_code" in present and "reports_to_code" not in bad
        before = self.existing.get(key) if key else None
        if before is not None and not self._visible(before):
            errors["code"] = [_code_taken()]
        unit = None
        if values["unit_code"] is not None:
            unit = self._find_unit(values["unit_code"])
            if unit is None:
                errors["unit_code"] = [_unknown_unit(values["unit_code"])]
            else:
                self.agencies.add(unit.agency_id)
        if boss_key:
            known = self.existing.get(boss_key)
            if boss_key == key:
                errors["reports_to_code"] = [_("A position cannot report to itself.")]
            elif known is not None and not self._visible(known):
                errors["reports_to_code"] = [_unknown_position(boss)]
        if errors:
            raise ValidationError(errors)
        if bad:
            return
        if before is not None:
            data = {**before}
        else:
            data = {
                "eselon": "",
                "is_head": False,
                "duties": "",
                "is_active": True,
                "reports_to_id": None,
            }
        for name in ("title", "kind", "eselon", "is_head", "duties", "is_active"):
            if name in present:
                value = values[name]
                data[name] = "" if value is None else value
        data["unit_id"] = unit.id
        position = Position(
            instansi_id=self.ctx.instansi_id,
            code=before["code"] if before else code,  # the stored spelling stays
            **{f: data[f] for f in POSITION_FIELDS},
        )
        position.reports_to_id = data["reports_to_id"]
        if boss_given:
            if boss_key:
                self.reports[key] = (row, boss)
            else:
                position.reports_to_id = None
        active_head = bool(position.is_head and position.is_active)
        self.in_file[key] = (unit.id, active_head)
        if active_head:
            self.heads[unit.id].append((row, key))
        if before is None:
            self.creates[key] = (row, position)
            return
        position.pk = position.id = before["id"]
        self._plan_update(position, before, boss_key if boss_given else None)

    def _plan_update(self, position: Position, before: dict[str, Any], boss: str | None) -> None:
        known = self.existing.get(boss) if boss else None
        if known is not None:
            position.reports_to_id = known["id"]
        changed = _changed(position, before, POSITION_FIELDS)
        linked = bool(boss and known is None)
        if linked:
            self.links.append((position, boss))
        elif position.reports_to_id != before["reports_to_id"]:
            changed.append("reports_to_id")
        if changed:
            self.updates.append((position, changed))
        if changed or linked:
            self.update_before[position.pk] = before
        else:
            self.unchanged += 1

    def finish(self) -> list[RowError]:
        errors = []
        for row, boss in self.reports.values():
            key = boss.lower()
            if key not in self.existing and key not in self.in_file:
                errors.append(RowError(row, "reports_to_code", _unknown_position(boss), value=boss))
        # One active head per unit: the database's constraint, checked before writing.
        db_heads = {
            p["unit_id"]: p["code"]
            for p in self.existing.values()
            if p["is_head"] and p["is_active"]
        }
        for unit_id, rows in self.heads.items():
            for row, _key in rows[1:]:
                errors.append(
                    RowError(
                        row,
                        "is_head",
                        _("Row %(row)d already names the head of this unit.") % {"row": rows[0][0]},
                    )
                )
            head = db_heads.get(unit_id)
            row, key = rows[0]
            if (
                head
                and head.lower() != key
                and self.in_file.get(head.lower(), (unit_id, True)) == (unit_id, True)
            ):
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
        for key, (_row, position) in self.creates.items():
            boss = self.reports.get(key)
            if boss and boss[1].lower() in self.existing:
                position.reports_to_id = self.existing[boss[1].lower()]["id"]
            elif boss:
                self.links.append((position, boss[1].lower()))
            new.append(position)
        # Release heads first, so that a head moving between posts never meets itself.
        self.updates.sort(key=lambda u: u[0].is_head and u[0].is_active)
        _bulk_update(Position, self.updates, now)
        Position.objects.bulk_create(new, batch_size=BATCH)
        self.created = new
        if self.links:
            ids = {key: p["id"] for key, p in self.existing.items()}
            ids.update({p.code.lower(): p.pk for p in new})
            for position, boss in self.links:
                position.reports_to_id = ids[boss]
                position.updated_at = now
            Position.objects.bulk_update(
                [p for p, _b in self.links], ["reports_to", "updated_at"], batch_size=500
            )
        # Today's reports_to and is_active become the dated lines and lives of the posts.
        touched = [*new, *(p for p, _f in self.updates), *(p for p, _b in self.links)]
        services.sync_lines(self.ctx.instansi_id, [p.pk for p in touched], self.ctx.today)

    def audit_entries(self) -> Iterator[dict[str, Any]]:
        """Yield one audit entry per created or changed position, with its changed fields."""
        paths = {pk: unit.path for pk, unit in self.units_by_id.items()}
        for position in self.created:
            yield {
                "action": "create",
                "target_type": "organisations.position",
                "target_id": position.pk,
                "target_repr": position.title,
                "unit_id": position.unit_id,
                "unit_path": paths.get(position.unit_id, ""),
                "changes": _created(
                    {
                        "code": position.code,
                        **{f: getattr(position, f) for f in POSITION_FIELDS},
                        "reports_to_id": position.reports_to_id,
                    }
                ),
            }
        changed = {p.pk: (p, fields) for p, fields in self.updates}
        for position, _boss in self.links:
            if position.pk in self.update_before and position.pk not in changed:
                changed[position.pk] = (position, [])
        for pk, (position, fields) in changed.items():
            before = self.update_before[pk]
            names = [f for f in fields if f != "reports_to_id"]
            changes = {_audit_name(f): [before[f], getattr(position, f)] for f in names}
            if position.reports_to_id != before["reports_to_id"]:
                changes["reports_to"] = [before["reports_to_id"], position.reports_to_id]
            yield {
                "action": "update",
                "target_type": "organisations.position",
                "target_id": pk,
                "target_repr": position.title,
                "unit_id": position.unit_id,
                "unit_path": paths.get(position.unit_id, ""),
                "changes": changes,
            }


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
    "is_active",
)
_OPTIONAL = ("front_title", "back_title", "sex", "birth_date", "grade", "email")
_EMPLOYEE_BLANK = {
    "front_title": "",
    "back_title": "",
    "sex": "",
    "birth_date": None,
    "grade": "",
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
        for_field(Employee, "grade", label="Golongan", example="III/a"),
        for_field(Employee, "email", label="Email", example=""),
        Column(
            "start_date",
            date,
            blank=True,
            label="Tanggal Mulai",
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
        on = values["start_date"] or self.ctx.today
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
