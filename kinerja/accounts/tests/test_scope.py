import datetime as dt

from kinerja.accounts.models import RoleAssignment
from kinerja.accounts.scope import scope_for
from kinerja.core.scope import Action


def test_opd_admin_scope_is_the_agency_subtree(world):
    scope = scope_for(world.users["opd_admin"])
    assert scope.instansi_id == world.instansi.pk
    assert scope.can(Action.CHANGE_PEOPLE, world.division_a.path)
    assert not scope.can(Action.CHANGE_PEOPLE, world.agency_b.path)
    assert scope.roles == frozenset({"opd_admin"})


def test_expired_role_assignment_grants_nothing(world):
    RoleAssignment.objects.filter(user=world.users["bkd"]).update(valid_to=dt.date(2020, 1, 1))
    assert not scope_for(world.users["bkd"]).can_anywhere(Action.VIEW_PEOPLE)


def test_employee_role_has_own_id_and_no_grants(world):
    scope = scope_for(world.users["employee"])
    assert scope.employee_id == world.staff_a.pk
    assert scope.grants == ()


def test_assignment_in_another_instansi_is_ignored(world):
    RoleAssignment.objects.create(
        user=world.users["opd_admin"],
        role="opd_admin",
        instansi=world.other_instansi,
        unit=world.agency_x,
    )
    scope = scope_for(world.users["opd_admin"])
    assert not scope.can(Action.VIEW_PEOPLE, world.agency_x.path)
