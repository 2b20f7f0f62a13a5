"""Every way data can be written leaves an audit event that names what it changed.

One case per write path: the pages (forms), the API, the import (page and command), the
management commands, the token pages, and the admin. Each case makes one real change, checks that
the change happened, and then that the trail gained an event about that object, by that actor.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.accounts.models import ApiToken, User
from kinerja.audit.models import AuditEvent
from kinerja.imports.models import ImportJob
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.models import Employee, OrgUnit, Position
from kinerja.organisations.tests.factories import OrgUnitFactory

NEW_NAME = "Rahmat Hidayat"
CSV = "nip,name,status,unit_code\n,Rahmat Hidayat,non_asn,DIKBUD-SMA\n"


def last_sequence() -> int:
    event = AuditEvent.objects.order_by("-sequence").first()
    return event.sequence if event else 0


def events_since(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def assert_audited(since: int, *, action: str, target, actor) -> AuditEvent:
    """Exactly one new event, with this action, about ``target``, by ``actor``."""
    events = events_since(since)
    assert [(e.action, e.target_type, e.target_id) for e in events] == [
        (action, target._meta.label_lower, str(target.pk))
    ]
    event = events[0]
    assert event.actor_id == (actor.pk if actor is not None else None)
    return event


def assert_import_audited(since: int, *, job, actor) -> AuditEvent:
    """The file's event, then one event for the employee the file created, by ``actor``."""
    events = events_since(since)
    created = Employee.objects.get(name=NEW_NAME)
    assert [(e.action, e.target_type, e.target_id) for e in events] == [
        ("import.employees", "imports.importjob", str(job.pk)),
        ("import.employees.create", "organisations.employee", str(created.pk)),
    ]
    assert {e.actor_id for e in events} == {actor.pk if actor is not None else None}
    assert events[1].reason == f"Import #{job.pk}: pegawai.csv"
    assert events[1].changes["name"] == [None, NEW_NAME]
    return events[0]


def api(world, role) -> APIClient:
    client = APIClient()
    client.force_login(world.users[role])
    return client


# Pages -----------------------------------------------------------------------------------------


def test_page_employee_edit(world, login):
    since = last_sequence()
    staff = world.staff_a
    response = login(world.users["opd_admin"]).post(
        reverse("organisations:employee_update", args=[staff.pk]),
        {
            "name": NEW_NAME,
            "status": staff.status,
            "nip": staff.nip,
            "unit": staff.unit_id,
            "position": staff.position_id,
            "is_active": "on",
            "reason": "Ganti nama",
        },
    )

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.name == NEW_NAME
    event = assert_audited(
        since, action="employee.update", target=staff, actor=world.users["opd_admin"]
    )
    assert event.reason == "Ganti nama"
    assert event.changes["name"] == ["Siti Aminah", NEW_NAME]


def test_page_employee_create(world, login):
    since = last_sequence()
    response = login(world.users["opd_admin"]).post(
        reverse("organisations:employee_create"),
        {"name": NEW_NAME, "status": "non_asn", "unit": world.division_a.pk},
    )

    assert response.status_code == 302
    employee = Employee.objects.get(name=NEW_NAME)
    assert_audited(since, action="employee.create", target=employee, actor=world.users["opd_admin"])


def test_page_unit_edit(world, login):
    since = last_sequence()
    unit = world.division_a
    response = login(world.users["opd_admin"]).post(
        reverse("organisations:unit_update", args=[unit.pk]),
        {
            "name": "Bidang SMA dan SMK",
            "kind": unit.kind,
            "parent": unit.parent_id,
            "valid_from": unit.valid_from.isoformat(),
        },
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Bidang SMA dan SMK"
    assert_audited(since, action="unit.update", target=unit, actor=world.users["opd_admin"])


def test_page_unit_create(world, login):
    since = last_sequence()
    response = login(world.users["opd_admin"]).post(
        reverse("organisations:unit_create", args=[world.division_a.pk]),
        {"code": "DIKBUD-SMA-KUR", "name": "Seksi Kurikulum", "kind": UnitKind.SECTION},
    )

    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="DIKBUD-SMA-KUR")
    assert unit.parent == world.division_a
    assert_audited(since, action="unit.create", target=unit, actor=world.users["opd_admin"])


def test_page_token_create_and_revoke(world, login):
    user = world.users["evaluator"]
    client = login(user)
    since = last_sequence()
    response = client.post(reverse("accounts:token_create"), {"name": "sinkron", "days": 30})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert_audited(since, action="token.create", target=user, actor=user)

    since = last_sequence()
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_audited(since, action="token.revoke", target=user, actor=user)


# API -------------------------------------------------------------------------------------------


def test_api_unit_patch(world):
    since = last_sequence()
    response = api(world, "opd_admin").patch(
        f"/api/v1/units/{world.division_a.pk}/", {"name": "Bidang SMA dan SMK"}, format="json"
    )

    assert response.status_code == 200
    world.division_a.refresh_from_db()
    assert world.division_a.name == "Bidang SMA dan SMK"
    assert_audited(
        since, action="unit.update", target=world.division_a, actor=world.users["opd_admin"]
    )


