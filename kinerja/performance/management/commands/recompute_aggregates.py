"""Rebuild the achievement roll-ups from scratch (`kinerja.performance.aggregates.rebuild`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.audit.services import record
from kinerja.organisations.models import Instansi
from kinerja.performance import aggregates
from kinerja.performance.models import Target


class Command(BaseCommand):
    help = (
        "Recompute every achievement roll-up (targets, plans, units, agencies, the province) "
        "from the verified realisations and make the stored rows the computed ones, writing "
        "only the rows that differ; the numbers are the same. One transaction per instansi, "
        "audited as a system action."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--instansi", help="code of one instansi (default: every instansi)")

    def handle(self, *args: Any, **options: Any) -> None:
        instansis = Instansi.objects.order_by("code")
        if options["instansi"]:
            instansis = instansis.filter(code=options["instansi"])
            if not instansis.exists():
                raise CommandError(
                    _("No instansi with code %(code)r.") % {"code": options["instansi"]}
                )
        verbose = options["verbosity"] > 0
        for instansi in instansis:
            total = Target.objects.filter(instansi=instansi).count()
            started = time.monotonic()
            with (
                tqdm(total=total, unit="target", desc=instansi.code, disable=not verbose) as bar,
                transaction.atomic(),
            ):
                done = aggregates.rebuild(instansi.pk, progress=bar.update)
                record(
                    actor=None,
                    action="aggregates.recompute",
                    target=instansi,
                    instansi_id=instansi.pk,
                    changes={
                        "targets": [None, total],
                        "rows": [None, done.rows],
                        "written": [None, done.written],
                        "deleted": [None, done.deleted],
                    },
                )
            if verbose:
                self.stdout.write(
                    _(
                        "%(code)s: %(rows)d roll-up rows from %(targets)d targets in %(s).1f s; "
                        "%(written)d written (new or changed), %(deleted)d deleted, the rest "
                        "were right."
                    )
                    % {
                        "code": instansi.code,
                        "rows": done.rows,
                        "targets": total,
                        "written": done.written,
                        "deleted": done.deleted,
                        "s": time.monotonic() - started,
                    }
                )
