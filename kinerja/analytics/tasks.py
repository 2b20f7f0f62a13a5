"""Background tasks of the analytics app (django-tasks, as the import jobs run), so a scheduler
can enqueue the early warning's nightly scan and weekly digest."""

from django.core.management import call_command
from django_tasks import task


@task()
def warning_scan(instansi_code: str | None = None) -> str:
    """Flag the year's targets (`manage.py warning_scan`)."""
    args = ["--instansi", instansi_code] if instansi_code else []
    call_command("warning_scan", *args, verbosity=0)
    return "done"


@task()
def send_warning_digest(instansi_code: str | None = None) -> str:
    """Send the weekly early-warning digest (`manage.py send_warning_digest`)."""
    args = ["--instansi", instansi_code] if instansi_code else []
    call_command("send_warning_digest", *args, verbosity=0)
    return "done"
