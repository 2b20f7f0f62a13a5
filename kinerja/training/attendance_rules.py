"""Attendance rules as pure functions: the scan window, the status and the lesson hours (JP)
credited for the time present, the merge of scans from several devices, the totals of a
participant and the rotating room code.

The numbers are policy data (``data/attendance.json``, versioned by ``valid_from``; see
``data/README.md``). Nothing here reads the database.

- **Minutes present**: from the check-in to the check-out, both clipped to the session
  [start, end]; whole minutes (seconds are dropped). A check-in without a check-out is credited
  to the session's end (policy ``missing_check_out``: ``session_end``), or nothing
  (``check_in_only``).
- **Status**: no check-in is *absent*; a check-in later than start + grace is *late*; else a
  check-out earlier than end - grace is *left early*; else *present*. Late and left early
  together read *late* (the minutes show both). Excused, sick and absent are set by hand and
  credit 0 JP.
- **JP credited** = session JP x minutes present / session minutes, rounded *down* to 0.01
  (a participant is never credited more than the time present). 90 minutes worth 2 JP, 20
  minutes late: 2 x 70 / 90 = 1.5555... -> 1.55.
- **Merge** of the scans of one participant and session, from any number of devices in any
  order: the check-in is the earliest scan in; the check-out is the latest scan out that is
  later than that check-in; a scan out with no scan in before it is ignored. The result
  depends only on the set of scans, so a queue replayed twice, or two devices' queues
  interleaved, give the same attendance.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
CENT = Decimal("0.01")
PRESENT, LATE, LEFT_EARLY = "present", "late", "left_early"
EXCUSED, SICK, ABSENT = "excused", "sick", "absent"
NO_CREDIT = frozenset({EXCUSED, SICK, ABSENT})
SESSION_END, CHECK_IN_ONLY = "session_end", "check_in_only"


@dataclass(frozen=True)
class AttendancePolicy:
    grace_minutes: int = 10
    opens_before_minutes: int = 30
    closes_after_minutes: int = 15
    clock_skew_seconds: int = 120
    missing_check_out: str = SESSION_END
    room_step_seconds: int = 30
    room_steps_accepted: int = 2
    room_digits: int = 6
    room_failures_allowed: int = 5
    room_failure_minutes: int = 10
    valid_from: dt.date = dt.date(2020, 1, 1)


@functools.cache
def _versions() -> tuple[AttendancePolicy, ...]:
    with open(DATA / "attendance.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    out = []
    for v in raw["versions"]:
        out.append(
            AttendancePolicy(
                grace_minutes=int(v["grace_minutes"]),
                opens_before_minutes=int(v["window_opens_before_minutes"]),
                closes_after_minutes=int(v["window_closes_after_minutes"]),
                clock_skew_seconds=int(v["clock_skew_seconds"]),
                missing_check_out=v["missing_check_out"],
                room_step_seconds=int(v["room_code_step_seconds"]),
                room_steps_accepted=int(v["room_code_steps_accepted"]),
                room_digits=int(v["room_code_digits"]),
                room_failures_allowed=int(v["room_code_failures_allowed"]),
                room_failure_minutes=int(v["room_code_failure_minutes"]),
                valid_from=dt.date.fromisoformat(v["valid_from"]),
            )
        )
    return tuple(sorted(out, key=lambda p: p.valid_from))


def policy_on(day: dt.date) -> AttendancePolicy:
    """The attendance policy in force on ``day`` (the first version before it starts)."""
    versions = _versions()
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= day:
            chosen = version
    return chosen


# The window ----------------------------------------------------------------------------------


def scan_window(
    start: dt.datetime, end: dt.datetime, policy: AttendancePolicy
) -> tuple[dt.datetime, dt.datetime]:
    """When scans of a session count: from ``opens_before`` minutes before the start to
    ``closes_after`` minutes after the end, both ends included."""
    return (
        start - dt.timedelta(minutes=policy.opens_before_minutes),
        end + dt.timedelta(minutes=policy.closes_after_minutes),
    )


def in_window(
    moment: dt.datetime, start: dt.datetime, end: dt.datetime, policy: AttendancePolicy
) -> bool:
    opens, closes = scan_window(start, end, policy)
    return opens <= moment <= closes


def device_time_ok(
    scanned_at: dt.datetime, received_at: dt.datetime, policy: AttendancePolicy
) -> bool:
    """A device's time may not be later than the server's by more than the clock skew (a scan
    cannot come from the future); an earlier one is a queued scan sent late, and is fine."""
    return scanned_at <= received_at + dt.timedelta(seconds=policy.clock_skew_seconds)


# Minutes, status, JP ------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    minutes: int
    status: str
    jp: Decimal


def minutes_present(
    start: dt.datetime,
    end: dt.datetime,
    check_in: dt.datetime | None,
    check_out: dt.datetime | None,
    policy: AttendancePolicy,
) -> int:
    if check_in is None:
        return 0
    if check_out is None:
        if policy.missing_check_out != SESSION_END:
            return 0
        check_out = end
    begin = max(check_in, start)
    finish = min(check_out, end)
    if finish <= begin:
        return 0
    return int((finish - begin).total_seconds() // 60)


def status_for(
    start: dt.datetime,
    end: dt.datetime,
    check_in: dt.datetime | None,
    check_out: dt.datetime | None,
    policy: AttendancePolicy,
) -> str:
    if check_in is None:
        return ABSENT
    grace = dt.timedelta(minutes=policy.grace_minutes)
    if check_in > start + grace:
        return LATE
    if check_out is not None and check_out < end - grace:
        return LEFT_EARLY
    return PRESENT


def jp_for(session_jp: Decimal, minutes: int, session_minutes: int) -> Decimal:
    """Session JP x minutes present / session minutes, rounded down to 0.01."""
    if session_minutes <= 0 or minutes <= 0:
        return Decimal("0.00")
    minutes = min(minutes, session_minutes)
    value = Decimal(session_jp) * Decimal(minutes) / Decimal(session_minutes)
    return value.quantize(CENT, rounding=ROUND_DOWN)


def credit(
    *,
    start: dt.datetime,
    end: dt.datetime,
    session_jp: Decimal,
    check_in: dt.datetime | None,
    check_out: dt.datetime | None,
    policy: AttendancePolicy,
    status: str | None = None,
) -> Credit:
    """What a session gives a participant. ``status`` forces a status set by hand: excused,
    sick and absent credit nothing; present, late and left early credit the time present."""
    if status in NO_CREDIT:
        return Credit(0, status, Decimal("0.00"))
    minutes = minutes_present(start, end, check_in, check_out, policy)
    session_minutes = int((end - start).total_seconds() // 60)
    found = status or status_for(start, end, check_in, check_out, policy)
    return Credit(minutes, found, jp_for(session_jp, minutes, session_minutes))


# Merge ----------------------------------------------------------------------------------------


def merge(
    scans: Iterable[tuple[str, dt.datetime]],
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(check-in, check-out) from scans ``(direction, moment)`` of several devices: the earliest
    in; the latest out later than that in; an out with no in before it is ignored."""
    scans = list(scans)
    ins = [moment for direction, moment in scans if direction == "in"]
    if not ins:
        return None, None
    check_in = min(ins)
    outs = [moment for direction, moment in scans if direction == "out" and moment > check_in]
    return check_in, (max(outs) if outs else None)


