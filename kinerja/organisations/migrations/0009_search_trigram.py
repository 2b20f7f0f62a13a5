"""Trigram indexes for the name and post-title search, on PostgreSQL only.

A search for part of a name (``q=sari``) reads every name of the instansi: ``LIKE '%sari%'``
can use no ordinary index. PostgreSQL's ``pg_trgm`` indexes the three-letter pieces of each
value, so that the same ``UPPER(name) LIKE UPPER('%sari%')`` Django writes for ``icontains``
becomes an index search. SQLite has no such index; there the search stays a scan (see
``EmployeeQuerySet.search`` and the search count cap).

``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database's owner may create it.
"""

from django.db import migrations

INDEXES = (
    ("org_employee_name_trgm", "organisations_employee", "name"),
    ("org_position_title_trgm", "organisations_position", "title"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0008_merge_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
