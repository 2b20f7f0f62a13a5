from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _reads_impact(request) -> bool:
    """Impact reports: the organiser, leadership, BKD, Bappeda and the agencies that nominate."""
    from .impact import may_read_impact

    return may_read_impact(request.scope)


def _reads_shortfall(request) -> bool:
    """Hours shortfall: whoever may view people somewhere."""
    from .selectors_ledger import reads_shortfall

    return reads_shortfall(request.scope)


def _reads_gaps(request) -> bool:
    """Development needs: whoever reads a unit's people (an agency's administrator and head,
    BKD, BPSDM); an employee's own gaps and their reports' are in reach too, but the menu
    keeps to the staff pages' readers."""
    from kinerja.core.scope import Action

    return request.scope.can_anywhere(Action.VIEW_PEOPLE)


def _nominates(request) -> bool:
    """Our nominees: an agency's head or administrator (``nominate``)."""
    from .selectors_nominations import nominates

    return nominates(request.scope)


def _has_record(request) -> bool:
    """My action plans: an employee with a record."""
    return bool(request.scope.employee_id)


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav
        from kinerja.core.scope import Action

        register_nav(
            NavEntry(
                _("Impact reports"), "training:impact_list", _reads_impact, "training_impact", 78
            )
        )

        # Reaction feedback and tests (demo_feedback.py): after the event, its participants and
        # their attendance.
        register_demo_step(
            DemoStep(
                "training_feedback",
                "kinerja.training.demo_feedback.demo_feedback_run",
                "kinerja.training.demo_feedback.demo_feedback_wipe",
                order=153,
            )
        )
        register_nav(NavEntry(_("My feedback"), "training:my_feedback", "self", "my_feedback", 60))
        register_nav(
            NavEntry(
                _("Feedback and tests"),
                "training:feedback_events",
                Action.MANAGE_TRAINING,
                "training_feedback",
                61,
            )
        )
        from . import ledger_io  # noqa: F401 - registers the development-hours importer

        # After the other training steps: the development-hours ledger of the demo years.
        register_demo_step(
            DemoStep(
                "training_ledger",
                "kinerja.training.demo_ledger.demo_ledger_run",
                "kinerja.training.demo_ledger.demo_ledger_wipe",
                order=156,
            )
        )
        register_nav(
            NavEntry(_("My development hours"), "training:hours_mine", "self", "my_hours", 60)
        )
        register_nav(
            NavEntry(
                _("Hours shortfall"),
                "training:hours_shortfall",
                _reads_shortfall,
                "hours_shortfall",
                61,
            )
        )
        register_nav(
            NavEntry(
                _("Development-hours records"),
                "training:hours_records",
                Action.VIEW_PEOPLE,
                "hours_records",
                62,
            )
        )
        # After the evaluations (130): the programme, the 2023 refreshment and the next edition.
        register_demo_step(
            DemoStep(
                "training_events",
                "kinerja.training.demo_events.demo_events_run",
                "kinerja.training.demo_events.demo_events_wipe",
                order=150,
            )
        )
        register_nav(
            NavEntry(_("Training"), "training:event_list", Action.MANAGE_TRAINING, "training", 60)
        )
        register_nav(NavEntry(_("My training"), "training:my_events", "self", "my_training", 60))

        register_nav(
            NavEntry(
                _("Our nominees"), "training:our_nominees", _nominates, "training_our_nominees", 60
            )
        )
        register_nav(
            NavEntry(_("Development needs"), "training:gaps", _reads_gaps, "training_gaps", 61)
        )

        register_demo_step(
            DemoStep(
                "training_nominations",
                "kinerja.training.demo_nominations.demo_nominations_run",
                "kinerja.training.demo_nominations.demo_nominations_wipe",
                order=151,
            )
        )

        register_nav(
            NavEntry(
                _("My action plans"),
                "training:action_plan_mine",
                _has_record,
                "my_action_plans",
                60,
            )
        )

        register_demo_step(
            DemoStep(
                "training_action_plans",
                "kinerja.training.demo_action_plans.demo_action_plans_run",
                "kinerja.training.demo_action_plans.demo_action_plans_wipe",
                order=154,
            )
        )

        register_demo_step(
            DemoStep(
                "training_attendance",
                "kinerja.training.demo_attendance.demo_attendance_run",
                "kinerja.training.demo_attendance.demo_attendance_wipe",
                order=152,
            )
        )

        register_demo_step(
            DemoStep(
                "training_certificates",
                "kinerja.training.demo_certificates.demo_certificates_run",
                "kinerja.training.demo_certificates.demo_certificates_wipe",
                order=155,
            )
        )

        register_nav(
            NavEntry(
                _("My certificates"),
                "training:my_certificates",
                _has_record,
                "training_my_certificates",
                151,
            )
        )

        register_nav(
            NavEntry(
                _("Certificates"),
                "training:certificates",
                Action.MANAGE_TRAINING,
                "training_certificates",
                150,
            )
        )
