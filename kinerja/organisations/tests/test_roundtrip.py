"""Export and import are one format: an employee export imports again unchanged, and every
template imports as it is downloaded."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.accounts.scope import scope_for
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.organisations.choices import EmployeeStatus
from kinerja.organisations.importers import EmployeeImporter, PositionImporter, UnitImporter
from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position
from kinerja.organisations.nip import make_nip
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)


def export(client, language: str, fmt: str) -> tuple[bytes, str]:
    response = client.get(
        reverse("organisations:employee_export"),
        {"format": fmt} if fmt == "csv" else {},
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if fmt == "csv" else response.content
    return data, f"pegawai.{fmt}"


def reimport(user, data: bytes, name: str, importer=EmployeeImporter, *, dry_run=False):
    table = read_table(io.BytesIO(data), name)
    return import_run(
        actor=user, scope=scope_for(user), importer=importer, table=table, dry_run=dry_run
    )


def many_employees(world, n: int = 300) -> None:
    """Staff of every kind: titles, both sexes, PPPK and non-ASN, inactive, with and
    without a post, names with commas and quotes."""
    units = [world.agency_a, world.division_a, world.agency_b]
    units += [
        OrgUnitFactory(instansi=world.instansi, parent=world.agency_b, code=f"DINKES-{i}")
        for i in range(3)
    ]
    posts = {u.pk: [PositionFactory(unit=u) for _ in range(4)] for u in units}
    for i in range(n):
        unit = units[i % len(units)]
        status = [EmployeeStatus.PNS, EmployeeStatus.PPPK, EmployeeStatus.NON_ASN][i % 3]
        sex = "f" if i % 2 else "m"
        birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        nip = None
        if status != EmployeeStatus.NON_ASN:
            nip = make_nip(birth, dt.date(2000 + i % 20, 1 + i % 12, 1), sex, 1 + i % 999)
        EmployeeFactory(
            unit=unit,
            position=posts[unit.pk][i % 4] if i % 5 else None,
            name=f"Pegawai {i:03d}" + (', "Ucok"' if i % 7 == 0 else ""),
            front_title="Dr." if i % 4 == 0 else "",
            back_title="S.Kom., M.T." if i % 3 == 0 else "",
            status=status,
            nip=nip,
            sex=sex if (nip or i % 2) else "",
            birth_date=birth if (nip or i % 4) else None,
            grade={EmployeeStatus.PNS: "III/a", EmployeeStatus.PPPK: "IX"}.get(status, "")
            if i % 2
            else "",
            grade_tmt=dt.date(2019, 4, 1)
            if i % 4 == 1 and status != EmployeeStatus.NON_ASN
            else None,
            email=f"pegawai{i}@jatimprov.go.id" if i % 3 else "",
            is_active=bool(i % 11),
        )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_export_reimports_unchanged(world, login, fmt, language):
    user = world.users["bkd"]
    data, name = export(login(user), language, fmt)
    employees = Employee.objects.filter(instansi=world.instansi).count()
    assignments = Assignment.objects.count()

    outcome = reimport(user, data, name)

    assert outcome.errors == []
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": employees}
    assert Assignment.objects.count() == assignments


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_of_hundreds_of_varied_staff_reimports_unchanged(world, login, fmt):
    many_employees(world)
    user = world.users["bkd"]
    data, name = export(login(user), "id", fmt)
    before = list(Employee.objects.order_by("pk").values())
    assignments = Assignment.objects.count()

    outcome = reimport(user, data, name)

    assert outcome.errors == []
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 304}  # and the world's 4
    assert list(Employee.objects.order_by("pk").values()) == before
    assert Assignment.objects.count() == assignments


def test_an_agency_admins_export_reimports_unchanged_for_them(world, login):
    many_employees(world, 60)
    user = world.users["opd_admin"]
    data, name = export(login(user), "id", "xlsx")

    outcome = reimport(user, data, name)

    assert outcome.errors == []
    mine = Employee.objects.filter(unit__path__startswith=world.agency_a.path).count()
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": mine}


def test_texts_a_spreadsheet_would_run_as_formulas_come_back_as_they_were(world, login):
    world.staff_a.back_title, world.staff_a.front_title = "-", "=Dr."
    world.staff_a.save()
    user = world.users["bkd"]
    data, name = export(login(user), "id", "csv")
    assert b"'-" in data  # escaped in the file

    outcome = reimport(user, data, name)

    assert outcome.counts["unchanged"] == 4, outcome.errors
    world.staff_a.refresh_from_db()
    assert (world.staff_a.back_title, world.staff_a.front_title) == ("-", "=Dr.")


def test_an_edited_export_changes_only_what_was_edited(world, login):
    user = world.users["bkd"]
    data, _name = export(login(user), "en", "csv")
    text = data.decode("utf-8-sig").replace("Siti Aminah", "Siti Aminah Putri")

    outcome = reimport(user, text.encode(), "pegawai.csv")

    assert outcome.counts["updated"] == 1, outcome.errors
    world.staff_a.refresh_from_db()
    assert (world.staff_a.name, world.staff_a.position) == ("Siti Aminah Putri", world.staff_pos_a)


@pytest.fixture
def dinkes_admin(world):
    """An agency admin of DINKES, where no example code of the old template existed."""
    user = User.objects.create_user(username="dinkes_admin", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=user, role=Role.OPD_ADMIN, instansi=world.instansi, unit=world.agency_b
    )
    return user


@pytest.mark.parametrize("importer", [EmployeeImporter, UnitImporter, PositionImporter])
@pytest.mark.parametrize("role", ["opd_admin", "bkd", "dinkes_admin"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_template_imports_unchanged(world, login, dinkes_admin, importer, role, language):
    user = dinkes_admin if role == "dinkes_admin" else world.users[role]
    response = login(user).get(
        reverse("imports:import_template", args=[importer.kind]),
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    counts = (Employee.objects.count(), OrgUnit.objects.count(), Position.objects.count())

    outcome = reimport(user, response.content, "template.xlsx", importer, dry_run=True)

    assert outcome.errors == []
    assert outcome.counts["created"] == 1
    assert (Employee.objects.count(), OrgUnit.objects.count(), Position.objects.count()) == counts


def test_the_template_example_agrees_with_its_instructions(world, login):
    response = login(world.users["opd_admin"]).get(
        reverse("imports:import_template", args=["employees"]),
        headers={"accept-language": "id"},
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["employees"]
    example = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    guide = {row[0]: row for row in workbook["Petunjuk"].iter_rows(values_only=True) if row[0]}

    assert guide["Aktif"][3] == "ya / tidak"
    assert example["Aktif"] == "ya"
    # Siti is a woman, and so say her NIP (digit 15) and the sex column.
    assert (example["Nama"], example["NIP"][14], example["Jenis Kelamin"]) == (
        "Siti Aminah",
        "2",
        "Perempuan",
    )
    assert example["Kode Unit"] == "DIKBUD"  # the admin's own agency
