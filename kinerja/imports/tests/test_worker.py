"""A real task worker, killed with SIGKILL in the middle of an import, and what comes after.

The worker is ``manage.py db_worker`` in its own process, so it must share the database with
this test: on PostgreSQL it opens the test database; on SQLite the in-memory test database is
copied into a file that both this process and the worker use for the length of the test.
"""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone, translation

from kinerja.audit.models import AuditEvent
from kinerja.imports import jobs
from kinerja.imports.models import ImportJob
from kinerja.organisations.models import Assignment, Employee
from kinerja.organisations.nip import make_nip

# Enough for the write phase to last far longer than the test's 10 ms polls and 50 ms wait
# (about 0.5 s on an idle machine, seconds on a busy one).
ROWS = 20_000
TIMEOUT = 2  # seconds of silence after which a job counts as dead, here and in the workers
DEAD = "The import stopped unexpectedly (the worker died); nothing was written. You can try again."


@pytest.fixture
def shared_database(transactional_db, world, tmp_path):
    """Yield a DATABASE_URL under which another process sees this test's committed rows."""
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(params["USER"] or "") + (
            f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
        )
        host = params["HOST"] or "localhost"
        yield f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{params['NAME']}"
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{params['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")  # the worker writes while this process reads
    copy.close()
    connection.connection = None
    connection.settings_dict = {**params, "NAME": str(path), "OPTIONS": {"timeout": 20}}
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict = params
        connection.connection = memory


def staff_csv(rows: int) -> bytes:
    lines = ["nip;name;status;unit_code"]
    for i in range(rows):
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=i // 999)
        nip = make_nip(birth, dt.date(1995, 3, 1), "m", i % 999 + 1)
        lines.append(f"{nip};Pegawai {i};pns;DIKBUD-SMA")
    return "\n".join(lines).encode()


def start_worker(database_url: str, media: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "KINERJA_IMPORT_HEARTBEAT_TIMEOUT": str(TIMEOUT),
    }
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [*command, "--interval", "0.05"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


def test_a_killed_worker_leaves_nothing_written_and_its_job_is_reaped_and_retried(
    shared_database, world, tmp_path, settings
):
    from django_tasks_db.models import DBTaskResult

    from kinerja.imports.tasks import run_import_job

    media = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    settings.KINERJA_IMPORT_HEARTBEAT_TIMEOUT = TIMEOUT
    user = world.users["bkd"]
    scope = jobs.scope_for_user(user)
    employees_before = Employee.objects.count()
    assignments_before = Assignment.objects.count()
    with translation.override("en"):
        job = jobs.importjob_create(
            actor=user,
            scope=scope,
            kind="employees",
            upload=ContentFile(staff_csv(ROWS), name="besar.csv"),
            total_rows=ROWS,
        )
    run_import_job.enqueue(job.pk)
    log = tmp_path / "worker.log"
    worker = start_worker(shared_database, media, log)
    try:
        # Kill it once every row is valid and the one write transaction has begun.
        wait_for(
            lambda: ImportJob.objects.filter(pk=job.pk, status="importing").exists(),
            60,
            "the write phase",
            log,
        )
        time.sleep(0.05)
        job.refresh_from_db()
        assert job.status == "importing", "the write finished before the kill: use more rows"
        assert timezone.now() - job.heartbeat_at < dt.timedelta(seconds=2)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)

    # Killed mid-write: the transaction never committed, so nothing of the file is stored.
    assert Employee.objects.count() == employees_before
    assert Assignment.objects.count() == assignments_before
    assert not AuditEvent.objects.filter(action="import.employees").exists()
    job.refresh_from_db()
    assert job.status == "importing"  # and it would stay so for ever without the reaper
    assert jobs.importjob_reap() == []  # its heartbeat is still fresh
    time.sleep(max(0.0, (job.heartbeat_at - timezone.now()).total_seconds() + TIMEOUT + 0.1))

    # A restarted worker reaps the dead job as it starts, then runs the retry.
    log = tmp_path / "worker-2.log"
    worker = start_worker(shared_database, media, log)
    try:
        wait_for(
            lambda: ImportJob.objects.filter(pk=job.pk, status="failed").exists(),
            60,
            "the reaper",
            log,
        )
        job.refresh_from_db()
        assert job.message == DEAD
        task = DBTaskResult.objects.get()
        assert task.status == "FAILED"  # the task row is not "running" for ever either

        retry = jobs.importjob_retry(actor=user, scope=scope, job=job)
        run_import_job.enqueue(retry.pk)
        wait_for(
            lambda: ImportJob.objects.filter(
                pk=retry.pk, status__in=["done", "invalid", "failed"]
            ).exists(),
            90,
            "the retry",
            log,
        )
    finally:
        worker.terminate()
        worker.wait(10)

    retry.refresh_from_db()
    assert (retry.status, retry.attempt, retry.counts.get("created")) == ("done", 2, ROWS), (
        retry.message,
        log.read_text()[-3000:],
    )
    assert Employee.objects.count() == employees_before + ROWS
    # Its own reaper left the retry alone while it ran.
    assert list(
        AuditEvent.objects.filter(action="import.reaped").values_list("target_id", flat=True)
    ) == [str(job.pk)]
