"""The load_demo step of attendance: the 2023 refreshment's confirmed participants scanned in and
out of every session at the door (two devices), through the attendance rules. Most are on time,
some late, a few leave early, one is sick on the second day and two more miss enough to stay
under 90% of the JP. Written in bulk, with one audit event per attendance (`record_many`).
Registered from `TrainingConfig.ready()` after the steps that make the event and enrol its
participants."""

from __future__ import annotations

import datetime as dt
import uuid
import zlib

from django.utils.translation import gettext as _

from kinerja.audit.services import record_many

from . import attendance_rules as rules
from .models import Attendance, AttendanceScan, Event, Participant, ScanMethod, ScanOutcome
from .services.attendance import policy_for

EVENT_TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
NAMESPACE = uuid.UUID("6f1d2c3e-2023-4a11-9b5e-6d616c616e67")  # the demo's scan ids
SICK_REASON = "Sakit, dengan surat keterangan dokter"
EXCUSED_REASON = "Izin: dipanggil rapat mendadak oleh Gubernur"


def _plan(index: int, seed: int, s: int, sessions: int, first_day_of: list[int]):
    """(status forced or None, minutes of arrival after the start, minutes of leaving before
    the end) of participant ``index`` at session ``s``."""
    day = first_day_of[s]
    if index == 0 and day == 1:  # sick on the second day
        return rules.SICK, 0, 0
    if index == 1 and s >= sessions - 3:  # called away: the last three sessions excused
        return rules.EXCUSED, 0, 0
    if index == 2 and s % 2 == 0:  # late and leaving early every other session
        return None, 35, 30
    arrive = -12 + (seed >> s) % 15  # from 12 minutes early to 2 minutes late
    leave = 0
    if (seed + s) % 9 == 0:  # now and then late
        arrive = 12 + (seed >> 3) % 10
    if (seed + 2 * s) % 17 == 0:  # a few leave early
        leave = 15 + (seed >> 5) % 10
    return None, arrive, leave


def demo_attendance(event: Event) -> int:
    """Attendance for every confirmed participant and session of ``event`` that has none;
    return the number of attendance rows written."""
    sessions = list(event.sessions.order_by("starts_at", "pk"))
    participants = list(
        Participant.objects.filter(event=event).confirmed().select_related("employee", "unit")
    )
    participants.sort(key=lambda p: (p.employee.nip, p.pk))
    if not sessions or not participants:
        return 0
    done = set(
        Attendance.objects.filter(session__event=event).values_list("participant_id", "session_id")
    )
    days = sorted({s.starts_at.date() for s in sessions})
    day_of = [days.index(s.starts_at.date()) for s in sessions]
    rows: list[Attendance] = []
    scans: list[AttendanceScan] = []
    for index, part in enumerate(participants):
        seed = zlib.crc32(f"{part.employee.nip}|{event.pk}".encode())
        for s, session in enumerate(sessions):
            if (part.pk, session.pk) in done:
                continue
            policy = policy_for(session)
            forced, arrive, leave = _plan(index, seed, s, len(sessions), day_of)
            check_in = check_out = None
            if forced is None:
                check_in = session.starts_at + dt.timedelta(minutes=arrive)
                check_out = session.ends_at - dt.timedelta(minutes=leave)
                if leave == 0:
                    check_out += dt.timedelta(minutes=(seed >> s) % 6)
                for direction, moment in (("in", check_in), ("out", check_out)):
                    scans.append(
                        AttendanceScan(
                            instansi_id=event.instansi_id,
                            uuid=uuid.uuid5(NAMESPACE, f"{part.pk}:{session.pk}:{direction}"),
                            participant=part,
                            session=session,
                            direction=direction,
                            method=ScanMethod.CAMERA,
                            scanned_at=moment,
                            received_at=moment,
                            device=f"demo-pintu-{1 + (seed + s) % 2}",
                            outcome=ScanOutcome.COUNTED,
                        )
                    )
            found = rules.credit(
                start=session.starts_at,
                end=session.ends_at,
                session_jp=session.jp,
                check_in=check_in,
                check_out=check_out,
                policy=policy,
                status=forced,
            )
            rows.append(
                Attendance(
                    instansi_id=event.instansi_id,
                    participant=part,
                    session=session,
                    status=found.status,
                    checked_in_at=check_in,
                    checked_out_at=check_out,
                    minutes_present=found.minutes,
                    jp=found.jp,
                    correction_reason={rules.SICK: SICK_REASON, rules.EXCUSED: EXCUSED_REASON}.get(
                        forced or "", ""
                    ),
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=500)
    AttendanceScan.objects.bulk_create(scans, batch_size=500, ignore_conflicts=True)
    record_many(
        actor=None,
        action="training.attendance_scan",
        instansi_id=event.instansi_id,
        reason="load_demo",
        entries=(
            {
                "target_type": "training.attendance",
                "target_id": a.pk,
                "target_repr": str(a),
                "unit_id": a.participant.unit_id,
                "unit_path": a.participant.unit.path,
                "changes": {
                    "status": [None, a.status],
                    "minutes_present": [None, a.minutes_present],
                    "jp": [None, str(a.jp)],
                },
            }
            for a in rows
        ),
    )
    return len(rows)


def demo_attendance_run(ctx) -> str:
    event = Event.objects.filter(instansi=ctx.instansi, title=EVENT_TITLE).first()
    if event is None:
        return _("skipped: no event %(title)s") % {"title": EVENT_TITLE}
    written = demo_attendance(event)
    return _("%(n)d attendance rows written") % {"n": written}


def demo_attendance_wipe(ctx) -> str:
    """Remove the demo event's attendance and scans (their audit events stay)."""
    found = AttendanceScan.objects.filter(
        instansi=ctx.instansi, session__event__title=EVENT_TITLE
    ).delete()[0]
    found += Attendance.objects.filter(
        instansi=ctx.instansi, session__event__title=EVENT_TITLE
    ).delete()[0]
    return _("removed %(n)d attendance rows and scans") % {"n": found}
