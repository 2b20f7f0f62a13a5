"""Attendance services: badge codes (forgery, another event), the window, an offline queue
replayed twice, two devices, rotating room codes (forged, expired, reused), corrections, and
the totals in JP. The session is 08:00-09:30 WIB on 11 January 2023, worth 2 JP."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.training import attendance_rules as rules
from kinerja.training.models import Attendance, AttendanceScan, Participant
from kinerja.training.services import attendance as svc
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English (the default language is Indonesian)."""
    with translation.override("en"):
        yield


WIB = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2023, 1, 11, 8, 0, tzinfo=WIB)


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = at(0)

    monkeypatch.setattr(svc, "_now", lambda: Clock.now)
    cache.clear()
    return Clock


@pytest.fixture
def setup(world, clock):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    session = SessionFactory(event=event)
    part = ParticipantFactory(event=event, employee=world.staff_a)
    organiser = world.users["bpsdm"]
    return {
        "world": world,
        "event": event,
        "session": session,
        "part": part,
        "user": organiser,
        "scope": scope_for(organiser),
    }


def scan(s, direction, minutes, *, code=None, device="A", scan_id=None, session=None):
    return svc.scan_record(
        actor=s["user"],
        scope=s["scope"],
        session=session or s["session"],
        code=code if code is not None else svc.badge_code(s["part"]),
        direction=direction,
        scan_uuid=scan_id or uuid.uuid4(),
        scanned_at=at(minutes),
        device=device,
    )


def attendance(s):
    return Attendance.objects.get(participant=s["part"], session=s["session"])


def test_a_scan_in_and_out_credits_the_time_present(setup, clock):
    clock.now = at(100)
    scan(setup, "in", 20)
    scan(setup, "out", 90)
    att = attendance(setup)
    assert (att.status, att.minutes_present, att.jp) == ("late", 70, Decimal("1.55"))
    assert AuditEvent.objects.filter(action="training.attendance_scan").count() == 2


def test_a_forged_code_is_refused_and_nothing_is_written(setup):
    code = svc.badge_code(setup["part"])
    event_id, rest = code.split(".", 1)
    other = setup["part"].pk + 1
    forged = [
        code[:-1] + ("A" if code[-1] != "A" else "B"),  # tampered signature
        f"{event_id}.{other}:{code.split(':')[1]}",  # another participant, same signature
        "garbage",
        "",
    ]
    for bad in forged:
        with pytest.raises(ValidationError, match="not a valid badge"):
            scan(setup, "in", 0, code=bad)
    assert not AttendanceScan.objects.exists() and not Attendance.objects.exists()


def test_another_events_badge_is_refused(setup):
    world = setup["world"]
    other_event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    other_part = ParticipantFactory(event=other_event, employee=world.staff_b)
    with pytest.raises(ValidationError, match="another event"):
        scan(setup, "in", 0, code=svc.badge_code(other_part))


def test_a_withdrawn_participant_is_refused(setup):
    Participant.objects.filter(pk=setup["part"].pk).update(status="withdrawn")
    with pytest.raises(ValidationError, match="not confirmed"):
        scan(setup, "in", 0)


@pytest.mark.parametrize(
    ("minutes", "ok"), [(-30, True), (-30.02, False), (105, True), (105.02, False)]
)
def test_the_window_edges(setup, clock, minutes, ok):
    clock.now = at(200)
    if ok:
        scan(setup, "in", minutes)
        assert AttendanceScan.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="outside the session's window"):
            scan(setup, "in", minutes)
        assert not AttendanceScan.objects.exists()


def test_a_device_clock_ahead_is_refused(setup, clock):
    clock.now = at(0)
    scan(setup, "in", 2)  # two minutes ahead: within the tolerance
    with pytest.raises(ValidationError, match="clock is ahead"):
        scan(setup, "out", 2.1)


def test_only_the_organiser_scans(setup):
    world = setup["world"]
    for role in ("opd_admin", "employee", "bkd"):
        with pytest.raises(PermissionDenied):
            svc.scan_record(
                actor=world.users[role],
                scope=scope_for(world.users[role]),
                session=setup["session"],
                code=svc.badge_code(setup["part"]),
                direction="in",
                scan_uuid=uuid.uuid4(),
                scanned_at=at(0),
            )


def _queue(s):
    return [
        {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"q{i}")),
            "session": s["session"],
            "code": svc.badge_code(s["part"]),
            "direction": direction,
            "scanned_at": at(minutes),
            "device": "tablet-1",
        }
        for i, (direction, minutes) in enumerate([("in", 15), ("out", 50), ("out", 75)])
    ]


