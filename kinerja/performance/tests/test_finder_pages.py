"""The collaboration finder's pages: the list (filters, the run button for Bappeda), a
candidate with the two manuals side by side and the shared stems marked, Bappeda's accept and
dismiss forms with the refusals beside their field, and an agency's scoped view."""

from __future__ import annotations

import pytest

from kinerja.performance.models import Collaboration, CollaborationCandidate

from .test_finder import YEAR, fx  # noqa: F401 - the fixture

LIST = "/plans/collaboration-finder/"


@pytest.fixture
def found(fx):  # noqa: F811
    fx.run()
    fx.candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    return fx


def test_bappeda_sees_the_proposed_candidates_best_first_and_the_run_button(found, login):
    page = login(found.bappeda).get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Pencari kolaborasi" in html
    assert html.count('data-testid="candidate"') == 2
    first = html.index("Persentase lulusan SMK yang bekerja<")
    second = html.index("Persentase lulusan SMK yang bekerja atau berwirausaha")
    assert first < second  # (KES-SMK, DIK-SMK2) scores higher than (DIK-SMK, KES-SMK)
    assert 'data-testid="run"' in html


def test_the_list_filters_by_status_agency_and_minimum_score(found, login):
    client = login(found.bappeda)
    top = CollaborationCandidate.objects.order_by("-score").first()
    html = client.get(LIST, {"min_score": str(top.score)}).content.decode()
    assert html.count('data-testid="candidate"') == 1
    assert (
        client.get(LIST, {"status": "dismissed"}).content.decode().count('data-testid="candidate"')
        == 0
    )
    assert client.get(LIST, {"status": ""}).content.decode().count('data-testid="candidate"') == 2
    agency_a = found.world.agency_a.pk
    assert (
        client.get(LIST, {"unit": agency_a}).content.decode().count('data-testid="candidate"') == 2
    )
    bad = client.get(LIST, {"min_score": "2"})
    assert bad.status_code == 200 and bad.content.decode().count('data-testid="candidate"') == 0


def test_the_candidate_page_shows_both_manuals_with_the_shared_stems_marked(found, login):
    page = login(found.world.users["leadership"]).get(found.candidate.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="side"') == 2
    assert "<mark>lulusan</mark>" in html and "<mark>SMK</mark>" in html
    assert "<mark>kejuruan</mark>" in html
    assert "Dinas Pendidikan" in html and "Dinas Kesehatan" in html
    assert 'data-testid="accept-form"' not in html  # leadership reads, Bappeda decides


def test_bappeda_accepts_with_the_default_weight_and_lands_on_the_collaboration(found, login):
    client = login(found.bappeda)
    form = client.get(found.candidate.get_absolute_url()).content.decode()
    assert 'value="30"' in form  # the policy's default weight
    response = client.post(
        found.candidate.get_absolute_url(),
        {
            "decision": "accept",
            "accept-lead_unit": found.world.agency_a.pk,
            "accept-weight": "30",
            "accept-title": "Lulusan SMK bekerja",
        },
    )
    collaboration = Collaboration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == collaboration.get_absolute_url()
    assert collaboration.members.get().weight == 30


def test_a_refusal_shows_beside_its_field_in_indonesian_and_saves_nothing(found, login):
    response = login(found.bappeda).post(
        found.candidate.get_absolute_url(),
        {
            "decision": "accept",
            "accept-lead_unit": found.world.agency_a.pk,
            "accept-weight": "0",
            "accept-title": "Lulusan SMK bekerja",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_accept-weight_error"' in html
    assert "bobot" in html[html.index('id="id_accept-weight_error"') :][:300].lower()
    assert not Collaboration.objects.exists()


def test_bappeda_dismisses_with_a_reason(found, login):
    client = login(found.bappeda)
    empty = client.post(
        found.candidate.get_absolute_url(), {"decision": "dismiss", "dismiss-reason": ""}
    )
    assert empty.status_code == 200 and 'id="id_dismiss-reason_error"' in empty.content.decode()
    done = client.post(
        found.candidate.get_absolute_url(),
        {"decision": "dismiss", "dismiss-reason": "Mengukur hal berbeda"},
    )
    assert done.status_code == 302
    found.candidate.refresh_from_db()
    assert (found.candidate.status, found.candidate.reason) == ("dismissed", "Mengukur hal berbeda")


def test_bappeda_runs_the_finder_from_the_page(fx, login):  # noqa: F811
    response = login(fx.bappeda).post(f"{LIST}run/", {"year": YEAR}, follow=True)
    html = response.content.decode()
    assert "2 kandidat baru" in html
    assert CollaborationCandidate.objects.count() == 2


def test_an_agency_head_reads_its_candidates_but_does_not_decide(found, login):
    client = login(found.world.users["opd_head"])
    html = client.get(LIST).content.decode()
    assert html.count('data-testid="candidate"') == 2 and 'data-testid="run"' not in html
    page = client.get(found.candidate.get_absolute_url()).content.decode()
    assert 'data-testid="dismiss-form"' not in page
    refused = client.post(
        found.candidate.get_absolute_url(), {"decision": "dismiss", "dismiss-reason": "x"}
    )
    assert refused.status_code == 403
    assert client.post(f"{LIST}run/", {"year": YEAR}).status_code == 403


def test_the_nav_entry_is_bappedas(found, login):
    page = login(found.bappeda).get("/plans/collaborations/").content.decode()
    assert f'href="{LIST}"' in page and "Pencari kolaborasi" in page
    head = login(found.world.users["opd_head"]).get("/plans/collaborations/").content.decode()
    assert f'href="{LIST}"' not in head


def _many(fx, n, start=0):  # noqa: F811
    """``n`` candidates between new indicators of agencies A and B, written straight."""
    from kinerja.performance.models import Indicator

    rows = []
    for k in range(start, start + n):
        a = Indicator.objects.create(
            instansi=fx.world.instansi,
            goal=fx.plan.target_a,
            unit=fx.world.agency_a,
            code=f"QA-{k}",
            name=f"Indikator A {k}",
            measure_unit="persen",
            control_level="outcome",
        )
        b = Indicator.objects.create(
            instansi=fx.world.instansi,
            goal=fx.plan.objective_b,
            unit=fx.world.agency_b,
            code=f"QB-{k}",
            name=f"Indikator B {k}",
            measure_unit="persen",
            control_level="outcome",
        )
        rows.append(
            CollaborationCandidate(
                instansi=fx.world.instansi,
                year=YEAR,
                indicator_a=a,
                indicator_b=b,
                unit_a=fx.world.agency_a,
                unit_b=fx.world.agency_b,
                score="0.5",
                terms=["uji"],
            )
        )
    CollaborationCandidate.objects.bulk_create(rows)


def test_the_list_costs_the_same_queries_for_5_rows_or_60(fx, login):  # noqa: F811
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(fx.bappeda)
    _many(fx, 5)
    client.get(LIST)  # warm the caches of the first request
    # The rows are written straight, not audited: drop the kept page so that both views
    # render the list.
    cache.clear()
    with CaptureQueriesContext(connection) as five:
        small = client.get(LIST).content.decode()
    _many(fx, 55, start=5)
    cache.clear()
    with CaptureQueriesContext(connection) as sixty:
        large = client.get(LIST).content.decode()
    assert small.count('data-testid="candidate"') == 5
    assert large.count('data-testid="candidate"') == 50  # a page
    assert len(sixty.captured_queries) == len(five.captured_queries)
