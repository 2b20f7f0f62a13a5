# ruff: noqa: F811 - the planning fixtures (pk, plan, scopes) are imported by name
"""Action plans: ownership of the linked targets, the mentor from the reporting lines and its
delegation, the write window, progress flowing into the SKP, the follow-up reviews and their
windows, the behaviour summary and the seminars of leadership training.

The 2023 event of the factories runs 11-13 January 2023: the plan is written until 27 January
(13 + 14 days); the reviews fall due on 13 April 2023, 13 July 2023 and 13 January 2024 and
open 14 days before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance import services as perf
from kinerja.performance.models import Agreement, AgreementTarget, PlanDialogue
from kinerja.performance.services import skp
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401
from kinerja.training.action_plan_rules import review_due, review_window, write_closes
from kinerja.training.models import (
    ActionPlan,
    ActionPlanLink,
    FollowUpReview,
    LeadershipSeminar,
    Milestone,
    TrainingType,
)
from kinerja.training.selectors_action_plans import (
    action_plans_for,
    behaviour_summary,
    linked_targets,
    plan_on_track,
)
from kinerja.training.services import action_plans as svc
from kinerja.training.tests.factories import EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are checked in English (the catalogue translates them)."""
    from django.utils import translation

    with translation.override("en"):
        yield


START = dt.date(2022, 1, 1)
DAY = dt.date(2023, 1, 12)  # the event's second day


@pytest.fixture
def today(monkeypatch):
    """Set the services' today: ``today(day)``."""

    def set_day(day):
        monkeypatch.setattr(svc, "_today", lambda: day)

    set_day(DAY)
    return set_day


def agreement(world, unit, holder, year=2023):
    return Agreement.objects.create(
        instansi=world.instansi,
        unit=unit,
        year=year,
        agreement_date=dt.date(year, 1, 5),
        first_party=holder,
        first_party_name=holder.name,
        first_party_title="Kepala",
    )


@pytest.fixture
def ap(world, pk, today):  # noqa: F811
    """Budi (head of agency A, 2023 PK with the 85 % target) and Siti (staff, reporting to
    Budi) are participants of the 2023 event; agency B's PK is held by Rina."""
    o = type("O", (), {})()
    o.world = world
    o.event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    hold(world.staff_a, world.staff_pos_a, START)
    line(world.staff_pos_a, world.head_pos_a, START)
    o.pk_a = agreement(world, world.agency_a, world.head_a)
    o.target_a = AgreementTarget.objects.create(
        agreement=o.pk_a, target=pk.t_a, goal=pk.plan.target_a
    )
    o.pk_b = agreement(world, world.agency_b, world.staff_b)
    o.target_b = AgreementTarget.objects.create(
        agreement=o.pk_b, target=pk.t_b, goal=pk.plan.objective_b
    )
    o.head_part = ParticipantFactory(event=o.event, employee=world.head_a)
    o.staff_part = ParticipantFactory(event=o.event, employee=world.staff_a)
    o.head_user, o.staff_user = world.users["opd_head"], world.users["employee"]
    o.head_scope, o.staff_scope = scope_for(o.head_user), scope_for(o.staff_user)
    o.bpsdm, o.bpsdm_scope = world.users["bpsdm"], scope_for(world.users["bpsdm"])
    return o


def write(o, part=None, user=None, scope=None, **extra):
    return svc.action_plan_write(
        actor=user or o.staff_user,
        scope=scope or o.staff_scope,
        participant=part or o.staff_part,
        title="Layanan legalisasi ijazah daring",
        change="Legalisasi ijazah SMA selesai dalam satu hari kerja, tanpa tatap muka.",
        **extra,
    )


def head_plan(o):
    plan = write(o, o.head_part, o.head_user, o.head_scope)
    svc.action_plan_link(
        actor=o.head_user, scope=o.head_scope, plan=plan, agreement_target=o.target_a
    )
    svc.milestone_add(
        actor=o.head_user,
        scope=o.head_scope,
        plan=plan,
        title="Aplikasi legalisasi diluncurkan",
        due_on=dt.date(2023, 6, 30),
    )
    return svc.action_plan_submit(actor=o.head_user, scope=o.head_scope, plan=plan)


def test_the_mentor_defaults_to_the_superior_from_the_reporting_lines(ap):
    plan = write(ap)
    assert plan.mentor == ap.world.head_a  # Siti's post reports to Budi's
    assert plan.status == "draft" and plan.participant == ap.staff_part


