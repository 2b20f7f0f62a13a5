"""The events capability's rules, with concrete cases: dates, overlaps, status, quotas, JP,
materials, the timetable's versions with their difference and who is told of a change."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.training.models import (
    Event,
    EventQuota,
    Session,
    SessionMaterial,
    TimetableVersion,
    TrainingNotice,
)
from kinerja.training.policy_events import event_rules
from kinerja.training.selectors_events import pending_changes, timetable_changed
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
def org(world):
    return world.users["bpsdm"]


@pytest.fixture
def event(world):
    return EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="planned")


def malang():
    from kinerja.organisations.models import Region

    province = Region.objects.get(code="35")
    return Region.objects.get_or_create(
        code="35.73", defaults={"name": "Kota Malang", "level": "city", "parent": province}
    )[0]


def test_only_the_organiser_creates_an_event(world, org):
    malang()
    programme = ProgrammeFactory(instansi=world.instansi)
    data = dict(
        programme=programme.pk,
        title="Refreshment 2024",
        starts_on="2024-01-10",
        ends_on="2024-01-12",
        organiser_unit=world.agency_a.pk,
        training_type="penyegaran-manajemen",
        venue_region="35.73",
        planned_sessions=11,
        quotas={world.agency_a.pk: 2, world.agency_b.pk: 1},
    )
    with pytest.raises(PermissionDenied):
        svc.event_create(actor=world.users["opd_admin"], **data)
    event = svc.event_create(actor=org, **data)
    assert (event.status, event.venue_region.code, event.planned_sessions) == (
        "planned",
        "35.73",
        11,
    )
    assert dict(EventQuota.objects.filter(event=event).values_list("agency_id", "seats")) == {
        world.agency_a.pk: 2,
        world.agency_b.pk: 1,
    }
    assert AuditEvent.objects.filter(action="training.event_create").count() == 1


def test_event_dates_and_region_are_checked_and_nothing_is_saved(world, org):
    programme = ProgrammeFactory(instansi=world.instansi)
    base = dict(
        programme=programme.pk,
        title="X",
        organiser_unit=world.agency_a.pk,
        training_type="penyegaran-manajemen",
    )
    with pytest.raises(ValidationError) as err:
        svc.event_create(actor=org, starts_on="2024-01-12", ends_on="2024-01-11", **base)
    assert "ends_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.event_create(
            actor=org, starts_on="2024-01-10", ends_on="2024-01-10", venue_region="99.99", **base
        )
    assert "venue_region" in err.value.message_dict
    # A quota for a division (not an agency) refuses the whole event.
    with pytest.raises(ValidationError):
        svc.event_create(
            actor=org,
            starts_on="2024-01-10",
            ends_on="2024-01-10",
            quotas={world.division_a.pk: 3},
            **base,
        )
    assert Event.objects.filter(title="X").count() == 0


def test_quotas_cannot_exceed_the_seats(world, org, event):
    event.capacity = 3
    event.save()
    with pytest.raises(ValidationError) as err:
        svc.event_set_quotas(
            actor=org, event=event, quotas={world.agency_a.pk: 2, world.agency_b.pk: 2}
        )
    assert "4" in str(err.value) and "3" in str(err.value)
    svc.event_set_quotas(
        actor=org, event=event, quotas={world.agency_a.pk: 2, world.agency_b.pk: 1}
    )
    svc.event_set_quotas(
        actor=org, event=event, quotas={world.agency_a.pk: 3, world.agency_b.pk: 0}
    )
    assert dict(EventQuota.objects.filter(event=event).values_list("agency_id", "seats")) == {
        world.agency_a.pk: 3
    }


def test_status_moves_one_step_forward_and_a_finished_event_is_frozen(world, org, event):
    with pytest.raises(ValidationError):
        svc.event_set_status(actor=org, event=event, status="running")  # skips nomination
    svc.event_set_status(actor=org, event=event, status="nomination")
    with pytest.raises(ValidationError) as err:
        svc.event_set_status(actor=org, event=event, status="running")
    assert "Publish" in str(err.value) or "Publikasikan" in str(err.value)
    SessionFactory(event=event)
    svc.timetable_publish(actor=org, event=event)
    svc.event_set_status(actor=org, event=event, status="running")
    with pytest.raises(ValidationError):
        svc.event_set_status(actor=org, event=event, status="nomination")  # never back
    svc.event_set_status(actor=org, event=event, status="finished")
    event.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.event_update(actor=org, event=event, title="Baru")
    with pytest.raises(ValidationError):
        svc.session_create(
            actor=org, event=event, title="S", starts_at=at(11, 13), ends_at=at(11, 14)
        )
    svc.event_set_status(actor=org, event=event, status="evaluated")
    assert Event.objects.get(pk=event.pk).status == "evaluated"
    assert AuditEvent.objects.filter(action="training.event_status").count() == 4


def test_session_must_lie_within_the_event_days(world, org, event):
    # The event runs 11-13 January 2023 (WIB). 13 January 23:00 WIB is inside; 14 January
    # 00:30 WIB (13 January 17:30 UTC) is outside although its UTC date is the 13th.
    svc.session_create(
        actor=org, event=event, title="Malam", starts_at=at(13, 22), ends_at=at(13, 23)
    )
    with pytest.raises(ValidationError) as err:
        svc.session_create(
            actor=org, event=event, title="Lewat", starts_at=at(14, 0, 30), ends_at=at(14, 1, 30)
        )
    assert "starts_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.session_create(
            actor=org, event=event, title="Sebelum", starts_at=at(10, 8), ends_at=at(10, 9)
        )
    assert "starts_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.session_create(
            actor=org, event=event, title="Mundur", starts_at=at(11, 10), ends_at=at(11, 9)
        )
    assert "ends_at" in err.value.message_dict
    with pytest.raises(ValidationError):
        svc.session_create(
            actor=org, event=event, title="Nol", starts_at=at(11, 10), ends_at=at(11, 10)
        )
    assert Session.objects.filter(event=event).count() == 1


def test_a_speaker_is_not_double_booked(world, org, event):
    ainun = SpeakerFactory(instansi=world.instansi, name="Ainun Najib")
    other = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="planned")
    svc.session_create(
        actor=org,
        event=event,
        title="Data",
        starts_at=at(11, 8),
        ends_at=at(11, 10),
        speakers=[ainun],
    )
    # Another event, 09:30-11:00 the same day, overlaps by half an hour.
    with pytest.raises(ValidationError) as err:
        svc.session_create(
            actor=org,
            event=other,
            title="Data lagi",
            starts_at=at(11, 9, 30),
            ends_at=at(11, 11),
            speakers=[ainun],
        )
    assert "Ainun Najib" in err.value.message_dict["speakers"][0]
    # Starting when the first ends is fine.
    second = svc.session_create(
        actor=org,
        event=event,
        title="Lanjut",
        starts_at=at(11, 10),
        ends_at=at(11, 11),
        speakers=[ainun],
    )
    # Moving the second back into the first is refused too.
    with pytest.raises(ValidationError):
        svc.session_update(actor=org, session=second, starts_at=at(11, 9, 45))


def test_default_jp_is_minutes_over_45_rounded_down_to_a_half(world, org, event):
    rules = event_rules(dt.date(2023, 1, 11))
    assert [rules.default_jp(m) for m in (45, 90, 100, 120, 135, 30)] == [
        Decimal("1.00"),
        Decimal("2.00"),
        Decimal("2.00"),
        Decimal("2.50"),
        Decimal("3.00"),
        Decimal("0.50"),
    ]
    s = svc.session_create(
        actor=org, event=event, title="A", starts_at=at(11, 8), ends_at=at(11, 10)
    )
    assert s.jp == Decimal("2.50")  # 120 minutes
    s = svc.session_update(actor=org, session=s, jp="3")
    assert s.jp == Decimal("3.00")  # kept as the organiser set it
    s = svc.session_update(actor=org, session=s, jp="")
    assert s.jp == Decimal("2.50")


def test_more_sessions_than_planned_is_a_warning(world, org, event):
    event.planned_sessions = 1
    event.save()
    first = svc.session_create(
        actor=org, event=event, title="1", starts_at=at(11, 8), ends_at=at(11, 9)
    )
    assert first.warnings == []
    second = svc.session_create(
        actor=org, event=event, title="2", starts_at=at(11, 9), ends_at=at(11, 10)
    )
    assert len(second.warnings) == 1 and "2" in second.warnings[0]
    assert Session.objects.filter(event=event).count() == 2


def test_competencies_come_from_the_dictionary(world, org, event):
    s = svc.session_create(
        actor=org,
        event=event,
        title="A",
        starts_at=at(11, 8),
        ends_at=at(11, 9),
    )
    from kinerja.training.models import Competency

    code = Competency.objects.filter(kind="managerial").first().code
    svc.session_update(actor=org, session=s, competencies=[code])
    assert list(s.competencies.values_list("code", flat=True)) == [code]
    with pytest.raises(ValidationError):
        svc.session_update(actor=org, session=s, competencies=["bukan-kompetensi"])


def _office(prefix: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{prefix}document.xml", "<x/>")
    return buf.getvalue()


def test_materials_are_checked_by_their_first_bytes(world, org, event, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    s = SessionFactory(event=event)
    ok = svc.material_add(
        actor=org, session=s, upload=SimpleUploadedFile("materi.pdf", b"%PDF-1.7 isi")
    )
    svc.material_add(actor=org, session=s, upload=SimpleUploadedFile("slide.pptx", _office("ppt/")))
    assert ok.title == "materi.pdf"
    # A PDF named .docx, a text file named .pdf, an image: refused.
    for name, content in (
        ("x.docx", b"%PDF-1.7"),
        ("x.pdf", b"hello"),
        ("x.png", b"\x89PNG\r\n\x1a\n"),
    ):
        with pytest.raises(ValidationError):
            svc.material_add(actor=org, session=s, upload=SimpleUploadedFile(name, content))
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as err:
        svc.material_add(actor=org, session=s, upload=big)
    assert "20" in str(err.value)
    assert SessionMaterial.objects.filter(session=s).count() == 2


def test_a_material_is_removed_by_the_organiser_with_its_file_after_commit(
    world, org, event, settings, tmp_path, django_capture_on_commit_callbacks
):
    from kinerja.accounts.scope import scope_for
    from kinerja.audit.models import AuditEvent

    settings.MEDIA_ROOT = tmp_path
    s = SessionFactory(event=event)
    material = svc.material_add(
        actor=org, session=s, upload=SimpleUploadedFile("materi.pdf", b"%PDF-1.7 isi")
    )
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name)
    someone = world.users["opd_admin"]
    with pytest.raises(PermissionDenied):
        svc.material_remove(actor=someone, scope=scope_for(someone), material=material)
    assert SessionMaterial.objects.filter(pk=material.pk).exists() and storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        svc.material_remove(actor=org, material=material)
    assert not SessionMaterial.objects.filter(pk=material.pk).exists()
    assert not storage.exists(name)  # the file goes once the removal is committed
    event_row = AuditEvent.objects.get(action="training.material_remove")
    assert event_row.changes["title"] == ["materi.pdf", None]
    assert event_row.changes["size"] == len(b"%PDF-1.7 isi")


def test_publishing_twice_keeps_the_difference_and_tells_exactly_who_is_concerned(
    world, org, event, django_capture_on_commit_callbacks
):
    hermawan = SpeakerFactory(instansi=world.instansi, name="Hermawan", email="h@markplus.test")
    ainun = SpeakerFactory(instansi=world.instansi, name="Ainun", email="a@grab.test")
    erwan = SpeakerFactory(instansi=world.instansi, name="Erwan", email="")
    untouched = SpeakerFactory(instansi=world.instansi, name="Tetap", email="t@x.test")
    s1 = svc.session_create(
        actor=org,
        event=event,
        title="Data",
        starts_at=at(11, 8),
        ends_at=at(11, 10),
        speakers=[ainun],
    )
    s2 = svc.session_create(
        actor=org,
        event=event,
        title="Transformasi",
        starts_at=at(11, 10),
        ends_at=at(11, 12),
        speakers=[hermawan],
    )
    svc.session_create(
        actor=org,
        event=event,
        title="Etika",
        starts_at=at(12, 8),
        ends_at=at(12, 10),
        speakers=[untouched],
    )
    s4 = svc.session_create(
        actor=org, event=event, title="Hapus", starts_at=at(12, 10), ends_at=at(12, 11)
    )
    world.staff_a.email = "siti@jatimprov.test"
    world.staff_a.save()
    confirmed = ParticipantFactory(event=event, employee=world.staff_a)
    ParticipantFactory(event=event, employee=world.staff_b, status="nominated")
    assert not timetable_changed(event)
    v1 = svc.timetable_publish(actor=org, event=event, note="Jadwal awal")
    assert v1.number == 1 and len(v1.sessions) == 4
    assert {c["kind"] for c in v1.changes} == {"added"}
    assert TrainingNotice.objects.count() == 0  # the first publication tells nobody
    event.refresh_from_db()
    assert not timetable_changed(event)
    with pytest.raises(ValidationError):
        svc.timetable_publish(actor=org, event=event)  # nothing changed

    # Move Data an hour later, retitle Transformasi, swap its speaker, remove Hapus, add one.
    svc.session_update(actor=org, session=s1, starts_at=at(11, 13), ends_at=at(11, 15))
    svc.session_update(actor=org, session=s2, title="Pimpinan Transformasi", speakers=[erwan])
    svc.session_delete(actor=org, session=s4)
    s5 = svc.session_create(
        actor=org, event=event, title="Baru", starts_at=at(13, 8), ends_at=at(13, 9)
    )
    event.refresh_from_db()
    assert timetable_changed(event)
    kinds = sorted((c["kind"], c["session"]) for c in pending_changes(event))
    assert kinds == sorted(
        [
            ("moved", s1.pk),
            ("retitled", s2.pk),
            ("speakers", s2.pk),
            ("removed", s4.pk),
            ("added", s5.pk),
        ]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        v2 = svc.timetable_publish(actor=org, event=event, note="Sesi data dipindah")
    assert v2.number == 2
    moved = next(c for c in v2.changes if c["kind"] == "moved")
    assert moved["before"]["starts_at"].startswith("2023-01-11T08:00")
    assert moved["after"]["starts_at"].startswith("2023-01-11T13:00")
    # The confirmed participant (not the nominee) and the speakers of the changed sessions:
    # Ainun (moved), Hermawan (removed from Transformasi), Erwan (added to it); not Tetap.
    notices = TrainingNotice.objects.filter(version=v2)
    assert {n.employee_id for n in notices if n.employee_id} == {confirmed.employee_id}
    assert {n.speaker_id for n in notices if n.speaker_id} == {ainun.pk, hermawan.pk, erwan.pk}
    assert "Pimpinan Transformasi" in notices[0].text
    assert mail.outbox == []  # sent after the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@grab.test",
        "h@markplus.test",
        "siti@jatimprov.test",
    ]
    assert TimetableVersion.objects.filter(event=event).count() == 2


def test_notice_is_marked_read_by_its_recipient_only(world, org, event):
    notice = TrainingNotice.objects.create(
        instansi=world.instansi, event=event, employee=world.staff_a, text="x"
    )
    with pytest.raises(PermissionDenied):
        svc.notice_mark_read(actor=world.users["bpsdm"], notice=notice)
    svc.notice_mark_read(actor=world.users["employee"], notice=notice)
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_speakers_need_no_account_and_programmes_have_unique_names(world, org):
    speaker = svc.speaker_create(
        actor=org, name="Hermawan Kartajaya", organisation="MarkPlus, Inc.", email=""
    )
    assert speaker.user_id is None and speaker.employee_id is None
    with pytest.raises(ValidationError):
        svc.speaker_create(actor=org, name="X", email="bukan-email")
    svc.programme_create(actor=org, name="Refreshment Manajemen Pemerintah")
    with pytest.raises(ValidationError):
        svc.programme_create(actor=org, name="refreshment manajemen pemerintah")
    with pytest.raises(PermissionDenied):
        svc.speaker_create(actor=world.users["employee"], name="Y")
    assert scope_for(org).instansi_id == world.instansi.pk
