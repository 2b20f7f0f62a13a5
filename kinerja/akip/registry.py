"""What this app offers the shared pages: navigation entries, demo steps, home cards."""

from django.utils.translation import gettext_lazy as _


def _reads(request) -> bool:
    """The AKIP pages: the Inspektorat, leadership, Bappeda, the system administrator, and an
    agency's head and administrator (their own agency's sheet)."""
    from .querysets import reads_any

    return reads_any(request.scope)


def register() -> None:
    """Register the app's navigation entries and demo step."""
    from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav

    register_nav(NavEntry(_("AKIP evaluation"), "akip:overview", _reads, "akip", 75))
    # After the agreements (105), action plans (110) and evaluations (130): the worksheets
    # read the PKs, their action plans and the realisations.
    register_demo_step(
        DemoStep(
            "akip",
            "kinerja.akip.demo.demo_akip_run",
            "kinerja.akip.demo.demo_akip_wipe",
            order=140,
        )
    )
