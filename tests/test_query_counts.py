"""No list page's query count grows with its rows: each list is read with 5 rows, then 60.

A list that loads a related row per row shown (an N+1) issues more queries with 60 rows than
with 5; each test also checks that the second page really shows more rows, so it cannot pass
on an empty list.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.audit.services import record
from kinerja.imports.models import ImportJob
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url: str, **extra) -> tuple[int, object]:
    client.get(url, **extra)  # warm what is cached per process (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


def grow(make, world, before: int, after: int, client, url: str, **extra):
    """Make ``before`` rows, count the queries; make more up to ``after``, count again.

    The factories write without the audit, so the kept pages and figures would not see them
    (a service's write moves the data version): each count starts from an empty cache, and so
    counts the page built, not kept."""
    make(world, 0, before)
    cache.clear()
    few, first = count_queries(client, url, **extra)
    make(world, before, after)
    cache.clear()
    many, second = count_queries(client, url, **extra)
    return few, many, first, second


def make_employees(world, start: int, end: int) -> None:
    for i in range(start, end):
        unit = OrgUnitFactory(
            instansi=world.instansi,
            parent=world.agency_a,
            code=f"QC-{i}",
            name=f"Seksi Uji {i}",
            kind=UnitKind.SECTION,
        )
        position = PositionFactory(unit=unit, code=f"QC-P{i}", title=f"Analis Uji {i}")
        EmployeeFactory(unit=unit, position=position, name=f"Pegawai Uji {i:03d}")


def test_employee_list_page(world, login):
    client = login(world.users["bkd"])
    few, many, first, second = grow(
        make_employees, world, 5, 60, client, "/org/employees/?q=Pegawai+Uji"
    )
    assert first.content.count(b"Pegawai Uji ") == 5
    assert second.content.count(b"Pegawai Uji ") == 50  # a full page
    assert many == few


def test_employee_api(world, login):
    client = login(world.users["bkd"])
    few, many, first, second = grow(
        make_employees, world, 5, 60, client, "/api/v1/employees/?q=Pegawai+Uji"
    )
    assert len(first.json()["results"]) == 5
    assert len(second.json()["results"]) == 50
    assert second.json()["count"] == 60
    assert many == few


def make_agencies(world, start: int, end: int) -> None:
    for i in range(start, end):
        agency = OrgUnitFactory(instansi=world.instansi, code=f"QA-{i}", name=f"Badan Uji {i:03d}")
        child = OrgUnitFactory(instansi=world.instansi, parent=agency, code=f"QA-{i}-1")
        EmployeeFactory(unit=child, name=f"Staf Badan {i}")


def test_unit_tree(world, login):
    client = login(world.users["bkd"])
    few, many, first, second = grow(make_agencies, world, 5, 60, client, "/org/units/")
    assert first.content.count(b"Badan Uji ") == 5
    assert second.content.count(b"Badan Uji ") == 60
    assert many == few


def make_events(world, start: int, end: int) -> None:
    actor = world.users["system_admin"]
    for i in range(start, end):
        employee = EmployeeFactory(unit=world.division_a, name=f"Pegawai Jejak {i:03d}")
        record(
            actor=actor,
            action="employee.update",
            target=employee,
            changes={"name": [f"Lama {i}", employee.name], "unit": [world.agency_a.pk, i]},
        )


def test_audit_list(world, login):
    client = login(world.users["system_admin"])
    few, many, first, second = grow(make_events, world, 5, 60, client, "/audit/?q=Jejak")
    assert first.content.count(b"Pegawai Jejak ") >= 5
    assert second.content.count(b"Pegawai Jejak ") >= 50
    assert many == few


def make_jobs(world, start: int, end: int) -> None:
    users = [world.users["bkd"], world.users["system_admin"]]
    for i in range(start, end):
        ImportJob.objects.create(
            instansi=world.instansi,
            created_by=users[i % 2],
            kind="employees",
            file="imports/x.csv",
            original_name=f"berkas-uji-{i:03d}.csv",
            language="id",
        )


def test_import_job_list(world, login):
    client = login(world.users["bkd"])
    few, many, first, second = grow(make_jobs, world, 5, 60, client, "/import/jobs/")
    assert first.content.count(b"berkas-uji-") == 5
    assert second.content.count(b"berkas-uji-") == 25  # a full page of jobs
    assert many == few


def make_grants(world, start: int, end: int) -> None:
    for i in range(start, end):
        unit = OrgUnitFactory(
            instansi=world.instansi, parent=world.agency_a, code=f"QG-{i}", name=f"Seksi {i}"
        )
        user = User.objects.create_user(
            username=f"penilai-uji-{i:03d}", password="x", instansi=world.instansi
        )
        RoleAssignment.objects.create(
            user=user,
            role=Role.EVALUATOR,
            instansi=world.instansi,
            unit=unit,
            valid_from=dt.date(2024, 1, 1),
        )


def test_role_grant_list(world, login):
    client = login(world.users["system_admin"])
    few, many, first, second = grow(make_grants, world, 5, 60, client, "/accounts/grants/")
    assert first.content.count(b"penilai-uji-") >= 5
    assert second.content.count(b"penilai-uji-") >= 40  # the fixture's 9 grants sort first
    assert many == few
