"""Database upkeep that the product runs itself."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections


def analyze(models: Iterable[type] = (), using: str = "default") -> None:
    """Refresh the query planner's statistics (``ANALYZE``) for ``models``' tables, or all.

    After a bulk load (the demo province, a large import) the planner would otherwise choose its
    plans from statistics of a much smaller table, or none at all on SQLite.
    """
    connection = connections[using]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(tables) if tables else "ANALYZE")
        else:
            for statement in [f"ANALYZE {table}" for table in tables] or ["ANALYZE"]:
                cursor.execute(statement)


def analyze_unanalyzed(using: str = "default") -> list[str]:
    """On SQLite, ``ANALYZE`` each table that has no statistics although others have; return
    their names. Elsewhere (and on a database never analyzed) do nothing.

    A migration that changes a column on SQLite rebuilds its table (a new table, the rows
    copied, the old one dropped), and the old table's statistics go with it. The planner then
    guesses: after the indicators' table was rebuilt at 80,330 staff, the goal tree walked all
    645,000 indicators by the instansi index (125 ms) instead of its goals' few hundred
    (0.3 ms). Run after every ``migrate`` (the core app's ``post_migrate``).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT IN (SELECT tbl FROM sqlite_stat1) ORDER BY name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables
