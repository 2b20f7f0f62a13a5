"""The demo's 2023 refreshment, built on the test world."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.organisations.models import Region
from kinerja.training.demo_events import DATA, demo_events_run, demo_events_wipe
from kinerja.training.models import Event, Session, Speaker, TimetableVersion

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self, instansi):
        self.instansi = instansi


def test_the_demo_builds_the_2023_event_from_the_published_facts(world):
    Region.objects.get_or_create(
        code="35.73",
        defaults={"name": "Kota Malang", "level": "city", "parent": Region.objects.get(code="35")},
    )
    world.agency_b.name = "Badan Pengembangan Sumber Daya Manusia"
    world.agency_b.save()
    ctx = Ctx(world.instansi)
    demo_events_run(ctx)
    facts = json.loads(DATA.read_text(encoding="utf-8"))
    event = Event.objects.get(title="Refreshment Manajemen Pemerintah Tahun 2023")
    assert (event.status, event.timetable_version, event.venue_region.code) == (
        "finished",
        1,
        "35.73",
    )
    assert event.organiser_unit == world.agency_b
    sessions = list(Session.objects.filter(event=event).order_by("starts_at"))
    assert len(sessions) == 11
    assert {timezone.localtime(s.starts_at).date() for s in sessions} == {
        dt.date(2023, 1, 11),
        dt.date(2023, 1, 12),
        dt.date(2023, 1, 13),
    }
    shown = [s for s in sessions if s.published]
    assert len(shown) == 4
    assert [s.title for s in shown] == [s["title"] for s in facts["sessions"]]
    assert [[sp.name for sp in s.speakers.all()] for s in shown] == [
        [p["name"] for p in s["speakers"]] for s in facts["sessions"]
    ]
    hidden = [s for s in sessions if not s.published]
    assert all("tidak dipublikasikan" in s.title and not s.speakers.exists() for s in hidden)
    assert set(Speaker.objects.filter(instansi=world.instansi).values_list("name", flat=True)) == {
        "Ainun Najib",
        "Hermawan Kartajaya",
        "John Robert Powers",
        "Prof. Dr. Erwan Agus Purwanto",
    }
    # JP from the lengths: 135 minutes is 3 JP, 90 minutes 2 JP.
    assert sessions[0].jp == Decimal("3.00") and sessions[1].jp == Decimal("2.00")
    assert len(TimetableVersion.objects.get(event=event).sessions) == 11
    assert Event.objects.filter(instansi=world.instansi, status="planned").count() == 1
    # Running again keeps; the wipe removes.
    demo_events_run(ctx)
    assert Event.objects.filter(instansi=world.instansi).count() == 2
    assert Session.objects.filter(event__instansi=world.instansi).count() == 11
    demo_events_wipe(ctx)
    assert Event.objects.filter(instansi=world.instansi).count() == 0
    assert Speaker.objects.filter(instansi=world.instansi).count() == 0
