"""Bad input never gives a server error: NUL characters, ids beyond 64 bits, on pages and API.

These run on SQLite and on PostgreSQL alike; PostgreSQL is where a NUL character in a query
used to be a server error (it cannot compare text holding one).
"""

import pytest
from django.urls import reverse

HUGE = 99999999999999999999  # 20 digits: beyond a 64-bit integer


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_nul_character_in_the_audit_search_is_a_400_with_a_message(world, login):
    client = login(world.users["system_admin"])

    response = client.get(reverse("audit:event_list"), {"q": "employee\x00.update"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The address contains a NUL character (code 0), which no field accepts." in page


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("organisations:employee_list", {"q": "Siti\x00"}),
        ("organisations:unit_tree", {"q": "\x00"}),
        ("organisations:employee_list", {"sort\x00": "name"}),
    ],
)
def test_nul_character_in_any_page_parameter_is_a_400(world, login, name, params):
    client = login(world.users["system_admin"])

    response = client.get(reverse(name), params)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_nul_character_in_a_form_field_is_a_400_and_writes_nothing(world, login):
    client = login(world.users["opd_admin"])
    url = reverse("organisations:employee_update", args=[world.staff_a.pk])

    response = client.post(url, {"name": "Siti\x00Aminah", "reason": "x"})

    assert response.status_code == 400
    assert "The form contains a NUL character" in response.content.decode()
    world.staff_a.refresh_from_db()
    assert world.staff_a.name == "Siti Aminah"


def test_nul_message_is_indonesian_by_default(world, login, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client = login(world.users["system_admin"])

    response = client.get(reverse("audit:event_list"), {"q": "\x00"})

    assert response.status_code == 400
    assert "Alamat memuat karakter NUL (kode 0)" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["organisations:employee_detail", "organisations:unit_detail", "imports:importjob_detail"],
)
def test_page_id_beyond_64_bits_is_a_400_with_a_message(world, login, name):
    client = login(world.users["system_admin"])

    response = client.get(reverse(name, args=[HUGE]))

    assert response.status_code == 400
    assert "An id is a whole number from 1 to 9223372036854775807." in response.content.decode()


def test_page_filter_beyond_64_bits_is_refused_not_a_server_error(world, login):
    client = login(world.users["system_admin"])

    # The unit search with a parent filter once compared the number in SQLite: a server error.
    tree = client.get(reverse("organisations:unit_tree"), {"q": "Dinas", "parent": str(HUGE)})
    employees = client.get(reverse("organisations:employee_list"), {"unit": str(HUGE)})

    assert tree.status_code == 200
    assert employees.status_code == 200
    assert "0 employees" in employees.content.decode()


def test_largest_64_bit_id_is_simply_not_found(world, login):
    client = login(world.users["system_admin"])

    response = client.get(reverse("organisations:employee_detail", args=[2**63 - 1]))

    assert response.status_code == 404
