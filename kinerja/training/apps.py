from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav
        from kinerja.core.scope import Action

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
