"""Results kept until the next audited write: the version, the key, the keeping."""

import datetime as dt

import pytest

from kinerja.audit.freshness import data_version, kept, scope_key
from kinerja.audit.services import record
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
