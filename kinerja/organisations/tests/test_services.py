import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations import services
from kinerja.organisations.choices import EmployeeStatus, UnitKind
from kinerja.organisations.models import Assignment, Employee, OrgUnit


def _scope(world, role):
    return scope_for(world.users[role])


def test_unit_create_places_it_in_the_tree_and_audits(world):
    admin = world.users["opd_admin"]
    unit = services.unit_create(
        actor=admin,
        scope=_scope(world, "opd_admin"),
        instansi=world.instansi,
        data={
            "code": "DIKBUD-SMK",
            "name": "Bidang SMK",
            "kind": UnitKind.DIVISION,
            "parent": world.agency_a,
        },
    )
    assert unit.path == f"{world.agency_a.path}{unit.pk:08d}."
    assert unit.depth == 1
    assert unit.agency_id == world.agency_a.pk
    event = AuditEvent.objects.get(action="unit.create")
    assert event.actor == admin
    assert event.unit_path == unit.path
    assert event.changes["code"] == [None, "DIKBUD-SMK"]


def test_opd_admin_cannot_create_units_in_another_agency(world):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=world.users["opd_admin"],
            scope=_scope(world, "opd_admin"),
            instansi=world.instansi,
            data={
                "code": "DINKES-X",
                "name": "Bidang X",
                "kind": UnitKind.DIVISION,
                "parent": world.agency_b,
            },
        )
    assert not OrgUnit.objects.filter(code="DINKES-X").exists()
    assert not AuditEvent.objects.exists()


def test_moving_a_unit_moves_its_subtree(world):
    section = OrgUnit.objects.get(
        pk=services.unit_create(
            actor=world.users["bkd"],
            scope=_scope(world, "bkd"),
            instansi=world.instansi,
            data={
                "code": "SMA-1",
                "name": "Seksi Kurikulum",
                "kind": UnitKind.SECTION,
                "parent": world.division_a,
            },
        ).pk
    )
    services.unit_update(
        actor=world.users["bkd"],
        scope=_scope(world, "bkd"),
        unit=world.division_a,
        data={"parent": world.agency_b},
        reason="Reorganisasi 2024",
    )
    world.division_a.refresh_from_db()
    section.refresh_from_db()
    assert world.division_a.path.startswith(world.agency_b.path)
    assert section.path == f"{world.division_a.path}{section.pk:08d}."
    assert section.agency_id == world.agency_b.pk
    assert section.depth == 2


def test_a_unit_cannot_go_under_its_own_child(world):
    with pytest.raises(ValidationError):
        services.unit_update(
            actor=world.users["bkd"],
            scope=_scope(world, "bkd"),
            unit=world.agency_a,
            data={"parent": world.division_a},
        )


def test_closing_a_unit_records_its_successor(world):
    empty = services.unit_create(
        actor=world.users["bkd"],
        scope=_scope(world, "bkd"),
        instansi=world.instansi,
        data={
            "code": "OLD",
            "name": "Biro Lama",
            "kind": UnitKind.BIRO,
            "valid_from": dt.date(2019, 1, 1),
        },
    )
    services.unit_close(
        actor=world.users["bkd"],
        scope=_scope(world, "bkd"),
        unit=empty,
        on=dt.date(2024, 12, 31),
        successor=world.agency_b,
        reason="Digabung",
    )
    empty.refresh_from_db()
    assert empty.valid_to == dt.date(2024, 12, 31)
    assert list(world.agency_b.predecessors.all()) == [empty]
    assert empty not in OrgUnit.objects.active_on(dt.date(2025, 1, 1))
    assert empty in OrgUnit.objects.active_on(dt.date(2024, 6, 1))


def test_closing_a_unit_with_staff_is_refused(world):
    with pytest.raises(ValidationError):
        services.unit_close(
            actor=world.users["bkd"],
            scope=_scope(world, "bkd"),
            unit=world.agency_b,
            on=dt.date(2024, 12, 31),
            reason="Digabung",
        )


