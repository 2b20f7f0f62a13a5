from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, register_demo_step

        # After the steps that make the 2023 refreshment and confirm its participants: the
        # attendance of every participant at every session.
        register_demo_step(
            DemoStep(
                "training_attendance",
                "kinerja.training.demo_attendance.demo_attendance_run",
                "kinerja.training.demo_attendance.demo_attendance_wipe",
                order=152,
            )
        )
