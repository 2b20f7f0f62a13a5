"""The realisation writes stay cheap: the query count of an API submit is held here (26 when
the answer read the realisation and its evidence again, 24 before the parties read the post's
holders and the line up together, and the audit event its own savepoint)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kinerja.accounts.scope import scope_for
from kinerja.performance.services import realisations as rs

from .realisation_fixtures import rl_fixture  # noqa: F401 - the rl fixture


def test_submit_query_count(rl):
    realisation = rs.realisation_create(
        actor=rl.holder_user,
        scope=scope_for(rl.holder_user),
        target=rl.t_a,
        sub_period=rl.q1,
        data={"value": "80"},
    )
    client = APIClient()
    client.force_login(rl.holder_user)
    client.get("/api/v1/realisations/")  # the session and the scope are warm
    url = f"/api/v1/realisations/{realisation.pk}/submit/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    # 3 the session, the user and the scope's version; 2 the realisation read within reach
    # (with its evidence); 7 the parties read again (the agreement row, the head post, its
    # line up, the holders of the post and of the posts above it: acting, definitive, the
    # people), before the write's transaction; then 2 that transaction (here a savepoint in
    # the test's), 2 the service's savepoint, 1 the lock (the target and sub-period read with
    # the realisation), 1 the update, 3 the audit event on its chain (no savepoint). The answer
    # is built from the locked row: no re-read.
    assert len(queries) <= 20, [q["sql"][:120] for q in queries.captured_queries]
    sql = [q["sql"] for q in queries.captured_queries]
    parties = next(i for i, q in enumerate(sql) if "performance_agreementtarget" in q)
    lock = next(i for i, q in enumerate(sql) if q.startswith(("SAVEPOINT", "BEGIN")))
    # The reads come before the write's transaction (on SQLite it holds the one write lock).
    assert parties < lock, sql
