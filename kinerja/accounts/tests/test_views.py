"""Sign-in, lock-out, the layout, the home dashboard, error pages and the API token page."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from kinerja.accounts.models import ApiToken, hash_token

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages follow the language the user chose (a cookie), not the browser's header."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# Sign-in ---------------------------------------------------------------------------------------


def test_login_page_is_indonesian_by_default(db):
    client = Client()
    body = client.get(reverse("accounts:login"), headers=EN).content.decode()
    # An English browser alone does not switch the pages: the user's choice does.
    assert "Username atau NIP" in body
    assert "Kata sandi" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Username or NIP" in client.get(reverse("accounts:login")).content.decode()


def test_login_with_nip(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": world.staff_a.nip, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"), headers=EN).content.decode()
    assert "Siti Aminah" in home


def test_wrong_password_says_so_and_keeps_the_username(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "bkd", "password": "salah"}, headers=EN
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "do not match an account" in body
    assert 'value="bkd"' in body


def test_lockout_after_five_failures(client, world):
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": "bkd", "password": f"salah-{n}"}, headers=EN).status_code
        for n in range(5)
    ]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    # Even the right password is refused while the lock holds.
    response = client.post(url, {"username": "bkd", "password": PASSWORD}, headers=EN)
    assert response.status_code == 429
    body = response.content.decode()
    assert "too many failed sign-in attempts for this account, or from your network" in body
    assert "try again 30 minutes after your last attempt" in body


def test_logout_is_a_post(client, world):
    client.force_login(world.users["bkd"])
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302  # back to the sign-in page


# Layout and home -------------------------------------------------------------------------------


def test_layout_shows_instansi_user_navigation_and_loads_nothing_external(world, login):
    user = world.users["opd_admin"]
    user.first_name, user.last_name = "Ani", "Rahayu"
    user.save()
    body = login(user).get(reverse("core:home"), headers=EN).content.decode()
    assert "Pemerintah Provinsi Jawa Timur" in body
    assert "Ani Rahayu" in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert reverse("set_language") in body
    assert reverse("accounts:logout") in body
    assert '<li class="nav-item active"><a class="nav-link" href="/"' in body
    assert reverse("organisations:employee_list") in body
    assert reverse("audit:event_list") in body  # opd_admin may view the audit
    assert reverse("imports:import_start") in body
    for url in re.findall(r'(?:src|href)="([^"]*)"', body):
        assert url.startswith(("/", "#", "?")), url


def test_navigation_follows_the_role(world, login):
    body = login(world.users["leadership"]).get(reverse("core:home")).content.decode()
    assert reverse("organisations:employee_list") in body
    assert reverse("audit:event_list") not in body
    assert reverse("imports:import_start") not in body


def test_home_of_opd_admin_counts_their_agency(world, login):
    body = login(world.users["opd_admin"]).get(reverse("core:home"), headers=EN).content.decode()
    assert 'data-testid="home-unit-count">2<' in body
    assert 'data-testid="home-employee-count">2<' in body
    assert 'data-testid="home-count-pns">2<' in body
    assert 'data-testid="home-count-non_asn">0<' in body
    assert "Agency administrator" in body


def test_home_of_bkd_counts_the_province(world, login):
    body = login(world.users["bkd"]).get(reverse("core:home"), headers=EN).content.decode()
    assert 'data-testid="home-unit-count">3<' in body
    assert 'data-testid="home-employee-count">4<' in body
    assert 'data-testid="home-count-pns">3<' in body
    assert 'data-testid="home-count-non_asn">1<' in body


def test_home_of_an_employee_is_their_own_card(world, login):
    body = login(world.users["employee"]).get(reverse("core:home"), headers=EN).content.decode()
    assert 'data-testid="home-me">Siti Aminah<' in body
    assert "Analis SMA" in body
    assert "home-unit-count" not in body
    assert "home-employee-count" not in body


def test_home_of_a_user_without_instansi(db, client):
    user = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(user)
    body = client.get(reverse("core:home"), headers=EN).content.decode()
    assert "not linked to an instansi" in body
    assert 'data-testid="home-unit-count">0<' in body


# Error pages -----------------------------------------------------------------------------------


def test_403_and_404_pages(world, login):
    client = login(world.users["employee"])
    denied = client.get(reverse("organisations:employee_list"), headers=EN)
    assert denied.status_code == 403
    assert "Access denied" in denied.content.decode()
    missing = client.get("/tidak-ada/", headers=EN)
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "500" in html
    assert "tabler.min.css" in html


# API tokens ------------------------------------------------------------------------------------


def test_token_page_lists_only_own_tokens(world, login):
    from kinerja.accounts import services

    services.token_create(actor=world.users["bkd"], user=world.users["bkd"], name="Milik BKD")
    services.token_create(actor=world.users["bpsdm"], user=world.users["bpsdm"], name="SIMDIKLAT")
    body = login(world.users["bpsdm"]).get(reverse("accounts:token_list")).content.decode()
    assert "SIMDIKLAT" in body
    assert "Milik BKD" not in body


def test_token_raw_key_is_shown_once_and_only_its_hash_is_stored(world, login):
    client = login(world.users["bkd"])
    response = client.post(
        reverse("accounts:token_create"), {"name": "SIMPEG sync", "days": 30}, headers=EN
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    raw = re.search(r'id="raw-key"[^>]*>(kin_[^<]+)<', body).group(1)
    assert body.count(raw) == 1
    token = ApiToken.objects.get(user=world.users["bkd"])
    assert token.name == "SIMPEG sync"
    assert token.key_hash == hash_token(raw)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(token, field.attname) != raw
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 30
    again = client.get(reverse("accounts:token_list")).content.decode()
    assert raw not in again
    assert f"kin_{token.prefix}…" in again


def test_token_bad_input_writes_nothing(world, login):
    client = login(world.users["bkd"])
    response = client.post(reverse("accounts:token_create"), {"name": "", "days": 0}, headers=EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "greater than or equal to 1" in body
    too_long = client.post(reverse("accounts:token_create"), {"name": "x", "days": 400}, headers=EN)
    assert too_long.status_code == 400
    assert "less than or equal to 366" in too_long.content.decode()
    assert not ApiToken.objects.exists()


def test_token_create_is_post_only(world, login):
    assert login(world.users["bkd"]).get(reverse("accounts:token_create")).status_code == 405


def test_token_revoke(world, login):
    from kinerja.accounts import services

    token, _raw = services.token_create(
        actor=world.users["bkd"], user=world.users["bkd"], name="Lama"
    )
    client = login(world.users["bkd"])
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), headers=EN)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(reverse("accounts:token_list"), headers=EN).content.decode()
    assert "has been revoked" in page
    assert "Revoked" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_token_revoke_of_another_user_is_404(world, login, method):
    from kinerja.accounts import services

    token, _raw = services.token_create(
        actor=world.users["bkd"], user=world.users["bkd"], name="Milik BKD"
    )
    client = login(world.users["opd_admin"])
    response = getattr(client, method)(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == (404 if method == "post" else 405)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_csrf_failure_page_explains_what_to_do(world):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("accounts:login"), {"username": "bkd", "password": PASSWORD}, headers=EN
    )
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
