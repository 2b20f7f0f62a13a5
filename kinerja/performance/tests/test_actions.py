"""The action plan (rencana aksi) under a PK: levels, SIPD tags, budget, the schedule's weights
summing to 100, progress inside an open sub-period or a late-entry window, the weighted
progress, the signed agreement's lock and the copy to a revision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.performance import services
from kinerja.performance.models import Action, ActionProgress, ActionSchedule, LateEntryWindow
from kinerja.performance.selectors_actions import action_progress, agreement_progress
from kinerja.performance.services import actions as svc

from .test_agreements import call, start

QUARTERS = [
    {"sub_period": 1, "planned_output": "Persiapan", "weight": "40"},
    {"sub_period": 2, "planned_output": "Pelaksanaan", "weight": "25"},
    {"sub_period": 3, "planned_output": "Pelaksanaan", "weight": "25"},
    {"sub_period": 4, "planned_output": "Laporan", "weight": "10"},
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def ap(pk, world):
    """Agency A's draft 2023 agreement with its target, and the 2023 period (quarterly)."""
    services.period_create(
        actor=world.users["bappeda"],
        scope=scope_for(world.users["bappeda"]),
        instansi=world.instansi,
        year=2023,
    )
    agreement = start(pk, **pk.governor)
    agreement = call(pk, services.agreement_set_targets, agreement, targets=[pk.t_a])
    pk.agreement = agreement
    pk.row = agreement.targets.get()
    return pk


def add(ap, user="opd_admin", schedule=None, **data):
    w = ap.world
    return svc.action_create(
        actor=w.users[user],
        scope=scope_for(w.users[user]),
        agreement_target=ap.row,
        data={"code": "1", "text": "Sosialisasi PPDB", "unit": w.division_a, **data},
        schedule=schedule,
    )


def refused(field, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return " ".join(info.value.message_dict[field])


def test_an_action_with_tags_budget_and_schedule(ap):
    action = add(
        ap,
        schedule=QUARTERS,
        program_code="1.01.02",
        activity_code="1.01.02.2.01",
        sub_activity_code="1.01.02.2.01.01",
        budget="150000000.00",
        spending="0",
        funding_source="apbd",
    )
    assert action.level == 1 and action.budget == D("150000000")
    weights = list(action.schedule.order_by("sub_period__number").values_list("weight", flat=True))
    assert weights == [D(40), D(25), D(25), D(10)]
    event = AuditEvent.objects.get(action="action.create")
    assert event.changes["schedule"][1] == [[1, "40"], [2, "25"], [3, "25"], [4, "10"]]


def test_weights_25_25_25_24_are_refused_and_nothing_is_saved(ap):
    rows = [{"sub_period": n, "weight": "25"} for n in (1, 2, 3)] + [
        {"sub_period": 4, "weight": "24"}
    ]
    assert "sum to 99" in refused("schedule", add, ap, schedule=rows)
    assert Action.objects.count() == 0 and ActionSchedule.objects.count() == 0
    action = add(ap, schedule=QUARTERS)
    assert "sum to 101" in refused(
        "schedule",
        svc.action_set_schedule,
        actor=ap.world.users["opd_admin"],
        scope=scope_for(ap.world.users["opd_admin"]),
        action=action,
        version=1,
        schedule=[*QUARTERS[:3], {"sub_period": 4, "weight": "11"}],
    )
    assert ActionSchedule.objects.filter(action=action, weight=10).count() == 1
    assert Action.objects.get().version == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("program_code", "1.1.02", "X.XX.XX"),
        ("activity_code", "1.01.03.2.01", "not under the program 1.01.02"),
        ("sub_activity_code", "1.01.02.2.01.1", "X.XX.XX.X.XX.XX"),
        ("budget", "-1", "from 0"),
        ("spending", "10.001", "2 decimal places"),
        ("funding_source", "hibah", "from the list"),
    ],
)
def test_bad_tags_and_amounts_name_their_field(ap, field, value, message):
    data = {"program_code": "1.01.02", "activity_code": "1.01.02.2.01", field: value}
    assert message in refused(field, add, ap, **data)
    assert Action.objects.count() == 0


def test_levels_stop_at_three_and_the_unit_is_inside_the_agreements(ap):
    w = ap.world
    one = add(ap)
    two = add(ap, code="1.1", parent=one)
    three = add(ap, code="1.1.1", parent=two)
    assert (one.level, two.level, three.level) == (1, 2, 3)
    assert "at most 3 levels" in refused("parent", add, ap, code="1.1.1.1", parent=three)
    assert "Dinas Pendidikan" in refused("unit", add, ap, code="2", unit=w.agency_b)
    assert "already has an action 1" in refused("code", add, ap)
    assert Action.objects.count() == 3