def test_linking_someone_elses_target_is_refused_and_writes_nothing(ap):
    plan = write(ap, ap.head_part, ap.head_user, ap.head_scope)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        svc.action_plan_link(
            actor=ap.head_user, scope=ap.head_scope, plan=plan, agreement_target=ap.target_b
        )
    assert "This target is not yours." in str(err.value)
    assert ActionPlanLink.objects.count() == 0
    assert AuditEvent.objects.count() == events
    # Their own target of 2023 links.
    svc.action_plan_link(
        actor=ap.head_user, scope=ap.head_scope, plan=plan, agreement_target=ap.target_a
    )
    assert list(plan.links.values_list("agreement_target", flat=True)) == [ap.target_a.pk]
    # The same target of another year's agreement is not theirs for this event.
    pk_2024 = agreement(ap.world, None, ap.world.head_a, year=2024)
    other_year = AgreementTarget.objects.create(
        agreement=pk_2024, target=ap.target_a.target, goal=ap.target_a.goal
    )
    with pytest.raises(ValidationError, match="not yours"):
        svc.action_plan_link(
            actor=ap.head_user, scope=ap.head_scope, plan=plan, agreement_target=other_year
        )
    # Only the participant links: the mentor may not write the participant's plan.
    staff_plan = write(ap)
    with pytest.raises(PermissionDenied):
        svc.action_plan_link(
            actor=ap.head_user, scope=ap.head_scope, plan=staff_plan, agreement_target=ap.target_a
        )


@pytest.fixture
def skp_2023(ap):
    """Siti's draft SKP of 2023 with one result."""
    admin = ap.world.users["system_admin"]
    period = perf.period_create(
        actor=admin, scope=scope_for(admin), instansi=ap.world.instansi, year=2023
    )
    plan = skp.plan_create(
        actor=ap.staff_user,
        scope=ap.staff_scope,
        instansi=ap.world.instansi,
        data={"employee": ap.world.staff_a, "period": period},
    )
    result = skp.plan_result_add(
        actor=ap.staff_user,
        scope=ap.staff_scope,
        plan=plan,
        version=plan.version,
        data={"text": "Terlayaninya legalisasi ijazah"},
    )
    plan.refresh_from_db()
    return plan, result


def test_skp_results_link_and_a_new_result_goes_through_the_skp_rules(ap, skp_2023):
    skp_plan, result = skp_2023
    plan = write(ap)
    svc.action_plan_link(actor=ap.staff_user, scope=ap.staff_scope, plan=plan, plan_result=result)
    link = svc.action_plan_link_new_result(
        actor=ap.staff_user, scope=ap.staff_scope, plan=plan, text="Tersedianya layanan daring"
    )
    assert link.plan_result.plan == skp_plan and skp_plan.results.count() == 2
    # Budi may not link Siti's result.
    budi = write(ap, ap.head_part, ap.head_user, ap.head_scope)
    with pytest.raises(ValidationError, match="not yours"):
        svc.action_plan_link(actor=ap.head_user, scope=ap.head_scope, plan=budi, plan_result=result)
    # Once the SKP is submitted, no new result is added to it.
    type(skp_plan).objects.filter(pk=skp_plan.pk).update(status="submitted")
    with pytest.raises(ValidationError, match="added only to a draft"):
        svc.action_plan_link_new_result(
            actor=ap.staff_user, scope=ap.staff_scope, plan=plan, text="Hasil lain"
        )
    assert skp_plan.results.count() == 2


def test_the_plan_is_written_until_14_days_after_the_event(ap, today):
    assert write_closes(ap.event) == dt.date(2023, 1, 27)
    today(dt.date(2023, 1, 10))
    with pytest.raises(ValidationError, match="2023-01-27"):
        write(ap)
    today(dt.date(2023, 1, 28))
    with pytest.raises(ValidationError, match="2023-01-27"):
        write(ap)
    assert ActionPlan.objects.count() == 0
    today(dt.date(2023, 1, 27))
    assert write(ap).pk


def test_submit_needs_a_link_and_a_milestone_and_the_mentor_approves(ap):
    plan = write(ap, ap.head_part, ap.head_user, ap.head_scope)
    with pytest.raises(ValidationError, match="at least one target"):
        svc.action_plan_submit(actor=ap.head_user, scope=ap.head_scope, plan=plan)
    with pytest.raises(ValidationError, match="between 2023-01-11 and 2024-01-13"):
        svc.milestone_add(
            actor=ap.head_user,
            scope=ap.head_scope,
            plan=plan,
            title="Terlambat",
            due_on=dt.date(2024, 2, 1),
        )
    plan = head_plan(ap)  # writes again: the same plan, linked, a milestone, submitted
    assert plan.status == "submitted"
    # Budi heads the agency: no superior in the fixture's lines, so no mentor until the
    # organiser delegates one; nobody approves meanwhile.
    assert plan.mentor is None
    with pytest.raises(PermissionDenied):
        svc.action_plan_approve(actor=ap.head_user, scope=ap.head_scope, plan=plan)


