import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.audit.verification import verify


class Command(BaseCommand):
    help = (
        "Verify every audit chain (keyed hashes, links, heads) and name each event that does not "
        "match; with --checkpoint, also report chains truncated since that checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="a checkpoint written by audit_checkpoint, kept outside the database",
        )

    def handle(self, *args, checkpoint=None, **options):
        data = None
        if checkpoint:
            try:
                data = json.loads(Path(checkpoint).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("Cannot read the checkpoint %(file)s: %(error)s")
                    % {"file": checkpoint, "error": exc}
                ) from exc
        report = verify(checkpoint=data)
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(
                _("Audit trail broken: %(n)d problem(s) in %(events)d events.")
                % {"n": len(report.problems), "events": report.events}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Audit trail intact: %(n)d events in %(chains)d chains.")
                % {"n": report.events, "chains": report.chains}
            )
        )
        if data is not None:
            self.stdout.write(_("No chain is shorter than the checkpoint."))
