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
