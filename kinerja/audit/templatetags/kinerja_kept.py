"""`{% kept "name" part ... %} ... {% endkept %}`: a part of a page rendered once and kept until
the next audited write of the caller's instansi (`kinerja.audit.freshness.kept`).

The rendered HTML is filed under the name and parts, the page's path and query string, the
active language, the caller's scope (two callers share it only when they reach the same), the day
and the data's version. On a kept answer the block is not rendered at all, so a view that hands
the template its figures lazily (``SimpleLazyObject``, a callable) does not compute them either.

What goes inside must depend on nothing else: no ``{% csrf_token %}`` (the token is the
session's own), no messages, nothing of the request but its path and query. A block whose output
holds a CSRF token is rendered as it is and not kept, so a mistake costs speed, never another
user's token.
"""

from __future__ import annotations

import logging

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..freshness import kept

register = template.Library()
log = logging.getLogger(__name__)

CSRF_FIELD = "csrfmiddlewaretoken"


class _NotKeepable(Exception):
    def __init__(self, html: str):
        self.html = html


class KeptNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        scope = getattr(request, "scope", None) if request is not None else None
        user = getattr(request, "user", None)
        if scope is None or user is None or not user.is_authenticated:
            return self.nodelist.render(context)
        name = str(self.name.resolve(context))
        parts = (
            request.path,
            request.META.get("QUERY_STRING", ""),
            get_language() or "",
            *(str(part.resolve(context)) for part in self.parts),
        )

        def compute() -> str:
            html = self.nodelist.render(context)
            if CSRF_FIELD in html:
                raise _NotKeepable(html)
            return str(html)

        try:
            html = kept(f"html:{name}", compute, scope=scope, request=request, parts=parts)
        except _NotKeepable as refused:
            log.warning("kept block %r holds a CSRF token: rendered, not kept", name)
            return refused.html
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when rendered


@register.tag("kept")
def do_kept(parser, token):
    """``{% kept "dashboard.province" filters.year %}...{% endkept %}``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% kept %} needs a name: {% kept "page.part" %}')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )
