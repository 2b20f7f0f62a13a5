"""Changing one's own password, and an administrator forcing a change at the next sign-in."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from conftest import PASSWORD
from kinerja.accounts import services
from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent

NEW = "Kopi-Tubruk-Pagi-7!"


def test_change_own_password_keeps_the_session_and_is_audited(world, login):
    user = world.users["employee"]
    client = login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # still signed in
    event = AuditEvent.objects.get(action="password.change")
    assert (event.actor, event.target_id) == (user, str(user.pk))
    assert NEW not in str(event.changes)


def test_change_needs_the_old_password(world, login):
    user = world.users["employee"]
    client = login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": "bukan-ini", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password.change").exists()


def test_a_guessable_new_password_is_refused_in_indonesian(world, login):
    client = login(world.users["employee"])

    with translation.override("id"):
        response = client.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "Password123!",
                "new_password2": "Password123!",
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )

    assert response.status_code == 400
    assert "terlalu mudah ditebak" in response.content.decode()


def test_an_agency_admin_forces_a_change_and_the_user_is_sent_to_the_password_page(world, login):
    user = world.users["employee"]  # Siti Aminah, staff of agency A's division
    admin = login(world.users["opd_admin"])

    response = admin.post(
        f"/accounts/users/{user.pk}/force-password-change/", {"reason": "Lupa sandi"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password
    assert AuditEvent.objects.get(action="password.force_change").reason == "Lupa sandi"

    client = Client()
    client.force_login(user)
    page = client.get("/org/employees/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/password/")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert client.get("/accounts/password/").status_code == 200

    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/api/v1/me/").status_code == 200


def test_a_temporary_password_is_set_with_the_flag(world, login):
    user = world.users["employee"]
    admin = login(world.users["system_admin"])

    admin.post(
        f"/accounts/users/{user.pk}/force-password-change/",
        {"temporary_password": "Sementara-Baru-91!x"},
    )

    user.refresh_from_db()
    assert user.check_password("Sementara-Baru-91!x")
    assert user.must_change_password


def test_api_tokens_keep_working_for_a_flagged_user(world):
    user = world.users["opd_admin"]
    _token, raw = services.token_create(actor=user, user=user, name="SIMPEG", days=30)
    user.must_change_password = True
    user.save()

    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("actor_key", "target_key"),
    [
        ("opd_admin", "opd_head"),  # a higher role in the same agency
        ("opd_admin", "bkd"),  # an instansi-wide role, outside the agency
        ("opd_admin", "system_admin"),
        ("bkd", "employee"),  # BKD does not manage access
    ],
)
def test_forcing_a_change_is_refused_outside_reach_or_rank(world, actor_key, target_key):
    actor, target = world.users[actor_key], world.users[target_key]

    with pytest.raises(PermissionDenied):
        services.password_force_change(actor=actor, scope=scope_for(actor), user=target)

    target.refresh_from_db()
    assert not target.must_change_password


def test_force_page_of_an_account_out_of_reach_is_404(world, login):
    client = login(world.users["opd_admin"])
    target = world.users["bkd"]

    response = client.post(f"/accounts/users/{target.pk}/force-password-change/", {})

    assert response.status_code == 404
    target.refresh_from_db()
    assert not target.must_change_password


def test_user_list_of_an_agency_admin_is_its_agency(world, login):
    client = login(world.users["opd_admin"])

    users = client.get("/accounts/users/").context["users"]

    assert sorted(u.username for u in users) == ["employee", "evaluator", "opd_admin", "opd_head"]


def test_create_user_command_makes_an_audited_account_that_must_change_its_password(
    world, monkeypatch
):
    import io

    from django.core.management import call_command

    monkeypatch.setattr("sys.stdin", io.StringIO("Sementara-Baru-91!x\n"))
    out = io.StringIO()
    call_command(
        "create_user",
        "Rina",
        "--instansi",
        "jatim",
        "--nip",
        world.staff_b.nip,
        "--password-stdin",
        stdout=out,
    )

    from kinerja.accounts.models import User

    user = User.objects.get(username="Rina")
    assert user.employee == world.staff_b
    assert user.must_change_password
    assert user.check_password("Sementara-Baru-91!x")
    assert AuditEvent.objects.get(action="user.create").target_id == str(user.pk)


def test_usernames_differing_only_by_case_are_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_create(
            actor=None, username="BPSDM", password="Sementara-Baru-91!x", instansi=world.instansi
        )


def test_the_password_page_speaks_indonesian(world, login):
    client = login(world.users["employee"])

    body = client.get("/accounts/password/", HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "Kata sandi saat ini" in body and "Ganti kata sandi" in body


def test_a_flagged_user_signing_in_lands_on_the_password_page(world, client):
    user = world.users["bpsdm"]
    user.must_change_password = True
    user.save()

    response = client.post(
        "/accounts/login/", {"username": "bpsdm", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith("/accounts/password/")
    assert 'data-testid="forced-change"' in response.content.decode()


def test_a_guessable_temporary_password_is_refused_and_nothing_changes(world, login):
    user = world.users["employee"]
    admin = login(world.users["system_admin"])

    response = admin.post(
        f"/accounts/users/{user.pk}/force-password-change/",
        {"temporary_password": "Password123!"},
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password.force_change").exists()
