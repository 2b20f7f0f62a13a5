"""What the reports part of the analytics app offers the shared pages (navigation)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    """Register the reports navigation entry: "Reports" for the readers of planning."""
    from kinerja.core.registry import NavEntry, register_nav
    from kinerja.core.scope import Action

    register_nav(
        NavEntry(
            _("Reports"), "analytics:report_list", Action.VIEW_PLANNING, "analytics_reports", 72
        )
    )