def test_the_organiser_delegates_mentors_by_agency_with_a_reason(ap):
    write(ap)
    write(ap, ap.head_part, ap.head_user, ap.head_scope)
    staff_b_part = ParticipantFactory(event=ap.event, employee=ap.world.staff_b)
    rina = ap.world.staff_b
    svc.action_plan_write(
        actor=None,
        scope=scope_for(ap.world.users["employee"]).__class__(
            instansi_id=ap.world.instansi.pk, employee_id=rina.pk, user_id=1
        ),
        participant=staff_b_part,
        title="Puskesmas terakreditasi",
        change="Semua puskesmas terakreditasi paripurna.",
    )
    assistant = hold(
        EmployeeFactory(unit=ap.world.agency_a, name="Asisten Pemerintahan"),
        PositionFactory(unit=ap.world.agency_a, code="ASISTEN-1", title="Asisten I"),
        START,
    )
    with pytest.raises(PermissionDenied):
        svc.mentor_delegate(
            actor=ap.head_user,
            scope=ap.head_scope,
            event=ap.event,
            mentors={ap.world.agency_a.pk: assistant.pk},
            reason="beban",
        )
    with pytest.raises(ValidationError, match="reason"):
        svc.mentor_delegate(
            actor=ap.bpsdm,
            scope=ap.bpsdm_scope,
            event=ap.event,
            mentors={ap.world.agency_a.pk: assistant.pk},
            reason="",
        )
    events = AuditEvent.objects.filter(action="action_plan.mentor_delegate").count()
    changed = svc.mentor_delegate(
        actor=ap.bpsdm,
        scope=ap.bpsdm_scope,
        event=ap.event,
        mentors={ap.world.agency_a.pk: assistant.pk},
        reason="Satu atasan tidak dapat membina 61 kepala perangkat daerah",
    )
    assert changed == 2  # Budi's and Siti's plans; Rina's (agency B) keeps hers
    mentors = dict(ActionPlan.objects.values_list("participant__employee", "mentor"))
    assert mentors[ap.world.head_a.pk] == assistant.pk
    assert mentors[ap.world.staff_a.pk] == assistant.pk
    assert mentors[rina.pk] != assistant.pk
    assert AuditEvent.objects.filter(action="action_plan.mentor_delegate").count() == events + 2
    # A participant is not their own mentor: Budi for agency A is refused, nothing changes.
    with pytest.raises(ValidationError, match="not their own mentor"):
        svc.mentor_delegate(
            actor=ap.bpsdm,
            scope=ap.bpsdm_scope,
            event=ap.event,
            mentors={ap.world.agency_a.pk: ap.world.head_a.pk},
            reason="uji",
        )
    assert ActionPlan.objects.filter(mentor=assistant).count() == 2


def test_progress_flows_into_the_skp_as_feedback(ap, skp_2023, today):
    _skp_plan, result = skp_2023
    plan = write(ap)
    svc.action_plan_link(actor=ap.staff_user, scope=ap.staff_scope, plan=plan, plan_result=result)
    milestone = svc.milestone_add(
        actor=ap.staff_user,
        scope=ap.staff_scope,
        plan=plan,
        title="SOP legalisasi daring",
        due_on=dt.date(2023, 3, 31),
        link=plan.links.get(),
    )
    with pytest.raises(ValidationError, match="submitted or approved"):
        svc.progress_update(
            actor=ap.staff_user, scope=ap.staff_scope, milestone=milestone, percent=10
        )
    svc.action_plan_submit(actor=ap.staff_user, scope=ap.staff_scope, plan=plan)
    svc.action_plan_approve(actor=ap.head_user, scope=ap.head_scope, plan=plan)
    today(dt.date(2023, 3, 1))
    with pytest.raises(ValidationError, match="between 0 and 100"):
        svc.progress_update(
            actor=ap.staff_user, scope=ap.staff_scope, milestone=milestone, percent=120
        )
    update = svc.progress_update(
        actor=ap.staff_user,
        scope=ap.staff_scope,
        milestone=milestone,
        percent=60,
        evidence="SOP disahkan kepala dinas",
        link="https://dikbud.jatimprov.go.id/sop-legalisasi",
    )
    entry = PlanDialogue.objects.get(result=result)
    assert update.feedback == entry and entry.kind == "feedback"
    assert "60%" in entry.text and "SOP disahkan kepala dinas" in entry.text
    milestone.refresh_from_db()
    assert milestone.progress == 60 and milestone.done_on is None
    # Attaching to a realisation needs a PK target: this milestone serves an SKP result.
    with pytest.raises(ValidationError, match="no target of your agreement"):
        svc.progress_update(
            actor=ap.staff_user,
            scope=ap.staff_scope,
            milestone=milestone,
            percent=70,
            link="https://dikbud.jatimprov.go.id/x",
            attach=True,
        )
    assert milestone.updates.count() == 1
    # Only the participant reports progress.
    with pytest.raises(PermissionDenied):
        svc.progress_update(
            actor=ap.head_user, scope=ap.head_scope, milestone=milestone, percent=80
        )


