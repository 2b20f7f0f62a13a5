"""Results kept until the next audited write: the version, the key, the keeping."""

import datetime as dt

import pytest

from kinerja.audit.freshness import (
    ACCESS_NEUTRAL_APPS,
    access_version,
    data_version,
    kept,
    scope_key,
)
from kinerja.audit.services import record, record_many
from kinerja.core.scope import Grant, Scope


class _Request:
    pass


@pytest.mark.django_db
def test_the_version_moves_with_each_write_of_the_instansi_or_the_system():
    assert data_version(7) == "0.0"
    record(actor=None, action="test.one", instansi_id=7, target_type="x", target_repr="x")
    record(actor=None, action="test.two", instansi_id=7, target_type="x", target_repr="x")
    assert data_version(7) == "2.0"
    record(actor=None, action="test.other", instansi_id=8, target_type="x", target_repr="x")
    assert data_version(7) == "2.0"  # another instansi's write leaves 7's results standing
    record(actor=None, action="test.system", target_type="x", target_repr="x")
    assert data_version(7) == "2.1"


@pytest.mark.django_db
def test_the_version_is_read_once_per_request(django_assert_num_queries):
    request = _Request()
    with django_assert_num_queries(1):
        assert data_version(7, request) == data_version(7, request) == "0.0"


@pytest.mark.django_db
def test_the_access_version_moves_only_with_writes_that_may_change_a_scope():
    def write(target_type, instansi_id=7):
        record(actor=None, action="t", instansi_id=instansi_id, target_type=target_type)

    write("performance.realisation")
    write("training.participant")
    assert (data_version(7), access_version(7)) == ("2.0", "0.0")
    write("accounts.roleassignment")
    assert (data_version(7), access_version(7)) == ("3.0", "3.0")
    write("regional.project")
    write("organisations.reportingline")
    write("performance.plan")
    assert (data_version(7), access_version(7)) == ("6.0", "5.0")
    write("", instansi_id=None)  # no target type: counted as one that may
    assert (data_version(7), access_version(7)) == ("6.1", "5.1")
    entries = [
        {"target_type": "performance.realisation", "target_id": 1},
        {"target_type": "organisations.employee", "target_id": 2},
        {"target_type": "risks.risk", "target_id": 3},
    ]
    assert record_many(actor=None, action="import", entries=entries, instansi_id=7) == 3
    assert (data_version(7), access_version(7)) == ("9.1", "8.1")
    request = _Request()
    data_version(7, request)
    record(actor=None, action="t", instansi_id=7, target_type="organisations.position")
    assert access_version(7, request) == "8.1"  # read with the data version, once a request


@pytest.mark.django_db
def test_a_scope_reads_no_table_of_the_apps_whose_writes_leave_it_standing(world):
    """If scope_for ever reads a plan, a training or a project table, the scopes kept under the
    access version would go stale: this holds the list in step with what it reads."""
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.accounts.scope import scope_for

    tables = {
        model._meta.db_table: model._meta.app_label
        for model in apps.get_models()
        if model._meta.app_label in ACCESS_NEUTRAL_APPS
    }
    for user in world.users.values():
        with CaptureQueriesContext(connection) as queries:
            scope_for(user)
        assert queries.captured_queries, user  # it reads the grants
        for query in queries.captured_queries:
            read = [t for t in tables if f'"{t}"' in query["sql"]]
            assert read == [], (user.username, query["sql"])


def test_scopes_share_a_key_only_when_they_reach_the_same():
    a = Scope(instansi_id=1, grants=(Grant(frozenset({"view", "edit"}), "00000001"),), user_id=1)
    same = Scope(instansi_id=1, grants=(Grant(frozenset({"edit", "view"}), "00000001"),), user_id=2)
    assert scope_key(a) == scope_key(same)
    other_unit = Scope(instansi_id=1, grants=(Grant(frozenset({"view", "edit"}), "00000002"),))
    other_instansi = Scope(instansi_id=2, grants=a.grants)
    own = Scope(instansi_id=1, grants=a.grants, employee_id=5)
    posts = Scope(instansi_id=1, grants=(Grant(frozenset({"view"}), None, "", frozenset({3})),))
    posts_more = Scope(
        instansi_id=1, grants=(Grant(frozenset({"view"}), None, "", frozenset({3, 4})),)
    )
    keys = {scope_key(s) for s in (a, other_unit, other_instansi, own, posts, posts_more)}
    assert len(keys) == 6


@pytest.mark.django_db
def test_a_kept_result_stands_until_a_write_or_the_next_day():
    scope = Scope(instansi_id=7, grants=(Grant(frozenset({"view"})),))
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    day = dt.date(2026, 11, 28)
    assert kept("t", compute, scope=scope, on=day) == 1
    assert kept("t", compute, scope=scope, on=day) == 1
    assert kept("t", compute, scope=scope, on=day, parts=("x",)) == 2
    record(actor=None, action="test.one", instansi_id=7, target_type="x", target_repr="x")
    assert kept("t", compute, scope=scope, on=day) == 3
    assert kept("t", compute, scope=scope, on=day + dt.timedelta(days=1)) == 4
    assert len(calls) == 4
