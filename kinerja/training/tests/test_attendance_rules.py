"""The attendance rules with concrete numbers: a 90-minute session worth 2 JP, 08:00-09:30."""

import datetime as dt
from decimal import Decimal

import pytest

from kinerja.training import attendance_rules as rules

WIB = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2023, 1, 11, 8, 0, tzinfo=WIB)
END = START + dt.timedelta(minutes=90)
POLICY = rules.policy_on(dt.date(2023, 1, 11))


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def credit(check_in, check_out, status=None, policy=POLICY):
    return rules.credit(
        start=START,
        end=END,
        session_jp=Decimal("2"),
        check_in=check_in,
        check_out=check_out,
        policy=policy,
        status=status,
    )


def test_the_policy_data_holds_the_numbers_in_force():
    assert (POLICY.grace_minutes, POLICY.opens_before_minutes, POLICY.closes_after_minutes) == (
        10,
        30,
        15,
    )
    assert (POLICY.room_step_seconds, POLICY.room_steps_accepted) == (30, 2)


@pytest.mark.parametrize(
    ("check_in", "check_out", "minutes", "status", "jp"),
    [
        (at(-5), at(92), 90, "present", "2.00"),  # on time: the window clips to 90 minutes
        (at(20), at(90), 70, "late", "1.55"),  # 2 x 70 / 90 = 1.5555... rounded down
        (at(0), at(60), 60, "left_early", "1.33"),  # 30 minutes early: 2 x 60 / 90 = 1.333...
        (at(20), at(60), 40, "late", "0.88"),  # both: late wins the status; 0.888... -> 0.88
        (at(10), at(80), 70, "present", "1.55"),  # within the grace: present, minutes still count
        (at(10.5), at(90), 79, "late", "1.75"),  # half a minute past the grace: late; 79.5 -> 79
        (at(0), at(79.9), 79, "left_early", "1.75"),  # left before end - grace
        (at(5), None, 85, "present", "1.88"),  # no check-out: credited to the session's end
        (None, None, 0, "absent", "0.00"),
        (at(100), None, 0, "late", "0.00"),  # checked in after the end: nothing to credit
    ],
)
def test_minutes_status_and_jp(check_in, check_out, minutes, status, jp):
    found = credit(check_in, check_out)
    assert (found.minutes, found.status, found.jp) == (minutes, status, Decimal(jp))


def test_without_check_out_the_other_policy_credits_nothing():
    strict = rules.AttendancePolicy(missing_check_out=rules.CHECK_IN_ONLY)
    assert credit(at(0), None, policy=strict).jp == Decimal("0.00")
    assert credit(at(0), at(45), policy=strict).jp == Decimal("1.00")


@pytest.mark.parametrize("status", ["excused", "sick", "absent"])
def test_excused_sick_and_absent_credit_nothing(status):
    assert credit(at(0), at(90), status=status) == rules.Credit(0, status, Decimal("0.00"))


def test_a_forced_present_still_counts_only_the_time():
    assert credit(at(20), at(90), status="present").jp == Decimal("1.55")


def test_window_edges():
    # Opens 30 minutes before 08:00, closes 15 minutes after 09:30; both ends included.
    assert rules.in_window(at(-30), START, END, POLICY)
    assert not rules.in_window(at(-30) - dt.timedelta(seconds=1), START, END, POLICY)
    assert rules.in_window(at(105), START, END, POLICY)
    assert not rules.in_window(at(105) + dt.timedelta(seconds=1), START, END, POLICY)


def test_device_clock_skew():
    now = at(0)
    assert rules.device_time_ok(now + dt.timedelta(seconds=120), now, POLICY)
    assert not rules.device_time_ok(now + dt.timedelta(seconds=121), now, POLICY)
    assert rules.device_time_ok(now - dt.timedelta(hours=5), now, POLICY)  # queued, sent late


def test_merge_earliest_in_latest_out_after_it():
    scans = [("in", at(3)), ("out", at(-1)), ("in", at(1)), ("out", at(85)), ("out", at(60))]
    assert rules.merge(scans) == (at(1), at(85))
    assert rules.merge(reversed(scans)) == (at(1), at(85))
    assert rules.merge([("out", at(80))]) == (None, None)  # an out with no in: ignored
    assert rules.merge([("in", at(30)), ("out", at(10))]) == (at(30), None)


def test_totals_and_percent():
    found = rules.totals(
        [Decimal("2"), Decimal("2"), Decimal("3")], [Decimal("1.55"), Decimal("2")]
    )
    assert (found.attended, found.planned, found.percent) == (
        Decimal("3.55"),
        Decimal("7"),
        Decimal("50.71"),  # 355 / 7 = 50.714... rounded down
    )
    assert rules.totals([], []).percent == Decimal("0.00")


def test_room_code_current_and_previous_step_only():
    key = b"k" * 32
    now = dt.datetime(2023, 1, 11, 8, 0, 15, tzinfo=WIB)
    step = rules.room_step(now, POLICY)
    code = rules.room_code(key, 7, step, POLICY)
    assert len(code) == 6 and code.isdigit()
    assert rules.room_code_step(key, 7, code, now, POLICY) == step
    assert rules.room_code_step(key, 7, code, now + dt.timedelta(seconds=30), POLICY) == step
    assert rules.room_code_step(key, 7, code, now + dt.timedelta(seconds=60), POLICY) is None
    assert rules.room_code_step(key, 8, code, now, POLICY) is None  # another session
    assert rules.room_code_step(b"x" * 32, 7, code, now, POLICY) is None  # another key
