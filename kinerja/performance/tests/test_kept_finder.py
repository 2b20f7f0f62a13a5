"""The collaboration finder's pages are kept ({% kept %}) until the next audited write: the
second view runs fewer queries and shows the same, a decision shows on the next view, and the
forms (with their CSRF token) stay outside the kept parts."""

from __future__ import annotations

import pytest

from kinerja.audit.testing import counted_view
from kinerja.performance.models import CollaborationCandidate
from kinerja.performance.services import finder as svc

from .test_finder import fx  # noqa: F401 - the fixture

LIST = "/plans/collaboration-finder/"


@pytest.fixture
def found(fx):  # noqa: F811
    fx.run()
    fx.candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    return fx


def _dismiss(found):
    svc.candidate_dismiss(
        actor=found.bappeda,
        scope=found.scope,
        candidate=found.candidate,
        reason="Mengukur hal berbeda",
    )


def test_the_list_is_kept_until_a_decision(found, login):
    client = login(found.bappeda)
    first, first_queries = counted_view(client, LIST)
    second, second_queries = counted_view(client, LIST)
    assert second == first
    assert first.count('data-testid="candidate"') == 2 and 'data-testid="run"' in first
    # The candidates, their count, the counts by status and the agencies are not read again.
    assert second_queries <= first_queries - 4
    _dismiss(found)
    after, _ = counted_view(client, LIST)
    assert after.count('data-testid="candidate"') == 1  # proposed only, by default
    dismissed, _ = counted_view(client, f"{LIST}?status=dismissed")
    assert dismissed.count('data-testid="candidate"') == 1
    assert "Mengukur hal berbeda" not in after  # the list shows no reason; the page does


def _form(html, marker):
    """The POST form of the page around ``marker``."""
    end = html.index(marker)
    return html[html.rindex('<form method="post"', 0, end) : html.index("</form>", end)]


def test_the_run_form_keeps_its_own_token_on_a_keptcounted_view(found, login):
    client = login(found.bappeda)
    client.get(LIST)
    kept = client.get(LIST).content.decode()
    assert 'name="csrfmiddlewaretoken"' in _form(kept, 'data-testid="run"')


def test_the_candidate_page_is_kept_until_a_decision_and_its_forms_are_not(found, login):
    client = login(found.bappeda)
    url = found.candidate.get_absolute_url()
    first, first_queries = counted_view(client, url)
    second, second_queries = counted_view(client, url)
    assert second == first
    assert first.count('data-testid="side"') == 2 and "<mark>lulusan</mark>" in first
    assert 'data-testid="accept-form"' in second and 'data-testid="dismiss-form"' in second
    # The targets of the year, the proposed lead and the agencies to choose are not read again.
    assert second_queries <= first_queries - 3
    html = client.get(url).content.decode()
    for marker in ('data-testid="accept"', 'data-testid="dismiss"'):
        assert 'name="csrfmiddlewaretoken"' in _form(html, marker)  # rendered each time
    _dismiss(found)
    after, _ = counted_view(client, url)
    assert "Mengukur hal berbeda" in after
    assert 'data-testid="dismiss-form"' not in after  # decided: no forms any more


def test_an_agency_head_reads_the_kept_list_of_its_own_reach(found, login):
    bappeda = login(found.bappeda)
    bappeda.get(LIST)
    head = login(found.world.users["opd_head"])
    html, _ = counted_view(head, LIST)
    assert html.count('data-testid="candidate"') == 2 and 'data-testid="run"' not in html


def test_a_refused_decision_shows_its_own_values_and_errors_after_a_keptcounted_view(found, login):
    client = login(found.bappeda)
    url = found.candidate.get_absolute_url()
    client.get(url)
    kept = client.get(url).content.decode()
    assert 'value="30"' in kept and 'id="id_accept-weight_error"' not in kept
    refused = client.post(
        url,
        {
            "decision": "accept",
            "accept-lead_unit": found.world.agency_a.pk,
            "accept-weight": "0",
            "accept-title": "Judul yang dikirim",
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="id_accept-weight_error"' in html and "Judul yang dikirim" in html
    again = client.get(url).content.decode()
    assert 'id="id_accept-weight_error"' not in again and "Judul yang dikirim" not in again
    assert 'value="30"' in again
