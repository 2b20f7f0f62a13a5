"""Assignments end on their last day, as reporting lines, acting assignments, units and role
grants do: a transfer on 1 July closes the old post on 30 June, and every reader agrees."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from kinerja.accounts.scope import scope_for
from kinerja.organisations import selectors, services
from kinerja.organisations.models import Assignment, ReportingLine
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory

MIGRATION = "kinerja.organisations.migrations.0010_assignment_inclusive_end"
migration = importlib.import_module(MIGRATION)

D = dt.date
START = D(2024, 1, 1)
TRANSFER = D(2025, 7, 1)
EVE = D(2025, 6, 30)


@pytest.fixture
def two_posts(world):
    """Siti holds Analis SMA (reports to the Kadis) from 2024; a second post of the same
    division reports to the Kadis too, held by nobody; Budi is the Kadis."""
    admin = world.users["system_admin"]
    other = PositionFactory(unit=world.division_a, code="DIKBUD-SMA-02", title="Pengelola SMA")
    for post in (world.staff_pos_a, other):
        ReportingLine.objects.create(
            instansi=world.instansi, position=post, reports_to=world.head_pos_a, valid_from=START
        )
    for employee in (world.staff_a, world.head_a):
        Assignment.objects.create(
            instansi=world.instansi,
            employee=employee,
            position=employee.position,
            unit=employee.unit,
            valid_from=START,
        )
    return world, admin, other


def test_a_transfer_closes_the_old_post_on_the_day_before(two_posts):
    world, admin, other = two_posts
    services.employee_update(
        actor=admin,
        scope=scope_for(admin),
        employee=world.staff_a,
        data={"position": other},
        effective=TRANSFER,
    )
    history = list(
        Assignment.objects.filter(employee=world.staff_a)
        .order_by("valid_from")
        .values_list("position_id", "valid_from", "valid_to")
    )
    assert history == [(world.staff_pos_a.pk, START, EVE), (other.pk, TRANSFER, None)]
    # The day before: the old post, the day itself: the new one; never both.
    assert selectors.posts_on([world.staff_a.pk], EVE) == {world.staff_a.pk: world.staff_pos_a.pk}
    assert selectors.posts_on([world.staff_a.pk], TRANSFER) == {world.staff_a.pk: other.pk}
    assert [h.employee for h in selectors.holders_of(world.staff_pos_a, EVE)] == [world.staff_a]
    assert selectors.holders_of(world.staff_pos_a, TRANSFER) == []
    assert [h.employee for h in selectors.holders_of(other, TRANSFER)] == [world.staff_a]
    # The queryset's active_on reads the same days (both ends inclusive).
    mine = Assignment.objects.filter(employee=world.staff_a)
    assert list(mine.active_on(EVE).values_list("position_id", flat=True)) == [world.staff_pos_a.pk]
    assert list(mine.active_on(TRANSFER).values_list("position_id", flat=True)) == [other.pk]
    # Budi reaches her through either post, on each day.
    assert selectors.has_reports(world.head_a.pk, EVE)
    assert selectors.superior_of(world.staff_a, EVE).employee == world.head_a
    assert selectors.superior_of(world.staff_a, TRANSFER).employee == world.head_a


def test_a_transfer_on_the_day_the_post_began_corrects_it_in_place(two_posts):
    world, admin, other = two_posts
    scope = scope_for(admin)
    services.employee_update(
        actor=admin, scope=scope, employee=world.staff_a, data={"position": other}, effective=EVE
    )
    services.employee_update(
        actor=admin,
        scope=scope,
        employee=world.staff_a,
        data={"position": world.staff_pos_a},
        effective=EVE,
    )
    history = list(
        Assignment.objects.filter(employee=world.staff_a)
        .order_by("valid_from")
        .values_list("position_id", "valid_from", "valid_to")
    )
    assert history == [
        (world.staff_pos_a.pk, START, D(2025, 6, 29)),
        (world.staff_pos_a.pk, EVE, None),
    ]


def test_the_employee_import_closes_on_the_day_before_and_corrects_a_same_day_move(two_posts):
    from .test_excel import HEADER, run

    world, admin, other = two_posts
    header = [*HEADER, "start_date"]
    staff = world.staff_a
    row = [staff.nip, staff.name, "pns", "DIKBUD-SMA", other.code, TRANSFER.isoformat()]
    outcome = run(admin, [header, row])
    assert outcome.valid, [(e.row, e.message) for e in outcome.errors]
    history = list(
        Assignment.objects.filter(employee=staff)
        .order_by("valid_from")
        .values_list("position_id", "valid_from", "valid_to")
    )
    assert history == [(world.staff_pos_a.pk, START, EVE), (other.pk, TRANSFER, None)]
    # Moved back on the same day: the placement of 1 July is corrected, not closed empty.
    row = [staff.nip, staff.name, "pns", "DIKBUD-SMA", world.staff_pos_a.code, "2025-07-01"]
    outcome = run(admin, [header, row])
    assert outcome.valid, [(e.row, e.message) for e in outcome.errors]
    history = list(
        Assignment.objects.filter(employee=staff)
        .order_by("valid_from")
        .values_list("position_id", "valid_from", "valid_to")
    )
    assert history == [(world.staff_pos_a.pk, START, EVE), (world.staff_pos_a.pk, TRANSFER, None)]


def test_the_migration_moves_exclusive_ends_to_the_last_day(world):
    staff, head = world.staff_a, world.head_a

    def make(employee, start, end=None):
        return Assignment.objects.create(
            instansi=world.instansi,
            employee=employee,
            unit=employee.unit,
            position=employee.position,
            valid_from=start,
            valid_to=end,
        )

    # As the services wrote them: closed on the day the next post starts.
    old = make(staff, START, TRANSFER)
    never = make(staff, TRANSFER, TRANSFER)  # placed and corrected on 1 July
    current = make(staff, TRANSFER)
    # Written by hand with a last day, nothing starting on its end: left alone.
    other = EmployeeFactory(unit=world.agency_b, name="Lain")
    alone = make(other, D(2020, 1, 1), D(2020, 12, 31))
    head_first = make(head, START, D(2024, 3, 1))
    make(head, D(2024, 3, 1))

    migration.to_last_day(apps, None)

    assert Assignment.objects.get(pk=old.pk).valid_to == EVE
    assert not Assignment.objects.filter(pk=never.pk).exists()
    assert Assignment.objects.get(pk=current.pk).valid_to is None
    assert Assignment.objects.get(pk=alone.pk).valid_to == D(2020, 12, 31)
    assert Assignment.objects.get(pk=head_first.pk).valid_to == D(2024, 2, 29)  # a leap year
    migration.to_last_day(apps, None)  # a second run changes nothing
    assert Assignment.objects.get(pk=old.pk).valid_to == EVE

    migration.to_next_start(apps, None)
    assert Assignment.objects.get(pk=old.pk).valid_to == TRANSFER
    assert Assignment.objects.get(pk=head_first.pk).valid_to == D(2024, 3, 1)
    assert Assignment.objects.get(pk=alone.pk).valid_to == D(2020, 12, 31)
