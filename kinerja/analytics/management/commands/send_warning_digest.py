"""Send the weekly early-warning digest (`kinerja.analytics.digest`): each agency head their
agency's flagged targets, the leadership the province's. Weekly, e.g. cron
``0 6 * * 1 cd /srv/kinerja && .venv/bin/python manage.py send_warning_digest -v 0``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.organisations.models import Instansi

from ... import digest


class Command(BaseCommand):
    help = (
        "Send the weekly early-warning digest by e-mail: each agency head (the holder of the "
        "agency's head post with an account and an e-mail address) their agency's at-risk "
        "targets, the leadership the province's. The staff plans are scanned first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--instansi", help="code of one instansi (default: every instansi)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list the messages (recipient and subject) without scanning or sending",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instansis = Instansi.objects.order_by("code")
        if options["instansi"]:
            instansis = instansis.filter(code=options["instansi"])
            if not instansis.exists():
                raise CommandError(
                    _("No instansi with code %(code)r.") % {"code": options["instansi"]}
                )
        for instansi in instansis:
            messages = digest.send(instansi, dry_run=options["dry_run"])
            for m in messages:
                if options["dry_run"] or options["verbosity"] > 1:
                    self.stdout.write(f"{m.address}\t{m.subject}")
            if options["verbosity"] > 0:
                text = (
                    _("%(code)s: %(n)d messages (dry run, nothing sent).")
                    if options["dry_run"]
                    else _("%(code)s: %(n)d messages sent.")
                )
                self.stdout.write(text % {"code": instansi.code, "n": len(messages)})
