"""Bring each post's "today's line" in step with its dated reporting lines (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.organisations import services
from kinerja.organisations.models import Instansi


class Command(BaseCommand):
    help = (
        "Set every post's current superior (Position.reports_to) to the reporting line in force "
        "today, so that a line set to start on a later day takes effect when that day comes. "
        "Idempotent; each changed post is audited. Run it daily, after midnight."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--instansi", help="code of one instansi (default: every instansi)")
        parser.add_argument("--date", help="the day to sync to, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["date"]:
            on = parse_date(options["date"]) if len(options["date"]) == 10 else None
            if on is None:
                raise CommandError(_("Give the date as YYYY-MM-DD."))
        instansis = Instansi.objects.order_by("code")
        if options["instansi"]:
            instansis = instansis.filter(code=options["instansi"])
            if not instansis.exists():
                raise CommandError(
                    _("No instansi with code %(code)r.") % {"code": options["instansi"]}
                )
        verbose = options["verbosity"] > 0
        total = 0
        rows = list(instansis.values_list("pk", "code"))
        for pk, code in tqdm(rows, unit="instansi", desc="sync", disable=not verbose):
            changed = services.reporting_lines_sync(pk, on)
            total += changed
            if verbose:
                self.stdout.write(
                    _("%(code)s: %(n)d post(s) now report as their line of %(day)s says.")
                    % {"code": code, "n": changed, "day": on.isoformat()}
                )
        if verbose:
            self.stdout.write(self.style.SUCCESS(_("%(n)d post(s) changed.") % {"n": total}))
