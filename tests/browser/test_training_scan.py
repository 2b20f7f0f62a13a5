"""The organiser's scanning page keeps working offline: two typed codes wait in the browser's
queue while the network is down, and are sent once when it is back."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from kinerja.training.models import Attendance, AttendanceScan
from kinerja.training.services.attendance import badge_code
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scans_queue_offline_and_are_sent_once_back_online(world, live_server, page):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    now = timezone.now()
    session = SessionFactory(
        event=event,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=85),
    )
    codes = [
        badge_code(ParticipantFactory(event=event, employee=employee))
        for employee in (world.staff_a, world.staff_b)
    ]
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "training-scans" in r.url else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.users["bpsdm"].username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/training/events/{event.pk}/scan/")
    expect(page.locator("#scan-session")).to_have_value(str(session.pk))
    queue = page.get_by_test_id("queue-length")
    expect(queue).to_have_text("0")

    page.context.set_offline(True)
    for code in codes:
        page.fill("#scan-code", code)
        page.locator("#scan-typed button[type=submit]").click()
    expect(queue).to_have_text("2")
    assert AttendanceScan.objects.count() == 0

    page.context.set_offline(False)
    expect(queue).to_have_text("0", timeout=15000)
    expect(page.get_by_test_id("scan-log").locator("li.text-success")).to_have_count(2)
    assert AttendanceScan.objects.count() == 2
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    # Reloaded, the page finds nothing left to send, and nothing is sent again.
    page.reload()
    expect(queue).to_have_text("0")
    page.wait_for_timeout(500)
    assert len(posts) == 1 and AttendanceScan.objects.count() == 2
