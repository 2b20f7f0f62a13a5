"""Generate a full-size synthetic province, deterministically for a seed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.organisations import reference, synthetic
from kinerja.organisations.models import Instansi, OrgUnit

from .load_demo import DemoContext, all_steps, wipe_steps


class Command(BaseCommand):
    help = (
        "Generate a synthetic province of --staff people (default 80,330) under --instansi "
        "(default jatim). The same seed gives the same names, NIPs and codes. An instansi that "
        "already has units is refused unless --reset, which wipes its synthetic data first "
        "(and the demo data built on it: run load_demo afterwards to restore the log-ins)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=synthetic.DEFAULT_STAFF)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--instansi", default=reference.JATIM_CODE, help="Code of the instansi (default jatim)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Wipe the instansi's synthetic data first."
        )

    def handle(self, *args, staff, seed, instansi, reset, verbosity, **options):
        if staff < synthetic.MIN_STAFF:
            raise CommandError(_("--staff must be at least %(n)d.") % {"n": synthetic.MIN_STAFF})
        reference.load_regions()
        if instansi == reference.JATIM_CODE:
            target, _created = reference.ensure_jatim()
        else:
            target = Instansi.objects.filter(code=instansi).first()
            if target is None:
                raise CommandError(_("No instansi with code %(code)r.") % {"code": instansi})
        units = OrgUnit.objects.filter(instansi=target).count()
        if units and not reset:
            raise CommandError(
                _(
                    "%(instansi)s already has %(n)d units. Run again with --reset to wipe its "
                    "synthetic data and generate a new province."
                )
                % {"instansi": target, "n": units}
            )
        ctx = DemoContext(staff=staff, seed=seed, progress=verbosity > 0, instansi=target)
        try:
            with transaction.atomic():
                if units:
                    for label, summary in wipe_steps(ctx, all_steps()):
                        self._say(
                            verbosity,
                            _("reset %(label)s: %(summary)s")
                            % {"label": label, "summary": summary},
                        )
                result = synthetic.generate_province(
                    target, staff=staff, seed=seed, progress=ctx.progress
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self._say(
            verbosity,
            self.style.SUCCESS(
                _("%(instansi)s, seed %(seed)d: %(summary)s")
                % {"instansi": target, "seed": seed, "summary": result.summary()}
            ),
        )

    def _say(self, verbosity: int, line: str) -> None:
        if verbosity:
            self.stdout.write(line)
