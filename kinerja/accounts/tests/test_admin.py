"""The admin is a window, not a side door: a superuser's POSTs change no audited row."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from kinerja.accounts import services
from kinerja.accounts.models import ApiToken, RoleAssignment, User
from kinerja.audit.models import AuditEvent
from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position


@pytest.fixture
def superuser_client(world, client):
    root = User.objects.create_superuser(username="root", password="x", email="r@example.org")
    client.force_login(root)
    return client


def _url(obj, view: str) -> str:
    meta = obj._meta
    args = () if view == "add" else (obj.pk,)
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _rows(world):
    user = world.users["opd_admin"]
    token, _raw = services.token_create(actor=user, user=user, name="SIMPEG", days=30)
    assignment = Assignment.objects.filter(employee=world.staff_a).first()
    if assignment is None:
        assignment = Assignment.objects.create(
            employee=world.staff_a,
            instansi=world.instansi,
            unit=world.division_a,
            position=world.staff_pos_a,
            valid_from=dt.date(2020, 1, 1),
        )
    rows = {
        "unit": (world.division_a, {"parent": world.agency_b.pk, "code": "PINDAH", "name": "X"}),
        "position": (world.staff_pos_a, {"title": "Diubah", "unit": world.agency_b.pk}),
        "employee": (world.staff_a, {"name": "Diubah", "unit": world.agency_b.pk}),
        "role": (
            RoleAssignment.objects.get(user=world.users["evaluator"]),
            {"role": "system_admin", "unit": "", "user": world.users["evaluator"].pk},
        ),
        "token": (token, {"name": "Diubah", "revoked_at_0": "2020-01-01"}),
        "user": (world.users["bpsdm"], {"username": "bpsdm", "is_superuser": "on"}),
    }
    rows["assignment"] = (assignment, {"unit": world.agency_b.pk})
    return rows


def _snapshot(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize(
    "key", ["unit", "position", "employee", "assignment", "role", "token", "user"]
)
def test_a_superusers_post_to_the_change_page_changes_nothing(world, superuser_client, key):
    obj, data = _rows(world)[key]
    before = _snapshot(obj)
    events = AuditEvent.objects.count()

    response = superuser_client.post(_url(obj, "change"), data)

    assert response.status_code == 403
    assert _snapshot(obj) == before
    assert AuditEvent.objects.count() == events
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    "model", [OrgUnit, Position, Employee, Assignment, RoleAssignment, ApiToken, User]
)
def test_no_add_or_delete_in_the_admin(world, superuser_client, model):
    count = model.objects.count()
    add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")

    assert superuser_client.post(add, {}).status_code == 403
    obj = model.objects.first()
    if obj is not None:
        assert superuser_client.post(_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.count() == count


def test_the_admin_still_shows_the_rows(world, superuser_client):
    response = superuser_client.get(_url(world.division_a, "change"))

    assert response.status_code == 200
    assert "Bidang SMA" in response.content.decode()


def test_the_admin_cannot_set_a_password(world, superuser_client):
    user = world.users["bpsdm"]
    url = reverse("admin:auth_user_password_change", args=(user.pk,))

    response = superuser_client.post(
        url, {"password1": "Kopi-Tubruk-Pagi-7!", "password2": "Kopi-Tubruk-Pagi-7!"}
    )

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.check_password("Kopi-Tubruk-Pagi-7!")


def test_revoking_tokens_in_the_admin_goes_through_the_service(world, superuser_client):
    user = world.users["opd_admin"]
    token, _raw = services.token_create(actor=user, user=user, name="SIMPEG", days=30)

    response = superuser_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token.revoke", actor__username="root").count() == 1