def test_review_windows_peers_and_once_each(ap, today):
    plan = head_plan(ap)
    assistant = hold(
        EmployeeFactory(unit=ap.world.agency_a, name="Asisten"),
        PositionFactory(unit=ap.world.agency_a, code="AS-1", title="Asisten"),
        START,
    )
    svc.mentor_delegate(
        actor=ap.bpsdm,
        scope=ap.bpsdm_scope,
        event=ap.event,
        mentors={ap.world.agency_a.pk: assistant},
        reason="uji",
    )
    plan.refresh_from_db()
    assert review_due(ap.event, 3) == dt.date(2023, 4, 13)
    assert review_due(ap.event, 12) == dt.date(2024, 1, 13)
    assert review_window(ap.event, 3) == (dt.date(2023, 3, 30), dt.date(2023, 6, 12))
    peers = [EmployeeFactory(unit=ap.world.agency_b, name=f"Rekan {i}") for i in range(3)]
    for peer in peers[:2]:
        svc.review_invite(actor=ap.head_user, scope=ap.head_scope, plan=plan, month=3, peer=peer)
    with pytest.raises(ValidationError, match="At most 2 peers"):
        svc.review_invite(actor=ap.bpsdm, scope=ap.bpsdm_scope, plan=plan, month=3, peer=peers[2])
    with pytest.raises(ValidationError, match="other than the participant"):
        svc.review_invite(
            actor=ap.head_user, scope=ap.head_scope, plan=plan, month=6, peer=ap.world.head_a
        )
    with pytest.raises(ValidationError, match="another|No such employee"):
        svc.review_invite(
            actor=ap.head_user, scope=ap.head_scope, plan=plan, month=6, peer=ap.world.staff_x
        )

    def review(scope, progress, month=3):
        return svc.review_submit(
            actor=object(), scope=scope, plan=plan, month=month, progress=progress, comment="ok"
        )

    today(dt.date(2023, 3, 29))
    with pytest.raises(ValidationError, match="from 2023-03-30 to 2023-06-12"):
        review(ap.head_scope, "on_track")
    today(dt.date(2023, 3, 30))
    assert review(ap.head_scope, "on_track").role == "participant"
    with pytest.raises(ValidationError, match="already given"):
        review(ap.head_scope, "ahead")
    from kinerja.core.scope import Scope

    def as_employee(emp):
        return Scope(instansi_id=ap.world.instansi.pk, employee_id=emp.pk, user_id=1)

    assert review(as_employee(assistant), "behind").role == "mentor"
    assert review(as_employee(peers[0]), "stalled").role == "peer"
    with pytest.raises(PermissionDenied):
        review(as_employee(peers[2]), "ahead")  # not invited
    assert FollowUpReview.objects.filter(submitted_at__isnull=False).count() == 3
    assert FollowUpReview.objects.filter(submitted_at__isnull=True).count() == 1  # peer 2
    # 1 of 3 on track: not on track; the 6-month review is not open yet.
    with pytest.raises(ValidationError, match="6-month"):
        review(ap.head_scope, "ahead", month=6)


