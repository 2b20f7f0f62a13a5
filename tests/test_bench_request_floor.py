"""bench/request_floor.py at a tiny size, so that it cannot rot: its rows are made, each of
Kinerja's three reads gives what the ORM gives, and a difference stops the run."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "request_floor.py"


@pytest.fixture
def bench():
    spec = importlib.util.spec_from_file_location("bench_request_floor", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_three_reads_agree_with_the_orm_and_are_timed(bench):
    user_id, instansi_id, session_key = bench._setup_rows()
    pairs = bench._pairs(user_id, instansi_id, session_key)
    assert [name for name, *_ in pairs] == [
        "session",
        "user, instansi, employee, post",
        "audit chain heads",
    ]
    bench.check(pairs)  # the same results, or SystemExit
    for _name, ours, _theirs, _compare in pairs:
        assert bench._time(ours, 3) > 0
    session = pairs[0][1]()
    assert session["_auth_user_id"] == str(user_id) and session["note"] == "bench"
    heads = pairs[2][1]()
    assert [owner for owner, *_ in heads] == [instansi_id]  # no system chain written yet
    # A difference stops the run: the session read against another session's.
    name, ours, theirs, compare = pairs[0]
    wrong = [(name, ours, lambda: {**theirs(), "note": "changed"}, compare)]
    with pytest.raises(SystemExit, match="session: Kinerja's result differs"):
        bench.check(wrong)
