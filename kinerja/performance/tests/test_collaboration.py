"""Collaborations: a target shared across agencies, consent, weights and counting once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.audit.models import AuditEvent
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.tests.factories import OrgUnitFactory
from kinerja.performance.models import Collaboration, CollaborationMember, Target
from kinerja.performance.selectors_collaboration import (
    province_targets,
    role_result_matrix,
    shared_targets_for_unit,
)
from kinerja.performance.services import Conflict
from kinerja.performance.services import collaboration as svc

pytestmark = pytest.mark.django_db


def planner_of(unit, user):
    """The scope of an agency administrator of ``unit``: plans read and kept there."""
    actions = frozenset({Action.VIEW_PLANNING, Action.MANAGE_PLANS})
    return Scope(
        instansi_id=unit.instansi_id,
        grants=(Grant(actions=actions, unit_path=unit.path),),
        user_id=user.pk,
    )


@pytest.fixture
def c(world, scopes, pk):
    """Agency A shares its 2023 target (85 %) in a collaboration; B's planner scope."""
    admin = world.users["opd_admin"]
    collab = svc.collaboration_create(
        actor=admin,
        scope=scopes["opd_admin"],
        instansi=world.instansi,
        data={"target": pk.t_a, "title": "Penurunan anak putus sekolah"},
    )
    pk.collab = collab
    pk.admin = admin
    pk.scope_a = scopes["opd_admin"]
    pk.scope_b = planner_of(world.agency_b, world.users["bappeda"])
    return pk


def invite(c, scopes, unit, weight, version):
    return svc.collaboration_invite(
        actor=c.admin,
        scope=scopes["opd_admin"],
        collaboration=c.collab,
        version=version,
        unit=unit,
        weight=weight,
    )


def accept(c, member, scope, version, **data):
    return svc.collaboration_accept(
        actor=c.world.users["bappeda"],
        scope=scope,
        member=member,
        version=version,
        data={
            "goal": c.plan.objective_b,
            "code": "KES-K1",
            "name": "Anak sekolah yang diperiksa kesehatannya",
            "value": "20",
            **data,
        },
    )


def test_the_lead_is_the_indicators_agency_with_the_whole_share(c, world):
    assert c.collab.lead_unit == world.agency_a
    assert c.collab.lead_weight == Decimal(100)
    assert c.collab.version == 1
    with pytest.raises(ValidationError) as exc:
        svc.collaboration_create(
            actor=c.admin,
            scope=c.scope_a,
            instansi=world.instansi,
            data={"target": c.t_a, "title": "Lagi"},
        )
    assert "target" in exc.value.message_dict


def test_only_the_leads_planners_share_a_target(c, world):
    with pytest.raises(PermissionDenied):
        svc.collaboration_create(
            actor=c.admin,
            scope=c.scope_b,
            instansi=world.instansi,
            data={"target": c.t_a_2024, "title": "Bukan milik B"},
        )
    assert Collaboration.objects.count() == 1


def test_a_province_target_needs_a_lead_agency_and_the_regional_planner(c, world, scopes):
    data = {"target": c.t_iku, "title": "Rata-rata lama sekolah"}
    with pytest.raises(ValidationError) as exc:
        svc.collaboration_create(
            actor=c.admin, scope=scopes["bappeda"], instansi=world.instansi, data=data
        )
    assert "lead_unit" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        svc.collaboration_create(
            actor=c.admin,
            scope=scopes["opd_admin"],
            instansi=world.instansi,
            data={**data, "lead_unit": world.agency_a},
        )
    collab = svc.collaboration_create(
        actor=c.admin,
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={**data, "lead_unit": world.agency_b},
    )
    assert collab.lead_unit == world.agency_b


