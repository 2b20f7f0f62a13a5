"""Closing an event enters its lesson hours in the participants' development-hours ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.training.models import Attendance, DevelopmentRecord
from kinerja.training.services.events import event_set_status
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_finishing_the_event_records_each_confirmed_participants_jp(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    first = SessionFactory(event=event)  # 2 JP
    second = SessionFactory(
        event=event,
        starts_at=first.ends_at,
        ends_at=first.ends_at + (first.ends_at - first.starts_at),
    )
    present = ParticipantFactory(event=event, employee=world.staff_a)
    withdrawn = ParticipantFactory(event=event, employee=world.staff_b, status="withdrawn")
    for participant, jps in ((present, ("2", "1.55")), (withdrawn, ("2", "2"))):
        for session, jp in zip((first, second), jps, strict=True):
            Attendance.objects.create(
                instansi=world.instansi,
                participant=participant,
                session=session,
                status="present",
                jp=Decimal(jp),
            )

    event_set_status(actor=world.users["bpsdm"], event=event, status="finished")

    record = DevelopmentRecord.objects.get()
    assert (record.employee, record.hours, record.year) == (world.staff_a, Decimal("3.55"), 2023)
    # Finishing again is refused (the status only moves forward); the ledger stays one row.
    with pytest.raises(ValidationError):
        event_set_status(actor=world.users["bpsdm"], event=event, status="finished")
    assert DevelopmentRecord.objects.count() == 1
