"""Import jobs: keep the uploaded file, run the engine on it and store the progress and outcome.

The same `importjob_run` serves the page (small files, in the request), the background task
(large files) and the command line; each passes its own progress callback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from pathlib import PurePath
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kinerja.audit.models import AuditEvent
from kinerja.audit.services import record
from kinerja.core.scope import Action, Grant, Scope
from kinerja.imports.models import ImportJob

from .base import get_importer
from .engine import Progress, import_run
from .readers import ImportFileError, Table, read_table

logger = logging.getLogger(__name__)
SAVE_PROGRESS_EVERY = 0.5  # seconds between progress writes, so the page moves but the DB rests
# Seconds between heartbeats of a running job; the reaper waits
# KINERJA_IMPORT_HEARTBEAT_TIMEOUT (default 60 s) of silence before it fails the job.
HEARTBEAT_EVERY = 5.0
RUNNING = (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)


def scope_for_user(user: Any) -> Scope:
    """Return a user's Scope with the function the accounts app provides.

    Named by a setting (as AUTH_USER_MODEL names the user model) because core imports no
    domain app.
    """
    path = getattr(settings, "KINERJA_SCOPE_FUNCTION", "kinerja.accounts.scope.scope_for")
    return import_string(path)(user)


def system_scope(instansi_id: int) -> Scope:
    """Return the scope of the command line run without ``--user``: the whole instansi."""
    return Scope(instansi_id=instansi_id, grants=(Grant(actions=Action.ALL, role="system"),))


@transaction.atomic
def importjob_create(
    *,
    actor: Any,
    scope: Scope,
    kind: str,
    upload: File,
    dry_run: bool = False,
    total_rows: int = 0,
) -> ImportJob:
    """Store an uploaded file as a pending job of ``kind`` in the caller's instansi."""
    if get_importer(kind) is None:
        raise ValidationError({"kind": _("Unknown import kind.")})
    if scope.instansi_id is None or not scope.can_anywhere(Action.IMPORT):
        raise PermissionDenied(_("You may not import data."))
    name = PurePath(upload.name or "upload").name
    job = ImportJob(
        instansi_id=scope.instansi_id,
        created_by=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        original_name=name[:255],
        dry_run=dry_run,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total_rows=total_rows,
    )
    upload.seek(0)
    job.file.save(name, upload, save=False)
    job.save()
    return job


def importjob_run(
    *, job: ImportJob, table: Table | None = None, progress: Progress | None = None
) -> ImportJob:
    """Run a pending job to its end (done, invalid or failed) and return it.

    Never raises for a bad file or a failing import: the job records what went wrong, so that
    neither the page nor the worker fails with a traceback in front of the user.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job.pk)
    if job.status != ImportJob.Status.PENDING:
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        job.status = ImportJob.Status.VALIDATING
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "started_at", "heartbeat_at"])
        try:
            with _Heartbeat(job.pk):
                _run(job, table, progress)
        except (ImportFileError, PermissionDenied) as exc:
            _fail(job, str(exc))
        except Exception:
            logger.exception("Import job %s failed", job.pk)
            _fail(job, _("The import stopped because of an unexpected error; nothing was written."))
    return job


def _run(job: ImportJob, table: Table | None, progress: Progress | None) -> None:
    importer = get_importer(job.kind)
    if importer is None:
        raise ImportFileError(_("Unknown import kind."))
    if job.created_by_id is None:
        scope = system_scope(job.instansi_id)
    else:
        scope = scope_for_user(job.created_by)
        if scope.instansi_id != job.instansi_id or not scope.can_anywhere(Action.IMPORT):
            raise PermissionDenied(_("The uploader may no longer import data."))
    with contextlib.ExitStack() as stack:
        if table is None:
            # The table streams its rows from the stored file, so the file stays open to the end.
            fileobj = stack.enter_context(job.file.open("rb"))
            table = read_table(fileobj, job.original_name)
        outcome = import_run(
            actor=job.created_by,
            scope=scope,
            importer=importer,
            table=table,
            dry_run=job.dry_run,
            progress=_saver(job, progress),
            job=job,
            file_name=job.original_name,
        )
    job.total_rows = outcome.total_rows
    job.processed_rows = outcome.total_rows
    job.error_count = len(outcome.errors)
    job.errors = [e.as_dict() for e in outcome.errors[: ImportJob.MAX_STORED_ERRORS]]
    job.counts = outcome.counts
    job.status = ImportJob.Status.DONE if outcome.valid else ImportJob.Status.INVALID
    job.finished_at = timezone.now()
    job.save()


def _fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save()


def _saver(job: ImportJob, then: Progress | None) -> Progress:
    """Return a progress callback that writes the job's progress at most twice a second."""
    last = {"at": 0.0, "phase": "validating"}
    statuses = {"validating": ImportJob.Status.VALIDATING, "importing": ImportJob.Status.IMPORTING}

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != last["phase"] or now - last["at"] >= SAVE_PROGRESS_EVERY:
            last["at"], last["phase"] = now, phase
            job.status = statuses.get(phase, job.status)
            job.processed_rows, job.total_rows = done, total
            ImportJob.objects.filter(pk=job.pk).update(
                status=job.status,
                processed_rows=done,
                total_rows=total,
                heartbeat_at=timezone.now(),
            )
        if then is not None:
            then(phase, done, total)

    return progress


