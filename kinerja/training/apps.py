from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _has_record(request) -> bool:
    """My action plans: an employee with a record."""
    return bool(request.scope.employee_id)


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav

        # After the 2023 refreshment's event and enrolments (earlier training steps) and the
        # 2023 agreements and employee plans (105, 120): the action plans and their follow-up.
        register_demo_step(
            DemoStep(
                "training_action_plans",
                "kinerja.training.demo_action_plans.demo_action_plans_run",
                "kinerja.training.demo_action_plans.demo_action_plans_wipe",
                order=154,
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
