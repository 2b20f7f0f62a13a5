"""The organisation pages keep their expensive parts (``{% kept %}``, ``freshness.kept``) until
the next audited write: a second view reads less, shows the same, and a write through the
services shows on the next view."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.organisations import services
from kinerja.organisations.models import Employee
from kinerja.organisations.nip import make_nip

CSRF = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _view(client, url) -> tuple[int, str]:
    """The page's queries and its content (CSRF tokens differ each time: left out)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), CSRF.sub(r'\1"-"', response.content.decode())


def _rename(world, name: str) -> None:
    """Rename Siti Aminah (agency A's division) through the service, as her agency's admin."""
    admin = world.users["opd_admin"]
    employee = Employee.objects.get(pk=world.staff_a.pk)
    services.employee_update(
        actor=admin, scope=scope_for(admin), employee=employee, data={"name": name}
    )


def _set_email(world, email: str) -> None:
    admin = world.users["opd_admin"]
    employee = Employee.objects.get(pk=world.staff_a.pk)
    services.employee_update(
        actor=admin, scope=scope_for(admin), employee=employee, data={"email": email}
    )


def _rename_unit(world, name: str) -> None:
    bkd = world.users["bkd"]
    unit = type(world.agency_b).objects.get(pk=world.agency_b.pk)
    services.unit_update(actor=bkd, scope=scope_for(bkd), unit=unit, data={"name": name})


# (page, role, url, write, what the write shows)
PAGES = [
    (
        "list_admin",
        "opd_admin",
        lambda w: reverse("organisations:employee_list"),
        lambda w: _rename(w, "Siti Rahmawati"),
        "Siti Rahmawati",
    ),
    (
        "list_bkd",
        "bkd",
        lambda w: reverse("organisations:employee_list"),
        lambda w: _rename(w, "Siti Rahmawati"),
        "Siti Rahmawati",
    ),
    (
        "search",
        "bkd",
        lambda w: reverse("organisations:employee_list") + "?q=siti",
        lambda w: _rename(w, "Siti Rahmawati"),
        "Siti Rahmawati",
    ),
    (
        "tree_bkd",
        "bkd",
        lambda w: reverse("organisations:unit_tree"),
        lambda w: _rename_unit(w, "Dinas Kesehatan Provinsi"),
        "Dinas Kesehatan Provinsi",
    ),
    (
        "employee",
        "opd_admin",
        lambda w: reverse("organisations:employee_detail", args=[w.staff_a.pk]),
        lambda w: _set_email(w, "siti.baru@jatimprov.go.id"),
        "siti.baru@jatimprov.go.id",
    ),
    (
        "employee_form",
        "opd_admin",
        lambda w: reverse("organisations:employee_update", args=[w.staff_a.pk]),
        lambda w: _set_email(w, "siti.baru@jatimprov.go.id"),
        'value="siti.baru@jatimprov.go.id"',
    ),
]


@pytest.mark.parametrize(
    ("role", "url", "write", "shown"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES]
)
def test_a_page_is_kept_until_a_write_through_the_services(world, role, url, write, shown):
    client = _client(world.users[role])
    url = url(world)
    client.get(reverse("core:home"))  # the session and the caller's scope, read as every page
    first_queries, first = _view(client, url)
    second_queries, second = _view(client, url)
    assert second == first
    assert second_queries <= first_queries - 2, (first_queries, second_queries)
    assert shown not in first

    write(world)

    third_queries, third = _view(client, url)
    assert shown in third
    assert third_queries > second_queries  # computed again
    assert _view(client, url)[1] == third


def test_a_new_employee_shows_on_the_next_view_of_the_list(world):
    client = _client(world.users["opd_admin"])
    url = reverse("organisations:employee_list")
    client.get(url)
    assert "Wahyu Prasetyo" not in _view(client, url)[1]
    admin = world.users["opd_admin"]
    services.employee_create(
        actor=admin,
        scope=scope_for(admin),
        instansi=world.instansi,
        data={
            "name": "Wahyu Prasetyo",
            "status": "pns",
            "nip": make_nip(dt.date(1990, 2, 3), dt.date(2015, 3, 1), "m", 4),
            "unit": world.division_a,
        },
    )
    page = _view(client, url)[1]
    assert "Wahyu Prasetyo" in page
    assert "3 pegawai" in page


