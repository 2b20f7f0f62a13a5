"""The background task that runs a large import on a django-tasks worker."""

import logging

from django.db import DatabaseError
from django_tasks import task

from kinerja.imports.models import ImportJob

from .jobs import importjob_reap, importjob_run

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int) -> str:
    """Run the pending import job ``job_id`` and return its final status.

    A worker that takes a job first fails the jobs of workers that died (``importjob_reap``),
    so a restarted worker clears what its predecessor left running.
    """
    try:
        importjob_reap()
    except DatabaseError:
        logger.warning("Could not reap dead import jobs", exc_info=True)
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return importjob_run(job=job).status
