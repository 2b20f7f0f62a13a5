"""The Perpres 80/2019 pages are kept: the second view of a page is answered from its kept HTML
(fewer queries, the same content), and a write of the project office shows on the next view."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.regional import services

pytestmark = pytest.mark.django_db

# (page, user, url, the queries a kept view saves at least, a sign of the toll road's status
# before and after it is reported finished).
PAGES = [
    (
        "areas",
        "bappeda",
        lambda w, r: reverse("regional:area_list"),
        10,
        'area=gerbangkertosusila&amp;status=finished">0</a>',
        'area=gerbangkertosusila&amp;status=finished">1</a>',
    ),
    (
        "area",
        "bappeda",
        lambda w, r: reverse("regional:area_detail", args=["gerbangkertosusila"]),
        12,
        'status=finished">Selesai</a></td><td class="text-end">0</td>',
        'status=finished">Selesai</a></td><td class="text-end">1</td>',
    ),
    (
        "projects",
        "bappeda",
        lambda w, r: reverse("regional:project_list"),
        5,
        "<td>Konstruksi</td>",
        "<td>Selesai</td>",
    ),
    (
        "project",
        "opd_admin",
        lambda w, r: reverse("regional:project_detail", args=[r.projects["toll"].pk]),
        8,
        'data-testid="status">Konstruksi<',
        'data-testid="status">Selesai<',
    ),
    (
        "duties",
        "opd_head",
        lambda w, r: reverse("regional:agency_duties", args=[w.agency_a.pk]),
        6,
        "<td>Konstruksi</td>",
        "<td>Selesai</td>",
    ),
]


def _same(page: str) -> str:
    """The page without its CSRF tokens (masked anew on every response)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", page)


def _view(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize(
    # Not "page": that name is Playwright's browser page, which would make these browser tests.
    ("page_name", "user", "url", "saved", "before", "after"),
    PAGES,
    ids=[p[0] for p in PAGES],
)
def test_a_kept_page_is_read_again_without_its_queries_until_a_write(
    login, world, regional, page_name, user, url, saved, before, after
):
    client = login(world.users[user])
    url = url(world, regional)
    first, first_queries = _view(client, url)
    second, second_queries = _view(client, url)
    assert second_queries <= first_queries - saved, (first_queries, second_queries)
    assert _same(second) == _same(first)
    assert before in second and after not in second

    # The lead agency's administrator reports the toll road finished: every page shows it.
    toll = regional.projects["toll"]
    admin = world.users["opd_admin"]
    services.progress_add(
        actor=admin,
        scope=scope_for(admin),
        project=toll,
        date=dt.date(2023, 6, 30),
        percent=100,
        status="finished",
        note="Jalan tol beroperasi penuh",
    )
    third, third_queries = _view(client, url)
    assert after in third and before not in third
    assert third_queries > second_queries
    if page_name == "project":
        assert "Jalan tol beroperasi penuh" in third
        assert 'data-testid="progress-form"' in third  # the form is rendered outside, each time


def test_a_milestone_added_shows_on_the_project_page(login, world, regional, bappeda_scope):
    toll = regional.projects["toll"]
    client = login(world.users["bappeda"])
    url = reverse("regional:project_detail", args=[toll.pk])
    assert "Serah terima" not in client.get(url).content.decode()
    assert "Serah terima" not in client.get(url).content.decode()  # kept
    services.milestone_add(
        actor=world.users["bappeda"],
        scope=bappeda_scope,
        project=toll,
        name="Serah terima",
        planned_date=dt.date(2030, 1, 1),
    )
    page = client.get(url).content.decode()
    assert "Serah terima" in page and 'data-testid="milestone-form"' in page


def test_callers_of_different_reach_do_not_share_a_kept_page(login, world, regional):
    url = reverse("regional:project_detail", args=[regional.projects["toll"].pk])
    page = login(world.users["opd_admin"]).get(url).content.decode()
    assert reverse("regional:milestone_update", args=[regional.late.pk]) in page
    # The leadership reads the same project without the lead agency's edit links.
    page = login(world.users["leadership"]).get(url).content.decode()
    assert "Konstruksi dimulai" in page
    assert reverse("regional:milestone_update", args=[regional.late.pk]) not in page
    # A head of agency A may not read agency B's duties, kept or not.
    client = login(world.users["opd_head"])
    assert (
        client.get(reverse("regional:agency_duties", args=[world.agency_b.pk])).status_code == 404
    )
    assert (
        client.get(reverse("regional:agency_duties", args=[world.agency_b.pk])).status_code == 404
    )


def test_a_bad_filter_is_told_on_a_kept_project_list(login, world, regional):
    client = login(world.users["bappeda"])
    url = reverse("regional:project_list")
    for _ in range(2):
        page = client.get(url, {"lead_agency": "x"}).content.decode()
        assert 'data-testid="filter-errors"' in page
    assert 'data-testid="filter-errors"' not in client.get(url).content.decode()
