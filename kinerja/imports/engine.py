"""The import engine: match the header, check every row, then write everything or nothing.

The per-row loop is the hot path at 80,000 rows: no query, no ``full_clean``, no model
validation beyond the column parsers and the importer's own ``check``; lookups are preloaded
by the importer's ``prepare`` and writes happen in bulk in ``write``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record, record_many
from kinerja.core.db import analyze
from kinerja.core.scope import Action, Scope

from .base import ImportContext, Importer, RowError
from .columns import as_text
from .readers import Table, is_blank_row

# progress(phase, rows done, rows in all); phase is "validating" or "importing".
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 500


@dataclass
class ImportOutcome:
    """What an import found and did (or, for a dry run, would do)."""

    valid: bool
    dry_run: bool
    total_rows: int
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def fold_header(header: str) -> str:
    """Return the column name a header means: case and spaces do not matter."""
    return "_".join(header.split()).casefold()


def match_headers(importer: type[Importer], table: Table) -> tuple[dict[str, int], list[RowError]]:
    """Return {column name: position} and the errors of the header row, naming each column."""
    columns = importer.column_map()
    names = importer.header_names()  # the label, the field name or an alias
    index: dict[str, int] = {}
    errors: list[RowError] = []
    row = table.header_row
    for position in table.unnamed_columns:
        letter = table.column_letter(position)
        errors.append(
            RowError(row, letter, _("Column %(letter)s has no header.") % {"letter": letter})
        )
    for position, header in enumerate(table.headers):
        if not header:
            continue
        name = names.get(fold_header(header), "")
        if name not in columns:
            errors.append(RowError(row, header, _("Unknown column: '%(name)s'") % {"name": header}))
        elif name in index:
            errors.append(
                RowError(row, header, _("Column '%(name)s' appears twice.") % {"name": header})
            )
        else:
            index[name] = position
    for column in importer.columns:
        if column.required and column.name not in index:
            errors.append(
                RowError(
                    row,
                    column.header,
                    _("Required column missing: %(name)s") % {"name": column.header},
                )
            )
    return index, errors


def import_run(
    *,
    actor: Any,
    scope: Scope,
    importer: type[Importer],
    table: Table,
    dry_run: bool = False,
    progress: Progress | None = None,
    job: Any = None,
    file_name: str = "",
) -> ImportOutcome:
    """Check every row of ``table``; unless it is a dry run or a row is wrong, write them all.

    Writes happen in one transaction with one audit event for the whole file.
    """
    if scope.instansi_id is None or not scope.can_anywhere(Action.IMPORT):
        raise PermissionDenied(_("You may not import data."))
    total = table.row_count
    index, errors = match_headers(importer, table)
    if errors:
        return ImportOutcome(valid=False, dry_run=dry_run, total_rows=total, errors=errors)
    if not total:
        nothing = _("The file has a header but no rows: there is nothing to import.")
        return ImportOutcome(
            valid=False,
            dry_run=dry_run,
            total_rows=0,
            errors=[RowError(table.header_row + 1, "", nothing)],
        )
    ctx = ImportContext(
        actor=actor, scope=scope, instansi_id=scope.instansi_id, present=frozenset(index)
    )
    run = importer(ctx)

    def column(name: str) -> list[Any]:
        # One pass over the file for each column asked for: no copy of the table stays behind.
        if name not in index:
            return []
        i = index[name]
        return [row[i] for row in table.rows if i < len(row)]

    run.prepare(column)
    errors = _check_rows(run, table, index, progress, total)
    errors.extend(run.finish())
    table.release()  # every pass is made: free the reader's copy of the sheet before the writes
    if errors:
        errors.sort(key=lambda e: e.row)
        return ImportOutcome(valid=False, dry_run=dry_run, total_rows=total, errors=errors)
    counts = run.counts()
    if not dry_run:
        if progress:
            progress("importing", total, total)
        _commit(run=run, counts={**counts, "rows": total}, job=job, file_name=file_name)
        if should_analyze(counts):
            analyze()
    return ImportOutcome(valid=True, dry_run=dry_run, total_rows=total, counts=counts)


def should_analyze(counts: dict[str, int]) -> bool:
    """Whether an import wrote enough rows (``KINERJA_ANALYZE_AFTER_ROWS``) to refresh the
    planner's statistics: after a large import the lists would be planned on stale ones."""
    written = sum(counts.get(key, 0) for key in ("created", "updated"))
    return written >= settings.KINERJA_ANALYZE_AFTER_ROWS


