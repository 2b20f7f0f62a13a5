"""Helpers for the tests of kept pages (``{% kept %}``), shared by every app's tests."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The session's CSRF token, masked anew on each render (a form's field, htmx's header): the one
# part of a page that differs between two views of the same kept page.
CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]+')


def without_tokens(html: str) -> str:
    """``html`` with each CSRF token's value taken out."""
    return CSRF_TOKEN.sub(r"\1", html)


def counted_view(client, url: str) -> tuple[str, int]:
    """GET ``url`` (answering 200): the page without its tokens, and the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return without_tokens(response.content.decode()), len(queries.captured_queries)
