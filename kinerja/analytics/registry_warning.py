"""What the warning part of the analytics app offers the shared pages (navigation, home cards)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# The menu entry's readers: the leadership, Bappeda, agency heads and administrators and the
# system administrator. Others who read plans reach the page by its address.
NAV_ROLES = frozenset({"leadership", "bappeda", "opd_head", "opd_admin", "system_admin"})


def _in_menu(request) -> bool:
    return bool(NAV_ROLES & set(request.scope.roles))


def home_card(request) -> dict[str, Any] | None:
    """The count of at-risk targets in reach at the last scan (two counts, kept until the next
    audited write)."""
    from kinerja.audit.freshness import kept

    from . import selectors_warning as sel

    scope = request.scope
    if not _in_menu(request):
        return None
    year = sel.default_year(sel.years(scope))
    count = kept(
        "home.analytics.warning",
        lambda: sel.at_risk_in_reach(scope, year),
        scope=scope,
        request=request,
        parts=(year,),
    )
    return {"at_risk": count, "year": year}


def register() -> None:
    """Register the warning navigation entries."""
    from kinerja.core.registry import (
        DemoStep,
        HomeCard,
        NavEntry,
        register_demo_step,
        register_home_card,
        register_nav,
    )

    register_nav(NavEntry(_("Early warning"), "analytics:warning_list", _in_menu, "warning", 72))
    register_home_card(
        "analytics_warning", HomeCard("analytics/warning_home_card.html", home_card, 30)
    )
    # After every step that writes targets and realisations: flag them, and give the demo's
    # heads and leadership an address for the digest.
    register_demo_step(
        DemoStep(
            "early_warning",
            "kinerja.analytics.demo_warning.demo_warning_run",
            "kinerja.analytics.demo_warning.demo_warning_wipe",
            order=190,
        )
    )
