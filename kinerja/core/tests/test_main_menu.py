"""`{% main_menu %}` writes the menu's items in Python: the same markup as the template's."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from kinerja.core.templatetags.kinerja_html import MENU_TEMPLATE

ITEMS = [
    {"key": "home", "url": "/", "label": "Beranda"},
    {"key": "plans", "url": "/plans/", "label": "Rencana & <Kinerja>"},
    {"key": "hours", "url": "/training/hours/?year=2023", "label": "Jam pengembangan"},
]


def _both(path: str, nav_active=None) -> tuple[str, str]:
    context = {"nav_items": ITEMS, "request": RequestFactory().get(path)}
    if nav_active is not None:
        context["nav_active"] = nav_active
    by_tag = Template("{% load kinerja_html %}{% main_menu %}").render(Context(context))
    by_template = Template(MENU_TEMPLATE).render(Context(context))
    return by_tag, by_template


@pytest.mark.parametrize(
    ("path", "nav_active", "current"),
    [
        ("/plans/", None, "/plans/"),  # the path names the current entry
        ("/plans/", "hours", "/training/hours/?year=2023"),  # the view's key wins over the path
        ("/elsewhere/", None, None),  # no entry is current
        ("/", "", "/"),  # an empty key is no key
    ],
)
def test_the_menu_is_the_templates_markup(path, nav_active, current):
    by_tag, by_template = _both(path, nav_active)
    assert by_tag == by_template
    assert by_tag.count("<li ") == 3
    assert "Rencana &amp; &lt;Kinerja&gt;" in by_tag  # labels are escaped
    if current is None:
        assert "aria-current" not in by_tag
    else:
        assert by_tag.count('aria-current="page"') == 1
        assert f'href="{current.replace("&", "&amp;")}" aria-current="page"' in by_tag


def test_the_menu_written_once_follows_the_language():
    """The markup is remembered per entries, language and current entry: a label is written in
    the active language, never the language of the first page that wrote it."""
    from django.utils import translation
    from django.utils.functional import lazy

    label = lazy(lambda: "Beranda" if translation.get_language() == "id" else "Home", str)()
    items = [{"key": "home-lang", "url": "/lang-test/", "label": label}]
    template = Template("{% load kinerja_html %}{% main_menu %}")

    def render():
        request = RequestFactory().get("/elsewhere/")
        return template.render(Context({"nav_items": items, "request": request}))

    with translation.override("id"):
        assert ">Beranda<" in render() and ">Beranda<" in render()
    with translation.override("en"):
        assert ">Home<" in render()
