"""Permission-matrix rows of the training certificates (pages and API).

Objects (added by `extend`): an event of the instansi with certificates ("cert_event", one
session of 2 JP) where staff_a ("a") and staff_b ("b") hold signed certificates and the head of
agency A (the organiser unit's head, the opd_head role: the signer) is eligible without one; a
second event whose batch awaits the reviewer's initial; and the other instansi's event,
batch and certificate ("x"). The organiser is bpsdm and the system administrator.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from kinerja.training.models import (
    Assessment,
    Attendance,
    Certificate,
    CertificateBatch,
)
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory
from tests.matrix_base import ROLES, SCOPED, SIGNED_IN, Row

ORGANISERS = {"system_admin", "bpsdm"}
ORG_ONLY = {"-": ORGANISERS, "x": set()}
ORG_SCOPED = {"a": ORGANISERS, "b": ORGANISERS, "x": set()}
CODES = {"a": "A2345BCDEF", "b": "B2345BCDEF", "x": "X2345BCDEF", "r": "R2345BCDEF"}


def _batch_status(objs, role):
    return CertificateBatch.objects.get(pk=objs["cert_batch"]).status


def _batches(objs, role):
    return CertificateBatch.objects.filter(event_id=objs["cert_event"]).count()


def _valid_certificates(objs, role):
    return Certificate.objects.filter(participant_id=objs["cert_participant"]).valid().count()


def _certificate_status(objs, role):
    return Certificate.objects.get(pk=objs["certificate"]).status


REVOKE = {"category": "error", "note": "uji pencabutan"}

ROWS = [
    Row("training:certificates", "get", {"-": SIGNED_IN}, training=True),
    Row("training:certificate_event", "get", ORG_ONLY, kwargs={"pk": "cert_event"}, training=True),
    Row(
        "training:certificate_batch_start",
        "post",
        ORG_ONLY,
        ok=(302,),
        kwargs={"pk": "cert_event"},
        state=_batches,
        expect=lambda objs, role: objs["cert_batches"] + 1,
        training=True,
    ),
    Row(
        "training:certificate_issue",
        "post",
        ORG_ONLY,
        ok=(302,),
        kwargs={"pk": "cert_participant"},
        state=_valid_certificates,
        expect=lambda objs, role: 1,
        training=True,
    ),
    Row(
        "training:certificate_batch_progress",
        "get",
        ORG_ONLY,
        kwargs={"pk": "cert_batch"},
        training=True,
    ),
    Row(
        "training:certificate_initial",
        "post",
        ORG_ONLY,
        ok=(302,),
        kwargs={"pk": "cert_batch"},
        state=_batch_status,
        expect=lambda objs, role: "initialled",
        training=True,
    ),
    # The signer (the organiser unit's head) and the organiser open the signing page; only the
    # signer may sign, and not before the reviewer's initial: the form answers with the refusal.
    Row(
        "training:certificate_sign",
        "get",
        {"-": ORGANISERS | {"opd_head"}, "x": set()},
        kwargs={"pk": "cert_batch"},
        training=True,
    ),
    Row(
        "training:certificate_sign",
        "post",
        {"-": {"opd_head"}, "x": set()},
        data={"passphrase": "Kopi-Tubruk-2023"},
        kwargs={"pk": "cert_batch"},
        state=_batch_status,
        training=True,
    ),
    Row(
        "training:certificate_revoke",
        "get",
        ORG_SCOPED,
        kwargs={"pk": "certificate"},
        training=True,
    ),
    Row(
        "training:certificate_revoke",
        "post",
        ORG_SCOPED,
        ok=(302,),
        data=REVOKE,
        kwargs={"pk": "certificate"},
        state=_certificate_status,
        expect=lambda objs, role: "revoked",
        training=True,
    ),
    Row(
        "training:certificate_pdf",
        "get",
        SCOPED,
        kwargs={"pk": "certificate"},
        training=True,
    ),
    Row("training:my_certificates", "get", {"-": SIGNED_IN}, training=True),
    Row(
        "training:certificate_check",
        "get",
        {"-": set(ROLES)},
        kwargs={"code": "cert_code"},
        training=True,
    ),
    Row("api:training-certificate-list", "get", {"-": SIGNED_IN}, api=True, training=True),
    Row(
        "api:training-certificate-detail",
        "get",
        SCOPED,
        api=True,
        kwargs={"pk": "certificate"},
        training=True,
    ),
    Row(
        "api:training-certificate-revoke",
        "post",
        ORG_SCOPED,
        api=True,
        data=REVOKE,
        kwargs={"pk": "certificate"},
        state=_certificate_status,
        expect=lambda objs, role: "revoked",
        training=True,
    ),
    Row(
        "api:training-certificate-pdf",
        "get",
        SCOPED,
        api=True,
        kwargs={"pk": "certificate"},
        training=True,
    ),
    Row(
        "api:training-certificate-check-detail",
        "get",
        {"-": set(ROLES)},
        api=True,
        kwargs={"code": "cert_code"},
        training=True,
    ),
]


def _event(instansi, organiser):
    event = EventFactory(instansi=instansi, organiser_unit=organiser, title="Uji Sertifikat")
    session = SessionFactory(event=event, jp=Decimal("2"))
    return event, session


def _eligible(participant, session):
    Attendance.objects.create(
        instansi=participant.instansi,
        participant=participant,
        session=session,
        status="present",
        jp=Decimal("2"),
    )
    Assessment.objects.create(
        instansi=participant.instansi, participant=participant, kind="post", knowledge=80
    )


def _certificate(participant, batch, sequence, code, status="signed"):
    return Certificate.objects.create(
        instansi=participant.instansi,
        participant=participant,
        event=participant.event,
        employee=participant.employee,
        unit=participant.unit,
        batch=batch,
        year=2023,
        sequence=sequence,
        number=f"STTPP/UJI/2023/{sequence:04d}",
        code=code,
        jp_total=Decimal("2"),
        jp_planned=Decimal("2"),
        facts={"name": participant.employee.name, "nip": participant.employee.nip or ""},
        issued_at=dt.datetime(2023, 1, 13, 12, tzinfo=dt.UTC),
        status=status,
        pdf=ContentFile(b"%PDF-1.7 unsigned", name=f"{code}.pdf"),
        signed_pdf=(
            ContentFile(b"%PDF-1.7 signed", name=f"{code}-s.pdf") if status == "signed" else None
        ),
        signed_at=dt.datetime(2023, 1, 20, 9, tzinfo=dt.UTC) if status == "signed" else None,
    )


def extend(world, objects):
    event, session = _event(world.instansi, world.agency_a)
    signed = CertificateBatch.objects.create(
        instansi=world.instansi, event=event, status="signed", total=2, done=2
    )
    part_a = ParticipantFactory(event=event, employee=world.staff_a)
    part_b = ParticipantFactory(event=event, employee=world.staff_b)
    waiting = ParticipantFactory(event=event, employee=world.head_a)
    for part in (part_a, part_b, waiting):
        _eligible(part, session)
    cert_a = _certificate(part_a, signed, 1, CODES["a"])
    cert_b = _certificate(part_b, signed, 2, CODES["b"])
    # A second event whose batch awaits the reviewer's initial.
    review_event, review_session = _event(world.instansi, world.agency_a)
    ready = CertificateBatch.objects.create(
        instansi=world.instansi, event=review_event, status="ready", total=1, done=1
    )
    review_part = ParticipantFactory(event=review_event, employee=world.staff_a)
    _eligible(review_part, review_session)
    _certificate(review_part, ready, 3, CODES["r"], status="issued")
    # The other instansi's.
    event_x, session_x = _event(world.other_instansi, world.agency_x)
    batch_x = CertificateBatch.objects.create(
        instansi=world.other_instansi, event=event_x, status="ready", total=1, done=1
    )
    part_x = ParticipantFactory(event=event_x, employee=world.staff_x)
    _eligible(part_x, session_x)
    cert_x = _certificate(part_x, batch_x, 1, CODES["x"])
    mine = {
        "cert_event": event.pk,
        "cert_batches": 1,
        "cert_participant": waiting.pk,
        "cert_batch": ready.pk,
        "cert_code": cert_a.printed_code,
    }
    objects["a"].update(mine, certificate=cert_a.pk)
    objects["b"].update(mine, certificate=cert_b.pk)
    objects["-"].update(mine, certificate=cert_a.pk)
    objects["x"].update(
        cert_event=event_x.pk,
        cert_batches=1,
        cert_participant=part_x.pk,
        cert_batch=batch_x.pk,
        cert_code=cert_x.printed_code,
        certificate=cert_x.pk,
    )
