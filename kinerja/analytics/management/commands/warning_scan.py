"""Flag the targets of the year for the early warning (`selectors_warning.scan`). Nightly,
e.g. cron ``30 0 * * * cd /srv/kinerja && .venv/bin/python manage.py warning_scan -v 0``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.organisations.models import Instansi
from kinerja.performance.models import Period

from ... import selectors_warning as sel


class Command(BaseCommand):
    help = (
        "Project every target of the year (the plans' and the staff plans') to the year's end "
        "and keep the flagged ones (at risk or silent) for the early-warning pages."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--instansi", help="code of one instansi (default: every instansi)")
        parser.add_argument(
            "--year", type=int, help="the year (default: this year, else the latest)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instansis = Instansi.objects.order_by("code")
        if options["instansi"]:
            instansis = instansis.filter(code=options["instansi"])
            if not instansis.exists():
                raise CommandError(
                    _("No instansi with code %(code)r.") % {"code": options["instansi"]}
                )
        today = timezone.localdate()
        for instansi in instansis:
            years = list(
                Period.objects.filter(instansi=instansi)
                .order_by("-year")
                .values_list("year", flat=True)
            )
            if not years:
                continue
            year = options["year"] or sel.default_year(years, today)
            flags = sel.scan(instansi.pk, year, today=today)
            if options["verbosity"] > 0:
                self.stdout.write(
                    _("%(code)s %(year)d: %(n)d targets flagged.")
                    % {"code": instansi.code, "year": year, "n": flags}
                )
