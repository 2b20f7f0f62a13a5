from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _reads_impact(request) -> bool:
    """Impact reports: the organiser, leadership, BKD, Bappeda and the agencies that nominate."""
    from .impact import may_read_impact

    return may_read_impact(request.scope)


class TrainingConfig(AppConfig):
    name = "kinerja.training"
    label = "training"
    verbose_name = _("Leadership development and training")

    def ready(self) -> None:
        from kinerja.core.registry import NavEntry, register_nav

        register_nav(
            NavEntry(
                _("Impact reports"), "training:impact_list", _reads_impact, "training_impact", 78
            )
        )
