"""Issue the certificates of every eligible participant of an event, in the terminal.

    manage.py issue_certificates --event 12 --as bpsdm

Runs the same batch as the event's page (one transaction per certificate) with a progress bar.
Signing is not done here: the signer signs on the batch page with their passphrase."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kinerja.accounts.scope import scope_for
from kinerja.training.models import Event
from kinerja.training.services.certificates import certificate_batch_run, certificate_batch_start


class Command(BaseCommand):
    help = "Issue the certificates of an event's eligible participants, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--event", type=int, required=True, help="The event's id.")
        parser.add_argument(
            "--as", dest="username", required=True, help="The organiser's user name."
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        event = Event.objects.filter(pk=options["event"]).first()
        if event is None:
            raise CommandError(f"No event {options['event']}.")
        try:  # the run happens here, not on the worker
            batch = certificate_batch_start(
                actor=user, scope=scope_for(user), event=event, background=False
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from None
        bar = tqdm(total=batch.total, unit="sertifikat", disable=options["verbosity"] == 0)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        batch = certificate_batch_run(batch.pk, progress=progress)
        bar.close()
        self.stdout.write(f"Batch {batch.pk}: {batch.done} of {batch.total}, {batch.status}.")
