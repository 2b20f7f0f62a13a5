#!/usr/bin/env python
"""Benchmark audited writes: one chain shared by all writers against one chain per instansi.

Eight writer processes (``--writers``) each append ``--writes`` events through
`kinerja.audit.services.record`, each call in its own transaction, on one fresh database:

1. before: all writers in ONE instansi, so they queue for one chain head (the contention of
   the old single global chain);
2. after: each writer in its own instansi, so each locks only its own chain head;
3. floor: the same rows written with a plain INSERT each (no lock, no head, no HMAC);
4. bulk: ``record_many`` runs of ``--batch`` events per call, each writer in its own instansi.

It prints audited writes per second and the ratios, then checks that every chain verifies.
Run from the project root:

    .venv/bin/python bench/audit_writes.py --database-url postgres://postgres@127.0.0.1/kinerja
    .venv/bin/python bench/audit_writes.py                 # SQLite in a temp file

With PostgreSQL a scratch database ``<name>_bench_<pid>`` is created beside the named one and
dropped afterwards; the named database is not touched. ``DATABASE_URL`` is the default URL.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from import_employees import describe, scratch_database  # noqa: E402

FLOOR_INSTANSI = 1000  # floor writer k writes into the chain of instansi 1000 + k
BULK_INSTANSI = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writes", type=int, default=400, help="record calls per writer")
    parser.add_argument("--batches", type=int, default=10, help="record_many calls per writer")
    parser.add_argument("--batch", type=int, default=500, help="events per record_many call")
    args = parser.parse_args()
    with scratch_database(args.database_url) as url:
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        run(args, url)


def run(args: argparse.Namespace, url: str) -> None:
    from django.core.management import call_command
    from django.db import connection, connections

    from kinerja.audit.models import AuditEvent
    from kinerja.audit.services import record
    from kinerja.audit.verification import verify

    call_command("migrate", verbosity=0)
    n, w = args.writes, args.writers
    # Every chain exists before the clock starts: creating a head is not what is measured.
    for instansi in [1, *range(11, 11 + w), *(FLOOR_INSTANSI + k for k in range(w))]:
        record(actor=None, action="bench.seed", target_type="bench.row", instansi_id=instansi)
    for k in range(w):
        record(
            actor=None, action="bench.seed", target_type="bench.row", instansi_id=BULK_INSTANSI + k
        )
    connections.close_all()
    print(
        f"database: {connection.vendor} ({describe(url)}); {w} writer processes; "
        f"{n} audited writes each, each in its own transaction",
        flush=True,
    )

    results: dict[str, float] = {}
    runs: list[tuple[str, str, Callable[[int], int], int]] = [
        ("serial", "1 writer, 1 chain", lambda k: _records(1, n), 1),
        ("before", "before: 8 writers, 1 instansi (1 chain)", lambda k: _records(1, n), w),
        ("after", "after: 8 writers, 8 instansi (8 chains)", lambda k: _records(11 + k, n), w),
        ("floor", "floor: plain INSERT, no chain or lock", lambda k: _inserts(k, n), w),
        (
            "bulk",
            f"record_many: 8 writers, 8 instansi, {args.batch}/call",
            lambda k: _bulk(BULK_INSTANSI + k, args.batches, args.batch),
            w,
        ),
    ]
    print(f"  {'run':44} {'rows':>7} {'seconds':>8} {'rows/s':>9}")
    for key, name, work, writers in runs:
        rows, seconds = _concurrently(work, writers)
        results[key] = rows / seconds
        print(f"  {name:44} {rows:7,} {seconds:8.2f} {rows / seconds:9,.0f}", flush=True)

    before, after, floor = results["before"], results["after"], results["floor"]
    print(f"after vs before: {after / before:5.2f}x the audited writes per second")
    print(f"after vs floor:  {after / floor:5.2f}x the rate of plain inserts")
    print(f"before vs floor: {before / floor:5.2f}x the rate of plain inserts")
    print(f"record_many vs after (rows/s): {results['bulk'] / after:5.1f}x")

    AuditEvent.objects.filter(action="bench.floor").delete()  # not audited: not in a chain
    expected = (3 * w + 1) + n * (2 * w + 1) + args.batches * args.batch * w  # seeds, records, bulk
    report = verify()
    audited = AuditEvent.objects.count()
    if not report.ok or audited != expected:
        sys.exit(f"verification failed: {audited} events (expected {expected}), {report.problems}")
    print(f"verified: {report.events:,} events in {report.chains} chains, all intact")


def _concurrently(work: Callable[[int], int], writers: int) -> tuple[int, float]:
    """Run ``work(k)`` in ``writers`` forked processes started together; return rows, seconds."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(writers)
    queue = context.Queue()

    def child(k: int) -> None:
        from django.db import connections

        connections.close_all()
        barrier.wait()
        started = time.monotonic()
        rows = work(k)
        queue.put((rows, started, time.monotonic()))
        connections.close_all()

    processes = [context.Process(target=child, args=(k,)) for k in range(writers)]
    for process in processes:
        process.start()
    done = [queue.get() for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            sys.exit(f"a writer failed (exit code {process.exitcode})")
    rows = sum(d[0] for d in done)
    return rows, max(d[2] for d in done) - min(d[1] for d in done)


def _records(instansi: int, n: int) -> int:
    from kinerja.audit.services import record

    for i in range(n):
        record(
            actor=None,
            action="bench.write",
            target_type="organisations.employee",
            target_repr=f"Pegawai {i}",
            instansi_id=instansi,
            changes={"grade": ["III/a", "III/b"], "unit": [12, 14]},
            reason="Kenaikan pangkat",
        )
    return n


def _inserts(k: int, n: int) -> int:
    """The same rows as `_records`, each INSERTed in its own transaction: no lock, no chain."""
    from django.db import transaction
    from django.utils import timezone

    from kinerja.audit.models import AuditChain, AuditEvent

    chain = AuditChain.objects.get(instansi_id=FLOOR_INSTANSI + k)
    for i in range(n):
        with transaction.atomic():
            AuditEvent.objects.create(
                chain=chain,
                sequence=1_000_000 + i,
                occurred_at=timezone.now(),
                actor_repr="system",
                action="bench.floor",
                target_type="organisations.employee",
                target_repr=f"Pegawai {i}",
                instansi_id=FLOOR_INSTANSI + k,
                changes={"grade": ["III/a", "III/b"], "unit": [12, 14]},
                reason="Kenaikan pangkat",
                prev_hash="0" * 64,
                hash="0" * 64,
            )
    return n


def _bulk(instansi: int, batches: int, size: int) -> int:
    from kinerja.audit.services import record_many

    for b in range(batches):
        record_many(
            actor=None,
            action="bench.import",
            entries=[
                {
                    "target_type": "organisations.employee",
                    "target_id": b * size + i,
                    "target_repr": f"Pegawai {i}",
                    "changes": {"grade": ["III/a", "III/b"]},
                    "unit_id": 12,
                    "unit_path": "0001.0002.",
                }
                for i in range(size)
            ],
            instansi_id=instansi,
        )
    return batches * size


if __name__ == "__main__":
    main()
