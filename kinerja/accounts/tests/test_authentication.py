"""API authentication: hashed bearer tokens, and sessions with CSRF."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create, token_revoke
from kinerja.organisations.models import Employee

EMPLOYEES = "/api/v1/employees/"


@pytest.fixture
def token(world):
    """Return (token, raw key) for the agency administrator of agency A."""
    user = world.users["opd_admin"]
    return token_create(actor=user, user=user, name="SIMPEG", days=90)


def bearer(raw: str, language: str = "id") -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)


def test_valid_token_reaches_the_users_scope(token):
    _token, raw = token

    response = bearer(raw).get(EMPLOYEES)

    assert response.status_code == 200
    assert sorted(r["name"] for r in response.json()["results"]) == [
        "Budi Santoso",
        "Siti Aminah",
    ]
    _token.refresh_from_db()
    assert _token.last_used_at is not None


def test_token_can_write_without_csrf(token, world):
    _token, raw = token

    response = bearer(raw).patch(
        f"{EMPLOYEES}{world.staff_a.pk}/", {"grade": "III/c"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert Employee.objects.get(pk=world.staff_a.pk).grade == "III/c"


def test_scheme_name_is_case_insensitive(token):
    _token, raw = token

    response = APIClient(HTTP_AUTHORIZATION=f"bearer {raw}").get(EMPLOYEES)

    assert response.status_code == 200


def assert_rejected(response, language="en"):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    if language == "en":
        assert response.json() == {"detail": "Invalid or expired token."}


def test_expired_token_is_rejected(token):
    _token, raw = token
    ApiToken.objects.filter(pk=_token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    assert_rejected(bearer(raw, "en").get(EMPLOYEES))


def test_revoked_token_is_rejected(token, world):
    _token, raw = token
    token_revoke(actor=world.users["opd_admin"], token=_token)

    assert_rejected(bearer(raw, "en").get(EMPLOYEES))


def test_unknown_token_is_rejected(token):
    _token, raw = token

    assert_rejected(bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B"), "en").get(EMPLOYEES))
    assert_rejected(bearer("kin_not-a-real-key", "en").get(EMPLOYEES))


def test_token_of_an_inactive_user_is_rejected(token, world):
    _token, raw = token
    world.users["opd_admin"].is_active = False
    world.users["opd_admin"].save()

    assert_rejected(bearer(raw, "en").get(EMPLOYEES))


def test_token_of_a_demo_account_is_rejected_where_demo_logins_are_off(token, world, settings):
    _token, raw = token
    world.users["opd_admin"].is_demo = True
    world.users["opd_admin"].save()
    settings.KINERJA_DEMO_LOGINS = False

    assert_rejected(bearer(raw, "en").get(EMPLOYEES))


def test_malformed_header_is_rejected(token):
    response = APIClient(HTTP_AUTHORIZATION="Bearer two parts", HTTP_ACCEPT_LANGUAGE="en").get(
        EMPLOYEES
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Malformed Authorization header."}


def test_blank_header_is_no_credentials(db):
    response = APIClient(HTTP_AUTHORIZATION="   ", HTTP_ACCEPT_LANGUAGE="en").get(EMPLOYEES)

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_no_credentials_message_is_indonesian_by_default(db):
    response = APIClient().get(EMPLOYEES)

    assert response.status_code == 401
    assert response.json() == {"detail": "Data autentikasi tidak diberikan."}


def test_no_credentials_message_in_english_on_request(db):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(EMPLOYEES)

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_only_the_hash_of_the_key_is_stored(token):
    _token, raw = token
    secret = raw[12:]  # what follows the stored 8-character prefix

    assert _token.key_hash != raw
    assert len(_token.key_hash) == 64
    tables = set(connection.introspection.table_names())
    models = [m for m in apps.get_models() if m._meta.db_table in tables]
    assert ApiToken in models
    for model in models:
        for row in model._default_manager.values():
            text = repr(row)
            assert raw not in text, model
            assert secret not in text, model


def test_session_works_and_unsafe_methods_need_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["opd_admin"])
    url = f"{EMPLOYEES}{world.staff_a.pk}/"

    assert client.get(EMPLOYEES).json()["count"] == 2
    refused = client.patch(url, {"grade": "III/c"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert Employee.objects.get(pk=world.staff_a.pk).grade == ""

    csrf = client.get("/api/docs/").cookies["csrftoken"].value
    accepted = client.patch(url, {"grade": "III/c"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 200, accepted.content
    assert Employee.objects.get(pk=world.staff_a.pk).grade == "III/c"
