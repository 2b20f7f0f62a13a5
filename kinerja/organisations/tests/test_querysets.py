from kinerja.accounts.scope import scope_for
from kinerja.core.scope import Action
from kinerja.organisations.models import Employee, OrgUnit, Position


def names(qs):
    return sorted(e.name for e in qs)


def test_opd_admin_sees_only_their_agency(world):
    scope = scope_for(world.users["opd_admin"])
    assert names(Employee.objects.within(scope)) == ["Budi Santoso", "Siti Aminah"]
    assert set(OrgUnit.objects.within(scope)) == {world.agency_a, world.division_a}
    assert set(Position.objects.within(scope)) == {world.head_pos_a, world.staff_pos_a}


def test_evaluator_reaches_no_subtree_by_the_unit_of_the_grant(world):
    """An evaluator reaches down the reporting lines from their posts (test_reporting.py); the
    world's evaluator holds no post, so the division of the grant gives them nobody."""
    scope = scope_for(world.users["evaluator"])
    assert names(Employee.objects.within(scope)) == []
    assert not OrgUnit.objects.within(scope).exists()


def test_instansi_wide_role_sees_the_instansi_and_not_another(world):
    scope = scope_for(world.users["bkd"])
    assert names(Employee.objects.within(scope)) == [
        "Agus Salim",
        "Budi Santoso",
        "Rina Wulandari",
        "Siti Aminah",
    ]
    assert world.staff_x not in Employee.objects.within(scope)


def test_employee_sees_only_themselves(world):
    scope = scope_for(world.users["employee"])
    assert list(Employee.objects.within(scope)) == [world.staff_a]
    assert list(OrgUnit.objects.within(scope)) == [world.division_a]
    assert not Employee.objects.within(scope, Action.CHANGE_PEOPLE).exists()


def test_read_only_roles_cannot_change(world):
    scope = scope_for(world.users["inspektorat"])
    assert Employee.objects.within(scope).count() == 4
    assert not Employee.objects.within(scope, Action.CHANGE_PEOPLE).exists()


def test_anonymous_scope_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Employee.objects.within(scope_for(AnonymousUser())).exists()


def test_search_by_nip_prefix_and_name(world):
    qs = Employee.objects.all()
    assert list(qs.search(world.staff_b.nip[:10]).filter(pk=world.staff_b.pk)) == [world.staff_b]
    assert names(qs.search("aminah")) == ["Siti Aminah"]


def test_linked_employee_does_not_repeat_units(world):
    from kinerja.organisations.tests.factories import EmployeeFactory

    EmployeeFactory(unit=world.agency_a)
    EmployeeFactory(unit=world.agency_a)
    scope = scope_for(world.users["opd_head"])
    codes = list(OrgUnit.objects.within(scope).values_list("code", flat=True))
    assert codes == ["DIKBUD", "DIKBUD-SMA"]


def test_count_by_status_lists_every_status(world):
    scope = scope_for(world.users["bkd"])
    assert Employee.objects.within(scope).count_by_status() == {"pns": 3, "pppk": 0, "non_asn": 1}
