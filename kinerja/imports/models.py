"""The import job: one uploaded file, its progress and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.querysets import ScopedQuerySet
from kinerja.core.scope import Action

from .base import get_importer

# A background job still waiting after this long suggests that no task worker is running.
WORKER_WAIT_WARNING_SECONDS = 30


class ImportJobQuerySet(ScopedQuerySet):
    """The jobs the caller may see: all of the instansi's jobs for an instansi-wide importer,
    their own jobs for an importer limited to some units, none for anyone else.

    A job's errors quote the rows of its file, so a unit-scoped importer must not read the jobs
    of somebody whose reach is wider or elsewhere.
    """

    scope_path = None
    scope_action = Action.IMPORT
    scope_owner = "created_by"

    def listed(self) -> ImportJobQuerySet:
        """Leave out the stored errors (up to 10,000 per job), which a listing never shows."""
        return self.defer("errors")


class ImportJob(models.Model):
    """One uploaded file for the import engine: its kind, its progress and its outcome.

    ``errors`` keeps at most ``MAX_STORED_ERRORS`` of ``{row, column, value, message}``;
    ``error_count`` is the full number. ``counts`` holds created / updated / unchanged.
    A running job's ``heartbeat_at`` moves every few seconds; a job whose heartbeat stops is
    failed by the reaper (``jobs.importjob_reap``) and may be retried as a new job.
    """

    MAX_STORED_ERRORS = 10_000

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Invalid")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    instansi = models.ForeignKey(
        "organisations.Instansi",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instansi"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run only"), default=False)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name=_("retry of"),
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["instansi", "-created_at"], name="imports_job_recent_idx"),
            # The reaper looks at unfinished jobs on every job page: keep that read small.
            models.Index(
                fields=["status", "heartbeat_at"],
                name="imports_job_open_idx",
                condition=models.Q(status__in=["pending", "validating", "importing"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:importjob_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.INVALID, self.Status.DONE, self.Status.FAILED}

    @property
    def waits_for_worker(self) -> bool:
        """Return whether the job has waited so long that the worker is likely not running."""
        return (
            self.status == self.Status.PENDING
            and (timezone.now() - self.created_at).total_seconds() > WORKER_WAIT_WARNING_SECONDS
        )

    @property
    def percent(self) -> int:
        """Return how far the job has come, 0-100, for the progress bar."""
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def kind_label(self) -> str:
        importer = get_importer(self.kind)
        return str(importer.label) if importer else self.kind

    @property
    def hidden_error_count(self) -> int:
        return max(0, self.error_count - len(self.errors))

    @property
    def can_retry(self) -> bool:
        """Return whether the job may be run again: a failed job that was not retried yet."""
        return self.status == self.Status.FAILED and not self.retries.exists()
