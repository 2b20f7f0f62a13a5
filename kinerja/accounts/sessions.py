"""The session store (``SESSION_ENGINE``): Django's database sessions, read with one prepared
statement.

Django's store reads a session with ``Session.objects.get(session_key=..., expire_date__gt=now)``
on every signed-in request, compiling the query each time; here the same statement is built once
per database and run as it is. Everything else (saving, creating, deleting, ``clearsessions``,
the signed and expiring payload) is Django's.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

_SQL: dict[str, str] = {}


def _statement(connection, model) -> str:
    sql = _SQL.get(connection.alias)
    if sql is None:
        qn = connection.ops.quote_name
        fields = {f.name: qn(f.column) for f in model._meta.concrete_fields}
        sql = _SQL[connection.alias] = (
            f"SELECT {fields['session_data']} FROM {qn(model._meta.db_table)} "  # noqa: S608
            f"WHERE {fields['session_key']} = %s AND {fields['expire_date']} > %s"
        )  # the names from the model, quoted; the values are parameters
    return sql


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_statement(connection, model), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: a missing or expired session starts anew
            return {}
        return self.decode(row[0])
