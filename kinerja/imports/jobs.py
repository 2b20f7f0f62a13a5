"""Import jobs: keep the uploaded file, run the engine on it and store the progress and outcome.

The same `importjob_run` serves the page (small files, in the request), the background task
(large files) and the command line; each passes its own progress callback.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.imports.models import ImportJob

from .base import get_importer
from .engine import Progress, import_run
from .readers import ImportFileError, Table, read_table

logger = logging.getLogger(__name__)
SAVE_PROGRESS_EVERY = 0.5  # seconds between progress writes, so the page moves but the DB rests


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
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
        try:
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
                status=job.status, processed_rows=done, total_rows=total
            )
        if then is not None:
            then(phase, done, total)

    return progress
