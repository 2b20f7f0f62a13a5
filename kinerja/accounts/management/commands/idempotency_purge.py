"""Delete the API's kept answers to Idempotency-Key writes once they have expired (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.idempotency import KEY_LIFETIME, purge_expired


class Command(BaseCommand):
    help = (
        "Delete the answers kept for API writes sent with an Idempotency-Key once they are older "
        "than a day (a retry after that is a new write anyway). Audited; run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            removed, before = purge_expired()
            if removed:
                record(
                    actor=None,
                    action="idempotency.purge",
                    target_type="core.idempotencykey",
                    target_repr=f"{removed} kept answers",
                    changes={"removed": removed, "created_before": before.isoformat()},
                )
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(n)d expired idempotency key(s) deleted (older than %(hours)d hours).")
                    % {"n": removed, "hours": KEY_LIFETIME.total_seconds() // 3600}
                )
            )