def test_behaviour_summary_counts_plans_reviewed_and_on_track(world):
    """5 plans; at 3 months 4 are reviewed, 3 of them on track: 75 %. The tie rule: a plan
    with one review on track and one behind is not on track."""
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    plans = []
    for i in range(5):
        emp = EmployeeFactory(unit=world.agency_a, name=f"Kepala {i}")
        part = ParticipantFactory(event=event, employee=emp)
        plans.append(
            ActionPlan.objects.create(
                instansi=world.instansi,
                participant=part,
                title=f"Aksi {i}",
                change="x",
                status="approved",
            )
        )
    reviewers = [EmployeeFactory(unit=world.agency_b, name=f"R{i}") for i in range(3)]
    moment = dt.datetime(2023, 4, 10, 9, tzinfo=dt.UTC)

    def give(plan, month, *answers, submitted=True):
        for reviewer, answer in zip(reviewers, answers, strict=False):
            FollowUpReview.objects.create(
                instansi=world.instansi,
                action_plan=plan,
                month=month,
                reviewer=reviewer,
                role="peer",
                progress=answer,
                submitted_at=moment if submitted else None,
            )

    give(plans[0], 3, "on_track")
    give(plans[1], 3, "ahead", "on_track", "behind")  # 2 of 3: on track
    give(plans[2], 3, "on_track", "stalled", "ahead")  # 2 of 3: on track
    give(plans[3], 3, "on_track", "behind")  # a tie: not on track
    give(plans[4], 3, "ahead", submitted=False)  # invited, not given: not reviewed
    give(plans[0], 6, "behind")
    summary = behaviour_summary(event)
    assert summary[3] == {"due": 5, "reviewed": 4, "on_track": 3, "share": Decimal("75.0")}
    assert summary[6] == {"due": 5, "reviewed": 1, "on_track": 0, "share": Decimal("0.0")}
    assert summary[12] == {"due": 5, "reviewed": 0, "on_track": 0, "share": None}
    assert plan_on_track(["on_track", "behind"], frozenset({"on_track", "ahead"})) is False
    # A withdrawn enrolment and a draft plan are not counted.
    plans[4].status = "draft"
    plans[4].save()
    assert behaviour_summary(event)[3]["due"] == 4


def test_linked_targets_per_participant(ap, skp_2023):
    _skp, result = skp_2023
    budi = head_plan(ap)
    siti = write(ap)
    svc.action_plan_link(actor=ap.staff_user, scope=ap.staff_scope, plan=siti, plan_result=result)
    assert linked_targets(ap.event) == {
        ap.head_part.pk: {"agreement_targets": [ap.target_a.pk], "plan_results": []},
        ap.staff_part.pk: {"agreement_targets": [], "plan_results": [result.pk]},
    }
    assert budi.links.count() == 1


def test_seminars_only_for_leadership_training(ap, today):
    plan = head_plan(ap)
    kwargs = dict(
        actor=ap.bpsdm,
        scope=ap.bpsdm_scope,
        plan=plan,
        kind="design",
        held_on=dt.date(2023, 1, 13),
        examiner_name="Dr. Penguji",
        outcome="passed",
        score="82.5",
    )
    with pytest.raises(ValidationError, match="leadership training only"):
        svc.seminar_record(**kwargs)
    assert LeadershipSeminar.objects.count() == 0
    ap.event.training_type = TrainingType.objects.get(code="pka")
    ap.event.save()
    with pytest.raises(PermissionDenied):
        svc.seminar_record(**{**kwargs, "actor": ap.head_user, "scope": ap.head_scope})
    with pytest.raises(ValidationError, match="design seminar comes first"):
        svc.seminar_record(**{**kwargs, "kind": "results"})
    seminar = svc.seminar_record(**kwargs)
    assert (seminar.kind, seminar.score, seminar.outcome) == ("design", Decimal("82.5"), "passed")
    with pytest.raises(ValidationError, match="between 0 and 100"):
        svc.seminar_record(**{**kwargs, "kind": "results", "score": "101"})
    svc.seminar_record(**{**kwargs, "kind": "results", "held_on": dt.date(2023, 5, 2)})
    assert list(plan.seminars.values_list("kind", flat=True)) == ["design", "results"]


def test_who_reads_action_plans(ap):
    siti = write(ap)
    budi = write(ap, ap.head_part, ap.head_user, ap.head_scope)

    def seen(role):
        return set(action_plans_for(scope_for(ap.world.users[role])))

    assert seen("bpsdm") == {siti, budi}
    assert seen("employee") == {siti}  # Siti: her own
    assert seen("opd_head") == {siti, budi}  # Budi: his own, and Siti's as her mentor/agency
    assert seen("bappeda") == {siti, budi}  # reads people across the instansi
    assert seen("evaluator") == set()
    assert Milestone.objects.count() == 0
