"""What the unit, position and employee importers share: lookups of units by code within the
caller's scope, messages, audit helpers and bulk updates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from kinerja.core.scope import Action
from kinerja.imports import ImportContext, Importer

from ..models import OrgUnit

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
        .active_on(ctx.today)
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