def test_a_signed_agreements_plan_does_not_change_and_a_revision_copies_it(ap, world):
    action = add(ap, schedule=QUARTERS, budget="1000")
    add(ap, code="1.1", parent=action, text="Rapat koordinasi")
    agreement = call(ap, services.agreement_submit, ap.agreement)
    agreement = call(ap, services.agreement_approve, agreement, user="bappeda")
    agreement = call(ap, services.agreement_sign, agreement, user="bappeda")
    message = refused(
        "agreement",
        svc.action_update,
        actor=world.users["opd_admin"],
        scope=scope_for(world.users["opd_admin"]),
        action=action,
        version=1,
        data={"text": "Diubah"},
    )
    assert "signed" in message
    assert "signed" in refused("agreement", add, ap, code="9")
    new = call(ap, services.agreement_revise, agreement, reason="Refocusing anggaran")
    copies = list(Action.objects.filter(agreement=new).order_by("level"))
    assert [(c.code, c.level, c.budget) for c in copies] == [("1", 1, D(1000)), ("1.1", 2, D(0))]
    assert copies[1].parent_id == copies[0].pk
    assert copies[0].agreement_target.agreement_id == new.pk
    assert copies[0].schedule.count() == 4
    assert Action.objects.filter(agreement=agreement).count() == 2


def test_weighted_progress_50_of_40_plus_100_of_25_is_45(ap, world):
    action = add(ap, schedule=QUARTERS)
    opd = world.users["opd_admin"]
    from kinerja.performance.models import SubPeriod

    q1, q2 = (SubPeriod.objects.get(period__year=2023, number=n) for n in (1, 2))
    for sub, value in ((q1, "50"), (q2, "100")):
        svc.action_progress_enter(
            actor=opd,
            scope=scope_for(opd),
            action=action,
            sub_period=sub,
            data={"progress": value, "evidence_url": "https://drive.example/bukti.pdf"},
        )
    action = Action.objects.get(pk=action.pk)
    assert action_progress(action) == D("45.00")
    assert action_progress(action, until=1) == D("20.00")
    summary = agreement_progress(ap.agreement)
    assert summary.by_target == {ap.row.pk: D("45.00")}
    assert summary.by_unit == {world.division_a.pk: D("45.00")}


def test_progress_only_in_an_open_sub_period_or_a_late_entry_window(ap, world):
    from kinerja.performance.models import SubPeriod

    action = add(ap, schedule=QUARTERS)
    q1 = SubPeriod.objects.get(period__year=2023, number=1)
    q1.status = "closed"
    q1.save()
    opd = world.users["opd_admin"]

    def enter(value="80", on=dt.date(2023, 4, 3), user=opd):
        return svc.action_progress_enter(
            actor=user,
            scope=scope_for(user),
            action=action,
            sub_period=q1,
            data={"progress": value},
            on=on,
        )

    assert "closed" in refused("sub_period", enter)
    LateEntryWindow.objects.create(
        instansi=world.instansi,
        unit=world.agency_a,
        sub_period=q1,
        opens=dt.date(2023, 4, 1),
        closes=dt.date(2023, 4, 5),
        reason="Terlambat",
    )
    assert "from 0 to 100" in refused("progress", enter, "101")
    assert enter().progress == D(80)
    assert "closed" in refused("sub_period", enter, on=dt.date(2023, 4, 6))
    with pytest.raises(PermissionDenied):
        enter(user=world.users["leadership"])
    assert ActionProgress.objects.get().progress == D(80)


def test_removing_a_target_with_an_action_plan_is_refused(ap, world):
    add(ap)
    assert "action plan" in refused(
        "targets", call, ap, services.agreement_set_targets, ap.agreement, targets=[]
    )
    # Keeping the target keeps its row and its actions.
    call(ap, services.agreement_set_targets, ap.agreement, targets=[ap.t_a])
    assert Action.objects.get().agreement_target.target_id == ap.t_a.pk


def test_stale_version_is_a_conflict(ap, world):
    action = add(ap)
    opd = world.users["opd_admin"]
    svc.action_update(
        actor=opd, scope=scope_for(opd), action=action, version=1, data={"text": "Baru"}
    )
    with pytest.raises(services.Conflict):
        svc.action_update(
            actor=opd, scope=scope_for(opd), action=action, version=1, data={"text": "Lama"}
        )
    assert Action.objects.get().text == "Baru"
