"""The action plans' rows of the permission matrix.

`extend` writes, per target, two enrolments of the target's person with an action plan each:
``ap_plan`` in an event running today (its plan a draft, so it is still written: a link to
the employee's SKP result and a milestone already), and ``ap_live`` in a leadership event
(PKA) that ended three months ago (its plan submitted, mentored by agency A's head, with a
milestone: the 3-month review is open today). Agency A's person is staff_a (the employee
role), whose mentor is head_a (the opd_head role); agency B's is staff_b (no role of the
matrix); "x" is the other instansi's staff_x.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kinerja.training.action_plan_rules import add_months
from kinerja.training.models import (
    ActionPlan,
    ActionPlanLink,
    FollowUpReview,
    LeadershipSeminar,
    Milestone,
    TrainingType,
)
from kinerja.training.tests.factories import EventFactory, ParticipantFactory
from tests.matrix_base import IN_A, SIGNED_IN, WIDE, Row

ORGANISERS = {"system_admin", "bpsdm"}
READ_A = IN_A  # agency A's readers, staff_a herself and her mentor (head_a)
READ_B = WIDE  # who reads agency B's people, the organiser among them


def _skp_result(world, employee, year):
    """Two results (one linked, one free) in the current SKP of ``employee`` for ``year``
    (the planning objects' plan when there is one)."""
    from kinerja.performance.models import Indicator, Period, Plan, PlanResult, Target

    period = Period.objects.filter(instansi=world.instansi, year=year).first()
    if period is None:
        period = Period.objects.create(
            instansi=world.instansi,
            year=year,
            plans_due=dt.date(year, 1, 31),
            periodic_evaluation_days=10,
            annual_evaluation_due=dt.date(year + 1, 1, 31),
        )
    plan = Plan.objects.filter(
        employee=employee, period=period, is_current=True
    ).first() or Plan.objects.create(
        instansi=world.instansi,
        employee=employee,
        position=employee.position,
        position_title=employee.position.title,
        position_kind=employee.position.kind,
        unit=employee.unit,
        period=period,
        starts=dt.date(year, 1, 1),
        ends=dt.date(year, 12, 31),
    )
    first = PlanResult.objects.create(plan=plan, text="Hasil kerja pertama", position=1)
    second = PlanResult.objects.create(plan=plan, text="Hasil kerja kedua", position=2)
    # The plan may be the one the planning rows submit (the employee's current plan of the
    # year): each added result gets an indicator and its target, so the plan stays complete.
    for result in (first, second):
        indicator = Indicator.objects.create(
            instansi=world.instansi,
            result=result,
            unit=plan.unit,
            code=f"AKSI{result.pk}",
            name="Dokumen aksi",
            aspect="quantity",
            measure_unit="dokumen",
            control_level="output",
        )
        Target.objects.create(
            instansi=world.instansi, indicator=indicator, year=year, shape="value", value=2
        )
    return first, second


def extend(world, objects):
    today = timezone.localdate()
    pka = TrainingType.objects.get(code="pka")
    past_end = add_months(today, -3)
    now_event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
    )
    past_event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        starts_on=past_end - dt.timedelta(days=2),
        ends_on=past_end,
        training_type=pka,
        status="finished",
    )
    now_x = EventFactory(
        instansi=world.other_instansi,
        organiser_unit=world.agency_x,
        starts_on=now_event.starts_on,
        ends_on=now_event.ends_on,
    )
    past_x = EventFactory(
        instansi=world.other_instansi,
        organiser_unit=world.agency_x,
        starts_on=past_event.starts_on,
        ends_on=past_end,
        training_type=pka,
        status="finished",
    )
    linked, free = _skp_result(world, world.staff_a, today.year)
    # A third, earlier edition: each person's plan there is approved, its milestone done, so
    # the mentor or the organiser may mark it completed.
    done_events = {
        instansi.pk: EventFactory(
            instansi=instansi,
            organiser_unit=unit,
            starts_on=past_end - dt.timedelta(days=40),
            ends_on=past_end - dt.timedelta(days=38),
            status="finished",
        )
        for instansi, unit in (
            (world.instansi, world.agency_a),
            (world.other_instansi, world.agency_x),
        )
    }

    def done_plan(employee, mentor):
        event = done_events[employee.instansi_id]
        part = ParticipantFactory(event=event, employee=employee)
        plan = ActionPlan.objects.create(
            instansi=event.instansi,
            participant=part,
            title="Aksi tuntas",
            change="Perubahan tuntas",
            status="approved",
            submitted_at=timezone.now(),
            mentor=mentor,
        )
        Milestone.objects.create(
            action_plan=plan, title="Langkah tuntas", due_on=event.ends_on, progress=100
        )
        return plan.pk

    def plans(employee, now, past, mentor):
        part = ParticipantFactory(event=now, employee=employee)
        draft = ActionPlan.objects.create(
            instansi=now.instansi, participant=part, title="Aksi uji", change="Perubahan uji"
        )
        if employee == world.staff_a:
            ActionPlanLink.objects.create(action_plan=draft, plan_result=linked)
        Milestone.objects.create(action_plan=draft, title="Langkah uji", due_on=now.ends_on)
        live_part = ParticipantFactory(event=past, employee=employee)
        live = ActionPlan.objects.create(
            instansi=past.instansi,
            participant=live_part,
            title="Aksi berjalan",
            change="Perubahan berjalan",
            status="submitted",
            submitted_at=timezone.now(),
            mentor=mentor,
        )
        milestone = Milestone.objects.create(
            action_plan=live, title="Langkah berjalan", due_on=past.ends_on
        )
        return part, draft, live, milestone

    new_mentor = world.head_a
    rows = {
        "a": plans(world.staff_a, now_event, past_event, world.head_a),
        "b": plans(world.staff_b, now_event, past_event, None),
        "x": plans(world.staff_x, now_x, past_x, None),
    }
    peers = {"a": world.staff_b, "b": world.staff_a, "x": world.staff_x}
    for target, (part, draft, live, milestone) in rows.items():
        objects[target].update(
            {
                "ap_participant": part.pk,
                "ap_plan": draft.pk,
                "ap_live": live.pk,
                "ap_done": done_plan(part.employee, world.head_a if target == "a" else None),
                "ap_milestone": milestone.pk,
                "ap_event": (now_x if target == "x" else now_event).pk,
                "ap_past_event": (past_x if target == "x" else past_event).pk,
                "ap_result": free.pk,
                "ap_peer": peers[target].pk,
                "ap_agency": world.agency_a.pk,
                "ap_new_mentor": world.staff_b.pk,
            }
        )
    objects["-"].update(
        {
            "ap_event": now_event.pk,
            "ap_past_event": past_event.pk,
            "ap_live": rows["a"][2].pk,
            "ap_agency": world.agency_a.pk,
            "ap_new_mentor": world.staff_b.pk,
            "ap_new_mentor_of": new_mentor.pk,
        }
    )