class _Heartbeat:
    """Touch a running job's ``heartbeat_at`` every ``HEARTBEAT_EVERY`` seconds from a thread.

    The write phase is one transaction with no progress callback, so the beat comes from a
    thread with its own database connection; a killed worker stops beating and the reaper
    fails its job. (On SQLite the beat waits while the write holds the lock; the timeout is
    far longer than the write phase of the largest file.)
    """

    running: ClassVar[set[int]] = set()  # jobs alive in this process, whatever the database says

    def __init__(self, job_pk: int) -> None:
        self.job_pk = job_pk
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.beat, name=f"import-{job_pk}-heartbeat")
        self.thread.daemon = True

    def __enter__(self) -> _Heartbeat:
        self.running.add(self.job_pk)
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.thread.join()
        self.running.discard(self.job_pk)

    def beat(self) -> None:
        every = min(HEARTBEAT_EVERY, heartbeat_timeout().total_seconds() / 4)
        try:
            while not self.stop.wait(every):
                try:
                    ImportJob.objects.filter(pk=self.job_pk, status__in=RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    logger.warning("Heartbeat of import job %s failed", self.job_pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def heartbeat_timeout() -> dt.timedelta:
    """Return how long a running job may stay silent before the reaper fails it."""
    return dt.timedelta(seconds=getattr(settings, "KINERJA_IMPORT_HEARTBEAT_TIMEOUT", 60))


def importjob_reap(*, now: dt.datetime | None = None) -> list[int]:
    """Fail the jobs whose worker died and return their ids.

    A job is dead when it is checking or importing and its heartbeat is older than the
    timeout, or when it has waited longer than that for a background task that no longer
    exists. The write is one transaction, so a dead job wrote nothing, unless it died after
    the commit: then its summary audit event exists and the job is marked done instead.
    Cheap when there is nothing to reap (one or two reads), so pages may call it.
    """
    now = now or timezone.now()
    cutoff = now - heartbeat_timeout()
    silent = Q(status__in=RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    # A job of this very process is alive even when its beat waits for SQLite's write lock.
    candidates = ImportJob.objects.filter(silent).exclude(pk__in=_Heartbeat.running.copy())
    reaped = [
        pk for pk in candidates.values_list("pk", flat=True) if _reap(pk=pk, still=silent, now=now)
    ]
    orphaned = Q(status=ImportJob.Status.PENDING, created_at__lt=cutoff)
    reaped += [
        pk for pk in _without_task(orphaned, cutoff) if _reap(pk=pk, still=orphaned, now=now)
    ]
    return reaped


def _without_task(pending: Q, cutoff: dt.datetime) -> list[int]:
    """Return the pending jobs whose background task is gone or died before starting them."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import run_import_job

    ids = list(ImportJob.objects.filter(pending).values_list("pk", flat=True))
    if not ids or not isinstance(run_import_job.get_backend(), DatabaseBackend):
        return []  # tasks that run elsewhere (or at once, in tests) leave no row to look for
    live = DBTaskResult.objects.filter(task_path=run_import_job.module_path).filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    waiting = {(row.get("args") or [None])[0] for row in live.values_list("args_kwargs", flat=True)}
    return [pk for pk in ids if pk not in waiting]


@transaction.atomic
def _reap(*, pk: int, still: Q, now: dt.datetime) -> bool:
    job = ImportJob.objects.select_for_update().filter(still, pk=pk).first()
    if job is None:
        return False  # it moved on since it was listed
    before = job.status
    written = (
        AuditEvent.objects.filter(
            action=f"import.{job.kind}", target_type="imports.importjob", target_id=str(job.pk)
        )
        .values_list("changes", flat=True)
        .first()
    )
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if written is not None:
            job.status = ImportJob.Status.DONE
            job.counts = {k: v for k, v in written.items() if k != "rows"}
            job.processed_rows = job.total_rows
            job.message = _(
                "The worker stopped after the import was written; the import is complete."
            )
        elif before == ImportJob.Status.PENDING:
            job.status = ImportJob.Status.FAILED
            job.message = _(
                "The import never started (its background task is gone); nothing was written."
                " You can try again."
            )
        else:
            job.status = ImportJob.Status.FAILED
            job.message = _(
                "The import stopped unexpectedly (the worker died); nothing was written."
                " You can try again."
            )
    job.finished_at = now
    job.save(update_fields=["status", "counts", "processed_rows", "message", "finished_at"])
    record(
        actor=None,
        action="import.reaped",
        target=job,
        changes={
            "status": [before, job.status],
            "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
        },
        reason=job.message,
    )
    _fail_task(job.pk, job.message)
    return True


def _fail_task(job_pk: int, message: str) -> None:
    """Mark the dead worker's task row failed too, so the task list does not show it running."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import run_import_job

    running = DBTaskResult.objects.filter(
        task_path=run_import_job.module_path, status=TaskResultStatus.RUNNING
    )
    for task in running:
        if (task.args_kwargs.get("args") or [None])[0] == job_pk:
            task.set_failed(RuntimeError(message))


def start_reaper() -> threading.Thread:
    """Start a daemon thread that runs ``importjob_reap`` now and every half timeout."""

    def loop() -> None:
        while True:
            try:
                reaped = importjob_reap()
                if reaped:
                    logger.warning("Failed import jobs of dead workers: %s", reaped)
            except DatabaseError:  # not migrated yet, or SQLite busy: try again later
                logger.warning("Could not reap dead import jobs", exc_info=True)
            finally:
                connection.close()
            time.sleep(heartbeat_timeout().total_seconds() / 2)

    thread = threading.Thread(target=loop, name="import-reaper", daemon=True)
    thread.start()
    return thread


@transaction.atomic
def importjob_retry(*, actor: Any, scope: Scope, job: ImportJob) -> ImportJob:
    """Create a new pending job from a failed job's stored file and return it.

    The caller starts it (in the request or on the worker), as after an upload. A job is
    retried once; a failed retry may itself be retried.
    """
    job = ImportJob.objects.within(scope).select_for_update().filter(pk=job.pk).first()
    if job is None:
        raise PermissionDenied(_("You may not see this import."))
    if job.status != ImportJob.Status.FAILED:
        raise ValidationError(_("Only a failed import can be tried again."))
    if job.retries.exists():
        raise ValidationError(_("This import has already been tried again."))
    retry = ImportJob.objects.create(
        instansi_id=job.instansi_id,
        created_by=actor if getattr(actor, "pk", None) else None,
        kind=job.kind,
        file=job.file.name,
        original_name=job.original_name,
        dry_run=job.dry_run,
        language=translation.get_language() or job.language,
        total_rows=job.total_rows,
        attempt=job.attempt + 1,
        retry_of=job,
    )
    record(
        actor=actor,
        action="import.retry",
        target=retry,
        changes={"retry_of": job.pk, "attempt": retry.attempt},
    )
    return retry