# Totals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    attended: Decimal
    planned: Decimal

    @property
    def percent(self) -> Decimal:
        """JP attended as a share of JP planned, rounded down to 0.01 percent."""
        if not self.planned:
            return Decimal("0.00")
        return (self.attended * 100 / self.planned).quantize(CENT, rounding=ROUND_DOWN)


def totals(planned: Iterable[Decimal], attended: Iterable[Decimal]) -> Totals:
    return Totals(
        attended=sum((Decimal(v) for v in attended), Decimal("0.00")).quantize(CENT),
        planned=sum((Decimal(v) for v in planned), Decimal("0.00")).quantize(CENT),
    )


# The rotating room code ----------------------------------------------------------------------


def room_step(moment: dt.datetime, policy: AttendancePolicy) -> int:
    return int(moment.timestamp()) // policy.room_step_seconds


def room_code(key: bytes, session_id: int, step: int, policy: AttendancePolicy) -> str:
    """A TOTP-like code: HMAC-SHA256 of the session and the time step, truncated to digits."""
    digest = hmac.new(key, f"room:{session_id}:{step}".encode(), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**policy.room_digits).zfill(policy.room_digits)


def room_code_step(
    key: bytes, session_id: int, code: str, moment: dt.datetime, policy: AttendancePolicy
) -> int | None:
    """The step a typed room code belongs to, among the accepted ones (the current step and
    the ones before it), or None: forged or expired."""
    code = (code or "").strip().replace(" ", "")
    now = room_step(moment, policy)
    for step in range(now, now - policy.room_steps_accepted, -1):
        if hmac.compare_digest(room_code(key, session_id, step, policy), code):
            return step
    return None


def as_dict(policy: AttendancePolicy) -> dict[str, Any]:
    return {k: getattr(policy, k) for k in policy.__dataclass_fields__}