def test_api_unit_create_and_close(world):
    client = api(world, "opd_admin")
    since = last_sequence()
    response = client.post(
        "/api/v1/units/",
        {
            "code": "DIKBUD-SMA-KUR",
            "name": "Seksi Kurikulum",
            "kind": "seksi",
            "parent": "DIKBUD-SMA",
        },
        format="json",
    )
    assert response.status_code == 201
    unit = OrgUnit.objects.get(code="DIKBUD-SMA-KUR")
    assert_audited(since, action="unit.create", target=unit, actor=world.users["opd_admin"])

    since = last_sequence()
    response = client.post(
        f"/api/v1/units/{unit.pk}/close/",
        {"valid_to": "2030-06-30", "reason": "Digabung"},
        format="json",
    )
    assert response.status_code == 200
    unit.refresh_from_db()
    assert str(unit.valid_to) == "2030-06-30"
    event = assert_audited(since, action="unit.close", target=unit, actor=world.users["opd_admin"])
    assert event.reason == "Digabung"


def test_api_position_create_and_patch(world):
    client = api(world, "opd_admin")
    since = last_sequence()
    response = client.post(
        "/api/v1/positions/",
        {
            "code": "DIKBUD-SMA-02",
            "title": "Analis Kurikulum",
            "kind": "pelaksana",
            "unit": "DIKBUD-SMA",
        },
        format="json",
    )
    assert response.status_code == 201
    position = Position.objects.get(code="DIKBUD-SMA-02")
    assert_audited(since, action="position.create", target=position, actor=world.users["opd_admin"])

    since = last_sequence()
    response = client.patch(
        f"/api/v1/positions/{position.pk}/", {"title": "Analis Kurikulum SMA"}, format="json"
    )
    assert response.status_code == 200
    assert_audited(since, action="position.update", target=position, actor=world.users["opd_admin"])


def test_api_employee_create_and_patch(world):
    client = api(world, "bkd")
    since = last_sequence()
    response = client.post(
        "/api/v1/employees/",
        {"name": NEW_NAME, "status": "non_asn", "unit": "DINKES"},
        format="json",
    )
    assert response.status_code == 201
    employee = Employee.objects.get(name=NEW_NAME)
    assert_audited(since, action="employee.create", target=employee, actor=world.users["bkd"])

    since = last_sequence()
    response = client.patch(
        f"/api/v1/employees/{employee.pk}/", {"email": "rahmat@jatimprov.go.id"}, format="json"
    )
    assert response.status_code == 200
    assert_audited(since, action="employee.update", target=employee, actor=world.users["bkd"])


# Imports ---------------------------------------------------------------------------------------


def test_import_page(world, login):
    since = last_sequence()
    upload = io.BytesIO(CSV.encode())
    upload.name = "pegawai.csv"
    response = login(world.users["opd_admin"]).post(
        reverse("imports:import_start"), {"kind": "employees", "file": upload}
    )

    assert response.status_code == 302
    assert Employee.objects.filter(name=NEW_NAME, unit=world.division_a).count() == 1
    job = ImportJob.objects.get()
    event = assert_import_audited(since, job=job, actor=world.users["opd_admin"])
    assert event.changes["created"] == 1
    assert event.unit_path == world.agency_a.path  # filed under the agency, for A's auditors


def test_import_command(world, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(CSV)
    since = last_sequence()

    call_command(
        "import_employees", str(path), "--user", "opd_admin", verbosity=0, stdout=io.StringIO()
    )

    assert Employee.objects.filter(name=NEW_NAME, unit=world.division_a).count() == 1
    job = ImportJob.objects.get()
    event = assert_import_audited(since, job=job, actor=world.users["opd_admin"])
    assert event.changes["created"] == 1


def test_import_command_without_a_user(world, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(CSV)
    since = last_sequence()

    call_command(
        "import_employees", str(path), "--instansi", "jatim", verbosity=0, stdout=io.StringIO()
    )

    assert Employee.objects.filter(name=NEW_NAME).count() == 1
    event = assert_import_audited(since, job=ImportJob.objects.get(), actor=None)
    assert event.actor_repr == "system"


# Commands --------------------------------------------------------------------------------------


def test_command_create_api_token(world):
    user = world.users["bkd"]
    since = last_sequence()

    call_command(
        "create_api_token", "bkd", "--name", "sinkron", stdout=io.StringIO(), stderr=io.StringIO()
    )

    assert ApiToken.objects.filter(user=user, name="sinkron").count() == 1
    assert_audited(since, action="token.create", target=user, actor=user)


# Admin -----------------------------------------------------------------------------------------


@pytest.fixture
def superuser(world):
    return User.objects.create_superuser(
        username="root", password="x", email="root@example.org", instansi=world.instansi
    )


def test_the_admin_writes_nothing_around_the_services(world, client, superuser):
    """The admin is read-only for audited models: a change there is refused, nothing changes."""
    client.force_login(superuser)
    section = OrgUnitFactory(
        instansi=world.instansi, parent=world.division_a, code="DIKBUD-SMA-KUR", name="Seksi"
    )
    url = reverse("admin:organisations_orgunit_change", args=[section.pk])
    since = last_sequence()

    assert client.get(url).status_code == 200  # it can be read
    response = client.post(url, {"name": "Seksi Kurikulum", "code": section.code})

    assert response.status_code == 403
    section.refresh_from_db()
    assert section.name == "Seksi"
    assert events_since(since) == []
