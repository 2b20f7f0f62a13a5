"""``{% static %}`` keeps each URL per process and gives what Django's tag gives, anew when the
static settings change."""

import re
from pathlib import Path

from django.template import engines
from django.templatetags.static import StaticNode
from django.test import override_settings

from kinerja.core.templatetags.kinerja_static import KeptStaticNode

PAGE = (
    '{% load kinerja_static %}<link href="{% static "kinerja/kinerja.css" %}">'
    '{% static "a b.js" as s %}{{ s }}'
)


def _render() -> str:
    return engines["django"].from_string(PAGE).render({})


def test_the_same_urls_as_djangos_and_new_ones_when_settings_change():
    assert _render() == '<link href="/static/kinerja/kinerja.css">/static/a%20b.js'
    assert KeptStaticNode.handle_simple("x.css") == StaticNode.handle_simple("x.css")
    with override_settings(STATIC_URL="/aset/"):
        assert _render() == '<link href="/aset/kinerja/kinerja.css">/aset/a%20b.js'
    assert _render().startswith('<link href="/static/')


def test_no_template_loads_djangos_static_library():
    root = Path(__file__).resolve().parents[2]
    loads = re.compile(r"\{% load [^%]*\bstatic\b")
    found = [str(p) for p in root.rglob("*.html") if loads.search(p.read_text())]
    assert found == []
