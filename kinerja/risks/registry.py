"""What this app offers the shared pages: navigation entries, demo steps, home cards."""

from django.utils.translation import gettext_lazy as _


def _reads_register(request) -> bool:
    """The register: whoever reads the plans through a unit or across the instansi."""
    from .selectors import may_read

    return may_read(request.scope)


def register() -> None:
    """Register the app's navigation entries and demo step."""
    from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav

    register_nav(NavEntry(_("Risk register"), "risks:risk_list", _reads_register, "risks", 74))
    # After the evaluations (130) and the action plans: the demo agencies' risks of their
    # PK targets and of the strategic projects they lead.
    register_demo_step(
        DemoStep(
            "risks",
            "kinerja.risks.demo.demo_risks_run",
            "kinerja.risks.demo.demo_risks_wipe",
            order=142,
        )
    )
