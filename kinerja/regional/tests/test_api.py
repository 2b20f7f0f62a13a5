"""The API: areas and projects read within the instansi with the list's filters, writes
through the services with their refusals as 400 field errors, roles as 403, and another
instansi's rows as 404 or "not found"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.regional.models import Milestone, Project

pytestmark = pytest.mark.django_db


def test_areas_read_by_code(login, world, regional):
    client = login(world.users["opd_admin"])
    rows = client.get(reverse("api:regional-area-list")).json()
    rows = rows.get("results", rows)
    assert [a["code"] for a in rows] == ["gerbangkertosusila", "madura-dan-kepulauan"]
    mdr = client.get(reverse("api:regional-area-detail", args=["madura-dan-kepulauan"])).json()
    assert mdr["supports"] == "gerbangkertosusila" and mdr["published_projects"] == 26
    assert {m["code"]: m["confirmed"] for m in mdr["members"]} == {"35.26": False, "35.27": False}


def test_projects_filter_like_the_page(login, world, regional):
    client = login(world.users["leadership"])
    url = reverse("api:regional-project-list")
    data = client.get(url, {"status": "construction"}).json()
    rows = data.get("results", data)
    assert [p["code"] for p in rows] == ["GKS-002"]
    assert rows[0]["investment_rp"] == 4_800_000_000_000
    assert client.get(url, {"lead_agency": "abc"}).status_code == 400


def test_bappeda_creates_and_patches_a_project(login, world, regional):
    client = login(world.users["bappeda"])
    url = reverse("api:regional-project-list")
    payload = {
        "code": "GKS-010",
        "name": "SPAM Regional Umbulan",
        "area": "gerbangkertosusila",
        "category": "water_supply",
        "funding": "kpbu",
        "investment_rp": 2_050_000_000_000,
        "lead_agency": world.agency_a.pk,
        "collaborators": [world.agency_b.pk],
        "regions": [{"code": "35.78", "role": "location"}, {"code": "35.15", "role": "supporting"}],
        "phase": "p1",
    }
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["collaborators"][0]["agency"] == world.agency_b.pk
    assert {r["code"]: r["role"] for r in body["regions"]} == {
        "35.78": "location",
        "35.15": "supporting",
    }
    detail = reverse("api:regional-project-detail", args=[body["id"]])
    response = client.patch(detail, {"investment_rp": -1}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"investment_rp": ["Nilai investasi tidak boleh negatif."]}
    response = client.patch(
        detail, {"regions": [{"code": "35.98"}]}, content_type="application/json"
    )
    assert response.json() == {"regions": ["Kode wilayah 35.98 tidak dikenal."]}
    response = client.patch(detail, {"status": "preparation"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "preparation"


def test_writers_and_refusals(login, world, regional):
    url = reverse("api:regional-project-list")
    payload = {
        "code": "GKS-011",
        "name": "X",
        "area": "gerbangkertosusila",
        "category": "road",
        "funding": "apbn",
        "lead_agency": world.agency_x.pk,
        "phase": "p2",
    }
    assert (
        login(world.users["opd_admin"])
        .post(url, payload, content_type="application/json")
        .status_code
        == 403
    )
    response = login(world.users["bappeda"]).post(url, payload, content_type="application/json")
    assert response.status_code == 400 and "lead_agency" in response.json()
    assert login(world.users["employee"]).get(url).status_code == 403


def test_milestones_and_progress_through_the_services(login, world, regional):
    toll = regional.projects["toll"]
    client = login(world.users["bappeda"])
    response = client.post(
        reverse("api:regional-milestone-list"),
        {
            "project": toll.pk,
            "name": "Pengadaan lahan",
            "planned_date": "2021-01-01",
            "actual_date": "2021-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["actual_date"][0].startswith("Tanggal realisasi (2021-02-01)")
    admin = login(world.users["opd_admin"])
    response = admin.patch(
        reverse("api:regional-milestone-detail", args=[regional.late.pk]),
        {"actual_date": "2022-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["late"] is False
    response = admin.post(
        reverse("api:regional-progress-update-list"),
        {"project": toll.pk, "date": "2023-03-31", "percent": "37.5", "status": "construction"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["percent"] == "37.50"
    port = regional.projects["port"]  # led by agency B
    response = admin.post(
        reverse("api:regional-progress-update-list"),
        {"project": port.pk, "date": "2023-03-31", "percent": "5", "status": "preparation"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Milestone.objects.filter(project=toll).count() == 2
    assert Project.objects.get(pk=port.pk).progress_updates.count() == 0
