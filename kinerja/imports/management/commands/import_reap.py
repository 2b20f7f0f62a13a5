"""Fail the import jobs whose worker died (run it from cron, or after restarting a worker)."""

from typing import Any

from django.core.management.base import BaseCommand

from kinerja.imports.jobs import importjob_reap


class Command(BaseCommand):
    help = "Mark import jobs whose worker stopped beating as failed, so they can be retried."

    def handle(self, *args: Any, **options: Any) -> None:
        reaped = importjob_reap()
        if options["verbosity"]:
            listed = ", ".join(f"#{pk}" for pk in reaped) or "none"
            self.stdout.write(f"Reaped {len(reaped)} import job(s): {listed}")
