"""The employee plan (SKP): dates and splits, the evaluator from the lines, the serving rule,
indicators as Indicator + Target rows, the steps, revision after signing, stale versions."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import User
from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.choices import ActingKind, PositionKind
from kinerja.organisations.models import ActingAssignment, Assignment
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance import services
from kinerja.performance.models import Agreement, Indicator, Plan, PlanResult, Target
from kinerja.performance.services import Conflict, skp

START = dt.date(2024, 1, 1)


def user_for(world, employee, name):
    return User.objects.create_user(
        username=name, password="x-Uji-2024!", instansi=world.instansi, employee=employee
    )


@pytest.fixture
def s(world, scopes):
    """Agency A in 2024: Budi (JPT, head) > Hartono (administrator, Kepala Bidang SMA) > Siti
    (pelaksana, Analis SMA); the year 2024 is open (quarterly)."""
    o = SimpleNamespace(world=world)
    o.period = services.period_create(
        actor=world.users["system_admin"],
        scope=scopes["system_admin"],
        instansi=world.instansi,
        year=2024,
    )
    o.head = hold(world.head_a, world.head_pos_a, START)
    o.kabid_post = PositionFactory(
        unit=world.division_a,
        code="DIKBUD-SMA-KABID",
        title="Kepala Bidang SMA",
        kind=PositionKind.ADMINISTRATOR,
        is_head=True,
    )
    o.kabid = hold(EmployeeFactory(unit=world.division_a, name="Hartono"), o.kabid_post, START)
    line(o.kabid_post, world.head_pos_a, START)
    o.siti = hold(world.staff_a, world.staff_pos_a, START)
    line(world.staff_pos_a, o.kabid_post, START)
    o.siti_user = world.users["employee"]
    o.siti_scope = scope_for(o.siti_user)
    o.kabid_user = user_for(world, o.kabid, "hartono")
    o.kabid_scope = scope_for(o.kabid_user)
    o.head_user = world.users["opd_head"]
    o.head_scope = scope_for(o.head_user)
    return o


def create(s, employee, scope, user, **data):
    return skp.plan_create(
        actor=user,
        scope=scope,
        instansi=s.world.instansi,
        data={"employee": employee, "period": s.period, **data},
    )


def head_plan(s):
    return create(
        s,
        s.head,
        s.head_scope,
        s.head_user,
        evaluator_name="Adhy Karyono",
        evaluator_title="Sekretaris Daerah",
    )


def add_result(s, plan, scope, user, **data):
    plan.refresh_from_db()
    return skp.plan_result_add(
        actor=user, scope=scope, plan=plan, version=plan.version, data={"text": "Hasil", **data}
    )


def add_indicator(plan, result, scope, user, **data):
    plan.refresh_from_db()
    return skp.plan_indicator_add(
        actor=user,
        scope=scope,
        result=result,
        version=plan.version,
        data={
            "name": "Jumlah laporan",
            "aspect": "quantity",
            "measure_unit": "dokumen",
            "target": {"value": "12"},
            **data,
        },
    )


def test_plan_takes_post_unit_and_evaluators_from_the_lines(s):
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    assert (plan.starts, plan.ends) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert plan.position == s.world.staff_pos_a
    assert plan.unit == s.world.division_a
    assert plan.evaluator == s.kabid
    assert plan.evaluator_title == "Kepala Bidang SMA"
    assert plan.evaluator_superior == s.head
    assert plan.evaluator_superior_title == "Kepala Dinas Pendidikan"
    assert plan.status == "draft" and plan.version == 1
    assert AuditEvent.objects.filter(action="plan.create").count() == 1


def test_two_plans_in_a_year_after_a_transfer_and_an_overlap_refused(s):
    first = create(s, s.siti, s.siti_scope, s.siti_user, ends=dt.date(2024, 6, 30))
    # Siti moves to Bidang SMK on 1 July, under its head (an administrator).
    smk_head = PositionFactory(
        unit=s.world.agency_a, title="Kepala Bidang SMK", kind=PositionKind.ADMINISTRATOR
    )
    rudi = hold(EmployeeFactory(unit=s.world.agency_a, name="Rudi"), smk_head, START)
    line(smk_head, s.world.head_pos_a, START)
    new_post = PositionFactory(unit=s.world.agency_a, title="Analis SMK")
    line(new_post, smk_head, START)
    Assignment.objects.filter(employee=s.siti).update(valid_to=dt.date(2024, 6, 30))
    Assignment.objects.create(
        instansi=s.world.instansi,
        employee=s.siti,
        position=new_post,
        unit=new_post.unit,
        valid_from=dt.date(2024, 7, 1),
    )
    second = create(s, s.siti, s.siti_scope, s.siti_user, starts=dt.date(2024, 7, 1))
    assert (second.position, second.evaluator, second.ends) == (
        new_post,
        rudi,
        dt.date(2024, 12, 31),
    )
    assert first.evaluator == s.kabid
    with pytest.raises(ValidationError) as err:
        create(
            s,
            s.siti,
            s.siti_scope,
            s.siti_user,
            starts=dt.date(2024, 6, 1),
            ends=dt.date(2024, 6, 30),
        )
    assert "starts" in err.value.message_dict
    assert "2024-01-01" in err.value.message_dict["starts"][0]
    with pytest.raises(ValidationError) as err:
        create(s, s.siti, s.siti_scope, s.siti_user, starts=dt.date(2025, 1, 2))
    assert "starts" in err.value.message_dict
    assert Plan.objects.count() == 2


def test_an_acting_official_is_the_evaluator(s):
    # Hartono's post is held by Plt Wati from 1 March (Hartono away).
    wati = EmployeeFactory(unit=s.world.division_a, name="Wati")
    ActingAssignment.objects.create(
        instansi=s.world.instansi,
        employee=wati,
        position=s.kabid_post,
        kind=ActingKind.PLT,
        decree_number="800/1/2024",
        valid_from=dt.date(2024, 3, 1),
    )
    plan = create(s, s.siti, s.siti_scope, s.siti_user, starts=dt.date(2024, 3, 1))
    assert plan.evaluator == wati
    assert plan.evaluator_title == "Plt. Kepala Bidang SMA"


def test_a_pelaksana_superior_is_refused_unless_bkd_delegates(s, scopes):
    # Joko (pelaksana) reports to Siti's post, a pelaksana post.
    post = PositionFactory(unit=s.world.division_a, title="Pengadministrasi")
    line(post, s.world.staff_pos_a, START)
    joko = hold(EmployeeFactory(unit=s.world.division_a, name="Joko"), post, START)
    admin, admin_scope = s.world.users["opd_admin"], scopes["opd_admin"]
    with pytest.raises(ValidationError) as err:
        create(s, joko, admin_scope, admin)
    assert "pengawas" in err.value.message_dict["evaluator"][0]
    with pytest.raises(PermissionDenied):  # the agency administrator does not delegate
        create(s, joko, admin_scope, admin, delegated_authority=True, delegation_reason="SK")
    with pytest.raises(ValidationError) as err:
        create(s, joko, scopes["bkd"], s.world.users["bkd"], delegated_authority=True)
    assert "delegation_reason" in err.value.message_dict
    plan = create(
        s,
        joko,
        scopes["bkd"],
        s.world.users["bkd"],
        delegated_authority=True,
        delegation_reason="SK Kepala BKD 800/12/2024",
    )
    assert plan.evaluator == s.siti and plan.delegated_authority


def test_someone_else_may_not_start_an_employees_plan(s, scopes):
    with pytest.raises(PermissionDenied):
        create(s, s.kabid, s.siti_scope, s.siti_user)
    with pytest.raises(PermissionDenied):  # leadership reads plans, it does not write them
        create(s, s.kabid, scopes["leadership"], s.world.users["leadership"])


def test_head_of_agency_names_the_evaluator_above_the_lines(s):
    with pytest.raises(ValidationError) as err:
        create(s, s.head, s.head_scope, s.head_user)
    assert "evaluator_name" in err.value.message_dict
    plan = head_plan(s)
    assert plan.evaluator is None and plan.evaluator_title == "Sekretaris Daerah"
    assert plan.is_jpt


def test_serving_rule_and_cycle(s):
    boss_plan = create(s, s.kabid, s.kabid_scope, s.kabid_user)
    boss_result = add_result(s, boss_plan, s.kabid_scope, s.kabid_user, text="Kurikulum SMA")
    other = create(s, s.head, s.head_scope, s.head_user, evaluator_name="X", evaluator_title="Y")
    other_result = add_result(s, other, s.head_scope, s.head_user, text="Akses SMA")
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    ok = add_result(s, plan, s.siti_scope, s.siti_user, serves=boss_result, serves_directly=False)
    assert ok.serves == boss_result and ok.serves_directly is False and ok.position == 1
    # Budi is not Siti's evaluator (Hartono is), nor assigned the result.
    with pytest.raises(ValidationError) as err:
        add_result(s, plan, s.siti_scope, s.siti_user, serves=other_result)
    assert "bukan pejabat penilai SKP ini" in err.value.message_dict["serves"][0]
    # The evaluator is the structural superior, not a team leader; Budi may lead a team.
    with pytest.raises(ValidationError) as err:
        add_result(s, plan, s.siti_scope, s.siti_user, assigned_by=s.kabid, serves=boss_result)
    assert "assigned_by" in err.value.message_dict
    team = add_result(s, plan, s.siti_scope, s.siti_user, assigned_by=s.head, serves=other_result)
    assert team.assigned_by == s.head
    # A cycle: Budi's result assigned by Siti serves Siti's team result, which serves it.
    with pytest.raises(ValidationError) as err:
        other.refresh_from_db()
        skp.plan_result_update(
            actor=s.head_user,
            scope=s.head_scope,
            result=other_result,
            version=other.version,
            data={"assigned_by": s.siti, "serves": team},
        )
    assert "siklus" in err.value.message_dict["serves"][0]
    assert PlanResult.objects.get(pk=other_result.pk).serves is None


def test_indicators_are_indicator_and_target_rows(s, plan):
    goals = plan
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    iki = add_indicator(plan, result, s.siti_scope, s.siti_user)
    assert iki.code == f"SKP{plan.pk}-1" and iki.goal is None and iki.unit == plan.unit
    target = Target.objects.get(indicator=iki)
    assert (target.year, target.value, target.shape) == (2024, 12, "value")
    assert skp.skp_target_parties(target) == (s.siti.pk, s.kabid.pk)
    bappeda = scope_for(s.world.users["bappeda"])
    t_a = services.target_set(
        actor=s.world.users["bappeda"],
        scope=bappeda,
        indicator=goals.ind_a,
        year=2024,
        data={"value": "85"},
    )
    assert skp.skp_target_parties(t_a) is None
    assert (
        not services.eligible_targets(
            Agreement(instansi=s.world.instansi, unit=s.world.agency_a, year=2024)
        )
        .filter(indicator=iki)
        .exists()
    )
    assert (
        services.eligible_targets(
            Agreement(instansi=s.world.instansi, unit=s.world.agency_a, year=2024)
        )
        .filter(pk=t_a.pk)
        .exists()
    )
    second = add_indicator(plan, result, s.siti_scope, s.siti_user, aspect="time")
    assert second.code == f"SKP{plan.pk}-2"
    with pytest.raises(ValidationError) as err:
        add_indicator(plan, result, s.siti_scope, s.siti_user, aspect="speed")
    assert "aspect" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        add_indicator(plan, result, s.siti_scope, s.siti_user, target={"value": ""})
    assert "target.value" in err.value.message_dict
    assert Indicator.objects.filter(result__plan=plan).count() == 2  # nothing half-saved
    # The goals' indicator lists and the PK's eligible targets leave the IKI out.
    assert not Indicator.objects.within(s.siti_scope).filter(pk=iki.pk).exists()
    assert not Indicator.objects.within(bappeda).filter(pk=iki.pk).exists()


def test_jpt_plan_groups_by_perspective_and_qualitative_takes_expectations(s):
    plan = head_plan(s)
    result = add_result(s, plan, s.head_scope, s.head_user)
    with pytest.raises(ValidationError) as err:
        add_indicator(plan, result, s.head_scope, s.head_user)
    assert "perspective" in err.value.message_dict
    iki = add_indicator(plan, result, s.head_scope, s.head_user, perspective="stakeholder")
    assert iki.perspective == "stakeholder"
    quali = create(s, s.siti, s.siti_scope, s.siti_user, approach="qualitative")
    r = add_result(s, quali, s.siti_scope, s.siti_user)
    iki = add_indicator(
        quali, r, s.siti_scope, s.siti_user, target={"expectation": "Laporan tepat waktu"}
    )
    target = iki.targets.get()
    assert (iki.data_type, target.shape, target.expectation) == (
        "qualitative",
        "qualitative",
        "Laporan tepat waktu",
    )


def test_head_serves_an_agreement_target_with_a_classification(s, plan):
    bappeda, scope = s.world.users["bappeda"], scope_for(s.world.users["bappeda"])
    agreement = services.agreement_create(
        actor=bappeda,
        scope=scope,
        instansi=s.world.instansi,
        data={
            "unit": s.world.agency_a,
            "year": 2024,
            "agreement_date": dt.date(2024, 1, 5),
            "second_party_name": "Gubernur",
            "second_party_title": "Gubernur Jawa Timur",
        },
    )
    t_2024 = services.target_set(
        actor=bappeda, scope=scope, indicator=plan.ind_a, year=2024, data={"value": "87"}
    )
    services.agreement_set_targets(
        actor=bappeda, scope=scope, agreement=agreement, version=agreement.version, targets=[t_2024]
    )
    row = agreement.targets.get()
    plan = head_plan(s)  # the employee plan from here on
    with pytest.raises(ValidationError) as err:
        add_result(s, plan, s.head_scope, s.head_user, serves_target=row)
    assert "classification" in err.value.message_dict
    result = add_result(
        s, plan, s.head_scope, s.head_user, serves_target=row, classification="organisational"
    )
    assert result.serves_target == row
    siti_plan = create(s, s.siti, s.siti_scope, s.siti_user)
    with pytest.raises(ValidationError) as err:
        add_result(
            s, siti_plan, s.siti_scope, s.siti_user, serves_target=row, classification="individual"
        )
    assert "serves_target" in err.value.message_dict


def test_steps_revision_after_signing_and_stale_version(s):
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    with pytest.raises(ValidationError) as err:
        skp.plan_submit(actor=s.siti_user, scope=s.siti_scope, plan=plan, version=1)
    assert "results" in err.value.message_dict
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    add_indicator(plan, result, s.siti_scope, s.siti_user)
    plan.refresh_from_db()
    skp.plan_set_actions(
        actor=s.siti_user,
        scope=s.siti_scope,
        result=result,
        version=plan.version,
        actions={1: "Menyusun konsep", 2: "Menyusun laporan"},
    )
    plan.refresh_from_db()
    skp.plan_set_behaviours(
        actor=s.kabid_user,
        scope=s.kabid_scope,
        plan=plan,
        version=plan.version,
        expectations={"akuntabel": "Laporan keuangan tepat waktu"},
    )
    plan.refresh_from_db()
    stale = plan.version - 1
    with pytest.raises(Conflict) as err:
        skp.plan_submit(actor=s.siti_user, scope=s.siti_scope, plan=plan, version=stale)
    assert "version" in err.value.message_dict
    plan = skp.plan_submit(actor=s.siti_user, scope=s.siti_scope, plan=plan, version=plan.version)
    with pytest.raises(PermissionDenied):  # Siti does not approve her own plan
        skp.plan_approve(actor=s.siti_user, scope=s.siti_scope, plan=plan, version=plan.version)
    plan = skp.plan_approve(
        actor=s.kabid_user, scope=s.kabid_scope, plan=plan, version=plan.version
    )
    plan = skp.plan_sign(actor=s.kabid_user, scope=s.kabid_scope, plan=plan, version=plan.version)
    assert plan.is_signed and plan.signed_at is not None
    with pytest.raises(ValidationError) as err:
        add_result(s, plan, s.siti_scope, s.siti_user)
    assert "sudah ditetapkan" in err.value.messages[0]
    with pytest.raises(ValidationError) as err:
        skp.plan_revise(
            actor=s.siti_user, scope=s.siti_scope, plan=plan, version=plan.version, reason=" "
        )
    assert "reason" in err.value.message_dict
    new = skp.plan_revise(
        actor=s.siti_user,
        scope=s.siti_scope,
        plan=plan,
        version=plan.version,
        reason="Pindah tugas sebagian",
    )
    plan.refresh_from_db()
    assert (new.revision, new.status, new.is_current, plan.is_current) == (1, "draft", True, False)
    assert new.previous == plan and new.evaluator == s.kabid
    new_iki = Indicator.objects.get(result__plan=new)
    assert new_iki.code == f"SKP{new.pk}-1"
    assert new_iki.targets.get().value == 12
    assert new.results.get().actions.count() == 2
    assert new.behaviours.get().value == "akuntabel"
    # The signed revision stays readable and unchanged.
    old_iki = Indicator.objects.get(result__plan=plan)
    assert old_iki.targets.get().value == 12 and old_iki.pk != new_iki.pk
    with pytest.raises(ValidationError):  # its target is locked with it
        services.target_set(
            actor=s.siti_user,
            scope=s.siti_scope,
            indicator=old_iki,
            year=2024,
            data={"value": "13"},
        )


def test_action_outside_the_plan_dates_is_refused(s):
    plan = create(s, s.siti, s.siti_scope, s.siti_user, ends=dt.date(2024, 6, 30))
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        skp.plan_set_actions(
            actor=s.siti_user,
            scope=s.siti_scope,
            result=result,
            version=plan.version,
            actions={3: "Di luar rencana"},
        )
    assert "actions.3" in err.value.message_dict


def test_update_reads_the_evaluator_again_for_new_dates(s):
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    wati = EmployeeFactory(unit=s.world.division_a, name="Wati")
    ActingAssignment.objects.create(
        instansi=s.world.instansi,
        employee=wati,
        position=s.kabid_post,
        kind=ActingKind.PLH,
        decree_number="800/2/2024",
        valid_from=dt.date(2024, 2, 1),
        valid_to=dt.date(2024, 2, 29),
    )
    plan = skp.plan_update(
        actor=s.siti_user,
        scope=s.siti_scope,
        plan=plan,
        version=plan.version,
        data={"starts": dt.date(2024, 2, 1), "consequences": "Tunjangan kinerja"},
    )
    assert (plan.evaluator, plan.evaluator_title) == (wati, "Plh. Kepala Bidang SMA")
    assert (plan.version, plan.consequences) == (2, "Tunjangan kinerja")
    event = AuditEvent.objects.filter(action="plan.update").get()
    assert event.changes["evaluator"] == [s.kabid.pk, wati.pk]
    with pytest.raises(PermissionDenied):  # only the personnel office delegates
        skp.plan_update(
            actor=s.siti_user,
            scope=s.siti_scope,
            plan=plan,
            version=plan.version,
            data={"delegated_authority": True, "delegation_reason": "x"},
        )