def test_the_list_table_is_kept_for_the_htmx_partial_too(world):
    client = _client(world.users["bkd"])
    url = reverse("organisations:employee_list") + "?q=siti&sort=-name"
    full = _view(client, url)[1]
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="f-sort" name="sort" value="-name" hx-swap-oob="true"' in partial  # not kept
    table = partial[: partial.index('<div id="employee-export"')].strip()
    assert table in full  # the kept table, the same as the page's
    _rename(world, "Siti Rahmawati")
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Siti Rahmawati" in partial


def test_kept_parts_follow_the_callers_reach(world):
    """Two callers share a kept part only when they reach the same: the agency's admin keeps
    the list of agency A; the BKD's list holds both agencies, and 403/404 are decided first."""
    url = reverse("organisations:employee_list")
    admin_page = _view(_client(world.users["opd_admin"]), url)[1]
    bkd_page = _view(_client(world.users["bkd"]), url)[1]
    assert "Rina Wulandari" not in admin_page
    assert "Rina Wulandari" in bkd_page
    detail = reverse("organisations:employee_detail", args=[world.staff_b.pk])
    assert _client(world.users["bkd"]).get(detail).status_code == 200
    assert _client(world.users["opd_admin"]).get(detail).status_code == 404
    edit = reverse("organisations:employee_update", args=[world.staff_a.pk])
    assert _client(world.users["opd_admin"]).get(edit).status_code == 200
    assert _client(world.users["bkd"]).get(edit).status_code in (200, 403)
    assert _client(world.users["employee"]).get(edit).status_code in (403, 404)


def test_a_posted_form_is_rendered_with_what_was_posted_never_kept(world):
    client = _client(world.users["opd_admin"])
    url = reverse("organisations:employee_update", args=[world.staff_a.pk])
    client.get(url)  # the stored record's fields, kept
    posted = {"name": "", "status": "pns", "nip": world.staff_a.nip, "email": "tulisan@x.id"}
    posted |= {"unit": world.division_a.pk, "position": world.staff_pos_a.pk, "is_active": "on"}
    response = client.post(url, posted)
    assert response.status_code == 400
    assert 'value="tulisan@x.id"' in response.content.decode()
    # The next GET shows the record as stored, not what was posted.
    page = client.get(url).content.decode()
    assert 'value="tulisan@x.id"' not in page
    assert f'value="{world.staff_a.name}"' in page


def test_the_employee_api_keeps_its_page_until_a_write(world):
    client = _client(world.users["bkd"])
    url = "/api/v1/employees/?ordering=name"
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url)
    assert second.json() == first.json()
    assert second.content == first.content
    headers = [(k, v) for k, v in first.items() if k != "X-Request-ID"]
    assert [(k, v) for k, v in second.items() if k != "X-Request-ID"] == headers
    assert len(second_queries) <= len(first_queries) - 3
    assert [r["name"] for r in second.json()["results"]][-1] == "Siti Aminah"
    # Another query, another page; a bad one is refused each time, never kept.
    assert client.get(url + "&status=non_asn").json()["count"] == 1
    assert client.get(url + "&page=9").status_code == 404
    assert client.get(url + "&page=9").status_code == 404

    _rename(world, "Siti Rahmawati")

    names = [r["name"] for r in client.get(url).json()["results"]]
    assert "Siti Rahmawati" in names and "Siti Aminah" not in names


def test_the_employee_api_links_are_those_of_the_address_asked(world, monkeypatch):
    from kinerja.core.pagination import CappedPageNumberPagination

    monkeypatch.setattr(CappedPageNumberPagination, "page_size", 2)
    client = _client(world.users["bkd"])
    url = "/api/v1/employees/"
    assert client.get(url).json()["next"] == "http://testserver/api/v1/employees/?page=2"
    local = client.get(url, HTTP_HOST="localhost").json()
    assert local["next"] == "http://localhost/api/v1/employees/?page=2"
    assert client.get(url + "?page=2").json()["previous"] == "http://testserver/api/v1/employees/"