def test_employee_create_derives_birth_date_and_sex_from_nip(world):
    employee = services.employee_create(
        actor=world.users["opd_admin"],
        scope=_scope(world, "opd_admin"),
        instansi=world.instansi,
        data={
            "nip": "199204172019032011",
            "name": "Ani Rahmawati",
            "status": EmployeeStatus.PNS,
            "unit": world.division_a,
            "position": world.staff_pos_a,
        },
        valid_from=dt.date(2024, 1, 2),
    )
    assert employee.birth_date == dt.date(1992, 4, 17)
    assert employee.sex == "f"
    assignment = Assignment.objects.get(employee=employee)
    assert (assignment.valid_from, assignment.valid_to) == (dt.date(2024, 1, 2), None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"nip": None, "status": EmployeeStatus.PNS}, "nip"),
        ({"nip": "199204172019032011", "status": EmployeeStatus.NON_ASN}, "nip"),
        ({"nip": "199204312019032011", "status": EmployeeStatus.PNS}, "nip"),
        ({"nip": "199204172019032011", "status": EmployeeStatus.PNS, "sex": "m"}, "sex"),
    ],
)
def test_employee_rules_reject_with_field_errors(world, data, field):
    before = Employee.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.employee_create(
            actor=world.users["bkd"],
            scope=_scope(world, "bkd"),
            instansi=world.instansi,
            data={"name": "X", "unit": world.agency_b, **data},
        )
    assert field in exc.value.message_dict
    assert Employee.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_transfer_closes_the_old_assignment_and_opens_a_new_one(world):
    Assignment.objects.create(
        instansi=world.instansi,
        employee=world.staff_b,
        unit=world.agency_b,
        valid_from=dt.date(2015, 1, 1),
    )
    services.employee_update(
        actor=world.users["bkd"],
        scope=_scope(world, "bkd"),
        employee=world.staff_b,
        data={"unit": world.division_a, "position": world.staff_pos_a},
        effective=dt.date(2024, 7, 1),
        reason="Mutasi",
    )
    history = list(Assignment.objects.filter(employee=world.staff_b).order_by("valid_from"))
    assert [(a.unit_id, a.valid_from, a.valid_to) for a in history] == [
        (world.agency_b.pk, dt.date(2015, 1, 1), dt.date(2024, 6, 30)),
        (world.division_a.pk, dt.date(2024, 7, 1), None),
    ]
    event = AuditEvent.objects.get(action="employee.update")
    assert event.changes["unit"] == [world.agency_b.pk, world.division_a.pk]
    assert event.reason == "Mutasi"


def test_transfer_into_a_unit_outside_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.employee_update(
            actor=world.users["opd_admin"],
            scope=_scope(world, "opd_admin"),
            employee=world.staff_a,
            data={"unit": world.agency_b, "position": None},
        )
    world.staff_a.refresh_from_db()
    assert world.staff_a.unit_id == world.division_a.pk


def test_position_of_another_unit_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.employee_update(
            actor=world.users["bkd"],
            scope=_scope(world, "bkd"),
            employee=world.staff_b,
            data={"unit": world.agency_b, "position": world.staff_pos_a},
        )
    assert "position" in exc.value.message_dict


def test_unit_scoped_admin_cannot_create_a_new_agency(world):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=world.users["opd_admin"],
            scope=_scope(world, "opd_admin"),
            instansi=world.instansi,
            data={"code": "NEW-OPD", "name": "Badan Baru", "kind": UnitKind.BADAN},
        )
    assert not OrgUnit.objects.filter(code="NEW-OPD").exists()


def test_unit_scoped_admin_cannot_lift_a_division_to_the_top(world):
    with pytest.raises(PermissionDenied):
        services.unit_update(
            actor=world.users["opd_admin"],
            scope=_scope(world, "opd_admin"),
            unit=world.division_a,
            data={"parent": None},
        )
    world.division_a.refresh_from_db()
    assert world.division_a.parent_id == world.agency_a.pk


def test_instansi_wide_admin_can_make_a_division_an_agency(world):
    services.unit_update(
        actor=world.users["bkd"],
        scope=_scope(world, "bkd"),
        unit=world.division_a,
        data={"parent": None},
        reason="Dimekarkan",
    )
    world.division_a.refresh_from_db()
    assert (world.division_a.depth, world.division_a.agency_id) == (0, world.division_a.pk)
