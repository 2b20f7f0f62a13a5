"""Permission-matrix rows of the events capability: programmes, events, sessions, speakers,
materials, the timetable and calendar files, a participant's own pages (pages and API).

Targets: "a" the instansi's running event of ``tests/matrix_training.py`` (its session, speaker,
programme, a material and a notice to staff_a, the employee role, who is a confirmed
participant), "x" the other instansi's event (its session, programme, a speaker and a material
of its own, a notice to staff_x), "-" no object. The organiser is the role holding
``manage_training`` (BPSDM, the system administrator); everyone of the instansi reads events out
of planning; materials are for the event's confirmed participants and the organiser.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.training.models import (
    Event,
    Programme,
    Session,
    SessionMaterial,
    Speaker,
    TrainingNotice,
    TrainingType,
)
from tests.matrix_base import NEW_NAME, SIGNED_IN, Row

ORG = {"system_admin", "bpsdm"}
READ = {"a": SIGNED_IN, "x": set()}
MANAGE = {"a": ORG, "x": set()}
MATERIAL = b"%PDF-1.7 materi uji"


def _t(**kw):
    return {"training": True, **kw}


def _field(model, key, attr):
    def read(objs, role):
        return getattr(model.objects.get(pk=objs[key]), attr)

    return read


def _const(value):
    return lambda objs, role: value


def _count(model, **filters):
    return lambda objs, role: model.objects.filter(**filters).count()


def _exists(model, key):
    return lambda objs, role: model.objects.filter(pk=objs[key]).exists()


def _event_form(objs, role):
    return {
        "programme": objs["ev_programme"],
        "title": NEW_NAME,
        "starts_on": "2023-01-11",
        "ends_on": "2023-01-13",
        "organiser_unit": objs["ev_unit"],
        "training_type": objs["ev_type"],
        "planned_sessions": 11,
    }


def _session_form(objs, role):
    return {"title": NEW_NAME, "day": "2023-01-11", "start": "13:00", "end": "14:00"}


def _upload(objs, role):
    return {"title": NEW_NAME, "file": SimpleUploadedFile("materi.pdf", MATERIAL)}


def _notice_read(objs, role):
    return TrainingNotice.objects.get(pk=objs["ev_notice"]).read_at is not None


def _sessions_of(objs, role):
    return Session.objects.filter(event_id=objs["event"], title=NEW_NAME).count()


def _material_exists(objs, role):
    return SessionMaterial.objects.filter(pk=objs["ev_material"]).exists()


def _materials_of(objs, role):
    return SessionMaterial.objects.filter(session_id=objs["session"], title=NEW_NAME).count()


def _api_session(objs, role):
    return {
        "event": objs["event"],
        "title": NEW_NAME,
        "starts_at": "2023-01-11T13:00:00+07:00",
        "ends_at": "2023-01-11T14:00:00+07:00",
    }


def _api_event(objs, role):
    return {
        "programme": objs["ev_programme"],
        "title": NEW_NAME,
        "starts_on": "2023-01-11",
        "ends_on": "2023-01-13",
        "organiser_unit": objs["ev_unit"],
        "training_type": "penyegaran-manajemen",
    }


def extend(world, objects) -> None:
    kind = TrainingType.objects.get(code="penyegaran-manajemen")
    for target, unit in (("a", world.agency_a), ("x", world.agency_x)):
        objs = objects[target]
        event = Event.objects.get(pk=objs["event"])
        session = Session.objects.get(pk=objs["session"])
        speaker = (
            Speaker.objects.get(pk=objs["speaker"])
            if target == "a"
            else Speaker.objects.create(instansi=world.other_instansi, name="Narasumber Malang")
        )
        material = SessionMaterial(
            instansi_id=session.instansi_id, session=session, title="materi.pdf"
        )
        material.file.save("materi.pdf", ContentFile(MATERIAL), save=False)
        material.save()
        employee = world.staff_a if target == "a" else world.staff_x
        notice = TrainingNotice.objects.create(
            instansi_id=event.instansi_id, event=event, employee=employee, text="Jadwal berubah"
        )
        # A session no other capability writes to (attendance, feedback): the delete rows take
        # it, since a session with attendance cannot be deleted.
        spare = Session.objects.create(
            instansi_id=event.instansi_id,
            event=event,
            title="Sesi cadangan",
            starts_at=session.starts_at + dt.timedelta(hours=3),
            ends_at=session.ends_at + dt.timedelta(hours=3),
        )
        # An event of its own for the edit rows: the shared one also holds sessions running now
        # (the attendance rows' scan window), outside the dates an edit keeps.
        own_event = Event.objects.create(
            instansi_id=event.instansi_id,
            programme_id=event.programme_id,
            title="Acara untuk diubah",
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            organiser_unit=unit,
            training_type=kind,
            status="planned",
        )
        objs.update(
            ev_event=own_event.pk,
            ev_spare_session=spare.pk,
            ev_programme=event.programme_id,
            ev_unit=unit.pk,
            ev_type=kind.pk,
            ev_speaker=speaker.pk,
            ev_material=material.pk,
            ev_notice=notice.pk,
        )
    objects["-"].update(
        ev_programme=objects["a"]["ev_programme"],
        ev_unit=world.agency_a.pk,
        ev_type=kind.pk,
    )


ROWS = [
    # Pages: lists and the participant's own.
    Row("training:event_list", "get", {"-": SIGNED_IN}, **_t()),
    Row("training:programme_list", "get", {"-": ORG}, **_t()),
    Row("training:speaker_list", "get", {"-": ORG}, **_t()),
    Row("training:my_events", "get", {"-": SIGNED_IN}, **_t()),
    Row("training:my_timetable", "get", {"-": SIGNED_IN}, **_t()),
    Row("training:my_ics", "get", {"-": SIGNED_IN}, **_t()),
    # Programmes.
    Row("training:programme_create", "get", {"-": ORG}, **_t()),
    Row(
        "training:programme_create",
        "post",
        {"-": ORG},
        data={"name": NEW_NAME},
        ok=(302,),
        state=_count(Programme, name=NEW_NAME),
        expect=_const(1),
        **_t(),
    ),
    Row("training:programme_edit", "get", MANAGE, kwargs={"pk": "ev_programme"}, **_t()),
    Row(
        "training:programme_edit",
        "post",
        MANAGE,
        data={"name": NEW_NAME},
        ok=(302,),
        state=_field(Programme, "ev_programme", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "ev_programme"},
        **_t(),
    ),
    # Events.
    Row("training:event_create", "get", {"-": ORG}, **_t()),
    Row(
        "training:event_create",
        "post",
        {"-": ORG},
        data=_event_form,
        ok=(302,),
        state=_count(Event, title=NEW_NAME),
        expect=_const(1),
        **_t(),
    ),
    Row("training:event_detail", "get", READ, kwargs={"pk": "event"}, **_t()),
    Row("training:event_timetable", "get", READ, kwargs={"pk": "event"}, **_t()),
    Row("training:event_ics", "get", READ, kwargs={"pk": "event"}, **_t()),
    Row("training:event_setup", "get", MANAGE, kwargs={"pk": "event"}, **_t()),
    Row("training:event_edit", "get", MANAGE, kwargs={"pk": "event"}, **_t()),
    Row(
        "training:event_edit",
        "post",
        MANAGE,
        data=_event_form,
        ok=(302,),
        state=_field(Event, "ev_event", "title"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "ev_event"},
        **_t(),
    ),
    Row(
        "training:event_quotas",
        "post",
        MANAGE,
        data={"quotas": "DIKBUD: 2"},
        ok=(302,),
        state=lambda objs, role: Event.objects.get(pk=objs["event"]).quotas.count(),
        expect=_const(1),
        kwargs={"pk": "event"},
        **_t(),
    ),
    Row(
        "training:event_status",
        "post",
        MANAGE,
        data={"status": "finished"},
        ok=(302,),
        state=_field(Event, "event", "status"),
        expect=_const("finished"),
        kwargs={"pk": "event"},
        **_t(),
    ),
    Row(
        "training:event_publish",
        "post",
        MANAGE,
        data={"note": NEW_NAME},
        ok=(302,),
        state=_field(Event, "event", "timetable_version"),
        expect=_const(1),
        kwargs={"pk": "event"},
        **_t(),
    ),
    # Sessions and materials.
    Row("training:session_create", "get", MANAGE, kwargs={"pk": "event"}, **_t()),
    Row(
        "training:session_create",
        "post",
        MANAGE,
        data=_session_form,
        ok=(302,),
        state=_sessions_of,
        expect=_const(1),
        kwargs={"pk": "event"},
        **_t(),
    ),
    Row("training:session_detail", "get", READ, kwargs={"pk": "session"}, **_t()),
    Row("training:session_edit", "get", MANAGE, kwargs={"pk": "session"}, **_t()),
    Row(
        "training:session_edit",
        "post",
        MANAGE,
        data=_session_form,
        ok=(302,),
        state=_field(Session, "session", "title"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "session"},
        **_t(),
    ),
    Row(
        "training:session_delete",
        "post",
        MANAGE,
        ok=(302,),
        state=_exists(Session, "ev_spare_session"),
        expect=_const(False),
        kwargs={"pk": "ev_spare_session"},
        **_t(),
    ),
    Row(
        "training:material_upload",
        "post",
        MANAGE,
        data=_upload,
        ok=(302,),
        state=_materials_of,
        expect=_const(1),
        kwargs={"pk": "session"},
        **_t(),
    ),
    Row(
        "training:material_remove",
        "post",
        {"a": ORG, "x": set()},
        ok=(302,),
        state=_material_exists,
        expect=_const(False),
        kwargs={"pk": "ev_material"},
        **_t(),
    ),
    Row(
        "training:material_download",
        "get",
        {"a": ORG | {"employee"}, "x": set()},
        body=MATERIAL,
        kwargs={"pk": "ev_material"},
        **_t(),
    ),
    # Speakers.
    Row("training:speaker_create", "get", {"-": ORG}, **_t()),
    Row(
        "training:speaker_create",
        "post",
        {"-": ORG},
        data={"name": NEW_NAME},
        ok=(302,),
        state=_count(Speaker, name=NEW_NAME),
        expect=_const(1),
        **_t(),
    ),
    Row("training:speaker_edit", "get", MANAGE, kwargs={"pk": "ev_speaker"}, **_t()),
    Row(
        "training:speaker_edit",
        "post",
        MANAGE,
        data={"name": NEW_NAME},
        ok=(302,),
        state=_field(Speaker, "ev_speaker", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "ev_speaker"},
        **_t(),
    ),
    # Notices: only their recipient marks them read.
    Row(
        "training:notice_read",
        "post",
        {"a": {"employee"}, "x": set()},
        ok=(302,),
        state=_notice_read,
        expect=_const(True),
        kwargs={"pk": "ev_notice"},
        **_t(),
    ),
    # API.
    Row("api:training-programme-list", "get", {"-": SIGNED_IN}, api=True, **_t()),
    Row(
        "api:training-programme-list",
        "post",
        {"-": ORG},
        data={"name": NEW_NAME},
        api=True,
        ok=(201,),
        state=_count(Programme, name=NEW_NAME),
        expect=_const(1),
        **_t(),
    ),
    Row(
        "api:training-programme-detail",
        "get",
        READ,
        api=True,
        kwargs={"pk": "ev_programme"},
        **_t(),
    ),
    Row(
        "api:training-programme-detail",
        "patch",
        MANAGE,
        data={"name": NEW_NAME},
        api=True,
        state=_field(Programme, "ev_programme", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "ev_programme"},
        **_t(),
    ),
    Row("api:training-event-list", "get", {"-": SIGNED_IN}, api=True, **_t()),
    Row(
        "api:training-event-list",
        "post",
        {"-": ORG},
        data=_api_event,
        api=True,
        ok=(201,),
        state=_count(Event, title=NEW_NAME),
        expect=_const(1),
        **_t(),
    ),
    Row("api:training-event-detail", "get", READ, api=True, kwargs={"pk": "event"}, **_t()),
    Row(
        "api:training-event-detail",
        "patch",
        MANAGE,
        data={"title": NEW_NAME},
        api=True,
        state=_field(Event, "event", "title"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "event"},
        **_t(),
    ),
    Row(
        "api:training-event-status",
        "post",
        MANAGE,
        data={"status": "finished"},
        api=True,
        state=_field(Event, "event", "status"),
        expect=_const("finished"),
        kwargs={"pk": "event"},
        **_t(),
    ),
    Row(
        "api:training-event-publish",
        "post",
        MANAGE,
        data={"note": NEW_NAME},
        api=True,
        ok=(201,),
        state=_field(Event, "event", "timetable_version"),
        expect=_const(1),
        kwargs={"pk": "event"},
        **_t(),
    ),
    Row("api:training-event-ics", "get", READ, api=True, kwargs={"pk": "event"}, **_t()),
    Row("api:training-session-list", "get", {"-": SIGNED_IN}, api=True, **_t()),
    Row(
        "api:training-session-list",
        "post",
        MANAGE,
        data=_api_session,
        api=True,
        ok=(201,),
        state=_sessions_of,
        expect=_const(1),
        outside=400,  # the event is named in the payload
        **_t(),
    ),
    Row("api:training-session-detail", "get", READ, api=True, kwargs={"pk": "session"}, **_t()),
    Row(
        "api:training-session-detail",
        "patch",
        MANAGE,
        data={"title": NEW_NAME},
        api=True,
        state=_field(Session, "session", "title"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "session"},
        **_t(),
    ),
    Row(
        "api:training-session-detail",
        "delete",
        MANAGE,
        api=True,
        ok=(204,),
        state=_exists(Session, "ev_spare_session"),
        expect=_const(False),
        kwargs={"pk": "ev_spare_session"},
        **_t(),
    ),
    Row("api:training-speaker-list", "get", {"-": SIGNED_IN}, api=True, **_t()),
    Row(
        "api:training-speaker-list",
        "post",
        {"-": ORG},
        data={"name": NEW_NAME},
        api=True,
        ok=(201,),
        state=_count(Speaker, name=NEW_NAME),
        expect=_const(1),
        **_t(),
    ),
    Row("api:training-speaker-detail", "get", READ, api=True, kwargs={"pk": "ev_speaker"}, **_t()),
    Row(
        "api:training-speaker-detail",
        "patch",
        MANAGE,
        data={"name": NEW_NAME},
        api=True,
        state=_field(Speaker, "ev_speaker", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "ev_speaker"},
        **_t(),
    ),
]
