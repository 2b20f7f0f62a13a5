"""Lock-out counts failures per person (any spelling of username or NIP) and per address."""

import pytest
from django.test import Client

from conftest import PASSWORD

LOGIN = "/accounts/login/"


def _post(client: Client, username: str, password: str, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _spaced(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def test_five_failures_for_bpsdm_lock_out_BPSDM_with_the_right_password(world, client):
    for _ in range(5):
        _post(client, "bpsdm", "salah-sekali")

    response = _post(client, "BPSDM", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_six_spellings_from_six_addresses_give_five_guesses_in_all(world, client):
    """Each spelling gets five tries from its own address; the right password is the first try
    of every spelling after the first. Per spelling, that was 29 guesses and a way in."""
    spellings = ["bpsdm", "BPSDM", "Bpsdm", "bPSDM", "BpSdM", " bpsdm "]
    answered_wrong = 0
    for i, spelling in enumerate(spellings):
        for attempt in range(5):
            password = PASSWORD if (i > 0 and attempt == 0) else f"tebakan-{i}-{attempt}"
            response = _post(client, spelling, password, ip=f"10.0.0.{i + 1}")
            assert not _signed_in(client), (spelling, attempt)
            if response.status_code == 200:  # checked and found wrong, not yet locked
                answered_wrong += 1
            else:
                assert response.status_code == 429

    # Four wrong answers, then the fifth failure locks (it is answered with the lock page).
    assert answered_wrong == 4


@pytest.mark.parametrize("spelling", ["plain", "spaced"])
def test_a_locked_employee_cannot_sign_in_with_their_nip(world, client, spelling):
    nip = world.staff_a.nip
    for _ in range(5):
        _post(client, "employee", "salah-sekali")

    typed = nip if spelling == "plain" else _spaced(nip)
    response = _post(client, typed, PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_failures_by_spaced_nip_lock_the_username(world, client):
    for _ in range(5):
        _post(client, _spaced(world.staff_a.nip), "salah-sekali")

    assert _post(client, "Employee", PASSWORD).status_code == 429


def test_the_spaced_nip_signs_in_when_not_locked(world, client):
    response = _post(client, _spaced(world.staff_a.nip), PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["employee"].pk)


def test_one_address_guessing_many_names_is_locked_at_its_own_limit(world, client, settings):
    settings.KINERJA_AXES_IP_FAILURE_LIMIT = 8
    names = ["bpsdm", "bkd", "bappeda", "leadership", "inspektorat", "evaluator", "nobody", "x"]
    # One failure each, so no single person reaches 5; the eighth locks the address.
    statuses = [_post(client, name, "salah", ip="10.9.9.9").status_code for name in names]
    assert statuses == [200] * 7 + [429]

    # Every name from that address is now refused, even with the right password ...
    assert _post(client, "opd_head", PASSWORD, ip="10.9.9.9").status_code == 429
    # ... while the same person from another address signs in.
    assert _post(client, "opd_head", PASSWORD, ip="10.9.9.10").status_code == 302


def test_an_address_below_its_limit_is_not_locked(world, client, settings):
    settings.KINERJA_AXES_IP_FAILURE_LIMIT = 8
    for name in ["bpsdm", "bkd", "bappeda", "leadership", "inspektorat", "evaluator", "nobody"]:
        _post(client, name, "salah", ip="10.9.9.9")

    assert _post(client, "opd_head", PASSWORD, ip="10.9.9.9").status_code == 302


def test_success_clears_the_persons_count_but_not_the_addresss(world, client, settings):
    settings.KINERJA_AXES_IP_FAILURE_LIMIT = 6
    for _ in range(4):
        _post(client, "bpsdm", "salah", ip="10.8.8.8")
    assert _post(client, "bpsdm", PASSWORD, ip="10.8.8.8").status_code == 302
    client.post("/accounts/logout/")
    # bpsdm starts afresh: four more failures do not lock bpsdm ...
    for _ in range(4):
        _post(client, "bpsdm", "salah", ip="10.8.8.7")
    assert _post(client, "bpsdm", PASSWORD, ip="10.8.8.7").status_code == 302
    client.post("/accounts/logout/")
    # ... but the first address had 4 failures by bpsdm (forgotten) plus 2 by others now.
    _post(client, "bkd", "salah", ip="10.8.8.8")
    _post(client, "bappeda", "salah", ip="10.8.8.8")
    assert _post(client, "opd_head", PASSWORD, ip="10.8.8.8").status_code == 302


def test_admin_sign_in_counts_the_same_identity(world, client):
    for _ in range(5):
        _post(client, "bpsdm", "salah")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "BpSdM", "password": PASSWORD}
    )

    assert response.status_code == 429


def test_the_api_takes_no_password_so_it_cannot_be_used_to_guess(world):
    import base64

    from rest_framework.test import APIClient

    basic = base64.b64encode(f"bpsdm:{PASSWORD}".encode()).decode()
    response = APIClient(HTTP_AUTHORIZATION=f"Basic {basic}").get("/api/v1/me/")

    assert response.status_code == 401
