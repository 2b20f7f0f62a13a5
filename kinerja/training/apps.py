from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _nominates(request) -> bool:
    """Our nominees: an agency's head or administrator (``nominate``)."""
    from .selectors_nominations import nominates

    return nominates(request.scope)


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import DemoStep, NavEntry, register_demo_step, register_nav

        # After the events step (150), which creates the 2023 refreshment: its 61 heads of
        # agency enrolled, one replaced by an acting head, a few competency gaps.
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
                _("Our nominees"), "training:our_nominees", _nominates, "training_our_nominees", 60
            )
        )
