from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import translation

from kinerja.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.scope import scope_for
from kinerja.core.scope import Action
from kinerja.organisations.models import Employee, Instansi, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", staff=300, seed=5, organisation_only=True, verbosity=0)
    return Instansi.objects.get(code="jatim")


@pytest.fixture
def rf_request():
    request = RequestFactory().post("/accounts/login/")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return request


def _agency(instansi, name):
    return OrgUnit.objects.get(instansi=instansi, parent__isnull=True, name=name)


def _roles(username):
    return {
        (ra.role, ra.unit.name if ra.unit else None)
        for ra in RoleAssignment.objects.filter(user__username=username).select_related("unit")
    }


def test_one_demo_account_per_role_with_its_scope(demo):
    users = User.objects.filter(is_demo=True)
    assert sorted(users.values_list("username", flat=True)) == sorted(
        login.username for login in DEMO_LOGINS
    )
    assert all(u.instansi_id == demo.pk for u in users)
    for username, role in [
        ("admin", "system_admin"),
        ("gubernur", "leadership"),
        ("bappeda", "bappeda"),
        ("bkd", "bkd"),
        ("bpsdm", "bpsdm"),
        ("inspektorat", "inspektorat"),
    ]:
        assert _roles(username) == {(role, None)}
    assert _roles("kadis.pendidikan") == {("opd_head", "Dinas Pendidikan")}
    assert _roles("admin.pendidikan") == {("opd_admin", "Dinas Pendidikan")}
    assert _roles("admin.kesehatan") == {("opd_admin", "Dinas Kesehatan")}
    assert _roles("pegawai.pendidikan") == {("employee", None)}

    evaluator = User.objects.get(username="penilai.pendidikan")
    division = evaluator.role_assignments.get().unit
    assert division.parent == _agency(demo, "Dinas Pendidikan")
    assert evaluator.employee.position.is_head and evaluator.employee.unit == division


def test_linked_employees(demo):
    head = User.objects.get(username="kadis.pendidikan").employee
    assert head.position.is_head and head.unit == _agency(demo, "Dinas Pendidikan")
    assert head.position.kind == "jpt_pratama"
    employee = User.objects.get(username="pegawai.pendidikan").employee
    evaluator = User.objects.get(username="penilai.pendidikan").employee
    assert not employee.position.is_head
    assert employee.position.reports_to == evaluator.position
    scope = scope_for(User.objects.get(username="pegawai.pendidikan"))
    assert list(Employee.objects.within(scope)) == [employee]


def test_agency_admins_reach_their_own_agency_only(demo):
    education = _agency(demo, "Dinas Pendidikan")
    health = _agency(demo, "Dinas Kesehatan")
    in_education = Employee.objects.filter(unit__agency=education)
    in_health = Employee.objects.filter(unit__agency=health)
    assert in_education.count() > 50 and in_health.exists()

    scope = scope_for(User.objects.get(username="admin.pendidikan"))
    reached = Employee.objects.within(scope)
    assert set(reached) == set(in_education)
    assert not reached.filter(unit__agency=health).exists()
    assert scope.can(Action.CHANGE_PEOPLE, education.path)
    assert not scope.can(Action.CHANGE_PEOPLE, health.path)

    scope = scope_for(User.objects.get(username="admin.kesehatan"))
    assert set(Employee.objects.within(scope)) == set(in_health)

    for username in ("bkd", "gubernur", "inspektorat"):
        scope = scope_for(User.objects.get(username=username))
        assert Employee.objects.within(scope).count() == 300


def test_demo_password_meets_the_rules_and_works_only_where_allowed(demo, rf_request, settings):
    for user in User.objects.filter(is_demo=True):
        validate_password(DEMO_PASSWORD, user)
    settings.KINERJA_DEMO_LOGINS = True
    user = authenticate(rf_request, username="admin.pendidikan", password=DEMO_PASSWORD)
    assert user == User.objects.get(username="admin.pendidikan")
    settings.KINERJA_DEMO_LOGINS = False
    assert authenticate(rf_request, username="admin.pendidikan", password=DEMO_PASSWORD) is None
    nip = User.objects.get(username="pegawai.pendidikan").employee.nip
    assert authenticate(rf_request, username=nip, password=DEMO_PASSWORD) is None


def test_loading_twice_keeps_the_same_accounts(demo):
    before = sorted(RoleAssignment.objects.values_list("user__username", "role", "unit_id"))
    links = dict(User.objects.filter(is_demo=True).values_list("username", "employee_id"))
    call_command("load_demo", staff=300, seed=5, organisation_only=True, verbosity=0)
    assert sorted(RoleAssignment.objects.values_list("user__username", "role", "unit_id")) == before
    assert dict(User.objects.filter(is_demo=True).values_list("username", "employee_id")) == links


def test_reset_rebuilds_and_regrants(demo):
    call_command("load_demo", staff=350, seed=6, organisation_only=True, reset=True, verbosity=0)
    assert Employee.objects.filter(instansi=demo).count() == 350
    assert _roles("admin.kesehatan") == {("opd_admin", "Dinas Kesehatan")}
    assert User.objects.get(username="kadis.pendidikan").employee.position.is_head


def test_a_real_account_is_never_taken_over(db):
    User.objects.create_user(username="bkd", password="Rahasia-Nyata-2024!")
    with pytest.raises(CommandError, match="bkd"):
        call_command("load_demo", staff=250, seed=1, organisation_only=True, verbosity=0)
    assert not User.objects.get(username="bkd").is_demo


@translation.override("en")
def test_demo_logins_prints_the_table_or_only_a_warning(demo, settings):
    settings.KINERJA_DEMO_LOGINS = True
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for login in DEMO_LOGINS:
        assert login.username in text
    assert text.count(DEMO_PASSWORD) == len(DEMO_LOGINS)
    assert "Dinas Kesehatan" in text

    settings.KINERJA_DEMO_LOGINS = False
    out, err = StringIO(), StringIO()
    call_command("demo_logins", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert "KINERJA_DEMO_LOGINS" in err.getvalue() and DEMO_PASSWORD not in err.getvalue()


def test_load_demo_makes_no_demo_accounts_where_settings_refuse_them(db, settings):
    settings.KINERJA_DEMO_LOGINS = False
    call_command("load_demo", staff=250, seed=1, organisation_only=True, verbosity=0)
    assert not User.objects.filter(is_demo=True).exists()
    assert Employee.objects.count() == 250