def test_an_offline_queue_replayed_twice_gives_the_same_attendance(setup, clock):
    clock.now = at(300)
    queue = _queue(setup)
    first = svc.scans_record_batch(actor=setup["user"], scope=setup["scope"], items=queue)
    assert [a["outcome"] for a in first] == ["counted", "counted", "counted"]
    kept = attendance(setup)
    assert (kept.checked_in_at, kept.checked_out_at, kept.jp) == (at(15), at(75), Decimal("1.33"))
    events = AuditEvent.objects.count()
    again = svc.scans_record_batch(actor=setup["user"], scope=setup["scope"], items=queue)
    assert [a["outcome"] for a in again] == ["duplicate"] * 3
    assert AttendanceScan.objects.count() == 3 and AuditEvent.objects.count() == events
    replayed = attendance(setup)
    assert (replayed.checked_in_at, replayed.checked_out_at, replayed.jp, replayed.version) == (
        at(15),
        at(75),
        Decimal("1.33"),
        kept.version,
    )


def test_a_refused_item_does_not_stop_the_batch(setup, clock):
    clock.now = at(300)
    queue = _queue(setup)
    queue[1]["code"] = "forged:code"
    queue.insert(0, {"uuid": "not-a-uuid", "session": setup["session"], "direction": "in"})
    answers = svc.scans_record_batch(actor=setup["user"], scope=setup["scope"], items=queue)
    assert [a["outcome"] for a in answers] == ["refused", "counted", "refused", "counted"]
    assert "not a valid badge" in answers[2]["message"]
    assert AttendanceScan.objects.count() == 2


def test_a_reused_scan_id_for_another_scan_is_refused(setup, clock):
    clock.now = at(300)
    scan_id = uuid.uuid4()
    scan(setup, "in", 0, scan_id=scan_id)
    with pytest.raises(ValidationError, match="already used for another scan"):
        scan(setup, "out", 80, scan_id=scan_id)


def test_two_devices_interleaved_merge_earliest_in_latest_out(setup, clock):
    """Door A and door B both scan the participant. Device B's queue arrives first, with a
    scan out before any scan in was received: it is kept and ignored until an in precedes it."""
    clock.now = at(300)
    device_a = [("in", 5), ("out", 60)]
    device_b = [("out", 85), ("in", 2), ("out", 1)]  # "out" at 1: before every in, ignored
    order = [("B", device_b[0]), ("A", device_a[0]), ("B", device_b[1]), ("A", device_a[1])]
    order.append(("B", device_b[2]))
    results = []
    for device, (direction, minutes) in order:
        found, _new = scan(setup, direction, minutes, device=device)
        results.append(found.outcome)
    att = attendance(setup)
    assert (att.checked_in_at, att.checked_out_at) == (at(2), at(85))
    assert (att.status, att.minutes_present, att.jp) == ("present", 83, Decimal("1.84"))
    # the first "out" changed nothing (no in yet); the last "out" (at 1) changed nothing
    assert results[0] == "ignored" and results[-1] == "ignored"


def test_two_devices_in_any_order_give_the_same_result(setup, clock):
    clock.now = at(300)
    moves = [("in", 12), ("in", 3), ("out", 70), ("out", 88), ("out", 1)]
    for direction, minutes in reversed(moves):
        scan(setup, direction, minutes)
    att = attendance(setup)
    assert (att.checked_in_at, att.checked_out_at, att.jp) == (at(3), at(88), Decimal("1.88"))


# The rotating room code -----------------------------------------------------------------------


def check_in(s, code, direction="in"):
    user = s["world"].users["employee"]  # staff_a's own account
    return svc.room_check_in(
        actor=user, scope=scope_for(user), session=s["session"], code=code, direction=direction
    )


def test_a_participant_checks_in_with_the_room_code(setup, clock):
    clock.now = at(-5)
    code = svc.room_code_now(setup["session"])["code"]
    check_in(setup, code)
    clock.now = at(95)
    check_in(setup, svc.room_code_now(setup["session"])["code"], "out")
    att = attendance(setup)
    assert (att.status, att.minutes_present, att.jp) == ("present", 90, Decimal("2.00"))


def test_a_code_is_accepted_once_per_participant_whatever_the_direction(setup, clock):
    clock.now = at(0)
    code = svc.room_code_now(setup["session"])["code"]
    check_in(setup, code)
    with pytest.raises(ValidationError, match="already used this code"):
        check_in(setup, code)
    with pytest.raises(ValidationError, match="already used this code"):
        check_in(setup, code, "out")
    assert AttendanceScan.objects.count() == 1


def test_the_previous_step_is_accepted_an_older_one_expired(setup, clock):
    clock.now = dt.datetime(2023, 1, 11, 8, 0, 1, tzinfo=WIB)
    code = svc.room_code_now(setup["session"])["code"]
    clock.now += dt.timedelta(seconds=30)  # the next step: the code is the previous one
    check_in(setup, code)
    later = svc.room_code_now(setup["session"])["code"]
    clock.now += dt.timedelta(seconds=60)  # two steps on: expired
    with pytest.raises(ValidationError, match="wrong or has expired"):
        check_in(setup, later, "out")


def test_a_forged_room_code_is_refused_and_the_brake_stops_guessing(setup, clock):
    clock.now = at(0)
    right = svc.room_code_now(setup["session"])["code"]
    wrong = str((int(right) + 1) % 10**6).zfill(6)
    for _ in range(5):
        with pytest.raises(ValidationError, match="wrong or has expired"):
            check_in(setup, wrong)
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        check_in(setup, right)
    assert not AttendanceScan.objects.exists()


