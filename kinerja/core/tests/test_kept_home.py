"""The home page keeps each card's HTML per reach (``{% kept %}``) until the next audited write:
a second view reads less and shows the same, a write through the services shows on the next
view, and a card holding a POST form is rendered each time."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.core import registry
from kinerja.organisations import services
from kinerja.organisations.models import Employee
from kinerja.organisations.nip import make_nip

HOME = reverse("core:home")
CSRF = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _view(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(queries), CSRF.sub(r'\1"-"', response.content.decode())


def _count(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', page).group(1)


def _new_employee(world, name="Wahyu Prasetyo") -> None:
    """A new civil servant in agency A's division, added by the agency's admin."""
    admin = world.users["opd_admin"]
    services.employee_create(
        actor=admin,
        scope=scope_for(admin),
        instansi=world.instansi,
        data={
            "name": name,
            "status": "pns",
            "nip": make_nip(dt.date(1990, 2, 3), dt.date(2015, 3, 1), "m", 4),
            "unit": world.division_a,
        },
    )


# The role, and the figure of its home that the new employee changes.
@pytest.mark.parametrize(
    ("role", "testid", "before", "after"),
    [
        ("opd_admin", "home-employee-count", "2", "3"),
        ("bkd", "home-employee-count", "4", "5"),
        ("opd_head", "home-staff-total", "2", "3"),
    ],
)
def test_home_cards_are_kept_until_a_write_through_the_services(world, role, testid, before, after):
    client = _client(world.users[role])
    first_queries, first = _view(client)
    second_queries, second = _view(client)
    assert second == first
    assert second_queries <= first_queries - 2, (first_queries, second_queries)
    assert _count(first, testid) == before

    _new_employee(world)

    third_queries, third = _view(client)
    assert _count(third, testid) == after
    assert third_queries > second_queries
    assert _view(client)[1] == third


def test_my_record_and_the_title_follow_a_change_of_my_name(world):
    """The employee's user has no full name: the title reads their record, kept too."""
    client = _client(world.users["employee"])
    first = _view(client)[1]
    assert "Selamat datang, Siti Aminah" in first or "Welcome, Siti Aminah" in first
    assert _view(client)[1] == first
    admin = world.users["opd_admin"]
    services.employee_update(
        actor=admin,
        scope=scope_for(admin),
        employee=Employee.objects.get(pk=world.staff_a.pk),
        data={"name": "Siti Rahmawati"},
    )
    page = _view(client)[1]
    assert "Siti Aminah" not in page
    assert 'data-testid="home-me">Siti Rahmawati<' in page


def test_callers_of_one_reach_share_the_cards_but_not_the_title(world):
    """Two admins of agency A without a full name: the same cards, each greeted by name."""
    from kinerja.accounts.models import RoleAssignment, User
    from kinerja.accounts.roles import Role

    twin = User.objects.create_user(username="admin2", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=twin, role=Role.OPD_ADMIN, instansi=world.instansi, unit=world.agency_a
    )
    admin_page = _view(_client(world.users["opd_admin"]))[1]
    twin_page = _view(_client(twin))[1]
    assert _title(admin_page).endswith("opd_admin")
    assert _title(twin_page).endswith("admin2")
    assert _count(twin_page, "home-employee-count") == "2"


def _title(page: str) -> str:
    return re.search(r'<h1 class="page-title">([^<]*)</h1>', page).group(1).strip()


def test_a_card_with_a_post_form_is_rendered_each_time(world, monkeypatch):
    calls = []

    def context(request):
        calls.append(1)
        return {"n": len(calls)}

    form = engines["django"].from_string(
        '<form method="post" data-testid="test-card">{% csrf_token %}{{ card.n }}</form>'
    )
    monkeypatch.setitem(registry._cards, "test_form", registry.HomeCard(form, context, 99))
    client = _client(world.users["bkd"])
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(HOME).content.decode()
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(HOME).content.decode()
    assert 'data-testid="test-card"' in first
    assert len(calls) == 2  # asked again: a card holding a CSRF token is never kept
    assert len(second_queries) <= len(first_queries) - 2  # the other cards are
    token = re.compile(r'data-testid="test-card"><input type="hidden" name="csrfmiddlewaretoken"')
    assert token.search(first) and token.search(second)


def test_the_cards_context_still_reads_as_before(world):
    """The view hands each card's context, read when first asked for."""
    response = _client(world.users["opd_admin"]).get(HOME)
    cards = {k: v for card in response.context["cards"] for k, v in card.items()}
    assert cards["employee_count"] == 2
    assert "agency_rows" not in cards  # the governor's table is not the admin's
