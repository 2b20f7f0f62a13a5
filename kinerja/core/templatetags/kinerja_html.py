"""`{% select_options choices selected %}`: the ``<option>`` elements of a select, in Python.

A filter form's selects hold dozens of options (61 agencies, 17 grade groups), and the template
engine spent about 0.1 ms on each (a loop step, a comparison through ``stringformat``, two
escapes): more than the list's rows once those were written in Python. ``choices`` is a list of
``(value, label)``; ``selected`` is compared as text, so ``"7"`` from a query string selects 7.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..registry import nav_version

register = template.Library()


@register.simple_tag
def select_options(choices, selected=None) -> SafeString:
    chosen = "" if selected is None else str(selected)
    out = []
    for value, label in choices:
        text = str(value)
        mark = " selected" if text == chosen and chosen != "" else ""
        out.append(f'<option value="{escape(text)}"{mark}>{escape(label)}</option>')
    return mark_safe("".join(out))  # noqa: S308 - values and labels are escaped


MENU_TEMPLATE = """{% for item in nav_items %}{% if item.key == nav_active or not nav_active and item.url == request.path %}<li class="nav-item active"><a class="nav-link" href="{{ item.url }}" aria-current="page"><span class="nav-link-title">{{ item.label }}</span></a></li>{% else %}<li class="nav-item"><a class="nav-link" href="{{ item.url }}"><span class="nav-link-title">{{ item.label }}</span></a></li>{% endif %}{% endfor %}"""  # noqa: E501 - the same markup as main_menu's, for its test


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The ``<li>`` items of the main menu (``nav_items``), the current page's marked.

    On every page, with up to 30 entries: the template engine spent about 1.5 ms a request on
    them, this a tenth of that. The entry is the current one when its key is the view's
    ``nav_active``, or, without one, when its URL is the request's path. ``MENU_TEMPLATE`` is
    the same markup in the template language; a test holds the two equal.
    """
    items = context.get("nav_items") or []
    active = context.get("nav_active")
    request = context.get("request")
    path = getattr(request, "path", None)
    if not active:  # the entry whose URL is the page's, if any: the one input taken from the path
        active = next((item["key"] for item in items if item["url"] == path), None)
    # The same entries in the same language with the same current one: the same markup, written
    # once per process (the labels are translated text, worked out anew on each write).
    memo = (
        tuple((item["key"], item["url"]) for item in items),
        get_language(),
        active,
        nav_version(),
    )
    html = _MENUS.get(memo)
    if html is None:
        html = _menu_html(items, active)
        if len(_MENUS) >= 1024:
            _MENUS.clear()
        _MENUS[memo] = html
    return mark_safe(html)  # noqa: S308 - URLs and labels are escaped in _menu_html


_MENUS: dict[tuple, str] = {}


def _menu_html(items, active) -> str:
    out = []
    for item in items:
        url = escape(item["url"])
        label = escape(item["label"])
        if item["key"] == active:
            out.append(
                f'<li class="nav-item active"><a class="nav-link" href="{url}"'
                f' aria-current="page"><span class="nav-link-title">{label}</span></a></li>'
            )
        else:
            out.append(
                f'<li class="nav-item"><a class="nav-link" href="{url}">'
                f'<span class="nav-link-title">{label}</span></a></li>'
            )
    return "".join(out)
