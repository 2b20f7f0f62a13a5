from collections.abc import Mapping
from functools import cached_property
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .registry import HomeCard, home_cards


@never_cache
def healthz(request):
    """Report liveness and whether the database answers, as JSON."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        code = 200
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        db = {"status": "error", "error": exc.__class__.__name__}
        code = 503
    return JsonResponse({"status": "ok" if code == 200 else "error", "database": db}, status=code)


def is_partial(request) -> bool:
    """An HTMX request that wants a fragment (not a history restore, which needs the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class PartialTemplateMixin:
    """A list page whose HTMX requests get only ``partial_template_name`` (the table that the
    filters and the pager replace); the answer varies on ``HX-Request`` so that no cache serves
    a fragment for a page or the other way round."""

    partial_template_name: str

    def get_template_names(self):
        if is_partial(self.request):
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


def share_rows(counts: dict[str, int], choices) -> list[dict]:
    """Return one row per choice with its label, count and share of the total, for bar lists."""
    total = sum(counts.values())
    return [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0),
            "percent": round(100 * counts.get(value, 0) / total) if total else 0,
        }
        for value, label in choices
    ]


class LazyCard(Mapping):
    """A card of the home page whose context is asked of its app only when first read.

    It reads as the card's context with its ``template``; a hidden card (the app's context is
    None) holds the template only. The page keeps each card's HTML (``{% kept %}``) until the
    next write, and a kept card is never asked.
    """

    def __init__(self, card: HomeCard, request):
        self.template = card.template
        self._card = card
        self._request = request

    @cached_property
    def context(self) -> dict[str, Any] | None:
        return self._card.context(self._request)

    @property
    def shown(self) -> bool:
        return self.context is not None

    def __getitem__(self, key: str):
        if key == "template":
            return self.template
        if self.context is None:
            raise KeyError(key)
        return self.context[key]

    def __iter__(self):
        yield "template"
        yield from (self.context or {})

    def __len__(self) -> int:
        return 1 + len(self.context or {})


class HomeView(LoginRequiredMixin, TemplateView):
    """The signed-in user's home: the cards the apps registered, each shown when it has content."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        cards = [LazyCard(card, self.request) for card in home_cards()]

        def shared(key: str):
            # The page title reads the instansi and my record from the cards that hold them.
            return next((card[key] for card in cards if card.shown and key in card), None)

        return super().get_context_data(
            nav_active="home",
            cards=cards,
            # What tells two callers' cards apart besides their reach: their roles (a card
            # may show them, or show only for some).
            card_roles=",".join(sorted(self.request.scope.roles)),
            instansi=lambda: shared("instansi"),
            me=lambda: shared("me"),
            **kwargs,
        )
