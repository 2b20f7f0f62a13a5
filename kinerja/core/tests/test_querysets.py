"""The shared scoped-queryset base: what each model's queryset states, and one rule for all."""

from __future__ import annotations

import datetime as dt

import pytest

from kinerja.accounts.models import RoleAssignment, User
from kinerja.audit.models import AuditEvent
from kinerja.core.scope import Action, Grant, Scope
from kinerja.imports.models import ImportJob
from kinerja.organisations.models import Assignment, Employee, OrgUnit, Position

pytestmark = pytest.mark.django_db

SCOPED = (OrgUnit, Position, Employee, Assignment, User, RoleAssignment, AuditEvent, ImportJob)


def test_every_scoped_model_states_its_fields_and_writes_no_within_of_its_own():
    for model in SCOPED:
        queryset = type(model._default_manager.all())
        assert "within" not in vars(queryset), queryset


def test_an_instansi_wide_grant_holder_with_an_employee_record_reaches_the_whole_instansi(world):
    # A BKD officer is also an employee of agency B: their own record must not narrow the
    # instansi-wide grant to their own unit (an empty Q OR-ed with their own rows would).
    scope = Scope(
        instansi_id=world.instansi.pk,
        grants=(Grant(actions=Action.ALL),),
        employee_id=world.staff_b.pk,
        user_id=1,
    )
    units = set(OrgUnit.objects.within(scope).values_list("code", flat=True))
    assert units == {"DIKBUD", "DINKES", "DIKBUD-SMA"}
    names = set(Employee.objects.within(scope).values_list("name", flat=True))
    assert names == {"Budi Santoso", "Siti Aminah", "Rina Wulandari", "Agus Salim"}
    assert Position.objects.within(scope).count() == 2


def test_an_employee_without_grants_reaches_their_own_unit_post_and_record(world):
    scope = Scope(instansi_id=world.instansi.pk, employee_id=world.staff_a.pk, user_id=1)
    assert list(OrgUnit.objects.within(scope)) == [world.division_a]
    assert list(Position.objects.within(scope)) == [world.staff_pos_a]
    assert list(Employee.objects.within(scope)) == [world.staff_a]
    # Their own rows come with the default action only.
    assert not Employee.objects.within(scope, Action.CHANGE_PEOPLE).exists()
    assert not OrgUnit.objects.within(scope, Action.CHANGE_ORG).exists()


def test_no_instansi_reaches_nothing(world):
    scope = Scope(grants=(Grant(actions=Action.ALL),), employee_id=world.staff_a.pk)
    for model in SCOPED:
        assert not model._default_manager.within(scope).exists()


def test_import_jobs_unit_scoped_importer_sees_only_their_own(world):
    mine = ImportJob.objects.create(
        instansi=world.instansi, kind="units", created_by=world.users["opd_admin"]
    )
    ImportJob.objects.create(instansi=world.instansi, kind="units", created_by=world.users["bkd"])
    unit_scoped = Scope(
        instansi_id=world.instansi.pk,
        grants=(Grant(actions=frozenset({Action.IMPORT}), unit_path=world.agency_a.path),),
        user_id=world.users["opd_admin"].pk,
    )
    assert list(ImportJob.objects.within(unit_scoped)) == [mine]
    wide = Scope(
        instansi_id=world.instansi.pk,
        grants=(Grant(actions=frozenset({Action.IMPORT})),),
        user_id=world.users["bkd"].pk,
    )
    assert ImportJob.objects.within(wide).count() == 2
    viewer = Scope(
        instansi_id=world.instansi.pk,
        grants=(Grant(actions=frozenset({Action.VIEW_ORG})),),
        user_id=world.users["opd_admin"].pk,
    )
    assert not ImportJob.objects.within(viewer).exists()


def test_effective_dated_rows_share_one_active_on(world):
    day = dt.date(2024, 6, 30)
    closed = OrgUnit.objects.filter(pk=world.agency_b.pk)
    closed.update(valid_to=day)
    assert closed.active_on(day).exists()  # valid_to is inclusive
    assert not closed.active_on(day + dt.timedelta(days=1)).exists()
    assert not OrgUnit.objects.filter(pk=world.agency_a.pk).active_on(dt.date(2019, 12, 31))
    assert OrgUnit.objects.filter(pk=world.agency_a.pk).active_on(dt.date(2020, 1, 1)).exists()
    assert world.agency_a.is_active_on(dt.date(2020, 1, 1))
    assert not world.agency_a.is_active_on(dt.date(2019, 12, 31))


def test_assignments_and_grants_read_the_same_dates(world):
    first = Assignment.objects.create(
        instansi=world.instansi,
        employee=world.staff_b,
        unit=world.agency_b,
        valid_from=dt.date(2015, 1, 1),
        valid_to=dt.date(2019, 12, 31),
    )
    current = Assignment.objects.create(
        instansi=world.instansi,
        employee=world.staff_b,
        unit=world.agency_b,
        valid_from=dt.date(2020, 1, 1),
    )
    mine = Assignment.objects.filter(employee=world.staff_b)
    assert list(mine.active_on(dt.date(2019, 12, 31))) == [first]
    assert list(mine.active_on(dt.date(2020, 1, 1))) == [current]
    assert (first.is_active_on(dt.date(2019, 12, 31)), first.is_active_on(dt.date(2020, 1, 1))) == (
        True,
        False,
    )
    grant = RoleAssignment.objects.get(user=world.users["bkd"])
    grant.valid_from, grant.valid_to = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    grant.save()
    grants = RoleAssignment.objects.filter(pk=grant.pk)
    assert grants.active_on(dt.date(2024, 12, 31)).exists()
    assert not grants.active_on(dt.date(2025, 1, 1)).exists()


def test_an_assignment_cannot_end_before_it_starts(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            instansi=world.instansi,
            employee=world.staff_b,
            unit=world.agency_b,
            valid_from=dt.date(2020, 1, 2),
            valid_to=dt.date(2020, 1, 1),
        )
