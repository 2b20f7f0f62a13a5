"""Role grants: who may grant what where, on the service, the pages and the API; all audited.

In the fixture the agency administrator of Dinas Pendidikan (agency A, with division Bidang SMA)
manages access inside agency A only, and ranks below head of agency and every instansi-wide role.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from kinerja.accounts import services
from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent

GRANTS_API = "/api/v1/role-grants/"


@pytest.fixture
def grantee(world):
    return User.objects.create_user(
        username="pak.joko", password="x", instansi=world.instansi, first_name="Joko"
    )


def _grant(world, actor_key, grantee, role, unit):
    actor = world.users[actor_key]
    return services.role_grant(
        actor=actor, scope=scope_for(actor), user=grantee, role=role, unit=unit
    )


@pytest.mark.parametrize(
    ("role", "unit_name"),
    [
        (Role.EVALUATOR, "division_a"),
        (Role.EVALUATOR, "agency_a"),
        (Role.OPD_ADMIN, "division_a"),
        (Role.OPD_ADMIN, "agency_a"),
    ],
)
def test_an_agency_admin_grants_its_rank_or_below_inside_its_agency(
    world, grantee, role, unit_name
):
    grant = _grant(world, "opd_admin", grantee, role, getattr(world, unit_name))

    assert grant.is_active_on(timezone.localdate())
    assert Role.EVALUATOR in scope_for(grantee).roles or role != Role.EVALUATOR
    event = AuditEvent.objects.get(action="role.grant", target_id=str(grant.pk))
    assert event.actor == world.users["opd_admin"]
    assert event.unit_id == getattr(world, unit_name).pk


@pytest.mark.parametrize(
    ("role", "unit_name"),
    [
        (Role.OPD_HEAD, "agency_a"),  # above its own rank
        (Role.EVALUATOR, "agency_b"),  # another agency
        (Role.OPD_ADMIN, "agency_b"),
        (Role.SYSTEM_ADMIN, None),  # instansi-wide and above
        (Role.LEADERSHIP, None),
        (Role.BKD, None),
        (Role.EVALUATOR, "agency_x"),  # another instansi
    ],
)
def test_an_agency_admin_is_refused_above_its_rank_or_outside_its_agency(
    world, grantee, role, unit_name
):
    unit = getattr(world, unit_name) if unit_name else None

    with pytest.raises(PermissionDenied):
        _grant(world, "opd_admin", grantee, role, unit)

    assert not RoleAssignment.objects.filter(user=grantee).exists()
    assert not AuditEvent.objects.filter(action="role.grant").exists()


def test_an_agency_admin_at_division_level_cannot_grant_on_its_agency(world, grantee):
    division_admin = User.objects.create_user(username="admin.sma", password="x")
    RoleAssignment.objects.create(
        user=division_admin, role=Role.OPD_ADMIN, instansi=world.instansi, unit=world.division_a
    )

    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=division_admin,
            scope=scope_for(division_admin),
            user=grantee,
            role=Role.OPD_ADMIN,
            unit=world.agency_a,
        )


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.LEADERSHIP, Role.BKD])
def test_the_system_admin_grants_instansi_wide_roles(world, grantee, role):
    grant = _grant(world, "system_admin", grantee, role, None)

    assert role in scope_for(grantee).roles
    assert grant.unit is None


@pytest.mark.parametrize("actor_key", ["bkd", "leadership", "opd_head", "evaluator", "employee"])
def test_roles_without_access_management_grant_nothing(world, grantee, actor_key):
    with pytest.raises(PermissionDenied):
        _grant(world, actor_key, grantee, Role.EVALUATOR, world.division_a)


def test_nobody_grants_themselves(world):
    with pytest.raises(PermissionDenied):
        _grant(world, "opd_admin", world.users["opd_admin"], Role.EVALUATOR, world.division_a)


def test_a_unit_role_needs_a_unit_and_the_employee_role_is_not_granted(world, grantee):
    with pytest.raises(ValidationError):
        _grant(world, "system_admin", grantee, Role.EVALUATOR, None)
    with pytest.raises(ValidationError):
        _grant(world, "system_admin", grantee, Role.EMPLOYEE, None)


def test_ending_a_grant_takes_effect_at_once_and_is_audited(world, grantee):
    grant = _grant(world, "opd_admin", grantee, Role.EVALUATOR, world.division_a)
    actor = world.users["opd_admin"]

    services.role_grant_end(
        actor=actor, scope=scope_for(actor), assignment=grant, reason="Pindah tugas"
    )

    grant.refresh_from_db()
    assert grant.valid_to == timezone.localdate() - dt.timedelta(days=1)
    assert Role.EVALUATOR not in scope_for(grantee).roles
    event = AuditEvent.objects.get(action="role.end")
    assert event.reason == "Pindah tugas"


def test_an_ended_grant_can_be_granted_again(world, grantee):
    grant = _grant(world, "opd_admin", grantee, Role.EVALUATOR, world.division_a)
    actor = world.users["opd_admin"]
    services.role_grant_end(actor=actor, scope=scope_for(actor), assignment=grant, reason="x")

    again = _grant(world, "opd_admin", grantee, Role.EVALUATOR, world.division_a)

    assert again.pk == grant.pk
    assert Role.EVALUATOR in scope_for(grantee).roles
    assert AuditEvent.objects.filter(action="role.grant").count() == 2


def test_an_agency_admin_cannot_end_a_grant_above_its_rank(world):
    head_grant = RoleAssignment.objects.get(user=world.users["opd_head"])
    actor = world.users["opd_admin"]

    with pytest.raises(PermissionDenied):
        services.role_grant_end(
            actor=actor, scope=scope_for(actor), assignment=head_grant, reason="x"
        )

    head_grant.refresh_from_db()
    assert head_grant.valid_to is None


def test_nobody_ends_their_own_grant(world):
    own = RoleAssignment.objects.get(user=world.users["opd_admin"])
    actor = world.users["opd_admin"]

    with pytest.raises(PermissionDenied, match="peran Anda sendiri"):
        services.role_grant_end(actor=actor, scope=scope_for(actor), assignment=own, reason="x")

    own.refresh_from_db()
    assert own.valid_to is None
    assert not AuditEvent.objects.filter(action="role.end").exists()


# Pages


def test_grant_list_of_an_agency_admin_shows_only_its_agency(world, login):
    client = login(world.users["opd_admin"])

    body = client.get("/accounts/grants/").content.decode()

    assert "evaluator" in body and "opd_head" in body  # grants on agency A and its division
    assert ">bkd<" not in body and ">leadership<" not in body  # instansi-wide grants


def test_grant_list_by_user_and_by_unit(world, login):
    client = login(world.users["system_admin"])
    evaluator = world.users["evaluator"]

    by_user = client.get(f"/accounts/grants/?user={evaluator.pk}").context["grants"]
    by_unit = client.get(f"/accounts/grants/?unit={world.agency_a.pk}").context["grants"]
    by_subtree = client.get(f"/accounts/grants/?subtree={world.agency_a.pk}").context["grants"]

    assert [g.user.username for g in by_user] == ["evaluator"]
    assert sorted(g.user.username for g in by_unit) == ["opd_admin", "opd_head"]
    assert sorted(g.user.username for g in by_subtree) == ["evaluator", "opd_admin", "opd_head"]


@pytest.mark.parametrize("key", ["bkd", "leadership", "opd_head", "evaluator", "employee"])
def test_grant_pages_are_403_without_access_management(world, login, key):
    client = login(world.users[key])

    assert client.get("/accounts/grants/").status_code == 403
    assert client.get("/accounts/grants/new/").status_code == 403
    assert client.get("/accounts/users/").status_code == 403


def test_grant_page_grants_and_records(world, login, grantee):
    client = login(world.users["opd_admin"])
    form = client.get("/accounts/grants/new/").context["form"]
    assert [value for value, _label in form.fields["role"].choices] == ["opd_admin", "evaluator"]

    response = client.post(
        "/accounts/grants/new/",
        {"user": "PAK.JOKO", "role": "evaluator", "unit": world.division_a.pk, "reason": "SK"},
    )

    assert response.status_code == 302
    grant = RoleAssignment.objects.get(user=grantee)
    assert (grant.role, grant.unit) == (Role.EVALUATOR, world.division_a)
    assert AuditEvent.objects.get(action="role.grant").reason == "SK"


def test_grant_page_refuses_another_agency_and_a_higher_role(world, login, grantee):
    client = login(world.users["opd_admin"])

    other_agency = client.post(
        "/accounts/grants/new/",
        {"user": "pak.joko", "role": "evaluator", "unit": world.agency_b.pk},
    )
    higher = client.post(
        "/accounts/grants/new/", {"user": "pak.joko", "role": "opd_head", "unit": world.agency_a.pk}
    )

    assert other_agency.status_code == 400
    assert higher.status_code == 400
    assert not RoleAssignment.objects.filter(user=grantee).exists()


def test_end_page_ends_a_grant_and_is_404_outside_the_agency(world, login, grantee):
    grant = _grant(world, "opd_admin", grantee, Role.EVALUATOR, world.division_a)
    bkd_grant = RoleAssignment.objects.get(user=world.users["bkd"])
    client = login(world.users["opd_admin"])

    assert client.get(f"/accounts/grants/{bkd_grant.pk}/end/").status_code == 404
    response = client.post(f"/accounts/grants/{grant.pk}/end/", {"reason": "Mutasi"})

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.valid_to is not None
    assert AuditEvent.objects.get(action="role.end").reason == "Mutasi"


# API


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_grants_in_reach(world):
    response = _api(world.users["opd_admin"]).get(GRANTS_API)

    assert response.status_code == 200
    assert sorted(r["user"]["username"] for r in response.json()["results"]) == [
        "evaluator",
        "opd_admin",
        "opd_head",
    ]


def test_api_grants_and_ends(world, grantee):
    client = _api(world.users["opd_admin"])

    created = client.post(
        GRANTS_API,
        {"user": grantee.pk, "role": "evaluator", "unit": world.division_a.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    ended = client.post(f"{GRANTS_API}{pk}/end/", {"reason": "Selesai"}, format="json")

    assert ended.status_code == 200
    assert ended.json()["is_active"] is False
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "role.grant",
        "role.end",
    ]


@pytest.mark.parametrize(
    ("role", "unit_name", "status"),
    [
        ("opd_head", "agency_a", 403),
        ("system_admin", None, 403),
        ("evaluator", "agency_b", 400),  # a unit outside the caller's reach is not found
    ],
)
def test_api_refuses_above_rank_or_outside(world, grantee, role, unit_name, status):
    unit = getattr(world, unit_name).pk if unit_name else None
    response = _api(world.users["opd_admin"]).post(
        GRANTS_API, {"user": grantee.pk, "role": role, "unit": unit}, format="json"
    )

    assert response.status_code == status
    assert not RoleAssignment.objects.filter(user=grantee).exists()


def test_api_end_outside_reach_is_404(world):
    bkd_grant = RoleAssignment.objects.get(user=world.users["bkd"])

    response = _api(world.users["opd_admin"]).post(
        f"{GRANTS_API}{bkd_grant.pk}/end/", {"reason": "x"}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize("key", ["bkd", "opd_head", "employee"])
def test_api_is_403_without_access_management(world, key):
    assert _api(world.users[key]).get(GRANTS_API).status_code == 403


def test_the_list_offers_end_only_where_the_caller_may_end(world, login):
    client = login(world.users["opd_admin"])
    head_grant = RoleAssignment.objects.get(user=world.users["opd_head"])
    evaluator_grant = RoleAssignment.objects.get(user=world.users["evaluator"])

    body = client.get("/accounts/grants/").content.decode()

    assert f"/accounts/grants/{evaluator_grant.pk}/end/" in body
    assert f"/accounts/grants/{head_grant.pk}/end/" not in body


@pytest.mark.parametrize(
    "query", ["user=99999999999999999999999", "unit=-2.48e143", "subtree=1e400"]
)
def test_api_grant_filters_beyond_64_bits_answer_400(world, query):
    client = APIClient()
    client.force_authenticate(world.users["system_admin"])

    response = client.get(f"/api/v1/role-grants/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]