def _check_rows(
    run: Importer, table: Table, index: dict[str, int], progress: Progress | None, total: int
) -> list[RowError]:
    """Parse and check every row; report all of a row's errors in one pass.

    A cell that fails to parse does not hide the rest of its row: when the importer allows it
    (``checks_partial_rows``), its ``check`` still runs with the failed columns in ``run.bad``
    (their values None), so an unknown unit does not hide a bad NIP. Each error carries the
    cell as typed.
    """
    specs = [
        (c.name, c.parse, c.value_required, index[c.name])
        for c in run.columns
        if c.name in index and not c.readonly
    ]
    absent = [c.name for c in run.columns if c.name not in index or c.readonly]
    required_msg = _("This column must be filled.")
    seen: dict[Any, int] = {}
    errors: list[RowError] = []
    check = run.check
    partial = run.checks_partial_rows
    none_bad: frozenset[str] = frozenset()
    run.bad = none_bad
    first = table.header_row + 1
    done = 0
    for offset, raw in enumerate(table.rows):
        if is_blank_row(raw):
            continue
        row = first + offset
        width = len(raw)
        values: dict[str, Any] = dict.fromkeys(absent)
        bad: list[str] | None = None
        for name, parse, needed, i in specs:
            cell = raw[i] if i < width else None
            if cell.__class__ is str:
                cell = cell.strip()
            if cell is None or cell == "":
                values[name] = None
                if needed:
                    errors.append(RowError(row, name, required_msg))
                    bad = [*(bad or ()), name]
                continue
            try:
                values[name] = parse(cell)
            except ValidationError as exc:
                typed = _typed(cell)
                errors.extend(RowError(row, name, str(m), typed) for m in exc.messages)
                values[name] = None
                bad = [*(bad or ()), name]
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("validating", done, total)
        if bad is not None:
            if not partial:
                continue
            run.bad = frozenset(bad)
        else:
            key = run.row_key(values)
            if key is not None:
                if key in seen:
                    errors.append(run.duplicate_error(row, key, seen[key]))
                    continue
                seen[key] = row
        try:
            check(row, values)
        except ValidationError as exc:
            errors.extend(_with_cells(run.errors_from(row, exc), raw, index, run.bad))
        if bad is not None:
            run.bad = none_bad
    if progress is not None:
        progress("validating", done, total)
    return errors


def _typed(cell: Any) -> str:
    return cell if cell.__class__ is str else as_text(cell)


def _with_cells(
    errors: list[RowError], raw: list[Any], index: dict[str, int], bad: frozenset[str]
) -> list[RowError]:
    """Fill in the cell each error is about; drop errors on columns already reported."""
    out = []
    for error in errors:
        if error.column in bad:
            continue
        i = index.get(error.column)
        if i is not None and i < len(raw) and raw[i] is not None and not error.value:
            error = replace(error, value=_typed(raw[i]).strip())
        out.append(error)
    return out


@transaction.atomic
def _commit(*, run: Importer, counts: dict[str, int], job: Any, file_name: str) -> None:
    """Write the rows, then the import's summary event and one event per row it changed.

    The per-row events are appended in bulk, one ``record_many`` per run of an action, all in the
    transaction of the write: an import that fails leaves neither rows nor events.
    """
    run.write()
    ctx = run.ctx
    record(
        actor=ctx.actor,
        action=f"import.{run.kind}",
        target=job,
        target_type="imports.importjob",
        target_repr=file_name or (str(job) if job is not None else run.kind),
        instansi_id=ctx.instansi_id,
        unit=run.audit_unit(),
        changes=counts,
    )
    name = file_name or run.kind
    reason = f"Import #{job.pk}: {name}" if job is not None else f"Import: {name}"
    # Streamed: the entries of each run of one action go to the trail a chunk at a time, so an
    # import of 80,000 rows never holds 80,000 entries (importers yield them grouped by action).
    for action, entries in groupby(run.audit_entries(), key=itemgetter("action")):
        record_many(
            actor=ctx.actor,
            action=f"import.{run.kind}.{action}",
            entries=entries,
            reason=reason,
            instansi_id=ctx.instansi_id,
        )
