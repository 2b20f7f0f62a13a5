"""Insert many plain rows fast: `bulk_create` without its per-value compiler overhead.

Django's ``bulk_create`` compiles every value through the field API (pre_save, get_db_prep_save,
field_as_sql): about 6 microseconds a value, so 80,000 employees of 16 columns cost more in
Python than in the database. `insert_rows` prepares each column once (identity for text,
numbers, booleans and integer keys; the field's own conversion, memoised per distinct value, for
dates and the rest) and sends the rows in bulk: on PostgreSQL with ``COPY`` (psycopg 3, which
the project requires), on SQLite with multi-row ``VALUES`` as large as the database accepts.

It has bulk_create's contract and no more: no ``save()``, no signals, no multi-table
inheritance. Columns left out get their field's default; ``auto_now``/``auto_now_add`` columns
get the current time.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import connections, models
from django.utils import timezone

PG_MAX_PARAMS = 65_535
_IDENTITY_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,  # includes the big, small and positive kinds
)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    return_ids: bool = False,
    same: dict[str, Any] | None = None,
    using: str = "default",
    prepared: bool = False,
) -> list[Any]:
    """Insert ``rows`` (values in the order of ``fields``, by attname) into ``model``'s table.

    ``same`` gives columns whose value every row shares (by attname): prepared once, not once
    a row. With ``prepared`` the rows' values are already what the driver takes (integers,
    text, finite ``Decimal``s, None; no dates, JSON or model instances): no column is converted
    and the rows go as they are (the roll-up rebuild's 2.3 million rows). Return the new
    primary keys in row order when ``return_ids`` (the database must
    support ``RETURNING``, as SQLite 3.35+ and PostgreSQL do), else an empty list.
    """
    connection = connections[using]
    if return_ids and not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("insert_rows needs INSERT ... RETURNING to return ids")
    opts = model._meta
    given = [opts.get_field(name) for name in fields]
    constants = _constants(opts, {f.attname for f in given}, connection, same or {})
    columns = [*given, *(f for f, _v in constants)]
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the text; values are parameters.
    head = "INSERT INTO {} ({})".format(
        quote(opts.db_table), ", ".join(quote(f.column) for f in columns)
    )
    tail = f" RETURNING {quote(opts.pk.column)}" if return_ids else ""
    # An iterator: the writers take the rows batch by batch.
    rows = iter(rows) if prepared else _prepare(rows, [_converter(f, connection) for f in given])
    with _cursor(connection) as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            return _copy(cursor, opts, columns, constants, rows, return_ids, connection)
        return _values(cursor, head, tail, columns, constants, rows, connection)


def _copy(cursor, opts, columns, constants, rows, return_ids, connection) -> list[Any]:
    """Insert with COPY, the fastest way into PostgreSQL; new keys are drawn beforehand from
    the table's own sequence, so that they can be returned (COPY returns nothing)."""
    quote = connection.ops.quote_name
    names = [quote(f.column) for f in columns]
    fixed = tuple(value for _f, value in constants)
    ids: list[Any] = []
    if return_ids:
        rows = list(rows)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names.insert(0, quote(opts.pk.column))
    sql = f"COPY {quote(opts.db_table)} ({', '.join(names)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        if return_ids:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row, *fixed))
        else:
            for row in rows:
                copy.write_row((*row, *fixed))
    return ids


def _values(cursor, head, tail, columns, constants, rows, connection) -> list[Any]:
    """Insert with multi-row VALUES, as many rows a statement as the parameter limit allows."""
    mark = "?" if connection.vendor == "sqlite" else "%s"
    width = len(columns)
    per_statement = max(1, max_query_params(connection) // width)
    one = "(" + ", ".join([mark] * width) + ")"
    fixed = tuple(value for _f, value in constants)
    ids: list[Any] = []
    while batch := list(islice(rows, per_statement)):
        params: list[Any] = []
        for row in batch:
            params.extend(row)
            params.extend(fixed)
        cursor.execute(f"{head} VALUES {', '.join([one] * len(batch))}{tail}", params)
        if tail:
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _cursor(connection):
    if connection.vendor == "sqlite":
        # The driver's own cursor, with "?" marks, skips Django's rewriting of "%s" in
        # statements of 30,000 parameters; same connection, same transaction.
        connection.ensure_connection()
        return contextlib.closing(connection.connection.cursor())
    return connection.cursor()


def _constants(
    opts, given: set[str], connection, same: dict[str, Any]
) -> list[tuple[models.Field, Any]]:
    """Return the columns the rows leave out, prepared: the shared value the caller gives,
    else the field's default (or now)."""
    unknown = (set(same) - {f.attname for f in opts.concrete_fields}) | (set(same) & given)
    if unknown:
        raise ValueError(f"insert_rows: bad shared columns {sorted(unknown)}")
    now = timezone.now()
    out = []
    for field in opts.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if field.attname in same:
            value = same[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now if isinstance(field, models.DateTimeField) else now.date()
        else:
            value = field.get_default()
        out.append((field, field.get_db_prep_save(value, connection)))
    return out


def _prepare(
    rows: Iterable[Sequence[Any]], converters: list[Callable[[Any], Any] | None]
) -> Iterator[Sequence[Any]]:
    """Yield each row with the columns that need it converted (most columns need nothing)."""
    active = [(i, c) for i, c in enumerate(converters) if c is not None]
    if not active:
        yield from rows
        return
    width = len(converters)
    for row in rows:
        if len(row) != width:
            raise ValueError(f"insert_rows: a row of {len(row)} values for {width} columns")
        row = list(row)
        for i, convert in active:
            value = row[i]
            if value is not None:
                row[i] = convert(value)
        yield row


class RawJSON(str):
    """JSON text serialised already: written as it is into a JSON column, not serialised again."""


def _converter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    """Return how to prepare a value of ``field`` for the database; None: as it is."""
    if field.is_relation:
        field = field.target_field
    if isinstance(field, _IDENTITY_FIELDS):
        return None
    if isinstance(field, models.JSONField):
        prepare_json = field.get_db_prep_save

        def convert_json(value: Any) -> Any:
            if value.__class__ is RawJSON:
                return str(value)  # text, as both SQLite and COPY into jsonb take it
            return prepare_json(value, connection)

        return convert_json
    prepare = field.get_db_prep_save
    if isinstance(field, models.DecimalField):

        def convert_decimal(value: Any) -> Any:
            # A finite Decimal comes out of the field's preparation as an equal Decimal (to_python
            # copies it; the backends pass it on as it is): skip the three calls a value.
            if value.__class__ is Decimal and value.is_finite():
                return value
            return prepare(value, connection)

        return convert_decimal
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            prepared = cache[value] = prepare(value, connection)
            return prepared
        except TypeError:  # unhashable values are prepared every time
            return prepare(value, connection)

    return convert


def max_query_params(connection) -> int:
    """Return how many bound parameters one statement may carry on ``connection``."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or PG_MAX_PARAMS
