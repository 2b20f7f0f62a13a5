from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sees_plans(request) -> bool:
    """Employee plans (SKP): every employee has their own; planning readers see their units'."""
    scope = request.scope
    return bool(scope.employee_id) or scope.can_anywhere("view_planning")


def _has_record(request) -> bool:
    """My plan: an employee with a record."""
    return bool(request.scope.employee_id)


def _has_team(request) -> bool:
    """My team: someone whose posts have reports today."""
    return bool(request.scope.employee_id and request.scope.has_reports)


def _rates(request) -> bool:
    """My team's evaluations: someone with reports, or a role acting for an agency."""
    from .selectors_evaluation import rates_anything

    return rates_anything(request.scope)


def _oversees(request) -> bool:
    """Evaluations across agencies: BKD, Inspektorat, leadership, the system administrator."""
    from .selectors_evaluation import reads_oversight

    return reads_oversight(request.scope)


def _uses_unit_predikat(request) -> bool:
    """Unit predikat: who sets, recommends, finalises or keeps the unit's plans."""
    from .views.evaluation_wire import uses_unit_predikat

    return uses_unit_predikat(request.scope)


def _decides_objections(request) -> bool:
    """Objections to decide: someone with reports (a superior) or the personnel office."""
    from .views.evaluation_wire import decides_objections

    return decides_objections(request.scope)


def _reads_planning(request) -> bool:
    return request.scope.can_anywhere("view_planning")


def _finds_collaborations(request) -> bool:
    """Collaboration finder: Bappeda (manage_goals across the instansi) runs and decides it."""
    return request.scope.paths_for("manage_goals") is None and request.scope.can_anywhere(
        "manage_goals"
    )


class PerformanceConfig(AppConfig):
    name = "kinerja.performance"
    label = "performance"
    verbose_name = _("Performance planning")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav
        from kinerja.core.scope import Action

        from . import (
            planning_importers,  # noqa: F401 - registers the indicator and target importers
            realisation_io,  # noqa: F401 - registers the realisation importer
            skp_importer,  # noqa: F401 - registers the SKP results importer
        )

        # A step of load_demo, after the province (it plans for the province's agencies).
        register_demo_step(
            DemoStep(
                "planning",
                "kinerja.performance.demo.demo_plan_run",
                "kinerja.performance.demo.demo_plan_wipe",
            )
        )
        # After the plan, before the steps that build on the agreements (order 110): every
        # agency's Renstra and the agreements (PK) of 2023 and of this year.
        register_demo_step(
            DemoStep(
                "agreements",
                "kinerja.performance.demo_agencies.demo_agencies_run",
                "kinerja.performance.demo_agencies.demo_agencies_wipe",
                order=105,
            )
        )
        # After the agreements (105) and the action plans (110): every employee's plan (SKP)
        # and its realisations, for 2023 and the current year.
        register_demo_step(
            DemoStep(
                "employee_plans",
                "kinerja.performance.demo_plans.demo_plans_run",
                "kinerja.performance.demo_plans.demo_plans_wipe",
                order=120,
            )
        )
        # After the employee plans (120): the agencies' realisations, 2023 evaluated and the
        # current year's periodic evaluations so far.
        register_demo_step(
            DemoStep(
                "evaluations",
                "kinerja.performance.demo_evaluations.demo_evaluations_run",
                "kinerja.performance.demo_evaluations.demo_evaluations_wipe",
                order=130,
            )
        )
        # After the evaluations (130): the agencies' figures of the two years before 2023.
        register_demo_step(
            DemoStep(
                "history",
                "kinerja.performance.demo_history.demo_history_run",
                "kinerja.performance.demo_history.demo_history_wipe",
                order=135,
            )
        )
        # After the plan and its agreements: an action plan under each agreement's targets.
        register_demo_step(
            DemoStep(
                "action_plans",
                "kinerja.performance.demo_actions.demo_actions_run",
                "kinerja.performance.demo_actions.demo_actions_wipe",
                order=110,
            )
        )
        from . import importers  # noqa: F401 - registers the action-plan importer

        # After the plan: collaborations share some of its agencies' targets.
        register_demo_step(
            DemoStep(
                "collaborations",
                "kinerja.performance.demo_collaboration.demo_collaborations_run",
                "kinerja.performance.demo_collaboration.demo_collaborations_wipe",
                order=101,
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
            NavEntry(
                _("Key indicators (IKU)"),
                "performance:key_set_list",
                Action.VIEW_PLANNING,
                "key_sets",
                43,
            )
        )
        register_nav(
            NavEntry(
                _("Performance agreements"),
                "performance:agreement_list",
                Action.VIEW_PLANNING,
                "agreements",
                45,
            )
        )
        register_nav(
            NavEntry(
                _("Realisations to verify"),
                "performance:realisation_verify_queue",
                "self",
                "realisation_queue",
                46,
            )
        )
        register_nav(
            NavEntry(
                _("Collaborations"),
                "performance:collaboration_list",
                Action.VIEW_PLANNING,
                "collaborations",
                47,
            )
        )
        register_nav(
            NavEntry(
                _("Collaboration finder"),
                "performance:finder_list",
                _finds_collaborations,
                "finder",
                47,
            )
        )
        # Right after the agreements (105: every agency's Renstra), before the action plans and
        # the employee plans copy the indicators' names: some Renstra indicators get their
        # real-looking manual, and the collaboration finder runs over them.
        register_demo_step(
            DemoStep(
                "collaboration_finder",
                "kinerja.performance.demo_finder.demo_finder_run",
                "kinerja.performance.demo_finder.demo_finder_wipe",
                order=106,
            )
        )
        register_nav(
            NavEntry(_("Periods"), "performance:period_list", Action.VIEW_PLANNING, "periods", 44)
        )
        register_nav(
            NavEntry(_("My plan"), "performance:workspace_plan", _has_record, "my_plan", 39)
        )
        register_nav(NavEntry(_("My team"), "performance:workspace_team", _has_team, "my_team", 39))
        register_nav(
            NavEntry(
                _("My agency"), "performance:workspace_agency", _reads_planning, "my_agency", 39
            )
        )
        register_nav(
            NavEntry(
                _("My evaluation"), "performance:evaluation_mine", _has_record, "my_evaluation", 39
            )
        )
        register_nav(
            NavEntry(
                _("Team evaluations"),
                "performance:evaluation_team",
                _rates,
                "team_evaluations",
                39,
            )
        )
        register_nav(
            NavEntry(
                _("Unit predikat"),
                "performance:unit_predikat_list",
                _uses_unit_predikat,
                "unit_predikat",
                39,
            )
        )
        register_nav(
            NavEntry(
                _("Objections to decide"),
                "performance:objection_decide_list",
                _decides_objections,
                "objections_to_decide",
                39,
            )
        )
        register_nav(
            NavEntry(
                _("Evaluations across agencies"),
                "performance:evaluation_overrides",
                _oversees,
                "evaluation_overrides",
                41,
            )
        )
        register_nav(
            NavEntry(_("Cascade"), "performance:workspace_cascade", _reads_planning, "cascade", 41)
        )
        register_nav(
            NavEntry(_("Employee plans (SKP)"), "performance:plan_list", _sees_plans, "plans", 46)
        )
