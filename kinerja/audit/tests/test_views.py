"""The audit trail page: scoped to the caller's units, filtered, paged, 403 without the right."""

import pytest
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.organisations import services

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages follow the language the user chose (a cookie), not the browser's header."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def events(world):
    bkd = world.users["bkd"]
    services.unit_update(
        actor=bkd,
        scope=scope_for(bkd),
        unit=world.division_a,
        data={"name": "Bidang Pembinaan SMA"},
        reason="Perubahan SOTK",
    )
    services.employee_update(
        actor=bkd,
        scope=scope_for(bkd),
        employee=world.staff_b,
        data={"grade": "III/c"},
        reason="Kenaikan pangkat",
    )
    services.employee_update(
        actor=bkd,
        scope=scope_for(bkd),
        employee=world.staff_a,
        data={"grade": "III/b"},
        reason="Kenaikan pangkat",
    )
    return world


def _list(client, data=None, headers=None):
    return client.get(reverse("audit:event_list"), data or {}, headers={**EN, **(headers or {})})


def test_opd_admin_sees_only_events_of_their_agency(events, login):
    response = _list(login(events.users["opd_admin"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 events" in body
    assert "Bidang Pembinaan SMA" in body
    assert "Siti Aminah" in body
    assert "Rina Wulandari" not in body
    # Field labels and values, old to new.
    assert "<del>Bidang SMA</del> → <strong>Bidang Pembinaan SMA</strong>" in body


def test_bkd_sees_every_agency(events, login):
    body = _list(login(events.users["bkd"])).content.decode()
    assert "3 events" in body
    assert "Rina Wulandari" in body


def test_filter_by_action_and_text(events, login):
    client = login(events.users["bkd"])
    by_action = _list(client, {"action": "unit.update"}).content.decode()
    assert "1 event" in by_action
    assert "Rina Wulandari" not in by_action
    by_text = _list(client, {"q": "rina"}).content.decode()
    assert "1 event" in by_text
    assert "Rina Wulandari" in by_text
    by_reason = _list(client, {"q": "pangkat"}).content.decode()
    assert "2 events" in by_reason


def test_htmx_gets_the_table_alone(events, login):
    response = _list(login(events.users["bkd"]), {"q": "siti"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "1 event" in body
    assert "Siti Aminah" in body


def test_pages_of_fifty(world, login):
    bkd = world.users["bkd"]
    for n in range(52):
        services.employee_update(
            actor=bkd,
            scope=scope_for(bkd),
            employee=world.staff_b,
            data={"email": f"g{n}@jatimprov.go.id"},
        )
    client = login(bkd)
    first = _list(client).content.decode()
    assert "52 events" in first
    assert "page 1 of 2" in first
    second = _list(client, {"page": 2}).content.decode()
    assert "Showing 51 to 52 of 52" in second


@pytest.mark.parametrize("role", ["leadership", "bappeda", "bpsdm", "evaluator", "employee"])
def test_roles_without_view_audit_get_403(world, login, role):
    assert _list(login(world.users[role])).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
