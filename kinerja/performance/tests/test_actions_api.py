"""The actions API: an action with its schedule, 400 with the field on bad weights, 409 on a
stale version, progress entry and the weighted progress, another agency's agreement "not
found"."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kinerja.performance.models import Action

from . import test_actions as base

QUARTERS = base.QUARTERS
ap = base.ap  # the fixture

URL = "/api/v1/actions/"


@pytest.fixture
def client(world):
    c = APIClient()
    c.force_login(world.users["opd_admin"])
    return c


def _body(ap, **extra):
    return {
        "agreement_target": ap.row.pk,
        "code": "1",
        "text": "Sosialisasi PPDB",
        "unit": ap.world.division_a.pk,
        "program_code": "1.01.02",
        "budget": "2500000.00",
        "funding_source": "apbd",
        "schedule": QUARTERS,
        **extra,
    }


def test_create_schedule_progress_and_conflict(ap, client):
    response = client.post(URL, _body(ap), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["level"] == 1 and body["budget"] == "2500000.00"
    assert [r["weight"] for r in body["schedule"]] == ["40.00", "25.00", "25.00", "10.00"]
    pk = body["id"]
    bad = [{"sub_period": n, "weight": "25"} for n in (1, 2, 3)] + [
        {"sub_period": 4, "weight": "24"}
    ]
    response = client.post(f"{URL}{pk}/schedule/", {"version": 1, "schedule": bad}, format="json")
    assert response.status_code == 400 and "schedule" in response.json()
    assert Action.objects.get().schedule.filter(weight=40).count() == 1
    response = client.patch(f"{URL}{pk}/", {"version": 1, "text": "Baru"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    response = client.patch(f"{URL}{pk}/", {"version": 1, "text": "Lama"}, format="json")
    assert response.status_code == 409
    for number, value in ((1, "50"), (2, "100")):
        response = client.post(
            f"{URL}{pk}/progress/", {"sub_period": number, "progress": value}, format="json"
        )
        assert response.status_code == 200, response.json()
    assert response.json()["weighted_progress"] == "45.00"
    listed = client.get(URL, {"agreement": ap.agreement.pk}).json()
    assert [row["code"] for row in listed["results"]] == ["1"]


def test_another_agencys_target_is_not_found(ap, world):
    other = APIClient()
    other.force_login(world.users["opd_admin"])
    from kinerja.performance.models import AgreementTarget

    # Agency A's administrator gives a target row of an agreement they cannot see.
    row = AgreementTarget.objects.get(pk=ap.row.pk)
    row.agreement.unit = world.agency_b
    row.agreement.save(update_fields=["unit"])
    response = other.post(URL, _body(ap), format="json")
    assert response.status_code == 400 and "agreement_target" in response.json()
    assert Action.objects.count() == 0
