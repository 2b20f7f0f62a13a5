"""`{% kept %}`: a part of a page rendered once until the next audited write."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from kinerja.audit.services import record
from kinerja.core.scope import Grant, Scope

TEMPLATE = Template(
    '{% load kinerja_kept %}<p>{% kept "t.part" extra %}{{ figure }}|{{ label }}{% endkept %}</p>'
)


class _User:
    is_authenticated = True


class _Anonymous:
    is_authenticated = False


def _request(path="/dashboards/", scope=None, user=None):
    request = RequestFactory().get(path)
    request.scope = scope or Scope(instansi_id=7, grants=(Grant(frozenset({"view"})),))
    request.user = user or _User()
    return request


class _Counter:
    """A figure that counts how often it is computed (the template calls it)."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def _render(request, figure, extra="a", template=TEMPLATE):
    return template.render(
        Context({"request": request, "figure": figure, "label": "Capaian", "extra": extra})
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_the_block_is_rendered_once_until_a_write_of_the_instansi():
    figure = _Counter()
    assert _render(_request(), figure) == "<p>1|Capaian</p>"
    assert _render(_request(), figure) == "<p>1|Capaian</p>"  # kept: not computed again
    assert figure.calls == 1
    record(actor=None, action="test.write", instansi_id=8, target_type="x", target_repr="x")
    assert _render(_request(), figure) == "<p>1|Capaian</p>"  # another instansi's write
    record(actor=None, action="test.write", instansi_id=7, target_type="x", target_repr="x")
    assert _render(_request(), figure) == "<p>2|Capaian</p>"
    assert figure.calls == 2


@pytest.mark.django_db
def test_the_page_its_query_its_parts_the_language_and_the_reach_tell_blocks_apart():
    figure = _Counter()
    assert _render(_request(), figure) == "<p>1|Capaian</p>"
    assert _render(_request("/dashboards/?year=2023"), figure) == "<p>2|Capaian</p>"
    assert _render(_request("/dashboards/agency/3/"), figure) == "<p>3|Capaian</p>"
    assert _render(_request(), figure, extra="b") == "<p>4|Capaian</p>"
    with translation.override("en"):
        assert _render(_request(), figure) == "<p>5|Capaian</p>"
    other_unit = Scope(instansi_id=7, grants=(Grant(frozenset({"view"}), "00000002"),))
    assert _render(_request(scope=other_unit), figure) == "<p>6|Capaian</p>"
    own = Scope(instansi_id=7, grants=(Grant(frozenset({"view"})),), employee_id=11)
    assert _render(_request(scope=own), figure) == "<p>7|Capaian</p>"
    same_reach = Scope(instansi_id=7, grants=(Grant(frozenset({"view"})),), user_id=99)
    assert _render(_request(scope=same_reach), figure) == "<p>1|Capaian</p>"
    assert figure.calls == 7


@pytest.mark.django_db
def test_a_block_with_a_csrf_token_is_rendered_each_time_and_never_kept():
    template = Template(
        '{% load kinerja_kept %}{% kept "t.form" %}<form method="post">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{{ token }}">{{ figure }}</form>'
        "{% endkept %}"
    )
    figure = _Counter()

    def render(token):
        return template.render(
            Context({"request": _request(), "figure": figure, "token": token, "extra": ""})
        )

    assert 'value="first">1</form>' in render("first")
    # The next caller gets their own token, not the first caller's: the block was not kept.
    assert 'value="second">2</form>' in render("second")
    assert figure.calls == 2


@pytest.mark.django_db
def test_an_anonymous_caller_gets_the_block_rendered_each_time():
    figure = _Counter()
    request = _request(user=_Anonymous())
    assert _render(request, figure) == "<p>1|Capaian</p>"
    assert _render(request, figure) == "<p>2|Capaian</p>"


def test_the_tag_needs_a_name():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load kinerja_kept %}{% kept %}x{% endkept %}")
