"""The events pages, the API and the calendar files."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from kinerja.training.models import Event, Session, TimetableVersion, TrainingNotice
from kinerja.training.services import events as svc
from kinerja.training.tests.factories import (
    EventFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SessionFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))


def at(day, hour, minute=0):
    return dt.datetime(2023, 1, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def event(world):
    return EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="planned")


def _published(world, event):
    org = world.users["bpsdm"]
    speaker = SpeakerFactory(instansi=world.instansi, name="Hermawan Kartajaya")
    shown = svc.session_create(
        actor=org,
        event=event,
        title="Pimpinan Transformasi",
        starts_at=at(11, 8),
        ends_at=at(11, 10),
        speakers=[speaker],
        room="Ruang Utama",
    )
    hidden = svc.session_create(
        actor=org,
        event=event,
        title="Sesi 2 (materi tidak dipublikasikan)",
        starts_at=at(12, 8),
        ends_at=at(12, 9, 30),
        published=False,
    )
    svc.timetable_publish(actor=org, event=event)
    svc.event_set_status(actor=org, event=event, status="nomination")
    return shown, hidden


def test_the_organiser_sets_up_an_event_through_the_pages(world, client):
    client.force_login(world.users["bpsdm"])
    programme = ProgrammeFactory(instansi=world.instansi)
    response = client.post(
        reverse("training:event_create"),
        {
            "programme": programme.pk,
            "title": "Refreshment 2024",
            "starts_on": "2024-01-10",
            "ends_on": "2024-01-12",
            "organiser_unit": world.agency_a.pk,
            "training_type": Event._meta.get_field("training_type")
            .related_model.objects.get(code="penyegaran-manajemen")
            .pk,
            "planned_sessions": 1,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = Event.objects.get(title="Refreshment 2024")
    session_url = reverse("training:session_create", args=[event.pk])
    # A session outside the days is refused on its field, nothing saved.
    bad = client.post(
        session_url, {"title": "S", "day": "2024-01-13", "start": "08:00", "end": "09:30"}
    )
    assert bad.status_code == 400 and Session.objects.count() == 0
    ok = client.post(
        session_url,
        {"title": "S", "day": "2024-01-10", "start": "08:00", "end": "09:30", "published": "on"},
    )
    assert ok.status_code == 302
    assert Session.objects.get().jp == 2
    client.post(
        session_url,
        {"title": "T", "day": "2024-01-11", "start": "08:00", "end": "09:30", "published": "on"},
    )
    setup = client.get(reverse("training:event_setup", args=[event.pk]))
    assert setup.status_code == 200
    assert "2 sesi" in setup.content.decode() or "2 sessions" in setup.content.decode()
    client.post(reverse("training:event_publish", args=[event.pk]), {"note": "awal"})
    assert TimetableVersion.objects.get(event=event).number == 1
    client.post(reverse("training:event_status", args=[event.pk]), {"status": "nomination"})
    assert Event.objects.get(pk=event.pk).status == "nomination"
    client.post(
        reverse("training:event_quotas", args=[event.pk]), {"quotas": "DIKBUD: 2\nDINKES: 1"}
    )
    assert event.quotas.count() == 2


def test_everyone_of_the_instansi_reads_the_timetable_but_not_a_planned_event(world, client, event):
    shown, hidden = _published(world, event)
    client.force_login(world.users["employee"])
    page = client.get(reverse("training:event_timetable", args=[event.pk]) + "?day=2023-01-12")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Sesi (judul belum dipublikasikan)" in body
    assert "materi tidak dipublikasikan" not in body
    first = client.get(reverse("training:event_timetable", args=[event.pk]))
    assert "Pimpinan Transformasi" in first.content.decode()
    assert client.get(reverse("training:event_setup", args=[event.pk])).status_code == 403
    planned = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="planned")
    assert client.get(reverse("training:event_detail", args=[planned.pk])).status_code == 404


def test_materials_are_for_participants_and_the_organiser(world, client, event, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shown, _hidden = _published(world, event)
    material = svc.material_add(
        actor=world.users["bpsdm"],
        session=shown,
        upload=SimpleUploadedFile("materi.pdf", b"%PDF-1.7 isi"),
    )
    url = reverse("training:material_download", args=[material.pk])
    client.force_login(world.users["employee"])  # staff_a, not enrolled
    assert client.get(url).status_code == 404
    detail = client.get(reverse("training:session_detail", args=[shown.pk])).content.decode()
    assert "materi.pdf" not in detail and "Hermawan Kartajaya" in detail
    ParticipantFactory(event=event, employee=world.staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 isi"


def test_the_event_calendar_parses_back_with_stable_uids_and_versions(world, client, event):
    shown, hidden = _published(world, event)
    client.force_login(world.users["employee"])
    body = client.get(reverse("training:event_ics", args=[event.pk])).content
    cal = Calendar.from_ical(body)
    entries = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in entries] == [
        "Pimpinan Transformasi",
        "Sesi (judul belum dipublikasikan)",
    ]
    start = entries[0].decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (8, "Asia/Jakarta")
    assert entries[0]["sequence"] == 1
    uid = str(entries[0]["uid"])
    assert uid == f"training-session-{shown.pk}@jatim.kinerja"
    # A change and a new version: same UID, SEQUENCE 2, the new time.
    event.status = "planned"
    event.save()
    svc.session_update(
        actor=world.users["bpsdm"], session=shown, starts_at=at(11, 13), ends_at=at(11, 15)
    )
    svc.timetable_publish(actor=world.users["bpsdm"], event=event)
    event.status = "nomination"
    event.save()
    cal = Calendar.from_ical(client.get(reverse("training:event_ics", args=[event.pk])).content)
    moved = next(e for e in cal.walk("VEVENT") if str(e["uid"]) == uid)
    assert moved["sequence"] == 2 and moved.decoded("dtstart").hour == 13


def test_my_events_my_calendar_and_notices(world, client, event):
    shown, _hidden = _published(world, event)
    ParticipantFactory(event=event, employee=world.staff_a)
    other = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="running")
    SessionFactory(event=other, title="Bukan acara saya")
    event.status = "planned"
    event.save()
    svc.session_update(actor=world.users["bpsdm"], session=shown, room="Ruang Dua")
    svc.timetable_publish(actor=world.users["bpsdm"], event=event)
    client.force_login(world.users["employee"])
    mine = client.get(reverse("training:my_events")).content.decode()
    assert event.title in mine and other.title not in mine
    assert "Pimpinan Transformasi" in mine  # the notice of version 2
    notice = TrainingNotice.objects.get(employee=world.staff_a)
    client.post(reverse("training:notice_read", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_at is not None
    cal = Calendar.from_ical(client.get(reverse("training:my_ics")).content)
    assert len(cal.walk("VEVENT")) == 2
    timetable = client.get(reverse("training:my_timetable")).content.decode()
    assert "Ruang Dua" in timetable and "Bukan acara saya" not in timetable


def test_the_api_writes_through_the_services(world, client):
    programme = ProgrammeFactory(instansi=world.instansi)
    client.force_login(world.users["bpsdm"])
    response = client.post(
        reverse("api:training-event-list"),
        {
            "programme": programme.pk,
            "title": "Refreshment 2025",
            "starts_on": "2023-01-11",
            "ends_on": "2023-01-13",
            "organiser_unit": world.agency_a.pk,
            "training_type": "penyegaran-manajemen",
            "planned_sessions": 1,
            "quotas": {str(world.agency_b.pk): 2},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    assert response.json()["quotas"] == {str(world.agency_b.pk): 2}
    url = reverse("api:training-session-list")
    for hour in (8, 10):
        answer = client.post(
            url,
            {
                "event": event_id,
                "title": f"Sesi {hour}",
                "starts_at": f"2023-01-11T{hour:02d}:00:00+07:00",
                "ends_at": f"2023-01-11T{hour + 1:02d}:30:00+07:00",
                "published": hour == 8,
            },
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.content
    assert len(answer.json()["warnings"]) == 1  # 2 sessions, 1 planned
    bad = client.post(
        url,
        {
            "event": event_id,
            "title": "x",
            "starts_at": "2023-01-14T08:00:00+07:00",
            "ends_at": "2023-01-14T09:00:00+07:00",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "starts_at" in bad.json()
    publish = client.post(
        reverse("api:training-event-publish", args=[event_id]), {}, content_type="application/json"
    )
    assert publish.status_code == 201 and publish.json()["number"] == 1
    status = client.post(
        reverse("api:training-event-status", args=[event_id]),
        {"status": "nomination"},
        content_type="application/json",
    )
    assert status.status_code == 200 and status.json()["status"] == "nomination"
    ics = client.get(reverse("api:training-event-ics", args=[event_id]))
    assert ics["Content-Type"].startswith("text/calendar")
    # Another member reads the sessions, the unpublished subject neutral; cannot write.
    client.force_login(world.users["employee"])
    rows = client.get(url, {"event": event_id}).json()["results"]
    assert [r["title"] for r in rows] == ["Sesi 8", "Session (title not yet published)"] or [
        r["title"] for r in rows
    ] == ["Sesi 8", "Sesi (judul belum dipublikasikan)"]
    denied = client.patch(
        reverse("api:training-event-detail", args=[event_id]),
        {"title": "x"},
        content_type="application/json",
    )
    assert denied.status_code == 403
