"""Permission-matrix rows of attendance: the scanning page, the room code, self check-in, badges,
corrections, totals in JP, the attendance sheet and their API.

Objects added per target (``extend``): ``live_session``, a session of the target's event running
now (so that a scan or a check-in falls in its window), and ``attendance``, the participant's
attendance of the target's session (present, not corrected)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from kinerja.training.models import Attendance, AttendanceScan, Participant, Session
from kinerja.training.tests.factories import SessionFactory
from tests.matrix_base import IN_A, SIGNED_IN, WIDE, Row

ORGANISERS = {"system_admin", "bpsdm"}  # manage_training across the instansi
PARTICIPANT = {"employee"}  # staff_a's own account, enrolled in the event of target "a"
SCAN_ID = str(uuid.UUID(int=20230111))


def _scans_of(objs, role):
    return AttendanceScan.objects.filter(
        participant_id=objs["participant"], session_id=objs["live_session"]
    ).count()


def _room_code(objs, role):
    from kinerja.training.services.attendance import room_code_now

    return {"code": room_code_now(Session.objects.get(pk=objs["live_session"]))["code"]}


def _scan(objs, role):
    from kinerja.training.services.attendance import badge_code

    return {
        "uuid": SCAN_ID,
        "session": objs["live_session"],
        "code": badge_code(Participant.objects.get(pk=objs["participant"])),
        "direction": "in",
        "device": "matrix",
    }


def _scan_kept(objs, role):
    return AttendanceScan.objects.filter(uuid=SCAN_ID).count()


def _status(objs, role):
    found = Attendance.objects.filter(
        participant_id=objs["participant"], session_id=objs["session"]
    ).first()
    return found.status if found else None


def _row_status(objs, role):
    return Attendance.objects.get(pk=objs["attendance"]).status


def _page(**kw):
    return {"training": True, **kw}


ROWS = [
    Row(
        "training:attendance_scan",
        "get",
        {"a": ORGANISERS, "x": set()},
        kwargs={"pk": "event"},
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_badge",
        "get",
        {"a": PARTICIPANT, "x": set()},
        kwargs={"pk": "event"},
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_badges",
        "get",
        {"a": ORGANISERS, "x": set()},
        kwargs={"pk": "event"},
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_badge_pdf",
        "get",
        {"a": ORGANISERS | PARTICIPANT, "b": ORGANISERS, "x": set()},
        kwargs={"pk": "participant"},
        **_page(),
    ),
    Row(
        "training:attendance_totals",
        "get",
        {"a": SIGNED_IN, "x": set()},
        kwargs={"pk": "event"},
        leak_check=True,
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_totals_export",
        "get",
        {"a": SIGNED_IN, "x": set()},
        kwargs={"pk": "event"},
        xlsx=True,
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_room_code",
        "get",
        {"a": ORGANISERS, "x": set()},
        kwargs={"pk": "live_session"},
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_check_in",
        "get",
        {"a": PARTICIPANT, "x": set()},
        kwargs={"pk": "live_session"},
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_check_in",
        "post",
        {"a": PARTICIPANT, "x": set()},
        kwargs={"pk": "live_session"},
        data=lambda objs, role: {**_room_code(objs, role), "direction": "in"},
        ok=(302,),
        state=_scans_of,
        expect=lambda objs, role: 1,
        **_page(),
    ),
    Row(
        "training:attendance_session",
        "get",
        {"a": ORGANISERS, "x": set()},
        kwargs={"pk": "session"},
        **_page(),
    ),  # fmt: skip
    Row(
        "training:attendance_correct",
        "post",
        {"a": ORGANISERS, "b": ORGANISERS, "x": set()},
        kwargs={"pk": "session", "participant": "participant"},
        data={"status": "sick", "reason": "Surat keterangan dokter"},
        ok=(302,),
        state=_status,
        expect=lambda objs, role: "sick",
        **_page(),
    ),
    Row(
        "training:attendance_sheet",
        "get",
        {"a": ORGANISERS, "x": set()},
        kwargs={"pk": "session"},
        **_page(),
    ),  # fmt: skip
    # The API.
    Row("api:training-attendance-list", "get", {"-": SIGNED_IN}, api=True, **_page()),
    Row(
        "api:training-attendance-detail",
        "get",
        {"a": IN_A, "b": WIDE, "x": set()},
        api=True,
        kwargs={"pk": "attendance"},
        **_page(),
    ),  # fmt: skip
    Row(
        "api:training-attendance-detail",
        "patch",
        {"a": ORGANISERS, "b": ORGANISERS, "x": set()},
        api=True,
        kwargs={"pk": "attendance"},
        data={"status": "sick", "reason": "Surat keterangan dokter"},
        state=_row_status,
        expect=lambda objs, role: "sick",
        **_page(),
    ),
    Row(
        "api:training-scans-list",
        "post",
        {"a": ORGANISERS, "x": set()},
        api=True,
        data=_scan,
        ok=(201,),
        outside=400,
        state=_scan_kept,
        expect=lambda objs, role: 1,
        **_page(),
    ),
    Row(
        "api:training-event-jp-totals",
        "get",
        {"a": SIGNED_IN, "x": set()},
        api=True,
        kwargs={"pk": "event"},
        leak_check=True,
        **_page(),
    ),  # fmt: skip
]


def extend(world, objects) -> None:
    now = timezone.now()
    for key in ("a", "b", "x"):
        objs = objects[key]
        session = Session.objects.get(pk=objs["session"])
        live = SessionFactory(
            event=session.event,
            title=f"Sesi berjalan {key}",
            starts_at=now - dt.timedelta(minutes=10),
            ends_at=now + dt.timedelta(minutes=80),
        )
        objs["live_session"] = live.pk
        participant = Participant.objects.get(pk=objs["participant"])
        objs["attendance"] = Attendance.objects.create(
            instansi_id=participant.instansi_id,
            participant=participant,
            session=session,
            status="present",
            checked_in_at=session.starts_at,
            checked_out_at=session.ends_at,
            minutes_present=90,
            jp=Decimal("2"),
        ).pk
    objects["-"].setdefault("live_session", objects["a"]["live_session"])