def test_accepting_makes_the_members_supporting_result(c, world, scopes):
    member = invite(c, scopes, world.agency_b, "30", 1)
    assert member.status == "invited" and member.supporting_target is None
    # The lead cannot consent for B; B's planner can.
    with pytest.raises(PermissionDenied):
        accept(c, member, scopes["opd_admin"], 2)
    member = accept(c, member, c.scope_b, 2)
    member.refresh_from_db()
    c.collab.refresh_from_db()
    assert member.status == "accepted"
    assert member.answered_by == world.users["bappeda"]
    assert member.answered_at is not None
    support = member.supporting_target
    assert support.indicator.unit == world.agency_b
    assert support.indicator.code == "KES-K1"
    assert support.indicator.measure_unit == "persen"  # the shared indicator's
    assert (support.year, support.shape, support.value) == (2023, "value", Decimal(20))
    assert c.collab.lead_weight == Decimal(70)
    assert c.collab.version == 3
    actions = set(
        AuditEvent.objects.filter(action__startswith="collaboration.").values_list(
            "action", flat=True
        )
    )
    assert actions == {"collaboration.create", "collaboration.invite", "collaboration.accept"}
    assert AuditEvent.objects.filter(action="indicator.create", target_repr__contains="KES-K1")


def test_a_refused_supporting_result_leaves_the_invitation_as_it_was(c, world, scopes):
    member = invite(c, scopes, world.agency_b, "30", 1)
    with pytest.raises(ValidationError) as exc:
        accept(c, member, c.scope_b, 2, goal=c.plan.objective_a)  # agency A's goal
    assert "goal" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        accept(c, member, c.scope_b, 2, value="-5")
    assert "value" in exc.value.message_dict
    member.refresh_from_db()
    assert member.status == "invited"
    assert not Target.objects.filter(indicator__code="KES-K1").exists()
    c.collab.refresh_from_db()
    assert (c.collab.lead_weight, c.collab.version) == (Decimal(100), 2)


def test_declining_needs_a_reason(c, world, scopes):
    member = invite(c, scopes, world.agency_b, "30", 1)
    with pytest.raises(ValidationError) as exc:
        svc.collaboration_decline(
            actor=c.admin, scope=c.scope_b, member=member, version=2, reason="  "
        )
    assert "reason" in exc.value.message_dict
    svc.collaboration_decline(
        actor=c.admin, scope=c.scope_b, member=member, version=2, reason="Di luar kewenangan"
    )
    member.refresh_from_db()
    assert (member.status, member.reason) == ("declined", "Di luar kewenangan")
    assert member.supporting_target is None
    c.collab.refresh_from_db()
    assert c.collab.lead_weight == Decimal(100)
    with pytest.raises(ValidationError) as exc:
        accept(c, member, c.scope_b, 3)
    assert "status" in exc.value.message_dict
    # Invited again, it may answer again.
    member = invite(c, scopes, world.agency_b, "25", 3)
    assert (member.status, member.reason, member.weight) == ("invited", "", Decimal(25))


def test_weights_must_make_100_or_nothing_is_saved(c, world, scopes):
    member = invite(c, scopes, world.agency_b, "30", 1)
    accept(c, member, c.scope_b, 2)
    call = {"actor": c.admin, "scope": scopes["opd_admin"], "collaboration": c.collab}
    with pytest.raises(ValidationError) as exc:
        svc.collaboration_set_weights(
            **call, version=3, lead_weight="60", weights={world.agency_b.pk: "30"}
        )
    assert "90" in exc.value.message_dict["weights"][0]
    c.collab.refresh_from_db()
    member.refresh_from_db()
    assert (c.collab.lead_weight, member.weight, c.collab.version) == (
        Decimal(70),
        Decimal(30),
        3,
    )
    with pytest.raises(PermissionDenied):
        svc.collaboration_set_weights(
            **{**call, "scope": c.scope_b},
            version=3,
            lead_weight="60",
            weights={world.agency_b.pk: "40"},
        )
    svc.collaboration_set_weights(
        **call, version=3, lead_weight="60", weights={world.agency_b.pk: "40"}
    )
    c.collab.refresh_from_db()
    member.refresh_from_db()
    assert (c.collab.lead_weight, member.weight) == (Decimal(60), Decimal(40))
    with pytest.raises(Conflict):
        svc.collaboration_set_weights(
            **call, version=3, lead_weight="50", weights={world.agency_b.pk: "50"}
        )


