"""What the network part of the analytics app offers the shared pages (navigation)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    """Register the network navigation entry: "Collaboration network" for the readers of
    planning."""
    from kinerja.core.registry import NavEntry, register_nav
    from kinerja.core.scope import Action

    register_nav(
        NavEntry(
            _("Collaboration network"),
            "analytics:network",
            Action.VIEW_PLANNING,
            "analytics_network",
            73,
        )
    )
