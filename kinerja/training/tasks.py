"""Background tasks of the training app (django-tasks, as the import jobs run)."""

from django_tasks import task


@task()
def issue_certificates(batch_id: int) -> str:
    """Issue the certificates of a batch started by `certificate_batch_start`; the batch row
    carries the progress the event's certificate page polls. Takes no passphrase: signing
    happens in the signer's own request."""
    from .services.certificates import certificate_batch_run

    return certificate_batch_run(batch_id).status
