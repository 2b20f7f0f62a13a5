from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav
        from kinerja.core.scope import Action

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
