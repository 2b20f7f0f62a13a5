"""The planning API: scoped reads, writes through the services (audited), 400 with a message
for bad input, 403 for a role that may not, 404 for what is out of reach."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Goal, Period, Target


@pytest.fixture
def api(world):
    def client(role):
        c = APIClient()
        c.force_login(world.users[role])
        return c

    return client


def test_the_schema_is_valid_and_documents_planning():
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    text = out.getvalue()
    for path in (
        "/api/v1/periods/",
        "/api/v1/goals/",
        "/api/v1/indicators/similar/",
        "/api/v1/targets/{id}/values/",
        "/api/v1/late-entry-windows/",
    ):
        assert f'"{path}"' in text, path


def test_goals_are_listed_within_reach(plan, api):
    codes = {
        g["code"] for g in api("opd_admin").get("/api/v1/goals/?page_size=100").json()["results"]
    }
    assert codes == {"M1", "M1.T1", "M1.T1.S1", "DIK.T1", "DIK.T1.S1"}
    codes = {g["code"] for g in api("bappeda").get("/api/v1/goals/").json()["results"]}
    assert "KES.T1" in codes
    assert api("opd_admin").get(f"/api/v1/goals/{plan.objective_b.pk}/").status_code == 404


def test_a_goal_is_added_through_the_service_with_its_tags(plan, api, world):
    response = api("opd_admin").post(
        "/api/v1/goals/",
        {
            "code": "DIK.T2",
            "name": "Mutu pendidikan menengah",
            "level": "agency_objective",
            "parent": "M1.T1.S1",
            "unit": "DIKBUD",
            "rb_themes": ["digitalisasi"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit"]["code"], body["rb_themes"]) == ("DIKBUD", ["digitalisasi"])
    event = AuditEvent.objects.get(action="goal.create", target_id=str(body["id"]))
    assert event.actor_id == world.users["opd_admin"].pk


def test_bad_goals_get_a_message_and_write_nothing(plan, api):
    count = Goal.objects.count()
    response = api("opd_admin").post(
        "/api/v1/goals/",
        {
            "code": "X",
            "name": "x",
            "level": "agency_objective",
            "parent": "M1.T1.S1",
            "unit": "DIKBUD-SMA",
        },
        format="json",
    )
    assert response.status_code == 400
    # Indonesian by default: "belongs to an agency (a unit at the top of the tree)".
    assert response.json()["unit"] == [
        "Tujuan/sasaran Renstra dimiliki satu perangkat daerah (unit di puncak pohon organisasi)."
    ]
    # Agency B is out of reach: "not found", never revealed.
    response = api("opd_admin").post(
        "/api/v1/goals/",
        {"code": "X", "name": "x", "level": "agency_target", "parent": "KES.T1", "unit": "DINKES"},
        format="json",
    )
    assert response.status_code == 400
    assert (
        "not found" in response.json()["parent"][0] or "ditemukan" in response.json()["parent"][0]
    )
    assert Goal.objects.count() == count


def test_targets_and_their_sub_period_values(plan, api):
    client = api("bappeda")
    assert client.post("/api/v1/periods/", {"year": 2026}, format="json").status_code == 201
    response = client.post(
        "/api/v1/targets/", {"indicator": "DIK-01", "year": 2026, "shape": "value"}, format="json"
    )
    assert response.status_code == 400
    assert "value" in response.json()
    response = client.post(
        "/api/v1/targets/", {"indicator": "DIK-01", "year": 2026, "value": "85.5"}, format="json"
    )
    assert response.status_code == 201
    target = response.json()["id"]
    replaced = client.post(
        "/api/v1/targets/",
        {"indicator": "DIK-01", "year": 2026, "shape": "range", "low": 80, "high": 90},
        format="json",
    )
    assert replaced.status_code == 200
    assert Target.objects.get(pk=target).low == 80

    values = [{"number": n, "low": 70 + 2 * n, "high": 80 + n} for n in (1, 2, 3)]
    response = client.post(
        f"/api/v1/targets/{target}/values/",
        {"values": [*values, {"number": 4, "low": 80, "high": 95}]},
        format="json",
    )
    assert response.status_code == 400
    assert "95" in response.json()["values"][0]
    response = client.post(
        f"/api/v1/targets/{target}/values/",
        {"values": [*values, {"number": 4, "low": 80, "high": 90}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [v["high"] for v in response.json()["values"]] == [
        "81.0000",
        "82.0000",
        "83.0000",
        "90.0000",
    ]


def test_periods_are_for_the_planning_administrators(world, api):
    assert (
        api("opd_admin").post("/api/v1/periods/", {"year": 2026}, format="json").status_code == 403
    )
    assert api("bkd").post("/api/v1/periods/", {"year": 2026}, format="json").status_code == 201
    period = Period.objects.get(year=2026)
    response = api("bkd").patch(
        f"/api/v1/periods/{period.pk}/", {"frequency": "monthly"}, format="json"
    )
    assert response.status_code == 200
    assert len(response.json()["sub_periods"]) == 12
    assert api("bkd").post("/api/v1/periods/", {"year": 1999}, format="json").status_code == 400


def test_similar_names(plan, api):
    response = api("opd_admin").get("/api/v1/indicators/similar/?name=partisipasi%20kasar%20SMA")
    assert response.status_code == 200
    assert response.json()[0]["code"] == "DIK-01"
    assert api("opd_admin").get("/api/v1/indicators/similar/?name=").json() == []
    assert api("opd_admin").get("/api/v1/indicators/similar/?name=" + "a" * 501).status_code == 400
