"""The planning pages: what each role sees, the writes through the services, refusals shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.performance import services
from kinerja.performance.choices import GoalLevel
from kinerja.performance.models import LateEntryWindow, Period


def test_goal_tree_shows_the_rpjmd_and_the_agencies_within_reach(plan, login, world):
    body = login(world.users["opd_admin"]).get(reverse("performance:goal_tree")).content.decode()
    assert "M1.T1.S1" in body and "DIK.T1.S1" in body and "IKU-01" in body
    assert "KES.T1" not in body  # agency B's Renstra

    body = login(world.users["bappeda"]).get(reverse("performance:goal_tree")).content.decode()
    assert "KES.T1" in body
    body = (
        login(world.users["bappeda"])
        .get(reverse("performance:goal_tree"), {"unit": world.agency_a.pk})
        .content.decode()
    )
    assert "DIK.T1" in body and "KES.T1" not in body


def test_goal_tree_costs_the_same_for_a_larger_plan(plan, login, world, scopes):
    client = login(world.users["bappeda"])
    url = reverse("performance:goal_tree")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(5):
        goal = services.goal_create(
            actor=world.users["bappeda"],
            scope=scopes["bappeda"],
            instansi=world.instansi,
            data={
                "level": GoalLevel.AGENCY_TARGET,
                "code": f"DIK.T1.S{n + 5}",
                "name": "x",
                "parent": plan.objective_a,
                "unit": world.agency_a,
            },
            rb_themes=["kemiskinan"],
        )
        plan.indicator(goal, f"DIK-X{n}", "x")
    client.get(url)  # the figures kept until a write are read again once after the writes
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count('data-testid="goal"') == 11
    assert len(large.captured_queries) == len(small.captured_queries)


def test_library_search_shows_the_closest_indicators(plan, login, world, scopes):
    services.template_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "name": "Indeks kepuasan masyarakat",
            "measure_unit": "indeks",
            "control_level": "outcome",
            "position_kind": "jpt_pratama",
        },
    )
    client = login(world.users["opd_admin"])
    body = client.get(reverse("performance:template_list")).content.decode()
    assert "Indeks kepuasan masyarakat" in body
    body = client.get(reverse("performance:template_list"), {"q": "partisipasi kasar"}).content
    assert "Angka partisipasi kasar SMA" in body.decode()


def test_opening_a_year_on_the_page(world, login):
    client = login(world.users["bappeda"])
    response = client.post(reverse("performance:period_list"), {"year": 2026, "frequency": ""})
    period = Period.objects.get(year=2026)
    assert response.status_code == 302
    assert response["Location"] == period.get_absolute_url()
    assert AuditEvent.objects.filter(action="period.create", target_id=str(period.pk)).exists()

    response = client.post(reverse("performance:period_list"), {"year": 2026})
    assert response.status_code == 400
    assert "2026" in response.content.decode()
    assert Period.objects.count() == 1
    response = login(world.users["opd_admin"]).post(
        reverse("performance:period_list"), {"year": 2027}
    )
    assert response.status_code == 403


@pytest.fixture
def year(world, scopes):
    return services.period_create(
        actor=world.users["bappeda"], scope=scopes["bappeda"], instansi=world.instansi, year=2026
    )


def test_closing_a_quarter_and_a_late_entry_window(year, world, login):
    client = login(world.users["bkd"])
    q1 = year.sub_periods.get(number=1)
    client.post(reverse("performance:sub_period_status", args=[q1.pk]), {"status": "closed"})
    q1.refresh_from_db()
    assert q1.status == "closed"

    url = reverse("performance:late_entry_create", args=[year.pk])
    form = {
        "unit": world.agency_a.pk,
        "sub_period": q1.pk,
        "opens": "2026-04-10",
        "closes": "2026-04-05",
        "reason": "Data BPS terlambat",
    }
    response = client.post(url, form, follow=True)
    assert "before it opens" in response.content.decode() or "sebelum" in response.content.decode()
    assert LateEntryWindow.objects.count() == 0

    response = client.post(url, {**form, "closes": "2026-04-15"}, follow=True)
    window = LateEntryWindow.objects.get()
    assert (window.unit, window.opens, window.closes) == (
        world.agency_a,
        dt.date(2026, 4, 10),
        dt.date(2026, 4, 15),
    )
    assert "Data BPS terlambat" in response.content.decode()


def test_period_pages_for_readers(year, world, login):
    client = login(world.users["opd_head"])
    assert client.get(reverse("performance:period_list")).status_code == 200
    body = client.get(reverse("performance:period_detail", args=[year.pk])).content.decode()
    assert body.count('data-testid="sub-period"') == 4
    assert "late_entry" not in body and "late-entry/" not in body
    assert login(world.users["employee"]).get(reverse("performance:goal_tree")).status_code == 403
