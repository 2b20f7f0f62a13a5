from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _has_record(request) -> bool:
    return bool(request.scope.employee_id)


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav
        from kinerja.core.scope import Action

        # Certificates: the organiser's page of events, and one's own certificates.
        register_nav(
            NavEntry(
                _("Certificates"),
                "training:certificates",
                Action.MANAGE_TRAINING,
                "training_certificates",
                150,
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
        # After the event, its attendance and its tests (the other training steps): the
        # certificates of the 2023 refreshment, issued, initialled, signed, one revoked.
        register_demo_step(
            DemoStep(
                "training_certificates",
                "kinerja.training.demo_certificates.demo_certificates_run",
                "kinerja.training.demo_certificates.demo_certificates_wipe",
                order=155,
            )
        )
