"""The employee search: by name or post title, its count cap, and its index on PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.core.pagination import CappedPageNumberPagination
from kinerja.organisations import querysets
from kinerja.organisations.models import Employee
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory


@pytest.fixture
def sari(world):
    """Agency A: five staff named Sari, and Bayu who holds a post titled "Pengolah Sari Buah"."""
    for n in range(5):
        EmployeeFactory(unit=world.division_a, name=f"Sari Dewi {n}")
    post = PositionFactory(unit=world.division_a, code="SARPRAS", title="Pengolah Sari Buah")
    EmployeeFactory(unit=world.division_a, position=post, name="Bayu")
    EmployeeFactory(unit=world.agency_b, name="Sari di Dinkes")
    return world


def _names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_search_finds_names_and_post_titles_by_id_or_by_join(sari, monkeypatch):
    found = _names(Employee.objects.filter(unit__agency=sari.agency_a).search("sari"))
    expected = ["Bayu", *(f"Sari Dewi {n}" for n in range(5))]
    assert found == expected
    # Past SEARCH_MAX_POSTS matching posts the title is matched by a join: the same answer.
    monkeypatch.setattr(querysets, "SEARCH_MAX_POSTS", 0)
    assert _names(Employee.objects.filter(unit__agency=sari.agency_a).search("sari")) == expected
    assert _names(Employee.objects.search("buah")) == ["Bayu"]
    assert _names(Employee.objects.search("tidak ada")) == []


def test_a_search_counts_only_to_its_cap_on_the_page_and_in_the_api(
    sari, login, settings, monkeypatch
):
    settings.KINERJA_SEARCH_COUNT_CAP = 3
    monkeypatch.setattr(CappedPageNumberPagination, "page_size", 1)  # a count past the page
    client = login(sari.users["opd_admin"])
    url = reverse("organisations:employee_list")
    page = client.get(url, {"q": "sari"})
    assert page.context["page_obj"].paginator.cap == 3
    assert len(page.context["employees"]) == 6  # all six rows still listed (one page of 50)
    assert client.get(url).context["page_obj"].paginator.cap == 10000  # no search: the list cap
    api = APIClient()
    api.force_login(sari.users["opd_admin"])
    body = api.get("/api/v1/employees/", {"q": "sari"}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, True, 1)
    body = api.get("/api/v1/employees/", {"q": "buah"}).json()
    assert (body["count"], body["count_capped"]) == (1, False)
    body = api.get("/api/v1/employees/").json()  # no search: counted whole
    assert (body["count"], body["count_capped"]) == (
        Employee.objects.filter(unit__agency=sari.agency_a).count(),
        False,
    )
    # Agency B's Sari stays out of A's admin's search.
    assert "Sari di Dinkes" not in [
        r["name"] for r in api.get("/api/v1/employees/?q=dinkes").json()["results"]
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_has_the_trigram_indexes_of_the_search():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('org_employee_name_trgm', 'org_position_title_trgm') ORDER BY indexname"
        )
        rows = cursor.fetchall()
    assert [name for name, _ in rows] == ["org_employee_name_trgm", "org_position_title_trgm"]
    assert all("gin_trgm_ops" in definition and "upper" in definition for _, definition in rows)
