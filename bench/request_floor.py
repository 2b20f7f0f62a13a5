#!/usr/bin/env python
"""Benchmark the three reads every signed-in request makes, as Kinerja makes them against the
way Django's ORM makes them, in the same run on the same rows.

1. **the session**: ``kinerja.accounts.sessions.SessionStore.load`` (one statement built once)
   against Django's ``django.contrib.sessions.backends.db.SessionStore.load``
   (``Session.objects.get(session_key=..., expire_date__gt=now)``);
2. **the user** with the instansi, the employee and the post (the header names them):
   ``kinerja.core.prepared.JoinedRow.get`` against
   ``User.objects.select_related("instansi", "employee__position").get(pk=...)``;
3. **the data's version** (the audit chains' heads that the kept pages are filed under):
   ``kinerja.audit.freshness`` against the same query through the ORM.

Each pair runs ``--repeat`` rounds (5) of ``--calls`` calls (2,000), interleaved; figures are
medians of the rounds in microseconds per call, and the ratio is Kinerja's time over the ORM's.
Before timing, each pair's results are compared (the same session data, the same field values
of the four models, the same heads): the run stops on a difference.

    .venv/bin/python bench/request_floor.py                      # SQLite in a temp file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinerja_bench_floor \\
        .venv/bin/python bench/request_floor.py                  # PostgreSQL (made if missing)

The database gets the migrations and a small organisation made by the test suite's factories
(one instansi, a unit, a post, an employee and its account with a session and an audited
write). A PostgreSQL database named in
``DATABASE_URL`` is created if missing and dropped at the end when this run created it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _postgres_database(url: str) -> bool:
    """Create the database of ``url`` if missing; return whether this run created it."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        if c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        c.execute(f'CREATE DATABASE "{name}"')
    return True


def _drop_postgres_database(url: str) -> None:
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def _setup_rows():
    """The organisation (the test suite's factories), the account, a live session and one
    audited write."""
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from kinerja.accounts.models import User
    from kinerja.audit.services import record
    from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory

    post = PositionFactory()
    employee = EmployeeFactory(unit=post.unit, position=post)
    user = User.objects.create_user(
        username="bench.user", password="x", instansi=post.instansi, employee=employee
    )
    record(actor=None, action="bench.setup", target=post.unit, instansi_id=post.instansi_id)
    store = DjangoStore()
    store.update({"_auth_user_id": str(user.pk), "note": "bench"})
    store.save()
    return user.pk, post.instansi_id, store.session_key


def _pairs(user_id: int, instansi_id: int, session_key: str):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.db.models import Q

    from kinerja.accounts.backends import _signed_in_user
    from kinerja.accounts.models import User
    from kinerja.accounts.sessions import SessionStore
    from kinerja.audit.freshness import _chain_heads
    from kinerja.audit.models import AuditChain

    related = ("instansi", "employee__position")
    loader = _signed_in_user()

    def user_values(user) -> list:
        out = []
        for obj in (user, user.instansi, user.employee, user.employee.position):
            out.append({f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields})
        return out

    def orm_heads():
        return sorted(
            AuditChain.objects.filter(Q(instansi_id=instansi_id) | Q(instansi_id__isnull=True))
            .values_list("instansi_id", "last_sequence", "access_sequence")
            .order_by(),
            key=repr,
        )

    return [
        (
            "session",
            lambda: SessionStore(session_key).load(),
            lambda: DjangoStore(session_key).load(),
            lambda value: value,
        ),
        (
            "user, instansi, employee, post",
            lambda: loader.get(user_id),
            lambda: User.objects.select_related(*related).get(pk=user_id),
            user_values,
        ),
        (
            "audit chain heads",
            lambda: sorted(_chain_heads(instansi_id), key=repr),
            orm_heads,
            lambda value: value,
        ),
    ]


def check(pairs) -> None:
    """Stop the run when one of Kinerja's reads gives other than the ORM's."""
    for name, ours, theirs, compare in pairs:
        if compare(ours()) != compare(theirs()):
            raise SystemExit(f"{name}: Kinerja's result differs from the ORM's")


def _time(func, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        func()
    return (time.perf_counter() - start) / calls * 1e6


def run(calls: int, repeat: int) -> list[dict]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    user_id, instansi_id, session_key = _setup_rows()
    results = []
    pairs = _pairs(user_id, instansi_id, session_key)
    check(pairs)
    for name, ours, theirs, _compare in pairs:
        for func in (ours, theirs):  # warm up: statements built, caches filled
            _time(func, 50)
        mine, orm = [], []
        for _ in range(repeat):
            mine.append(_time(ours, calls))
            orm.append(_time(theirs, calls))
        results.append(
            {
                "read": name,
                "kinerja_us": statistics.median(mine),
                "orm_us": statistics.median(orm),
            }
        )
    print(f"\n{connection.vendor}, {calls:,} calls x {repeat} rounds, medians (us per call)\n")
    print(f"| {'read':<32} | {'Kinerja':>9} | {'ORM':>9} | {'ratio':>6} |")
    print(f"|{'-' * 34}|{'-' * 10}:|{'-' * 10}:|{'-' * 7}:|")
    total_mine = total_orm = 0.0
    for row in results:
        total_mine += row["kinerja_us"]
        total_orm += row["orm_us"]
        ratio = row["kinerja_us"] / row["orm_us"]
        print(
            f"| {row['read']:<32} | {row['kinerja_us']:>9.1f} | {row['orm_us']:>9.1f} "
            f"| {ratio:>5.2f}x |"
        )
    print(
        f"| {'the three':<32} | {total_mine:>9.1f} | {total_orm:>9.1f} "
        f"| {total_mine / total_orm:>5.2f}x |"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--role", choices=("time",), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "time":
        run(args.calls, args.repeat)
        return
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.local", PYTHONPATH=str(ROOT))
    url = env.get("DATABASE_URL", "")
    created = False
    with tempfile.TemporaryDirectory(prefix="kinerja-floor-") as tmp:
        if url.startswith("postgres"):
            created = _postgres_database(url)
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/floor.sqlite3"
        try:
            argv = [sys.executable, __file__, "--role", "time"]
            argv += ["--calls", str(args.calls), "--repeat", str(args.repeat)]
            subprocess.run(argv, env=env, check=True, cwd=ROOT)
        finally:
            if created:
                _drop_postgres_database(url)


if __name__ == "__main__":
    main()
