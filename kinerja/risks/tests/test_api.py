"""The register's API: scoped reads, writes through the services, 400 with field errors."""

import pytest
from rest_framework.test import APIClient

from kinerja.risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db


def _client(world, role):
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def _risk(client, plan, **extra):
    data = {
        "target": plan.target_a.pk,
        "title": "APK SMA/SMK tidak mencapai target",
        "category": "performance",
        "cause": "Putus sekolah",
        "impact_description": "Target tidak tercapai",
        "likelihood": 4,
        "impact": 5,
        "identified_on": "2026-03-01",
        **extra,
    }
    return client.post("/api/v1/risks/", data, format="json")


def test_create_answers_201_with_level_and_band(world, plan):
    response = _risk(_client(world, "opd_admin"), plan)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["band"]["key"], body["kind"]) == (20, "very_high", "target")
    assert body["unit"] == world.agency_a.pk
    assert body["owner_position"] == world.head_pos_a.pk


def test_bad_input_is_400_with_field_errors_in_indonesian(world, plan):
    response = _risk(_client(world, "opd_admin"), plan, likelihood=7, title="")
    assert response.status_code == 400
    assert response.json()["likelihood"] == ["Pilih tingkat dari 1 sampai 5."]
    assert response.json()["title"] == ["Isikan nama risiko."]
    assert not Risk.objects.exists()


def test_out_of_reach_target_is_not_found_and_readers_may_not_write(world, plan):
    response = _risk(_client(world, "opd_admin"), plan, target=plan.target_b.pk)
    assert response.status_code == 400 and "target" in response.json()
    assert _risk(_client(world, "opd_head"), plan).status_code == 403
    assert _risk(_client(world, "employee"), plan).status_code == 403


def test_list_is_scoped_patch_and_close(world, plan):
    admin = _client(world, "opd_admin")
    risk_id = _risk(admin, plan).json()["id"]
    bappeda = _client(world, "bappeda")
    other = _risk(bappeda, plan, target=plan.target_iku.pk, owner_position=world.head_pos_a.pk)
    assert other.status_code == 201
    assert [r["id"] for r in admin.get("/api/v1/risks/").json()["results"]] == [risk_id]
    assert len(bappeda.get("/api/v1/risks/").json()["results"]) == 2
    assert admin.get(f"/api/v1/risks/{other.json()['id']}/").status_code == 404
    patched = admin.patch(f"/api/v1/risks/{risk_id}/", {"likelihood": 2}, format="json")
    assert patched.status_code == 200 and patched.json()["level"] == 10
    bad = admin.post(f"/api/v1/risks/{risk_id}/close/", {"status": "closed"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    closed = admin.post(
        f"/api/v1/risks/{risk_id}/close/",
        {"status": "accepted", "reason": "Dalam selera risiko", "closed_on": "2026-09-01"},
        format="json",
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("accepted", "2026-09-01")
    assert admin.get("/api/v1/risks/", {"status": "live"}).json()["results"] == []


def test_from_target_raises_once(world, plan):
    admin = _client(world, "opd_admin")
    data = {"target": plan.target_a.pk, "projected_percent": "72", "threshold": "90"}
    first = admin.post("/api/v1/risks/from-target/", data, format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["likelihood"], body["impact"], body["level"]) == (4, 4, 16)
    assert body["title"] == (
        "Capaian Angka Partisipasi Kasar SMA/SMK diproyeksikan 72% (< ambang 90%)"
    )
    second = admin.post("/api/v1/risks/from-target/", data, format="json")
    assert second.status_code == 400
    assert second.json()["target"][0].startswith(
        "Target ini sudah memiliki risiko terbuka dari peringatan dini"
    )


def test_mitigations_create_patch_and_scope(world, plan):
    admin = _client(world, "opd_admin")
    risk_id = _risk(admin, plan).json()["id"]
    bad = admin.post("/api/v1/risk-mitigations/", {"risk": risk_id, "action": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"responsible_position", "due_on"}
    created = admin.post(
        "/api/v1/risk-mitigations/",
        {
            "risk": risk_id,
            "action": "Beasiswa",
            "responsible_name": "Bidang SMA",
            "due_on": "2026-06-30",
        },
        format="json",
    )
    assert created.status_code == 201
    mid = created.json()["id"]
    done = admin.patch(f"/api/v1/risk-mitigations/{mid}/", {"status": "done"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["progress_percent"]) == ("done", 100)
    assert Risk.objects.get(pk=risk_id).status == "mitigating"
    assert _client(world, "leadership").get("/api/v1/risk-mitigations/").json()["count"] == 1
    assert _client(world, "employee").get("/api/v1/risk-mitigations/").status_code == 403
    head = _client(world, "opd_head")
    assert (
        head.patch(
            f"/api/v1/risk-mitigations/{mid}/", {"status": "cancelled"}, format="json"
        ).status_code
        == 403
    )
    assert Mitigation.objects.get(pk=mid).status == "done"
