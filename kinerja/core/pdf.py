"""PDF documents: a Django template rendered to A4 PDF bytes with WeasyPrint.

The documents (the performance agreement, later the SKP and certificates) are templates that
extend ``documents/base.html`` (A4, margins, the fonts Debian ships, page numbers). A template
refers to static files by ``{% static %}`` as a page does; they are read from the static files
on disk, and nothing else is fetched: no network, no other file (``data:`` URLs are allowed).

Official documents are in Indonesian whatever the reader's language: ``render_pdf`` renders under
``language`` ("id" by default), so dates read "1 Januari 2026".

WeasyPrint takes a fifth of a second for a one-page document. A document that can no longer
change (a signed agreement or SKP) is rendered once: ``render_pdf(..., cache_key=...)`` keeps its
bytes in Django's cache under that key and the digest of its HTML, so a later request serves the
bytes, and anything that changes the page (a new version, a renamed unit) renders it anew.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

BASE_URL = "file:///"
PDF = "application/pdf"


def _static_path(url: str) -> str | None:
    """The file on disk behind a ``file:///static/...`` URL, or None."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parts.scheme != "file" or not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    if ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if found:
        return found
    root = getattr(settings, "STATIC_ROOT", None)
    if root and (Path(root) / name).is_file():
        return str(Path(root) / name)
    return None


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Static files and ``data:`` URLs; anything else is refused (the document renders
        without it)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_path(url)
            if found is None:
                raise ValueError(f"Not a static file: {url}")
            return super().fetch(Path(found).as_uri(), headers)

    return StaticOnlyFetcher(allowed_protocols=("file", "data"), timeout=5)


# How long a kept PDF stays in the cache when nobody asks for it.
CACHE_SECONDS = 7 * 24 * 3600


def _write_pdf(html: str) -> bytes:
    """WeasyPrint: the HTML as PDF bytes (the expensive part)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf()


def render_pdf(
    template_name: str, context: dict, *, language: str = "id", cache_key: str = ""
) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes (A4).

    With ``cache_key`` (for a document that no longer changes, such as
    ``"agreement:12:rev0:v4"``) the bytes are kept in the cache and served again while the
    key, the language and the HTML are the same."""
    with translation.override(language):
        html = render_to_string(template_name, context)
        if not cache_key:
            return _write_pdf(html)
        digest = hashlib.sha256(html.encode()).hexdigest()[:32]
        key = f"pdf:{cache_key}:{language}:{digest}"
        content = cache.get(key)
        if content is None:
            content = _write_pdf(html)
            cache.set(key, content, getattr(settings, "KINERJA_PDF_CACHE_SECONDS", CACHE_SECONDS))
        return content


def pdf_filename(*parts: object) -> str:
    """A safe file name from its parts: ``pdf_filename("PK", 2026, "Dinas Pendidikan")`` is
    ``PK-2026-dinas-pendidikan.pdf``."""
    words = [slugify(str(p)) if not isinstance(p, int) else str(p) for p in parts if p != ""]
    name = "-".join(w for w in words if w) or "document"
    name = re.sub(r"-{2,}", "-", name)[:150]
    if parts and isinstance(parts[0], str) and parts[0].isupper():
        name = parts[0] + name[len(slugify(parts[0])) :]
    return f"{name}.pdf"


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An HTTP response carrying a PDF, shown in the browser (``inline``) or downloaded."""
    response = HttpResponse(content, content_type=PDF)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def render_pdf_response(
    template_name: str, context: dict, filename: str, *, inline: bool = True, cache_key: str = ""
) -> HttpResponse:
    return pdf_response(
        render_pdf(template_name, context, cache_key=cache_key), filename, inline=inline
    )