def _plan(key, attr):
    def read(objs, role):
        return getattr(ActionPlan.objects.get(pk=objs[key]), attr)

    return read


def _links(objs, role):
    return ActionPlanLink.objects.filter(action_plan_id=objs["ap_plan"]).count()


def _milestones(objs, role):
    return Milestone.objects.filter(action_plan_id=objs["ap_plan"]).count()


def _progress(objs, role):
    return Milestone.objects.get(pk=objs["ap_milestone"]).progress


def _reviews(objs, role):
    return FollowUpReview.objects.filter(
        action_plan_id=objs["ap_live"], submitted_at__isnull=False
    ).count()


def _peers(objs, role):
    return FollowUpReview.objects.filter(action_plan_id=objs["ap_live"], role="peer").count()


def _seminars(objs, role):
    return LeadershipSeminar.objects.filter(action_plan_id=objs["ap_live"]).count()


def _const(value):
    return lambda objs, role: value


def _review_data(objs, role):
    return {"month": 3, "progress": "on_track", "comment": "Sesuai rencana"}


PLAN = {"pk": "ap_plan"}
LIVE = {"pk": "ap_live"}
DONE = {"pk": "ap_done"}
API = "api:training-action-plan"

ROWS = [
    # API
    Row(f"{API}-list", "get", {"-": SIGNED_IN}, api=True, training=True),
    Row(
        f"{API}-detail",
        "get",
        {"a": READ_A, "b": READ_B, "x": set()},
        api=True,
        kwargs=PLAN,
        training=True,
    ),
    Row(
        f"{API}-list",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        api=True,
        ok=(201,),
        data=lambda objs, role: {
            "participant": objs["ap_participant"],
            "title": "Judul baru",
            "change": "Perubahan baru",
        },
        state=_plan("ap_plan", "title"),
        expect=_const("Judul baru"),
        outside=400,
        training=True,
    ),
    Row(
        f"{API}-link",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        api=True,
        data=lambda objs, role: {"plan_result": objs["ap_result"]},
        state=_links,
        expect=_const(2),
        kwargs=PLAN,
        training=True,
    ),
    Row(
        f"{API}-milestones",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        api=True,
        data=lambda objs, role: {
            "title": "Langkah baru",
            "due_on": timezone.localdate().isoformat(),
        },
        state=_milestones,
        expect=_const(2),
        kwargs=PLAN,
        training=True,
    ),
    Row(
        f"{API}-submit",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        api=True,
        state=_plan("ap_plan", "status"),
        expect=_const("submitted"),
        kwargs=PLAN,
        training=True,
    ),
    Row(
        f"{API}-approve",
        "post",
        {"a": {"opd_head"}, "b": set(), "x": set()},
        api=True,
        state=_plan("ap_live", "status"),
        expect=_const("approved"),
        kwargs=LIVE,
        training=True,
    ),
    Row(
        f"{API}-complete",
        "post",
        {"a": {"opd_head", *ORGANISERS}, "b": ORGANISERS, "x": set()},
        api=True,
        state=_plan("ap_done", "status"),
        expect=_const("completed"),
        kwargs=DONE,
        training=True,
    ),
    Row(
        f"{API}-drop",
        "post",
        {"a": {"employee", *ORGANISERS}, "b": ORGANISERS, "x": set()},  # the draft has no mentor
        api=True,
        data={"reason": "Dimutasi"},
        state=_plan("ap_plan", "status"),
        expect=_const("dropped"),
        kwargs=PLAN,
        training=True,
    ),
    Row(
        f"{API}-progress",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        api=True,
        data=lambda objs, role: {"milestone": objs["ap_milestone"], "percent": 50},
        state=_progress,
        expect=_const(50),
        kwargs=LIVE,
        training=True,
    ),
    Row(
        f"{API}-reviews",
        "post",
        {"a": {"employee", "opd_head"}, "b": set(), "x": set()},
        api=True,
        data=_review_data,
        state=_reviews,
        expect=_const(1),
        kwargs=LIVE,
        training=True,
    ),
    Row(
        f"{API}-invite",
        "post",
        {"a": {"employee"} | ORGANISERS, "b": ORGANISERS, "x": set()},
        api=True,
        data=lambda objs, role: {"month": 3, "peer": objs["ap_peer"]},
        state=_peers,
        expect=_const(1),
        kwargs=LIVE,
        training=True,
    ),
    Row(
        f"{API}-seminars",
        "post",
        {"a": ORGANISERS, "b": ORGANISERS, "x": set()},
        api=True,
        data=lambda objs, role: {
            "kind": "design",
            "held_on": timezone.localdate().isoformat(),
            "examiner_name": "Dr. Penguji",
            "outcome": "passed",
            "score": "80",
        },
        state=_seminars,
        expect=_const(1),
        kwargs=LIVE,
        training=True,
    ),
    Row(
        f"{API}-delegate",
        "post",
        {"-": ORGANISERS},
        api=True,
        data=lambda objs, role: {
            "event": objs["ap_past_event"],
            "mentors": [{"agency": objs["ap_agency"], "mentor": objs["ap_new_mentor"]}],
            "reason": "Beban pembinaan dibagi",
        },
        state=_plan("ap_live", "mentor_id"),
        expect=lambda objs, role: objs["ap_new_mentor"],
        training=True,
    ),
    # Pages
    Row("training:action_plan_mine", "get", {"-": SIGNED_IN}, training=True),
    Row(
        "training:action_plan_mine",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        data=lambda objs, role: {
            "participant": objs["ap_participant"],
            "title": "Judul baru",
            "change": "Perubahan baru",
        },
        ok=(302,),
        state=_plan("ap_plan", "title"),
        expect=_const("Judul baru"),
        training=True,
    ),
    Row("training:action_plan_mentoring", "get", {"-": SIGNED_IN}, training=True),
    Row("training:action_plan_reviews", "get", {"-": SIGNED_IN}, training=True),
    Row(
        "training:action_plan_detail",
        "get",
        {"a": READ_A, "b": READ_B, "x": set()},
        kwargs=LIVE,
        training=True,
    ),
    Row(
        "training:action_plan_detail",
        "post",
        {"a": {"employee"}, "b": set(), "x": set()},
        data=lambda objs, role: {
            "op": "progress",
            "milestone": objs["ap_milestone"],
            "percent": "40",
        },
        ok=(302,),
        state=_progress,
        expect=_const(40),
        kwargs=LIVE,
        training=True,
    ),
    Row(
        "training:event_action_plans",
        "get",
        {"a": SIGNED_IN, "x": set()},
        kwargs={"event": "ap_past_event"},
        training=True,
    ),
    Row(
        "training:event_action_plans",
        "post",
        {"a": ORGANISERS, "x": set()},
        data=lambda objs, role: {
            f"mentor_{objs['ap_agency']}": str(objs["ap_new_mentor"]),
            "reason": "Beban pembinaan dibagi",
        },
        ok=(302,),
        state=_plan("ap_live", "mentor_id"),
        expect=lambda objs, role: objs["ap_new_mentor"],
        kwargs={"event": "ap_past_event"},
        training=True,
    ),
]
