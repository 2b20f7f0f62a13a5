"""Load the demo: East Java's regions, its provincial government, a synthetic province, log-ins.

Idempotent: each step keeps what is already there, so running the command twice leaves the same
data. ``--reset`` first undoes the steps for the instansi, last step first (regions and the
instansi row stay), then runs them all again: use it to rebuild with another ``--staff`` or
``--seed``.

Later features add their demo facts as further steps: an app registers a
``kinerja.core.registry.DemoStep`` from its ``AppConfig.ready()`` naming, by dotted path, a
``run(ctx) -> str`` that returns one line on what it made (and keeps what is there), and
optionally a ``wipe(ctx) -> str`` that removes it. ``all_steps()`` runs them after ``STEPS``;
this app never imports the apps that depend on it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kinerja.core.db import analyze
from kinerja.core.registry import demo_steps
from kinerja.organisations import reference, synthetic
from kinerja.organisations.models import Instansi, OrgUnit, Region

DEMO_STAFF = 3000
DEMO_SEED = 2023


@dataclass
class DemoContext:
    """What the steps share: the options, and the instansi once the instansi step has run."""

    staff: int = DEMO_STAFF
    seed: int = DEMO_SEED
    progress: bool = False
    instansi: Instansi | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    """One demo step: a label, and dotted paths to its run and (optional) wipe functions."""

    label: str
    run: str
    wipe: str | None = None


_HERE = "kinerja.organisations.management.commands.load_demo"

STEPS: list[Step] = [
    Step("regions", f"{_HERE}.regions_run"),
    Step("instansi", f"{_HERE}.instansi_run"),
    Step("province", f"{_HERE}.province_run", f"{_HERE}.province_wipe"),
    Step(
        "demo log-ins",
        "kinerja.accounts.demo.demo_step_run",
        "kinerja.accounts.demo.demo_step_wipe",
    ),
]


def all_steps() -> list[Step]:
    """This app's steps, then the steps the other apps registered."""
    return [*STEPS, *(Step(s.label, s.run, s.wipe) for s in demo_steps())]


def regions_run(ctx: DemoContext) -> str:
    created, updated = reference.load_regions()
    total = Region.objects.filter(code__startswith=reference.JATIM_REGION).count()
    return _("%(total)d regions of East Java (%(created)d new, %(updated)d updated)") % {
        "total": total,
        "created": created,
        "updated": updated,
    }


def instansi_run(ctx: DemoContext) -> str:
    ctx.instansi, created = reference.ensure_jatim()
    state = _("created") if created else _("present")
    return f"{ctx.instansi} ({ctx.instansi.code}): {state}"


def province_run(ctx: DemoContext) -> str:
    units = OrgUnit.objects.filter(instansi=ctx.instansi).count()
    if units:
        return _("kept: %(n)d units already (use --reset to rebuild)") % {"n": units}
    result = synthetic.generate_province(
        ctx.instansi, staff=ctx.staff, seed=ctx.seed, progress=ctx.progress
    )
    return _("synthetic, seed %(seed)d: %(summary)s") % {
        "seed": ctx.seed,
        "summary": result.summary(),
    }


def province_wipe(ctx: DemoContext) -> str:
    counts = synthetic.wipe_province(ctx.instansi)
    return _("removed %(units)d units, %(positions)d positions, %(employees)d staff") % counts


def wipe_steps(ctx: DemoContext, steps: list[Step]) -> list[tuple[str, str]]:
    """Undo ``steps`` for ``ctx.instansi``, last first; return (label, summary) pairs."""
    done = []
    for step in reversed(steps):
        if step.wipe:
            done.append((step.label, import_string(step.wipe)(ctx)))
    return done


class Command(BaseCommand):
    help = (
        "Load the demo province: East Java's 38 regions, the provincial government, a synthetic "
        "province of --staff people and the demo log-ins. Running it again keeps what is there; "
        "--reset wipes the instansi's demo data first and rebuilds it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff",
            type=int,
            default=DEMO_STAFF,
            help=f"Staff of the synthetic province (default {DEMO_STAFF}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEMO_SEED,
            help=f"Seed of the generator (default {DEMO_SEED}).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe the instansi's demo data first, then rebuild it.",
        )
        parser.add_argument(
            "--organisation-only",
            action="store_true",
            help=(
                "Load the regions, the instansi, the province and the log-ins only, not the "
                "steps the other apps add (planning): a quick province for the organisation "
                "pages. --reset still wipes every step."
            ),
        )

    def handle(self, *args, staff, seed, reset, verbosity, organisation_only=False, **options):
        if staff < synthetic.MIN_STAFF:
            raise CommandError(_("--staff must be at least %(n)d.") % {"n": synthetic.MIN_STAFF})
        ctx = DemoContext(staff=staff, seed=seed, progress=verbosity > 0)
        try:
            with transaction.atomic():
                if reset:
                    ctx.instansi, _created = reference.ensure_jatim()
                    for label, summary in wipe_steps(ctx, all_steps()):
                        self._say(
                            verbosity,
                            _("reset %(label)s: %(summary)s")
                            % {"label": label, "summary": summary},
                        )
                for step in STEPS if organisation_only else all_steps():
                    started = time.monotonic()
                    summary = import_string(step.run)(ctx)
                    took = f" ({time.monotonic() - started:.1f} s)" if verbosity > 1 else ""
                    self._say(verbosity, f"{step.label}: {summary}{took}")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The province was bulk-loaded: refresh the planner's statistics, or the first pages
        # would be planned for the empty tables it started from.
        analyze()
        for note in ctx.notes:
            self.stderr.write(self.style.WARNING(note))
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Demo loaded. Everything below the agencies is synthetic. "
                        "`manage.py demo_logins` lists the log-ins."
                    )
                )
            )

    def _say(self, verbosity: int, line: str) -> None:
        if verbosity:
            self.stdout.write(line)
