"""API rate limits answer 429 with Retry-After: per token, per session user, per address."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from kinerja.accounts.services import token_create

ME = "/api/v1/me/"


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/min", "anon": "2/min"},
    }
    cache.clear()
    yield
    cache.clear()


def bearer(raw: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_over_its_rate_gets_429_with_retry_after(world, low_rates):
    user = world.users["bkd"]
    _token, raw = token_create(actor=user, user=user, name="SIMPEG", days=30)
    _other, other_raw = token_create(actor=user, user=user, name="e-Kinerja", days=30)
    client = bearer(raw)

    statuses = [client.get(ME).status_code for _ in range(4)]
    response = client.get(ME)

    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    wait = response["Retry-After"]
    assert response.json()["detail"] == f"Terlalu banyak permintaan. Coba lagi dalam {wait} detik."
    # Another token of the same user has its own budget.
    assert bearer(other_raw).get(ME).status_code == 200


def test_a_session_user_over_the_rate_gets_429(world, low_rates):
    client = APIClient()
    client.force_login(world.users["bkd"])

    statuses = [client.get(ME).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_anonymous_callers_are_limited_per_address(db, low_rates):
    client = APIClient()

    first = [client.get("/api/schema/", REMOTE_ADDR="10.1.1.1").status_code for _ in range(3)]
    other_address = client.get("/api/schema/", REMOTE_ADDR="10.1.1.2")

    assert first == [200, 200, 429]
    assert other_address.status_code == 200


def test_guessing_tokens_is_throttled_per_address(db, low_rates):
    statuses = [bearer(f"kin_guess{i}").get(ME).status_code for i in range(4)]

    response = bearer("kin_guess-last").get(ME)
    assert statuses == [401, 401, 429, 429]
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_rates_in_the_test_settings_do_not_throttle_the_suite(world):
    client = APIClient()
    client.force_login(world.users["bkd"])

    assert all(client.get(ME).status_code == 200 for _ in range(20))
