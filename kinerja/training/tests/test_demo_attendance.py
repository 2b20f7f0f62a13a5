"""The demo's attendance, on an event made with factories: 11 sessions over three days and 12
confirmed participants; most reach 90% of the JP, the sick, the excused and the late one not."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory
from kinerja.training.demo_attendance import EVENT_TITLE, demo_attendance_run, demo_attendance_wipe
from kinerja.training.models import Attendance, AttendanceScan, Participant
from kinerja.training.services.attendance import totals_for
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English (the default language is Indonesian)."""
    with translation.override("en"):
        yield


WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def event(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, title=EVENT_TITLE)
    slots = [(8, 0), (10, 0), (13, 0), (15, 0)]
    for day in range(3):
        for hour, minute in slots[: 4 if day < 2 else 3]:
            start = dt.datetime(2023, 1, 11 + day, hour, minute, tzinfo=WIB)
            SessionFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=90))
    for _ in range(12):
        ParticipantFactory(event=event, employee=EmployeeFactory(unit=world.division_a))
    return event


def test_the_demo_attendance_leaves_two_or_three_under_90_percent(world, event):
    ctx = SimpleNamespace(instansi=world.instansi)
    assert demo_attendance_run(ctx) == "132 attendance rows written"  # 12 x 11
    rows = totals_for(event, Participant.objects.filter(event=event))
    assert all(r["planned"] == Decimal("22.00") for r in rows)
    under = [r for r in rows if r["percent"] < 90]
    assert 2 <= len(under) <= 3
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert {"present", "late", "left_early", "sick", "excused"} <= statuses
    assert Attendance.objects.filter(status="sick").count() == 4  # the second day's sessions
    assert AuditEvent.objects.filter(action="training.attendance_scan").count() == 132
    # Every credited row agrees with its scans through the merge rule.
    for att in Attendance.objects.filter(status__in=["present", "late", "left_early"])[:20]:
        scans = AttendanceScan.objects.filter(participant=att.participant, session=att.session)
        assert min(s.scanned_at for s in scans if s.direction == "in") == att.checked_in_at
    # Run again: kept.
    assert demo_attendance_run(ctx) == "0 attendance rows written"
    assert "removed" in demo_attendance_wipe(ctx)
    assert not Attendance.objects.exists()


def test_without_the_event_the_step_is_skipped(world):
    assert demo_attendance_run(SimpleNamespace(instansi=world.instansi)).startswith("skipped")
