"""Navigation by role: each registered entry shows only when the caller's scope allows it."""

from django.urls import reverse

from .registry import nav_entries


def navigation(request):
    scope = getattr(request, "scope", None)
    if scope is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": e.label, "url": reverse(e.url_name), "key": e.key}
        for e in nav_entries()
        if e.allowed(scope, request)
    ]
    return {"nav_items": items}
