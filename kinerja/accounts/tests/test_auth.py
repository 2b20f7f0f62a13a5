import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from conftest import PASSWORD


@pytest.fixture
def rf_request():
    request = RequestFactory().post("/accounts/login/")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return request


def test_login_by_username_or_nip(world, rf_request):
    assert (
        authenticate(rf_request, username="employee", password=PASSWORD) == world.users["employee"]
    )
    assert (
        authenticate(rf_request, username=world.staff_a.nip, password=PASSWORD)
        == world.users["employee"]
    )
    assert authenticate(rf_request, username="employee", password="wrong") is None


def test_demo_accounts_refused_when_settings_say_so(world, rf_request, settings):
    user = world.users["bkd"]
    user.is_demo = True
    user.save()
    assert authenticate(rf_request, username="bkd", password=PASSWORD) == user
    settings.KINERJA_DEMO_LOGINS = False
    assert authenticate(rf_request, username="bkd", password=PASSWORD) is None


@pytest.mark.parametrize(
    "password",
    ["Short-1a!", "alllowercase-123!", "ALLUPPERCASE-123!", "NoDigitsHere-!!", "NoSymbols12345Ab"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_strong_password_is_accepted():
    validate_password("Kinerja-Jatim-2024!")


def test_lockout_after_five_failures(world, client, settings):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "employee", "password": "salah"})
    response = client.post("/accounts/login/", {"username": "employee", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "password", ["Password123!", "P@ssw0rd1234", "Jatim2023!!!", "Qwerty123456!"]
)
def test_guessable_passwords_are_refused_with_an_indonesian_reason(password):
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        validate_password(password)

    text = " ".join(exc.value.messages)
    assert "terlalu mudah ditebak" in text


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Password123!", "kata sandi umum"),
        ("Jatim2023!!!", "tahun"),
        ("Zxcvbnm,./-Kb9", "pola tombol keyboard"),
    ],
)
def test_the_refusal_says_why(password, reason):
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        validate_password(password)

    assert reason in " ".join(exc.value.messages)


def test_the_demo_password_is_accepted():
    from kinerja.accounts.demo import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
