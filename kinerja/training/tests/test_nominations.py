"""Nominations (issue 9, item 3): eligibility with acting heads, quotas at their edges,
nomination, invitation, confirmation, withdrawal with a replacement, the snapshot kept through
a transfer, competency gaps, suggestions with their reasons, and the agencies' reach. Every
refusal writes nothing (no enrolment, no audit event)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.models import ActingAssignment, Assignment, ReportingLine
from kinerja.organisations.services import employee_update
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.performance.models import Evaluation, Period, Plan
from kinerja.training.choices import ParticipantStatus
from kinerja.training.eligibility import Audience, Facts, Post, judge
from kinerja.training.models import Competency, CompetencyGap, EventQuota, Participant
from kinerja.training.selectors_nominations import (
    quota_rows,
    staff_within,
    suggested_nominees,
    verdict,
)
from kinerja.training.services import nominations as svc
from kinerja.training.tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db
FIRST_DAY = dt.date(2023, 1, 11)


def writes():
    return (Participant.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def o(world):
    """Event open for nomination from 11 January 2023 for JPT Pratama of eselon II.a/II.b
    ("heads"), one for anyone ("open"); agency B's head post; scopes of the organiser (BPSDM)
    and of agency A (its administrator)."""
    n = SimpleNamespace(w=world)
    world.staff_pos_a.kind = PositionKind.FUNGSIONAL
    world.staff_pos_a.save()
    n.heads = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        status="nomination",
        audience_kinds=["jpt_pratama"],
        audience_eselons=["II.a", "II.b"],
    )
    n.open = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        status="nomination",
        audience_kinds=[],
    )
    n.head_pos_b = PositionFactory(
        unit=world.agency_b,
        code="DINKES-KADIS",
        title="Kepala Dinas Kesehatan",
        kind=PositionKind.JPT_PRATAMA,
        eselon="II.b",
        is_head=True,
    )
    n.bpsdm = scope_for(world.users["bpsdm"])
    n.admin_a = scope_for(world.users["opd_admin"])
    n.bpsdm_user = world.users["bpsdm"]
    n.admin_user = world.users["opd_admin"]
    return n


def seats(o, event, agency, n):
    return svc.quota_set(actor=o.bpsdm_user, scope=o.bpsdm, event=event, agency=agency, seats=n)


def nominate(o, event, employee, scope=None):
    return svc.participant_nominate(
        actor=o.admin_user, scope=scope or o.admin_a, event=event, employee=employee
    )


# Eligibility ---------------------------------------------------------------------------------


def test_a_post_outside_the_audience_is_refused_with_the_post_and_the_audience(o):
    found = verdict(o.heads, o.w.staff_a)
    assert not found.eligible
    assert found.reasons == (
        "Jabatan Analis SMA (fungsional) bukan sasaran peserta: "
        "pejabat pimpinan tinggi pratama (II.a/II.b).",
    )
    head = verdict(o.heads, o.w.head_a)
    assert head.eligible and head.post.title == "Kepala Dinas Pendidikan"
    assert head.post.acting == "" and head.post.agency_name == "Dinas Pendidikan"


def test_the_post_held_on_the_first_day_counts_not_todays(o):
    """Siti held the head post of agency B until the day before the event: not eligible; held
    it from the first day: eligible."""
    Assignment.objects.create(
        instansi=o.w.instansi,
        employee=o.w.staff_a,
        position=o.head_pos_b,
        unit=o.w.agency_b,
        valid_from=dt.date(2020, 1, 1),
        valid_to=FIRST_DAY - dt.timedelta(1),
    )
    Assignment.objects.create(
        instansi=o.w.instansi,
        employee=o.w.staff_a,
        position=o.w.staff_pos_a,
        unit=o.w.division_a,
        valid_from=FIRST_DAY,
    )
    assert not verdict(o.heads, o.w.staff_a).eligible
    Assignment.objects.filter(employee=o.w.staff_a).delete()
    Assignment.objects.create(
        instansi=o.w.instansi,
        employee=o.w.staff_a,
        position=o.head_pos_b,
        unit=o.w.agency_b,
        valid_from=FIRST_DAY,
    )
    found = verdict(o.heads, o.w.staff_a)
    assert found.eligible and found.post.title == "Kepala Dinas Kesehatan"


def acting(o, kind, valid_from, valid_to=None):
    return ActingAssignment.objects.create(
        instansi=o.w.instansi,
        employee=o.w.staff_a,
        position=o.head_pos_b,
        kind=kind,
        decree_number="800/1/2023",
        valid_from=valid_from,
        valid_to=valid_to,
    )


@pytest.mark.parametrize("kind", ["plt", "plh"])
def test_an_acting_head_is_eligible_and_the_enrolment_records_the_acting_post(o, kind):
    acting(o, kind, dt.date(2023, 1, 2), FIRST_DAY)  # ends on the first day: still acting
    participant = svc.participant_invite(
        actor=o.bpsdm_user, scope=o.bpsdm, event=o.heads, employee=o.w.staff_a
    )
    assert (participant.acting, participant.position_id, participant.eselon) == (
        kind,
        o.head_pos_b.pk,
        "II.b",
    )
    assert (participant.unit, participant.agency, participant.agency_name) == (
        o.w.agency_b,
        o.w.agency_b,
        "Dinas Kesehatan",
    )
    assert participant.status == ParticipantStatus.CONFIRMED  # an invitation is confirmed


def test_an_acting_assignment_that_ended_the_day_before_the_event_does_not_count(o):
    acting(o, "plt", dt.date(2022, 10, 1), FIRST_DAY - dt.timedelta(days=1))
    acting_later = ActingAssignment.objects.create(
        instansi=o.w.instansi,
        employee=o.w.staff_a,
        position=o.head_pos_b,
        kind="plh",
        decree_number="800/2/2023",
        valid_from=FIRST_DAY + dt.timedelta(days=1),
    )
    assert acting_later.pk
    before = writes()
    with pytest.raises(ValidationError) as exc:
        svc.participant_invite(
            actor=o.bpsdm_user, scope=o.bpsdm, event=o.heads, employee=o.w.staff_a
        )
    assert "Jabatan Analis SMA (fungsional) bukan sasaran peserta" in exc.value.messages[0]
    assert writes() == before


def test_inactive_and_other_instansi_employees_are_not_eligible(o):
    o.w.head_a.is_active = False
    o.w.head_a.save()
    assert verdict(o.heads, o.w.head_a).reasons == (
        "Budi Santoso tidak lagi bertugas (tidak aktif atau pensiun).",
    )
    assert verdict(o.open, o.w.staff_x).reasons == ("Dewi Lestari bukan pegawai instansi ini.",)


def test_the_rule_as_a_pure_function():
    post = Post(1, "Sekretaris Dinas", "administrator", "III.a", 5, "Sekretariat", "x", 2, "Dinas")
    head = Post(9, "Kepala Dinas", "jpt_pratama", "II.b", 2, "Dinas", "y", 2, "Dinas", "plh")
    facts = Facts(7, "Ani", 1, True, post, (head,))
    audience = Audience(("jpt_pratama",), ("II.a", "II.b"))
    assert judge(facts, audience, instansi_id=1, day=FIRST_DAY).post == head
    assert judge(facts, Audience(), instansi_id=1, day=FIRST_DAY).post == post
    refused = judge(
        Facts(7, "Ani", 1, True, post),
        Audience(("jpt_pratama",), ()),
        instansi_id=1,
        day=FIRST_DAY,
    )
    assert refused.reasons == (
        "Jabatan Sekretaris Dinas (administrator III.a) bukan sasaran peserta: "
        "pejabat pimpinan tinggi pratama.",
    )


# Quotas ----------------------------------------------------------------------------------------


def test_no_quota_row_and_zero_seats_give_no_seat(o):
    before = writes()
    with pytest.raises(ValidationError) as exc:
        nominate(o, o.open, o.w.staff_a)
    assert exc.value.messages == ["Dinas Pendidikan tidak punya kursi pada acara ini."]
    assert writes() == before
    seats(o, o.open, o.w.agency_a, 0)
    before = writes()
    with pytest.raises(ValidationError):
        nominate(o, o.open, o.w.staff_a)
    assert writes() == before


def test_the_last_seat_is_taken_and_the_next_refused_with_the_count(o):
    seats(o, o.open, o.w.agency_a, 2)
    nominate(o, o.open, o.w.staff_a)
    last = nominate(o, o.open, o.w.head_a)  # the last seat
    assert last.status == ParticipantStatus.NOMINATED
    third = EmployeeFactory(unit=o.w.division_a, name="Joko Susilo")
    before = writes()
    with pytest.raises(ValidationError) as exc:
        nominate(o, o.open, third)
    assert exc.value.messages == ["Kuota Dinas Pendidikan: 2 kursi, sudah 2 dinominasikan."]
    assert writes() == before
    # The organiser's invitation is outside the quota.
    svc.participant_invite(actor=o.bpsdm_user, scope=o.bpsdm, event=o.open, employee=third)
    (row,) = quota_rows(o.open)
    assert (row.agency_name, row.seats, row.used, row.left, row.invited) == (
        "Dinas Pendidikan",
        2,
        2,
        0,
        1,
    )


def test_seats_cannot_fall_below_the_nominees(o):
    seats(o, o.open, o.w.agency_a, 2)
    nominate(o, o.open, o.w.staff_a)
    nominate(o, o.open, o.w.head_a)
    with pytest.raises(ValidationError):
        seats(o, o.open, o.w.agency_a, 1)
    assert EventQuota.objects.get(event=o.open, agency=o.w.agency_a).seats == 2
    with pytest.raises(PermissionDenied):
        svc.quota_set(
            actor=o.admin_user, scope=o.admin_a, event=o.open, agency=o.w.agency_a, seats=5
        )


def test_nominations_only_while_open_invitations_also_while_running(o):
    seats(o, o.open, o.w.agency_a, 3)
    o.open.status = "running"
    o.open.save()
    before = writes()
    with pytest.raises(ValidationError) as exc:
        nominate(o, o.open, o.w.staff_a)
    assert "terbuka untuk nominasi" in exc.value.messages[0]
    assert writes() == before
    svc.participant_invite(actor=o.bpsdm_user, scope=o.bpsdm, event=o.open, employee=o.w.staff_a)
    o.open.status = "finished"
    o.open.save()
    with pytest.raises(ValidationError):
        svc.participant_invite(actor=o.bpsdm_user, scope=o.bpsdm, event=o.open, employee=o.w.head_a)


# Scoping ---------------------------------------------------------------------------------------


def test_an_agency_never_nominates_or_reaches_another_agencys_staff(o):
    seats(o, o.open, o.w.agency_a, 3)
    seats(o, o.open, o.w.agency_b, 3)
    before = writes()
    with pytest.raises(PermissionDenied):
        nominate(o, o.open, o.w.staff_b)
    assert writes() == before
    reach = set(staff_within(o.admin_a))
    assert o.w.staff_a in reach and o.w.head_a in reach
    assert o.w.staff_b not in reach and o.w.staff_x not in reach
    assert not staff_within(scope_for(o.w.users["employee"])).exists()
    with pytest.raises(PermissionDenied):
        svc.participant_invite(
            actor=o.admin_user, scope=o.admin_a, event=o.open, employee=o.w.staff_a
        )


# Confirmation, withdrawal, replacement ---------------------------------------------------------


def test_confirm_in_bulk_and_never_twice(o):
    seats(o, o.open, o.w.agency_a, 2)
    one, two = nominate(o, o.open, o.w.staff_a), nominate(o, o.open, o.w.head_a)
    with pytest.raises(PermissionDenied):
        svc.participants_confirm(actor=o.admin_user, scope=o.admin_a, participants=[one])
    svc.participants_confirm(actor=o.bpsdm_user, scope=o.bpsdm, participants=[one, two])
    assert set(Participant.objects.values_list("status", flat=True)) == {"confirmed"}
    before = writes()
    with pytest.raises(ValidationError):
        svc.participant_confirm(actor=o.bpsdm_user, scope=o.bpsdm, participant=one)
    assert writes() == before


def test_withdrawal_needs_a_reason_and_frees_the_seat_for_re_enrolment(o):
    seats(o, o.open, o.w.agency_a, 1)
    first = nominate(o, o.open, o.w.staff_a)
    before = writes()
    with pytest.raises(ValidationError) as exc:
        svc.participant_withdraw(actor=o.admin_user, scope=o.admin_a, participant=first, reason=" ")
    assert exc.value.messages == ["Sebutkan alasan penarikan."]
    assert writes() == before
    svc.participant_withdraw(
        actor=o.admin_user, scope=o.admin_a, participant=first, reason="Tugas dinas luar"
    )
    again = nominate(o, o.open, o.w.staff_a)  # re-enrolment after withdrawal
    assert again.pk != first.pk
    first.refresh_from_db()
    assert (first.status, first.withdrawal_reason) == ("withdrawn", "Tugas dinas luar")
    with pytest.raises(ValidationError):
        svc.participant_withdraw(
            actor=o.admin_user, scope=o.admin_a, participant=first, reason="lagi"
        )


def test_a_replacement_takes_the_freed_seat_in_the_same_call(o):
    seats(o, o.open, o.w.agency_a, 1)
    first = nominate(o, o.open, o.w.staff_a)
    old, new = svc.participant_withdraw(
        actor=o.admin_user,
        scope=o.admin_a,
        participant=first,
        reason="Sakit",
        replacement=o.w.head_a,
    )
    assert (old.status, new.replaces_id, new.employee, new.status, new.route) == (
        "withdrawn",
        first.pk,
        o.w.head_a,
        "nominated",
        "agency",
    )
    (row,) = quota_rows(o.open)
    assert (row.seats, row.used) == (1, 1)


def test_a_refused_replacement_leaves_the_withdrawal_undone(o):
    seats(o, o.heads, o.w.agency_a, 1)
    first = nominate(o, o.heads, o.w.head_a)
    before = writes()
    with pytest.raises(ValidationError) as exc:  # not of the audience
        svc.participant_withdraw(
            actor=o.admin_user,
            scope=o.admin_a,
            participant=first,
            reason="Sakit",
            replacement=o.w.staff_a,
        )
    assert "bukan sasaran peserta" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):  # another agency's staff
        svc.participant_withdraw(
            actor=o.admin_user,
            scope=o.admin_a,
            participant=first,
            reason="Sakit",
            replacement=o.w.staff_b,
        )
    with pytest.raises(ValidationError):  # the same person
        svc.participant_withdraw(
            actor=o.admin_user,
            scope=o.admin_a,
            participant=first,
            reason="Sakit",
            replacement=o.w.head_a,
        )
    assert writes() == before
    first.refresh_from_db()
    assert first.status == "nominated"


def test_the_organiser_replaces_a_confirmed_participant_with_a_confirmed_one(o):
    acting(o, "plt", dt.date(2023, 1, 2))
    seats(o, o.heads, o.w.agency_b, 1)
    head_b = EmployeeFactory(unit=o.w.agency_b, position=o.head_pos_b, name="Hadi Kusuma")
    first = svc.participant_invite(
        actor=o.bpsdm_user, scope=o.bpsdm, event=o.heads, employee=head_b
    )
    _old, new = svc.participant_withdraw(
        actor=o.bpsdm_user,
        scope=o.bpsdm,
        participant=first,
        reason="Ditugaskan sebagai Penjabat Bupati",
        replacement=o.w.staff_a,
    )
    assert (new.status, new.acting, new.position_title, new.route) == (
        "confirmed",
        "plt",
        "Kepala Dinas Kesehatan",
        "invitation",
    )


def test_the_snapshot_survives_a_transfer(o):
    seats(o, o.open, o.w.agency_a, 1)
    enrolment = nominate(o, o.open, o.w.staff_a)
    new_post = PositionFactory(unit=o.w.agency_b, code="DINKES-01", title="Analis Kesehatan")
    employee_update(
        actor=None,
        scope=scope_for(o.w.users["bkd"]),
        employee=o.w.staff_a,
        data={"unit": o.w.agency_b, "position": new_post},
        effective=timezone.localdate(),
    )
    o.w.staff_a.refresh_from_db()
    assert o.w.staff_a.unit == o.w.agency_b
    enrolment.refresh_from_db()
    assert (enrolment.unit, enrolment.unit_name, enrolment.position_title) == (
        o.w.division_a,
        "Bidang SMA",
        "Analis SMA",
    )
    assert (enrolment.agency_name, enrolment.position_kind) == ("Dinas Pendidikan", "fungsional")


# Competency gaps and suggestions ---------------------------------------------------------------


def change():
    return Competency.objects.get(code="mengelola-perubahan")


def test_a_gap_is_recorded_by_the_agency_administrator_bkd_or_the_superior(o):
    gap = svc.competency_gap_record(
        actor=o.admin_user,
        scope=o.admin_a,
        employee=o.w.staff_a,
        competency=change(),
        year=2022,
        source="assessment",
        level=2,
    )
    assert (gap.level, gap.recorded_by) == (2, o.admin_user)
    svc.competency_gap_record(
        actor=None,
        scope=scope_for(o.w.users["bkd"]),
        employee=o.w.staff_b,
        competency=change(),
        year=2022,
        source="superior",
        description="Belum memimpin perubahan",
    )
    count = CompetencyGap.objects.count()
    with pytest.raises(PermissionDenied):
        svc.competency_gap_record(
            actor=o.admin_user,
            scope=o.admin_a,
            employee=o.w.staff_b,
            competency=change(),
            year=2022,
            source="assessment",
            level=2,
        )
    with pytest.raises(PermissionDenied):  # BPSDM organises, it does not assess
        svc.competency_gap_record(
            actor=o.bpsdm_user,
            scope=o.bpsdm,
            employee=o.w.staff_a,
            competency=change(),
            year=2022,
            source="assessment",
            level=2,
        )
    for bad in ({"level": 4}, {"level": 0}, {"level": None}, {"level": 2, "source": "rumor"}):
        args = {"level": 2, "source": "assessment", **bad}
        with pytest.raises(ValidationError):
            svc.competency_gap_record(
                actor=o.admin_user,
                scope=o.admin_a,
                employee=o.w.staff_a,
                competency=change(),
                year=2022,
                **args,
            )
    assert CompetencyGap.objects.count() == count


def test_the_superior_records_a_gap_of_their_report(o):
    ReportingLine.objects.create(
        instansi=o.w.instansi,
        position=o.w.staff_pos_a,
        reports_to=o.w.head_pos_a,
        valid_from=dt.date(2020, 1, 1),
    )
    for who, post, unit in [
        (o.w.staff_a, o.w.staff_pos_a, o.w.division_a),
        (o.w.head_a, o.w.head_pos_a, o.w.agency_a),
    ]:
        Assignment.objects.create(
            instansi=o.w.instansi,
            employee=who,
            position=post,
            unit=unit,
            valid_from=dt.date(2020, 1, 1),
        )
    head = scope_for(o.w.users["opd_head"])  # Budi, the head of agency A
    assert not head.can("change_people", o.w.division_a.path)
    gap = svc.competency_gap_record(
        actor=o.w.users["opd_head"],
        scope=head,
        employee=o.w.staff_a,
        competency=change(),
        year=2023,
        source="superior",
        level=1,
    )
    assert gap.source == "superior"


def evaluated(employee, post, unit, year, kind, sub, results, behaviour):
    period, _ = Period.objects.get_or_create(
        instansi=unit.instansi,
        year=year,
        defaults={
            "frequency": "quarterly",
            "plans_due": dt.date(year, 1, 31),
            "periodic_evaluation_days": 10,
            "annual_evaluation_due": dt.date(year + 1, 1, 31),
        },
    )
    plan, _ = Plan.objects.get_or_create(
        employee=employee,
        period=period,
        defaults={
            "instansi": unit.instansi,
            "position": post,
            "position_title": post.title,
            "position_kind": post.kind,
            "unit": unit,
            "starts": dt.date(year, 1, 1),
            "ends": dt.date(year, 12, 31),
            "status": "approved",
            "evaluator_name": "P",
            "evaluator_title": "K",
        },
    )
    return Evaluation.objects.create(
        instansi=unit.instansi,
        plan=plan,
        kind=kind,
        sub_period=sub,
        status="final",
        finalised_at=timezone.now(),
        source="plan",
        results_rating=results,
        behaviour_rating=behaviour,
        predikat="baik",
    )


@pytest.fixture
def needs(o):
    """For the open event of 2023 with a session on managing change: Siti's 2022 annual
    evaluation rated behaviour below expectation (her 2022 periodic ones said as expected);
    Budi's latest (2023 first quarter) is as expected although his 2022 annual was below, and
    he has a 2022 gap in managing change; agency B's Rina has results below expectation in the
    2022 annual; agency B's honorer's 2021 evaluation is too old."""
    session = SessionFactory(event=o.open)
    session.competencies.add(change())
    w = o.w
    evaluated(
        w.staff_a, w.staff_pos_a, w.division_a, 2022, "periodic", 4, "as_expected", "as_expected"
    )
    evaluated(
        w.staff_a,
        w.staff_pos_a,
        w.division_a,
        2022,
        "annual",
        0,
        "as_expected",
        "below_expectation",
    )
    evaluated(
        w.head_a,
        w.head_pos_a,
        w.agency_a,
        2022,
        "annual",
        0,
        "below_expectation",
        "below_expectation",
    )
    evaluated(w.head_a, w.head_pos_a, w.agency_a, 2023, "periodic", 1, "as_expected", "as_expected")
    CompetencyGap.objects.create(
        instansi=w.instansi,
        employee=w.head_a,
        competency=change(),
        year=2022,
        level=2,
        source="assessment",
    )
    post_b = PositionFactory(unit=w.agency_b, code="DINKES-02", title="Analis Gizi")
    evaluated(w.staff_b, post_b, w.agency_b, 2022, "annual", 0, "below_expectation", "as_expected")
    evaluated(
        w.honorer_b, post_b, w.agency_b, 2021, "annual", 0, "below_expectation", "below_expectation"
    )
    return o


def test_suggestions_carry_their_reasons(needs):
    o = needs
    found = {s.name: s.reasons for s in suggested_nominees(o.open, o.bpsdm)}
    assert found == {
        "Siti Aminah": ["Perilaku di bawah ekspektasi (evaluasi tahunan 2022)"],
        "Budi Santoso": ["Kesenjangan kompetensi: Mengelola Perubahan"],
        "Rina Wulandari": ["Hasil kerja di bawah ekspektasi (evaluasi tahunan 2022)"],
    }
    # An agency sees only its own staff; someone already enrolled is no longer suggested.
    seats(o, o.open, o.w.agency_a, 1)
    nominate(o, o.open, o.w.staff_a)
    assert [s.name for s in suggested_nominees(o.open, o.admin_a)] == ["Budi Santoso"]
    assert suggested_nominees(o.open, scope_for(o.w.users["employee"])) == []
    # The audience narrows: only heads (Budi).
    session = SessionFactory(event=o.heads)
    session.competencies.add(change())
    assert [s.name for s in suggested_nominees(o.heads, o.bpsdm)] == ["Budi Santoso"]


def test_suggestions_take_a_fixed_number_of_queries(needs):
    o = needs
    with CaptureQueriesContext(connection) as few:
        suggested_nominees(o.open, o.bpsdm)
    post_b = PositionFactory(unit=o.w.agency_b, code="DINKES-03", title="Perawat")
    for i in range(6):
        person = EmployeeFactory(unit=o.w.agency_b, position=post_b, name=f"Perawat {i}")
        evaluated(
            person, post_b, o.w.agency_b, 2023, "periodic", 1, "below_expectation", "as_expected"
        )
        CompetencyGap.objects.create(
            instansi=o.w.instansi,
            employee=person,
            competency=change(),
            year=2023,
            level=1,
            source="self",
        )
    with CaptureQueriesContext(connection) as more:
        found = suggested_nominees(o.open, o.bpsdm)
    assert len(found) == 9
    assert len(more) == len(few) <= 4
    nurse = next(s for s in found if s.name == "Perawat 0")
    assert nurse.reasons == [
        "Hasil kerja di bawah ekspektasi (evaluasi periodik 1, 2023)",
        "Kesenjangan kompetensi: Mengelola Perubahan",
    ]