def test_invitations_are_checked(c, world, scopes):
    other = OrgUnitFactory(instansi=world.other_instansi)
    division = OrgUnitFactory(instansi=world.instansi, parent=world.agency_b)
    for unit, weight, field in (
        (world.agency_a, "10", "unit"),  # the lead itself
        (division, "10", "unit"),  # not an agency
        (world.agency_b, "0", "weight"),
        (world.agency_b, "100.001", "weight"),
        (world.agency_b, "abc", "weight"),
    ):
        with pytest.raises(ValidationError) as exc:
            invite(c, scopes, unit, weight, 1)
        assert field in exc.value.message_dict, (unit, weight)
    with pytest.raises(ValidationError):
        invite(c, scopes, other, "10", 1)
    invite(c, scopes, world.agency_b, "70", 1)
    third = OrgUnitFactory(instansi=world.instansi)
    with pytest.raises(ValidationError) as exc:
        invite(c, scopes, third, "31", 2)  # 70 + 31 > the lead's 100
    assert "weight" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        invite(c, scopes, world.agency_b, "10", 2)
    assert "unit" in exc.value.message_dict
    with pytest.raises(Conflict):
        invite(c, scopes, third, "10", 1)
    assert CollaborationMember.objects.count() == 1


def test_three_agencies_share_one_target_which_the_province_counts_once(c, world, scopes):
    third = OrgUnitFactory(instansi=world.instansi, name="Dinas Sosial")
    objective_c = c.plan.objective_b.__class__.objects.create(
        instansi=world.instansi,
        level="agency_objective",
        code="SOS.T1",
        name="Perlindungan sosial anak",
        parent=c.plan.target,
        unit=third,
    )
    b_member = invite(c, scopes, world.agency_b, "30", 1)
    c_member = invite(c, scopes, third, "20", 2)
    accept(c, b_member, c.scope_b, 3)
    scope_c = planner_of(third, world.users["bappeda"])
    accept(c, c_member, scope_c, 4, goal=objective_c, code="SOS-K1", value="10")
    views = {
        unit.name: shared_targets_for_unit(unit, 2023)
        for unit in (world.agency_a, world.agency_b, third)
    }
    assert {
        name: [(r.target.pk, r.role, r.weight) for r in rows] for name, rows in views.items()
    } == {
        "Dinas Pendidikan": [(c.t_a.pk, "lead", Decimal(50))],
        "Dinas Kesehatan": [(c.t_a.pk, "member", Decimal(30))],
        "Dinas Sosial": [(c.t_a.pk, "member", Decimal(20))],
    }
    assert sum(len(rows) for rows in views.values()) == 3
    assert sum(r.weight for rows in views.values() for r in rows) == Decimal(100)
    rolled = list(province_targets(2023, instansi=world.instansi))
    assert [t.pk for t in rolled].count(c.t_a.pk) == 1
    # The 2023 targets of the plan (A's, B's, the province's IKU) once each; the two
    # supporting results serve the shared target and are not counted again.
    assert sorted(t.pk for t in rolled) == sorted([c.t_a.pk, c.t_b.pk, c.t_iku.pk])
    assert Target.objects.filter(year=2023).count() == 5
    assert shared_targets_for_unit(world.agency_b, 2024) == []
    c.collab.refresh_from_db()
    matrix = role_result_matrix(c.collab)
    assert [(r.unit.name, r.role, r.weight, r.result.indicator.code) for r in matrix] == [
        ("Dinas Pendidikan", "lead", Decimal(50), "DIK-01"),
        ("Dinas Kesehatan", "member", Decimal(30), "KES-K1"),
        ("Dinas Sosial", "member", Decimal(20), "SOS-K1"),
    ]


def test_a_closed_collaboration_no_longer_changes(c, world, scopes):
    svc.collaboration_set_status(
        actor=c.admin, scope=scopes["opd_admin"], collaboration=c.collab, version=1, status="closed"
    )
    with pytest.raises(ValidationError) as exc:
        invite(c, scopes, world.agency_b, "10", 2)
    assert "status" in exc.value.message_dict
