"""What the dashboards part of the analytics app offers the shared pages (navigation)."""

from django.utils.translation import gettext_lazy as _


def _reads_province(request) -> bool:
    """The province dashboard: the instansi-wide readers of planning."""
    from .selectors_dashboards import may_read_province

    return may_read_province(request.scope)


def _heads_an_agency(request) -> bool:
    """The agency dashboard of one's own agency: its head and its administrator (the
    instansi-wide readers reach every agency from the province dashboard)."""
    from .selectors_dashboards import may_read_province, reads_units

    scope = request.scope
    return (
        bool(scope.roles & {"opd_head", "opd_admin"})
        and reads_units(scope)
        and not may_read_province(scope)
    )


def register() -> None:
    """Register the dashboards navigation entries."""
    from kinerja.core.registry import NavEntry, register_nav

    register_nav(
        NavEntry(_("Dashboard"), "analytics:dashboard_province", _reads_province, "dashboard", 5)
    )
    register_nav(
        NavEntry(
            _("Agency dashboard"),
            "analytics:dashboard_my_agency",
            _heads_an_agency,
            "dashboard_agency",
            6,
        )
    )
    register_nav(NavEntry(_("My dashboard"), "analytics:dashboard_me", "self", "dashboard_me", 7))
