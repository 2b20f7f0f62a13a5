"""``{% load kinerja_static %}``: Django's ``static`` library, with each file's URL worked out
once per process.

Django's ``{% static %}`` asks the app registry whether staticfiles is installed (a walk over
every app) and the storage for the URL on every use; a page's head and scripts use it eight
times, about a twentieth of a kept page's time. The URL of a path depends only on the settings
(this project's storage adds no content hash, and takes its base URL once, as the storage
itself does), so it is kept by path and forgotten when a static setting changes (tests
override them). Templates load it instead of Django's ``static`` (a test holds them to it);
the tags keep their names.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static as django_static

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

_URLS: dict[str, str] = {}


class KeptStaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path):
        url = _URLS.get(path)
        if url is None:
            url = _URLS[path] = django_static.StaticNode.handle_simple(path)
        return url


@register.tag("static")
def do_static(parser, token):
    """``{% static "path" [as name] %}``: the URL of a static file."""
    return KeptStaticNode.handle_token(parser, token)


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "INSTALLED_APPS", "FORCE_SCRIPT_NAME"}:
        _URLS.clear()