def test_another_sessions_code_does_not_work(setup, clock):
    other = SessionFactory(event=setup["event"])
    clock.now = at(0)
    with pytest.raises(ValidationError, match="wrong or has expired"):
        check_in(setup, svc.room_code_now(other)["code"])


def test_the_room_code_outside_the_window_is_refused(setup, clock):
    clock.now = at(-31)
    with pytest.raises(ValidationError, match="not open now"):
        check_in(setup, svc.room_code_now(setup["session"])["code"])


def test_only_a_participant_checks_in_with_the_room_code(setup, clock):
    user = setup["world"].users["opd_head"]  # head_a: not enrolled
    with pytest.raises(PermissionDenied):
        svc.room_check_in(
            actor=user,
            scope=scope_for(user),
            session=setup["session"],
            code=svc.room_code_now(setup["session"])["code"],
            direction="in",
        )


# Corrections and totals -----------------------------------------------------------------------


def correct(s, status, check_in=None, check_out=None, reason="Surat keterangan dokter"):
    return svc.attendance_correct(
        actor=s["user"],
        scope=s["scope"],
        participant=s["part"],
        session=s["session"],
        status=status,
        checked_in_at=check_in,
        checked_out_at=check_out,
        reason=reason,
    )


def test_a_correction_recomputes_the_jp_is_audited_and_stands_against_later_scans(setup, clock):
    clock.now = at(300)
    scan(setup, "in", 40)
    assert attendance(setup).jp == Decimal("1.11")  # 50 minutes to the end: 2 x 50 / 90
    att = correct(setup, "late", at(20), at(90), reason="Pemindai di pintu B mati")
    assert (att.minutes_present, att.jp) == (70, Decimal("1.55"))
    event = AuditEvent.objects.get(action="training.attendance_correct")
    assert event.reason == "Pemindai di pintu B mati"
    assert event.changes["jp"] == ["1.11", "1.55"]
    assert event.changes["checked_in_at"][1] == "2023-01-11T08:20:00+07:00"
    scan(setup, "in", 0)
    assert attendance(setup).jp == Decimal("1.55")


def test_a_correction_to_sick_credits_nothing(setup):
    att = correct(setup, "sick")
    assert (att.status, att.jp, att.checked_in_at) == ("sick", Decimal("0.00"), None)


@pytest.mark.parametrize(
    ("status", "check_in", "check_out", "reason", "field"),
    [
        ("present", at(0), at(90), "", "reason"),
        ("present", None, None, "x", "checked_in_at"),
        ("present", at(50), at(40), "x", "checked_out_at"),
        ("asleep", None, None, "x", "status"),
    ],
)
def test_a_bad_correction_is_refused(setup, status, check_in, check_out, reason, field):
    with pytest.raises(ValidationError) as error:
        correct(setup, status, check_in, check_out, reason=reason)
    assert field in error.value.message_dict
    assert not Attendance.objects.exists()


def test_only_the_organiser_corrects(setup):
    user = setup["world"].users["opd_admin"]
    with pytest.raises(PermissionDenied):
        svc.attendance_correct(
            actor=user,
            scope=scope_for(user),
            participant=setup["part"],
            session=setup["session"],
            status="present",
            checked_in_at=at(0),
            checked_out_at=at(90),
            reason="x",
        )


def test_totals_per_participant(setup, clock):
    clock.now = at(1000)
    second = SessionFactory(event=setup["event"], starts_at=at(120), ends_at=at(210))
    SessionFactory(event=setup["event"], starts_at=at(240), ends_at=at(375), jp=Decimal("3"))
    scan(setup, "in", 20)
    scan(setup, "out", 90)
    scan(setup, "in", 118, session=second)  # no check-out: credited to the end
    rows = svc.totals_for(setup["event"], Participant.objects.filter(event=setup["event"]))
    (row,) = rows
    # 1.55 + 2.00 of 7 JP planned = 50.71 %
    assert (row["attended"], row["planned"], row["percent"]) == (
        Decimal("3.55"),
        Decimal("7.00"),
        Decimal("50.71"),
    )


def test_attendance_is_read_like_the_participant(setup, clock):
    clock.now = at(300)
    world = setup["world"]
    part_b = ParticipantFactory(event=setup["event"], employee=world.staff_b)
    scan(setup, "in", 0)
    svc.scan_record(
        actor=setup["user"],
        scope=setup["scope"],
        session=setup["session"],
        code=svc.badge_code(part_b),
        direction="in",
        scan_uuid=uuid.uuid4(),
        scanned_at=at(0),
    )

    def seen(role):
        return {a.participant_id for a in svc.attendance_for(scope_for(world.users[role]))}

    assert seen("bpsdm") == {setup["part"].pk, part_b.pk}
    assert seen("employee") == {setup["part"].pk}
    assert seen("opd_admin") == {setup["part"].pk}
    assert seen("evaluator") == set()


def test_policy_rounding_matches_the_rules_module():
    assert rules.jp_for(Decimal("2"), 83, 90) == Decimal("1.84")  # 1.8444...
