"""One row and its related rows by primary key, with the SQL built once per database.

Every signed-in request loads its user with the instansi, the employee and the employee's post
(the header names them). Through the ORM that is ``select_related(...).get(pk=...)``, and
Django compiles that query anew on each call: building the select list of four models, the
joins and the converters cost more than the query itself (about a fifth of a kept page's time;
``bench/request_floor.py`` times both). `JoinedRow` builds the same statement once per database
connection alias and keeps it, then on each call runs it and builds the instances as the ORM
does: ``Model.from_db`` with the values through the same converters (backend's, then field's),
the related instances in the caches ``select_related`` fills (a missing one cached as None,
a one-to-one's reverse side set too). A test compares it with the ORM field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router


@dataclass(frozen=True)
class _Node:
    model: type[models.Model]
    alias: str
    parent: int | None  # index of the node it hangs from; None for the base model
    field: models.Field | None  # the relation on the parent
    names: tuple[str, ...]  # attnames, in select order
    start: int  # first column of the node in the row
    pk_offset: int  # the primary key's place in ``names``
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]  # (offset, converters, col)


@dataclass(frozen=True)
class _Prepared:
    sql: str
    nodes: tuple[_Node, ...]


class JoinedRow:
    """``model`` by primary key (or by the unique field ``by``) with ``related`` joined: forward
    foreign keys and one-to-ones, nested with ``__`` as in ``select_related`` (a parent path
    listed before its children)."""

    def __init__(
        self, model: type[models.Model], related: tuple[str, ...] = (), *, by: str = "pk"
    ) -> None:
        self.model = model
        self.related = related
        self.by = model._meta.pk if by == "pk" else model._meta.get_field(by)
        if not (self.by.primary_key or self.by.unique):
            raise ValueError(f"{by}: a row is found by a unique field")
        self._prepared: dict[str, _Prepared] = {}

    def get(self, key: Any) -> models.Model | None:
        """The instance whose ``by`` field is ``key``, with its related ones cached, or None
        when there is none."""
        using = router.db_for_read(self.model)
        connection = connections[using]
        prepared = self._prepared.get(using)
        if prepared is None:
            prepared = self._prepared[using] = self._prepare(connection)
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        return self._build(prepared.nodes, row, using, connection)

    def _prepare(self, connection) -> _Prepared:
        qn = connection.ops.quote_name
        nodes: list[_Node] = []
        paths: dict[str | None, int] = {}
        joins: list[str] = []
        columns: list[str] = []

        def add(model, path, parent, field) -> None:
            alias = f"t{len(nodes)}"
            fields = model._meta.concrete_fields
            converters = []
            for offset, f in enumerate(fields):
                col = f.get_col(alias)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if found:
                    converters.append((offset, tuple(found), col))
                columns.append(f"{alias}.{qn(f.column)}")
            paths[path] = len(nodes)
            nodes.append(
                _Node(
                    model,
                    alias,
                    parent,
                    field,
                    tuple(f.attname for f in fields),
                    len(columns) - len(fields),
                    [f.attname for f in fields].index(model._meta.pk.attname),
                    tuple(converters),
                )
            )

        add(self.model, None, None, None)
        for path in self.related:
            head, _, name = path.rpartition("__")
            parent = paths[head or None]
            parent_node = nodes[parent]
            field = parent_node.model._meta.get_field(name)
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                raise ValueError(f"{path}: only forward foreign keys and one-to-ones join")
            related = field.related_model
            alias = f"t{len(nodes)}"
            target = field.target_field.column
            joins.append(
                f"LEFT OUTER JOIN {qn(related._meta.db_table)} {alias} "
                f"ON {alias}.{qn(target)} = {parent_node.alias}.{qn(field.column)}"
            )
            add(related, path, parent, field)
        sql = (
            f"SELECT {', '.join(columns)} FROM {qn(self.model._meta.db_table)} t0 "  # noqa: S608
            f"{' '.join(joins)} WHERE t0.{qn(self.by.column)} = %s"
        )  # the names from the models, quoted; the key is a parameter
        return _Prepared(sql, tuple(nodes))

    @staticmethod
    def _build(nodes, row, using, connection) -> models.Model:
        built: list[models.Model | None] = []
        for node in nodes:
            values = list(row[node.start : node.start + len(node.names)])
            for offset, converters, col in node.converters:
                value = values[offset]
                for converter in converters:
                    value = converter(value, col, connection)
                values[offset] = value
            parent = built[node.parent] if node.parent is not None else None
            if node.parent is not None and parent is None:
                built.append(None)  # under a missing row
                continue
            obj = None
            if values[node.pk_offset] is not None:
                obj = node.model.from_db(using, node.names, values)
            if node.field is not None:
                node.field.set_cached_value(parent, obj)
                if obj is not None and node.field.one_to_one:
                    node.field.remote_field.set_cached_value(obj, parent)
            built.append(obj)
        return built[0]
