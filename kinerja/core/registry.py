"""What the apps offer to the shared pages and commands: navigation entries, home-page cards
and the steps of the demo (``load_demo``).

Core imports no domain app, so each app registers its entries here from its own
``AppConfig.ready()``; the navigation and the home page only read these lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .scope import Action

# A navigation entry needs: None (any signed-in user), "self" (a linked employee record),
# "reports" (the caller's posts have reports today), an action the caller's scope grants
# somewhere, or a test of the request that the registering app gives (such as "uses the API",
# which only the accounts app can tell).
Need = Action | str | Callable[[Any], bool] | None


@dataclass(frozen=True)
class NavEntry:
    """One item of the top navigation, shown when the caller's scope meets ``need``."""

    label: Any
    url_name: str
    need: Need
    key: str
    order: int = 100

    def allowed(self, scope: Any, request: Any = None) -> bool:
        if self.need is None:
            return True
        if callable(self.need):
            return request is not None and bool(self.need(request))
        if self.need == "self":
            return bool(scope.employee_id)
        if self.need == "reports":
            return bool(getattr(scope, "has_reports", False))
        return scope.can_anywhere(self.need)


@dataclass(frozen=True)
class HomeCard:
    """A card of the home page: ``context(request)`` returns its context, or None to hide it."""

    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100


_nav_version = 0
_nav: dict[str, NavEntry] = {}
_cards: dict[str, HomeCard] = {}


def register_nav(entry: NavEntry) -> None:
    """Add (or replace, by key) a navigation entry."""
    global _nav_version
    _nav[entry.key] = entry
    _nav_version += 1


def nav_version() -> int:
    """Moves with every entry registered: what was written from the entries is stale."""
    return _nav_version


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda e: (e.order, e.key))


def register_home_card(key: str, card: HomeCard) -> None:
    """Add (or replace, by key) a card of the home page."""
    _cards[key] = card


def home_cards() -> list[HomeCard]:
    return sorted(_cards.values(), key=lambda c: c.order)


@dataclass(frozen=True)
class DemoStep:
    """A step an app adds to ``load_demo``: dotted paths of ``run(ctx) -> str`` (keeps what is
    there) and optionally ``wipe(ctx) -> str``. Registered steps run after the organisation
    registry's own, in ``order``, and are wiped before them."""

    label: str
    run: str
    wipe: str | None = None
    order: int = 100


_demo_steps: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    """Add (or replace, by label) a step of the demo."""
    _demo_steps[step.label] = step


def demo_steps() -> list[DemoStep]:
    return sorted(_demo_steps.values(), key=lambda s: (s.order, s.label))
