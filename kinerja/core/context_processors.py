"""Navigation by role: each registered entry shows only when the caller's scope allows it."""

from django.urls import reverse

from .registry import nav_entries


def allowed_nav(request) -> list[tuple[str, str]]:
    """The key and URL of each entry the request's scope allows, in the menu's order."""
    return [
        (e.key, reverse(e.url_name)) for e in nav_entries() if e.allowed(request.scope, request)
    ]


def nav_items(allowed: list[tuple[str, str]]) -> list[dict]:
    """The menu's items of ``allowed`` (key, URL), labelled in the active language."""
    entries = {e.key: e for e in nav_entries()}
    return [
        {"label": entries[key].label, "url": url, "key": key}
        for key, url in allowed
        if key in entries
    ]


def navigation(request):
    scope = getattr(request, "scope", None)
    if scope is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items(allowed_nav(request))}
