"""Around the employee plan: the bulk cascade (3 reports, one skipped), the cascade tree three
levels deep, the dialogue's readers and writers, and the work log refused while it is off."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance.models import Plan, PlanResult, WorkLogEntry
from kinerja.performance.selectors_skp_extra import cascade_candidates, cascade_tree, flatten
from kinerja.performance.services import skp_extra

from .test_skp import START, add_result, create, head_plan, s  # noqa: F401


@pytest.fixture
def team(s):  # noqa: F811
    """Hartono's plan with one main result; his reports Siti (draft), Andi (draft) and Dewi
    (signed plan)."""
    s.kabid_plan = create(s, s.kabid, s.kabid_scope, s.kabid_user)
    s.kabid_result = add_result(s, s.kabid_plan, s.kabid_scope, s.kabid_user, text="Layanan SMA")
    s.siti_plan = create(s, s.siti, s.siti_scope, s.siti_user)
    s.others = []
    for name in ("Andi", "Dewi"):
        post = PositionFactory(unit=s.world.division_a, title=f"Analis {name}")
        employee = hold(EmployeeFactory(unit=s.world.division_a, name=name), post, START)
        line(post, s.kabid_post, START)
        s.others.append(employee)
    s.andi, s.dewi = s.others
    admin, admin_scope = s.world.users["system_admin"], _scope(s, "system_admin")
    s.andi_plan = create(s, s.andi, admin_scope, admin)
    s.dewi_plan = create(s, s.dewi, admin_scope, admin)
    Plan.objects.filter(pk=s.dewi_plan.pk).update(
        status="signed", signed_at=dt.datetime.now(dt.UTC)
    )
    return s


def _scope(s, role):  # noqa: F811
    from kinerja.accounts.scope import scope_for

    return scope_for(s.world.users[role])


def cascade(s, employees, **kw):  # noqa: F811
    return skp_extra.plan_cascade(
        actor=s.kabid_user,
        scope=s.kabid_scope,
        result=s.kabid_result,
        employees=employees,
        **kw,
    )


def test_bulk_cascade_to_three_reports_skips_the_signed_plan(team):
    s = team  # noqa: F811
    versions = {p.pk: p.version for p in (s.siti_plan, s.andi_plan)}
    out = cascade(s, [s.siti.pk, s.andi.pk, s.dewi.pk])
    assert out["skipped"] == [(s.dewi.pk, "not_draft")]
    assert {(e, p) for e, p, _r in out["created"]} == {
        (s.siti.pk, s.siti_plan.pk),
        (s.andi.pk, s.andi_plan.pk),
    }
    rows = PlanResult.objects.filter(serves=s.kabid_result).order_by("plan_id")
    assert [(r.plan_id, r.text, r.kind, r.position, r.serves_directly) for r in rows] == [
        (s.siti_plan.pk, "Layanan SMA", "main", 1, True),
        (s.andi_plan.pk, "Layanan SMA", "main", 1, True),
    ]
    for pk, version in versions.items():
        assert Plan.objects.get(pk=pk).version == version + 1
    events = AuditEvent.objects.filter(action="plan.result_add", changes__cascade=[None, True])
    assert sorted(int(e.target_id) for e in events) == sorted(versions)
    assert not PlanResult.objects.filter(plan=s.dewi_plan).exists()
    # Again: both already serve it; an employee without a plan and one who reports elsewhere.
    out = cascade(s, [s.siti.pk, s.andi.pk, s.kabid.pk, s.head.pk], text="Adaptasi")
    assert out["created"] == []
    assert out["skipped"] == [
        (s.siti.pk, "already"),
        (s.andi.pk, "already"),
        (s.kabid.pk, "not_report"),
        (s.head.pk, "no_plan"),
    ]


def test_bulk_cascade_is_for_the_owner_and_checks_its_input(team):
    s = team  # noqa: F811
    with pytest.raises(PermissionDenied):
        skp_extra.plan_cascade(
            actor=s.siti_user, scope=s.siti_scope, result=s.kabid_result, employees=[s.andi.pk]
        )
    with pytest.raises(ValidationError) as err:
        cascade(s, [])
    assert "employees" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        cascade(s, [s.andi.pk], kind="other")
    assert "kind" in err.value.message_dict
    Plan.objects.filter(pk=s.kabid_plan.pk).update(is_current=False)  # a later revision exists
    with pytest.raises(ValidationError) as err:
        cascade(s, [s.andi.pk])
    assert "result" in err.value.message_dict
    assert not PlanResult.objects.filter(serves=s.kabid_result).exists()


def test_bulk_cascade_of_200_reports_is_fast_and_few_queries(team):
    s = team  # noqa: F811
    period, unit, post = s.period, s.world.division_a, s.world.staff_pos_a
    employees = EmployeeFactory.create_batch(200, unit=unit, instansi=unit.instansi)
    Plan.objects.bulk_create(
        Plan(
            instansi=unit.instansi,
            employee=e,
            position=post,
            position_title="Analis",
            position_kind="pelaksana",
            unit=unit,
            period=period,
            starts=dt.date(2024, 1, 1),
            ends=dt.date(2024, 12, 31),
            evaluator=s.kabid,
        )
        for e in employees
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        out = cascade(s, [e.pk for e in employees])
    elapsed = time.perf_counter() - started
    assert len(out["created"]) == 200 and out["skipped"] == []
    assert len(queries) < 30
    assert elapsed < 1.0
    assert AuditEvent.objects.filter(changes__cascade=[None, True]).count() == 200


def test_candidates_are_the_direct_reports_with_their_plans(team):
    s = team  # noqa: F811
    rows = cascade_candidates(s.kabid_plan)
    assert [(r["employee"].name, r["plan"].pk) for r in rows] == [
        ("Andi", s.andi_plan.pk),
        ("Dewi", s.dewi_plan.pk),
        (s.siti.name, s.siti_plan.pk),
    ]


def test_cascade_tree_three_levels_deep(team):
    s = team  # noqa: F811
    top = head_plan(s)
    top_result = add_result(s, top, s.head_scope, s.head_user, text="Mutu pendidikan")
    s.kabid_plan.refresh_from_db()
    from kinerja.performance.services import skp

    skp.plan_result_update(
        actor=s.kabid_user,
        scope=s.kabid_scope,
        result=s.kabid_result,
        version=s.kabid_plan.version,
        data={"serves": top_result},
    )
    cascade(s, [s.siti.pk, s.andi.pk])
    siti_result = PlanResult.objects.get(plan=s.siti_plan)
    PlanResult.objects.create(plan=s.siti_plan, text="Bagian", position=2, serves=siti_result)
    admin = _scope(s, "system_admin")
    with CaptureQueriesContext(connection) as queries:
        tree = cascade_tree(top_result, admin)
    assert len(queries) <= 6  # the reach, then one query per level
    nodes = flatten(tree)
    assert [(n.depth, n.result.text, n.result.plan.employee.name) for n in nodes] == [
        (0, "Mutu pendidikan", s.head.name),
        (1, "Layanan SMA", "Hartono"),
        (2, "Layanan SMA", "Andi"),
        (2, "Layanan SMA", s.siti.name),
        (3, "Bagian", s.siti.name),
    ]
    # Siti reaches only her own plan: Hartono's result's tree shows her two results.
    mine = flatten(cascade_tree(s.kabid_result, s.siti_scope))
    assert [n.result.text for n in mine] == ["Layanan SMA", "Layanan SMA", "Bagian"]


def test_dialogue_writers_and_readers(team):
    s = team  # noqa: F811
    result = add_result(s, s.siti_plan, s.siti_scope, s.siti_user)
    entry = skp_extra.dialogue_add(
        actor=s.siti_user,
        scope=s.siti_scope,
        result=result,
        data={"kind": "dialogue", "text": "Minta arahan", "on": dt.date(2024, 2, 1)},
    )
    feedback = skp_extra.dialogue_add(
        actor=s.kabid_user,
        scope=s.kabid_scope,
        result=result,
        data={"kind": "feedback", "text": "Baik"},
    )
    assert (entry.author, entry.kind, feedback.author, feedback.kind) == (
        s.siti,
        "dialogue",
        s.kabid,
        "feedback",
    )
    assert skp_extra.may_read_dialogue(s.head_scope, s.siti_plan)
    assert not skp_extra.may_write_dialogue(s.head_scope, s.siti_plan)
    with pytest.raises(PermissionDenied):
        skp_extra.dialogue_add(
            actor=s.head_user, scope=s.head_scope, result=result, data={"text": "x"}
        )
    with pytest.raises(ValidationError) as err:
        skp_extra.dialogue_add(
            actor=s.siti_user, scope=s.siti_scope, result=result, data={"kind": "x", "text": "y"}
        )
    assert "kind" in err.value.message_dict
    assert AuditEvent.objects.filter(action="plan.dialogue_add").count() == 2


def test_work_log_refused_while_off_then_kept(team):
    s = team  # noqa: F811
    result = add_result(s, s.siti_plan, s.siti_scope, s.siti_user)
    data = {"on": dt.date(2024, 3, 4), "description": "Rapat koordinasi", "quantity": "2"}
    with pytest.raises(ValidationError) as err:
        skp_extra.work_log_add(actor=s.siti_user, scope=s.siti_scope, result=result, data=data)
    assert "2024" in str(err.value.message_dict["on"])
    with pytest.raises(PermissionDenied):
        skp_extra.work_log_set(actor=s.siti_user, scope=s.siti_scope, period=s.period, enabled=True)
    skp_extra.work_log_set(
        actor=s.world.users["system_admin"],
        scope=_scope(s, "system_admin"),
        period=s.period,
        enabled=True,
    )
    entry = skp_extra.work_log_add(
        actor=s.siti_user,
        scope=s.siti_scope,
        result=result,
        data={**data, "evidence_url": "https://drive.example.id/bukti"},
    )
    entry.refresh_from_db()
    assert (str(entry.quantity), entry.on) == ("2.00", dt.date(2024, 3, 4))
    for bad, field in (
        ({**data, "on": dt.date(2025, 1, 2)}, "on"),
        ({**data, "description": ""}, "description"),
        ({**data, "quantity": "x"}, "quantity"),
        ({**data, "evidence_url": "javascript:alert(1)"}, "evidence_url"),
    ):
        with pytest.raises(ValidationError) as err:
            skp_extra.work_log_add(actor=s.siti_user, scope=s.siti_scope, result=result, data=bad)
        assert field in err.value.message_dict
    assert WorkLogEntry.objects.count() == 1
