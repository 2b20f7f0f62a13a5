from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectionsConfig(AppConfig):
    name = "kinerja.corrections"
    label = "corrections"
    verbose_name = _("Data corrections")

    def ready(self) -> None:
        from kinerja.core.registry import HomeCard, NavEntry, register_home_card, register_nav
        from kinerja.core.scope import Action

        from . import home

        queue = NavEntry(
            _("Correction requests"), "corrections:queue", Action.CHANGE_PEOPLE, "corrections", 40
        )
        register_nav(queue)
        register_home_card(
            "corrections_mine",
            HomeCard("corrections/partials/_home_mine.html", home.mine_card, 35),
        )
        register_home_card(
            "corrections_queue",
            HomeCard("corrections/partials/_home_queue.html", home.queue_card, 36),
        )
