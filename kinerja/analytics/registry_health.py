"""What the health part of the analytics app offers the shared pages (navigation, home cards)."""

from django.utils.translation import gettext_lazy as _


def _reads_health(request) -> bool:
    """Cascade health: Bappeda, leadership, the inspectorate, the system administrator, and a
    head of agency or an agency administrator (their own agency)."""
    from .selectors_health import may_read_health

    return may_read_health(request.scope)


def register() -> None:
    """Register the health navigation entries."""
    from kinerja.core.registry import NavEntry, register_nav

    register_nav(
        NavEntry(
            _("Cascade health"), "analytics:health_overview", _reads_health, "cascade_health", 48
        )
    )
