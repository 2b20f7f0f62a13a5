"""Attendance pages and API: what they show and what they write, through the services."""

import datetime as dt
import io
import uuid
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.training.models import Attendance, AttendanceScan
from kinerja.training.services import attendance as svc
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    now = timezone.now()
    session = SessionFactory(
        event=event,
        starts_at=now - dt.timedelta(minutes=20),
        ends_at=now + dt.timedelta(minutes=70),
    )
    part = ParticipantFactory(event=event, employee=world.staff_a)
    part_b = ParticipantFactory(event=event, employee=world.staff_b)
    return {"event": event, "session": session, "part": part, "part_b": part_b}


def client_for(client, world, role, language="en"):
    client.force_login(world.users[role])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language  # the API
    client.cookies["django_language"] = language  # the pages
    return client


def test_the_participant_checks_in_on_the_page_and_a_wrong_code_says_why(client, world, live):
    url = f"/training/sessions/{live['session'].pk}/check-in/"
    c = client_for(client, world, "employee", "id")
    wrong = c.post(url, {"code": "000000x", "direction": "in"})
    assert "Kode salah atau sudah kedaluwarsa" in wrong.content.decode()  # Indonesian by default
    c = client_for(client, world, "employee")
    wrong = c.post(url, {"code": "000000x", "direction": "in"})
    assert wrong.status_code == 400 and "wrong or has expired" in wrong.content.decode()
    code = svc.room_code_now(live["session"])["code"]
    assert c.post(url, {"code": code, "direction": "in"}).status_code == 302
    att = Attendance.objects.get(participant=live["part"])
    assert att.status == "late"  # 20 minutes after the start, grace 10
    again = c.post(url, {"code": code, "direction": "out"})
    assert again.status_code == 400 and "already used this code" in again.content.decode()
    page = c.get(url).content.decode()
    assert "Late" in page or "Terlambat" in page


