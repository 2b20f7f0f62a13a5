"""Run the collaboration finder (`kinerja.performance.services.finder.finder_run`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import Instansi
from kinerja.performance.services.finder import finder_run


class Command(BaseCommand):
    help = (
        "Find indicators of different agencies that measure the same thing and propose them "
        "to Bappeda as candidate shared targets (docs/planning-finder.md). Audited as a system "
        "action; decided candidates are never touched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--instansi", help="code of one instansi (default: every instansi)")
        parser.add_argument("--year", type=int, help="the year compared (default: this year)")

    def handle(self, *args: Any, **options: Any) -> None:
        instansis = Instansi.objects.order_by("code")
        if options["instansi"]:
            instansis = instansis.filter(code=options["instansi"])
            if not instansis.exists():
                raise CommandError(
                    _("No instansi with code %(code)r.") % {"code": options["instansi"]}
                )
        year = options["year"] or timezone.localdate().year
        verbose = options["verbosity"] > 0
        for instansi in instansis:
            scope = Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),))

            def progress(items, code=instansi.code):
                return tqdm(items, unit="term", desc=code, disable=not verbose, leave=False)

            try:
                summary = finder_run(
                    actor=None, scope=scope, instansi=instansi, year=year, progress=progress
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            if verbose:
                self.stdout.write(
                    _(
                        "%(code)s %(year)d: %(indicators)d agency indicators, %(scored)d pairs "
                        "scored; %(proposed)d new candidates, %(updated)d found again, "
                        "%(withdrawn)d withdrawn, %(decided)d decided before, %(together)d "
                        "already working together (%(seconds)s s)."
                    )
                    % {"code": instansi.code, **summary.__dict__}
                )
