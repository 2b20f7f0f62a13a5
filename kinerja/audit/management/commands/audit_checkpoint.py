import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.audit.verification import checkpoint


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of every audit chain's head (sequence and hash) as JSON. Keep "
        "it outside the database; `audit_verify --checkpoint FILE` then detects truncation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")

    def handle(self, *args, out=None, **options):
        try:
            data = checkpoint()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        if not out:
            self.stdout.write(text, ending="")
            return
        Path(out).write_text(text)
        self.stderr.write(
            _("Checkpoint of %(n)d chains written to %(file)s.")
            % {"n": len(data["chains"]), "file": out}
        )
