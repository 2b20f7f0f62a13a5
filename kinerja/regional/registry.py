"""What the regional app offers the shared pages: navigation entries, demo steps, importers."""

from django.utils.translation import gettext_lazy as _


def _reads_duties(request) -> bool:
    """Agencies' duties: whoever reads the planning of an agency (a head of agency, its
    administrator) or of the whole instansi; not a reach by posts alone (an evaluator)."""
    from kinerja.core.scope import Action

    paths = request.scope.paths_for(Action.VIEW_PLANNING)
    return paths is None and request.scope.can_anywhere(Action.VIEW_PLANNING) or bool(paths)


def register() -> None:
    """Register the app's navigation entries, demo step and importers."""
    from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav
    from kinerja.core.scope import Action

    from .importers import projects  # noqa: F401 - registers the project importer

    register_nav(
        NavEntry(_("Perpres 80/2019"), "regional:area_list", Action.VIEW_PLANNING, "regional", 48)
    )
    register_nav(
        NavEntry(
            _("Our duties and Perpres 80/2019"),
            "regional:agency_duties_index",
            _reads_duties,
            "regional_duties",
            49,
        )
    )
    # After the plan and the agreements (100-120: the goals it links to), before the
    # evaluations (130) and the training steps (150-156).
    register_demo_step(
        DemoStep(
            "regional",
            "kinerja.regional.demo.demo_regional_run",
            "kinerja.regional.demo.demo_regional_wipe",
            order=125,
        )
    )
