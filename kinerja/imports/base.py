"""What an importer declares and implements, and the registry the domain apps fill.

Core imports no domain app, so the importers live in their apps (``organisations/importers/``)
and register themselves here when the app is ready.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Scope

from .columns import Column, fold_header


@dataclass(frozen=True)
class RowError:
    """One problem in the file: row as the spreadsheet numbers it, column name, message, and
    the offending cell as the user typed it (``value``, empty when no one cell is at fault)."""

    row: int
    column: str
    message: str
    value: Any = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportContext:
    """Who imports into which instansi, and with what reach."""

    actor: Any
    scope: Scope
    instansi_id: int
    present: frozenset[str] = frozenset()  # the columns the file has
    today: dt.date = field(default_factory=timezone.localdate)


class Importer:
    """Base class of an importer: declare columns and a natural key, implement the hooks.

    One instance serves one run. The engine calls, in order: ``prepare`` once (preload lookups
    into dicts), ``check`` for each row (raise ``ValidationError``, a dict keyed by column name,
    or remember the planned write), ``finish`` once (cross-row rules), then ``counts`` and,
    unless it is a dry run, ``write`` inside one transaction.
    """

    do_not_call_in_templates = True  # templates list the importer classes themselves

    kind: ClassVar[str]
    label: ClassVar[Any]
    description: ClassVar[Any] = ""
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]
    # Field names of a multi-field rule's ValidationError mapped to the file's column names.
    field_columns: ClassVar[dict[str, str]] = {}
    # Whether ``check`` may see a row whose other cells failed to parse (their names in
    # ``self.bad``, their values None), so that one pass reports all of a row's errors.
    checks_partial_rows: ClassVar[bool] = False
    bad: frozenset[str] = frozenset()

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx

    @classmethod
    def column_map(cls) -> dict[str, Column]:
        return {c.name: c for c in cls.columns}

    @classmethod
    def header_names(cls) -> dict[str, str]:
        """Return {folded header: column name} for every spelling a column answers to."""
        names: dict[str, str] = {}
        for column in cls.columns:
            for spelling in column.spellings():
                names.setdefault(fold_header(spelling), column.name)
        return names

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        """Return the template's example row, {column name: value}; valid for ``ctx``'s scope
        where the importer can look one up."""
        return {c.name: c.example for c in cls.columns}

    def row_key(self, values: dict[str, Any]) -> Hashable | None:
        """Return the natural key of a row, or None when the row has none to compare."""
        key = tuple(values.get(name) for name in self.key)
        return None if None in key else (key[0] if len(key) == 1 else key)

    def duplicate_error(self, row: int, key: Hashable, first_row: int) -> RowError:
        """Return the error for a row whose natural key an earlier row of the file has."""
        shown = key if isinstance(key, str) else " / ".join(str(k) for k in key)  # type: ignore[union-attr]
        return RowError(
            row,
            ", ".join(self.key),
            _("%(key)s appears more than once in the file (first in row %(row)d).")
            % {"key": shown, "row": first_row},
        )

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        """Preload lookups; ``column(name)`` gives the raw cells of one column."""

    def check(self, row: int, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def finish(self) -> list[RowError]:
        return []

    def counts(self) -> dict[str, int]:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError

    def audit_unit(self) -> Any:
        """Return the unit the import's audit event is filed under (None: the instansi)."""
        return None

    def audit_entries(self) -> Iterable[dict[str, Any]]:
        """Return one audit entry per row that ``write`` created or changed.

        Called inside the write transaction after ``write``. Each entry is a dict with
        ``action`` ("create" or "update"), ``target_type`` ("organisations.employee"),
        ``target_id``, ``target_repr``, ``unit_id``, ``unit_path`` and ``changes``
        (``{field: [old, new]}``; a new row has ``[None, new]``; or that dict already as
        canonical text, see `kinerja.audit.sealing.CreationText`). Yield them grouped by
        action: the engine streams each run of one action to the trail as
        ``import.<kind>.<action>`` events, so each object's history shows the import.
        """
        return []

    def errors_from(self, row: int, exc: ValidationError) -> list[RowError]:
        """Turn a ValidationError into row errors, naming the file's columns."""
        if not hasattr(exc, "error_dict"):
            return [RowError(row, "", str(m)) for m in exc.messages]
        out = []
        for name, errors in exc.error_dict.items():
            column = "" if name == "__all__" else self.field_columns.get(name, name)
            for error in errors:
                out.extend(RowError(row, column, str(m)) for m in error.messages)
        return out


_registry: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Add an importer under its ``kind``; usable as a class decorator."""
    _registry[importer.kind] = importer
    return importer


def get_importer(kind: str) -> type[Importer] | None:
    return _registry.get(kind)


def importers() -> list[type[Importer]]:
    return list(_registry.values())
