from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "kinerja.performance"
    label = "performance"
    verbose_name = _("Performance planning")

    def ready(self) -> None:
        from kinerja.core.registry import NavEntry, register_nav
        from kinerja.core.scope import Action
        from kinerja.organisations.management.commands import load_demo

        # A step of load_demo, after the province (it plans for the province's agencies).
        if not any(step.label == "planning" for step in load_demo.STEPS):
            load_demo.STEPS.append(
                load_demo.Step(
                    "planning",
                    "kinerja.performance.demo.demo_plan_run",
                    "kinerja.performance.demo.demo_plan_wipe",
                )
            )

        register_nav(
            NavEntry(_("Goals"), "performance:goal_tree", Action.VIEW_PLANNING, "planning", 40)
        )
        register_nav(
            NavEntry(
                _("Indicator library"),
                "performance:template_list",
                Action.VIEW_PLANNING,
                "indicator_library",
                42,
            )
        )
        register_nav(
            NavEntry(_("Periods"), "performance:period_list", Action.VIEW_PLANNING, "periods", 44)
        )