def test_the_room_code_page_shows_the_current_code(client, world, live):
    c = client_for(client, world, "bpsdm")
    body = c.get(f"/training/sessions/{live['session'].pk}/room-code/").content.decode()
    assert svc.room_code_now(live["session"])["code"] in body
    partial = c.get(
        f"/training/sessions/{live['session'].pk}/room-code/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in partial and 'data-testid="room-code"' in partial


def test_the_organiser_corrects_on_the_session_page(client, world, live):
    c = client_for(client, world, "bpsdm")
    session = live["session"]
    # A correction names times of the session's day: held at 08:00 to 09:30 yesterday, so that
    # the times below never cross midnight, whatever the hour the test runs at.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(8, 0)))
    session.starts_at, session.ends_at = start, start + dt.timedelta(minutes=90)
    session.save(update_fields=["starts_at", "ends_at"])
    url = f"/training/sessions/{session.pk}/attendance/{live['part'].pk}/correct/"
    response = c.post(
        url,
        {
            "status": "late",
            "checked_in_at": (start + dt.timedelta(minutes=20)).strftime("%H:%M"),
            "checked_out_at": (start + dt.timedelta(minutes=90)).strftime("%H:%M"),
            "reason": "Pemindai mati",
        },
    )
    assert response.status_code == 302
    att = Attendance.objects.get(participant=live["part"], session=session)
    assert (att.minutes_present, att.jp, att.correction_reason) == (
        70,
        Decimal("1.55"),
        "Pemindai mati",
    )
    page = c.get(f"/training/sessions/{session.pk}/attendance/").content.decode()
    assert "Pemindai mati" in page and page.count('data-testid="attendance-row"') == 2
    c.post(url, {"status": "present", "reason": ""})  # refused: nothing changes
    assert Attendance.objects.get(pk=att.pk).jp == Decimal("1.55")


def test_badges_and_the_attendance_sheet_are_pdfs(client, world, live):
    c = client_for(client, world, "bpsdm")
    for url in (
        f"/training/events/{live['event'].pk}/badges.pdf",
        f"/training/participants/{live['part'].pk}/badge.pdf",
        f"/training/sessions/{live['session'].pk}/sheet.pdf",
    ):
        response = c.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url
    own = client_for(client, world, "employee")
    badge = own.get(f"/training/events/{live['event'].pk}/badge/").content.decode()
    assert svc.badge_code(live["part"]) in badge
    assert f"/training/sessions/{live['session'].pk}/check-in/" in badge  # running now
    assert world.staff_a.nip[:4] + "****" in badge or "NIP" not in badge


def test_jp_totals_page_export_and_api_agree(client, world, live, monkeypatch):
    session = live["session"]
    monkeypatch.setattr(svc, "_now", lambda: session.ends_at + dt.timedelta(minutes=30))
    organiser = world.users["bpsdm"]
    from kinerja.accounts.scope import scope_for

    for direction, minutes in (("in", 20), ("out", 90)):
        svc.scan_record(
            actor=organiser,
            scope=scope_for(organiser),
            session=session,
            code=svc.badge_code(live["part"]),
            direction=direction,
            scan_uuid=uuid.uuid4(),
            scanned_at=session.starts_at + dt.timedelta(minutes=minutes),
        )
    c = client_for(client, world, "employee")  # sees their own row only
    rows = c.get(f"/api/v1/training-events/{live['event'].pk}/jp-totals/").json()
    assert [(r["participant"], r["jp_attended"], r["jp_planned"], r["percent"]) for r in rows] == [
        (live["part"].pk, "1.55", "2.00", "77.50")
    ]
    c = client_for(client, world, "bpsdm")
    assert len(c.get(f"/api/v1/training-events/{live['event'].pk}/jp-totals/").json()) == 2
    sheet = openpyxl.load_workbook(
        io.BytesIO(c.get(f"/training/events/{live['event'].pk}/jp-totals.xlsx").content)
    ).active
    values = {r[0]: r[4:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[world.staff_a.nip] == (1.55, 2, 77.5)


def test_the_scan_api_takes_a_queue_twice_and_keeps_it_once(client, world, live):
    c = client_for(client, world, "bpsdm")
    session = live["session"]
    queue = [
        {
            "uuid": str(uuid.uuid4()),
            "session": session.pk,
            "code": svc.badge_code(part),
            "direction": "in",
            "scanned_at": timezone.now().isoformat(),
            "device": "tablet-1",
        }
        for part in (live["part"], live["part_b"])
    ]
    queue.append({**queue[0], "uuid": str(uuid.uuid4()), "code": "palsu:xyz"})
    first = c.post("/api/v1/training-scans/", {"scans": queue}, content_type="application/json")
    assert [r["outcome"] for r in first.json()["results"]] == ["counted", "counted", "refused"]
    second = c.post("/api/v1/training-scans/", {"scans": queue}, content_type="application/json")
    assert [r["outcome"] for r in second.json()["results"]] == ["duplicate", "duplicate", "refused"]
    assert AttendanceScan.objects.count() == 2
    single = c.post("/api/v1/training-scans/", queue[2], content_type="application/json")
    assert single.status_code == 400 and "not a valid badge" in single.json()["message"]


def test_the_api_corrects_with_a_reason(client, world, live):
    att = Attendance.objects.create(
        instansi=world.instansi, participant=live["part"], session=live["session"]
    )
    c = client_for(client, world, "bpsdm")
    url = f"/api/v1/training-attendance/{att.pk}/"
    bad = c.patch(url, {"status": "sick", "reason": ""}, content_type="application/json")
    assert bad.status_code == 400
    ok = c.patch(url, {"status": "sick", "reason": "Sakit"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "sick"
    assert AuditEvent.objects.filter(action="training.attendance_correct", reason="Sakit").exists()
    mine = client_for(client, world, "employee").get("/api/v1/training-attendance/").json()
    assert [r["id"] for r in mine["results"]] == [att.pk]
