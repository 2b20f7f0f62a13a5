"""The background task that runs a large import on a django-tasks worker."""

from django_tasks import task

from kinerja.imports.models import ImportJob

from .jobs import importjob_run


@task()
def run_import_job(job_id: int) -> str:
    """Run the pending import job ``job_id`` and return its final status."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    return importjob_run(job=job).status
