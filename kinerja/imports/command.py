"""The base of the ``import_*`` management commands: same engine, a tqdm progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kinerja.core.scope import Action, Scope
from kinerja.imports.models import ImportJob

from .jobs import importjob_create, importjob_run, scope_for_user, system_scope
from .readers import ImportFileError, estimate_rows

SHOWN_ERRORS = 50


class ImportCommand(BaseCommand):
    """Import one file of ``kind``; exit with status 1 when the file is invalid."""

    kind: str

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="an .xlsx or .csv file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and write nothing"
        )
        parser.add_argument(
            "--user", help="import with this user's rights (default: the whole instansi)"
        )
        parser.add_argument(
            "--instansi", help="code of the instansi, without --user when there are several"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user, scope = self._scope(options)
        try:
            with path.open("rb") as fileobj:
                # A stream over the file: refuses an unreadable or oversized one before a job.
                estimated = estimate_rows(fileobj, path.name)
                job = importjob_create(
                    actor=user,
                    scope=scope,
                    kind=self.kind,
                    upload=File(fileobj, name=path.name),
                    dry_run=options["dry_run"],
                    total_rows=estimated,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        bar = tqdm(total=estimated, unit="rows", desc="checking", disable=options["verbosity"] == 0)

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "importing" and not writing:
                writing.append(True)
                bar.set_description("writing")
            bar.total = total
            bar.update(done - bar.n)

        writing: list[bool] = []

        try:
            job = importjob_run(job=job, progress=progress)
        finally:
            bar.close()
        self._report(job)

    def _scope(self, options: dict[str, Any]) -> tuple[Any, Scope]:
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
            scope = scope_for_user(user)
            if scope.instansi_id is None or not scope.can_anywhere(Action.IMPORT):
                raise CommandError(f"{user} may not import data.")
            return user, scope
        instansi_model = ImportJob._meta.get_field("instansi").related_model
        if options["instansi"]:
            instansi = instansi_model.objects.filter(code=options["instansi"]).first()
            if instansi is None:
                raise CommandError(f"No instansi with code {options['instansi']!r}.")
        else:
            found = list(instansi_model.objects.all()[:2])
            if len(found) != 1:
                raise CommandError("Name the instansi with --instansi CODE (or use --user).")
            instansi = found[0]
        return None, system_scope(instansi.pk)

    def _report(self, job: ImportJob) -> None:
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.message)
        if job.status == ImportJob.Status.INVALID:
            for error in job.errors[:SHOWN_ERRORS]:
                column = f" [{error['column']}]" if error["column"] else ""
                self.stderr.write(f"row {error['row']}{column}: {error['message']}")
            more = job.error_count - min(SHOWN_ERRORS, len(job.errors))
            if more > 0:
                self.stderr.write(f"... and {more} more errors")
            raise CommandError(
                f"{job.error_count} errors in {job.original_name}; nothing was written."
            )
        counts = job.counts
        verb = "Dry run, nothing written; would create" if job.dry_run else "Created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {counts.get('created', 0)}, update {counts.get('updated', 0)}, "
                f"unchanged {counts.get('unchanged', 0)} ({job.total_rows} rows, job #{job.pk})."
            )
        )
