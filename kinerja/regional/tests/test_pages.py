"""The pages in Indonesian with the fixture's numbers: the areas, the Bappeda area dashboard
(status chart, its table and workbook, late milestones, agencies, regions), the project list
and its filters, the project page with its forms and refusals, and an agency's duties."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from kinerja.regional.models import Milestone, Project

pytestmark = pytest.mark.django_db


def test_the_area_list_shows_published_and_recorded_counts(login, world, regional):
    client = login(world.users["leadership"])
    response = client.get(reverse("regional:area_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kawasan pembangunan Perpres 80/2019" in page
    assert "Kawasan prioritas" in page and "mendukung Gerbangkertosusila" in page
    rows = response.context["areas"]
    assert [(r["code"], r["projects"], r["published_projects"]) for r in rows] == [
        ("gerbangkertosusila", 2, 77),
        ("madura-dan-kepulauan", 2, 26),
    ]
    assert rows[0]["by_status"]["construction"] == 1
    assert rows[0]["late_milestones"] == 1
    # GKS: Rp 8,3 T + Rp 4,8 T = Rp 13,1 T.
    assert "Rp 13,1 T" in page
    assert response.context["totals"]["by_funding"] == {
        "apbn": 1,
        "apbd": 0,
        "apbn_apbd": 0,
        "bumn_bumd": 1,
        "kpbu": 1,
        "private": 1,
    }


def test_the_area_dashboard(login, world, regional):
    client = login(world.users["bappeda"])
    response = client.get(reverse("regional:area_detail", args=["gerbangkertosusila"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Proyek per status" in page and "echarts.min.js" in page
    counts = {r["status"]: r["count"] for r in response.context["status_rows"]}
    assert counts == {
        "planning": 1,
        "preparation": 0,
        "construction": 1,
        "partly_operating": 0,
        "finished": 0,
    }
    chart = response.context["chart"][0]
    assert chart["categories"][0] == "Perencanaan" and chart["series"][0]["data"] == [1, 0, 1, 0, 0]
    # The late milestone: planned 10 January 2022, not reached.
    late = response.context["late"]
    assert late["total"] == 1 and late["rows"][0].name == "Konstruksi dimulai"
    assert "10 Januari 2022" in page
    agencies = {r["agency"].name: (r["leads"], r["joins"]) for r in response.context["agencies"]}
    assert agencies == {"Dinas Pendidikan": (2, 0), "Dinas Kesehatan": (0, 1)}
    regions = {
        r["region"].code: (r["member"], r["location"], r["supporting"])
        for r in response.context["regions"]
    }
    assert regions["35.78"] == (True, 1, 0)
    assert regions["35.25"] == (True, 0, 1)
    assert regions["35.16"] == (False, 1, 0)  # Mojokerto (regency) is named by a project only


def test_an_area_without_projects_says_so(login, world, regional):
    Project.objects.filter(area=regional.mdr).delete()
    client = login(world.users["bappeda"])
    page = client.get(
        reverse("regional:area_detail", args=["madura-dan-kepulauan"])
    ).content.decode()
    assert "Belum ada proyek tercatat untuk kawasan ini" in page
    assert 'id="area-status-chart"' not in page


def test_the_status_table_exports_to_excel(login, world, regional):
    client = login(world.users["opd_head"])
    response = client.get(reverse("regional:area_status_xlsx", args=["gerbangkertosusila"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Status", "Proyek", "Investasi (Rp)")
    assert rows[1] == ("Perencanaan", 1, 8_300_000_000_000)
    assert rows[3] == ("Konstruksi", 1, 4_800_000_000_000)
    assert rows[-1] == ("Jumlah", 2, 13_100_000_000_000)


def test_the_project_list_filters(login, world, regional):
    client = login(world.users["inspektorat"])
    url = reverse("regional:project_list")
    assert len(client.get(url).context["page_obj"]) == 4
    found = client.get(url, {"area": "madura-dan-kepulauan", "synthetic": "false"})
    assert [p.code for p in found.context["page_obj"]] == ["MDR-001"]
    found = client.get(url, {"funding": "kpbu", "phase": "p1"})
    assert [p.code for p in found.context["page_obj"]] == ["GKS-001"]
    found = client.get(url, {"q": "tol"})
    assert [p.code for p in found.context["page_obj"]] == ["GKS-002"]
    found = client.get(url, {"agency": world.agency_b.pk})
    assert sorted(p.code for p in found.context["page_obj"]) == ["GKS-001", "MDR-001", "MDR-002"]
    found = client.get(url, {"lead_agency": "x"})
    assert "filter-errors" in found.content.decode()


def test_the_project_export_is_the_import_layout(login, world, regional):
    client = login(world.users["leadership"])
    response = client.get(reverse("regional:project_export"), {"area": "gerbangkertosusila"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kode Proyek" and [r[0] for r in rows[1:]] == ["GKS-001", "GKS-002"]


def test_the_project_page_shows_its_parts_and_the_allowed_forms(login, world, regional):
    toll = regional.projects["toll"]
    url = reverse("regional:project_detail", args=[toll.pk])
    page = login(world.users["opd_admin"]).get(url).content.decode()
    assert "Konstruksi dimulai" in page and "terlambat" in page
    assert 'data-testid="progress-form"' in page  # the lead agency reports progress
    assert 'data-testid="milestone-form"' not in page  # only the project office adds milestones
    page = login(world.users["leadership"]).get(url).content.decode()
    assert 'data-testid="progress-form"' not in page


def test_a_refused_progress_shows_beside_the_field(login, world, regional):
    toll = regional.projects["toll"]
    client = login(world.users["opd_admin"])
    response = client.post(
        reverse("regional:progress_add", args=[toll.pk]),
        {"date": "2023-06-30", "percent": "90", "status": "finished"},
    )
    assert response.status_code == 400
    assert "Proyek yang selesai berada pada kemajuan fisik 100%." in response.content.decode()
    response = client.post(
        reverse("regional:progress_add", args=[toll.pk]),
        {"date": "2023-06-30", "percent": "45.5", "status": "construction"},
    )
    assert response.status_code == 302
    assert toll.progress_updates.get().percent == 45.5


def test_a_milestone_before_the_start_is_refused_on_the_page(login, world, regional):
    toll = regional.projects["toll"]
    client = login(world.users["bappeda"])
    response = client.post(
        reverse("regional:milestone_add", args=[toll.pk]),
        {"name": "Pengadaan lahan", "planned_date": "2021-01-01", "actual_date": "2021-02-01"},
    )
    assert response.status_code == 400
    assert "tidak boleh mendahului mulainya proyek (2021-03-01)" in response.content.decode()
    assert not Milestone.objects.filter(name="Pengadaan lahan").exists()
    # The lead agency's administrator sets the actual date of the late milestone.
    client = login(world.users["opd_admin"])
    response = client.post(
        reverse("regional:milestone_update", args=[regional.late.pk]), {"actual_date": "2022-02-03"}
    )
    assert response.status_code == 302
    regional.late.refresh_from_db()
    assert regional.late.actual_date == dt.date(2022, 2, 3)


def test_bappeda_creates_a_project_from_the_form(login, world, regional):
    client = login(world.users["bappeda"])
    data = {
        "code": "GKS-003",
        "name": "Pengendalian banjir Kali Lamong",
        "area": regional.gks.pk,
        "category": "water_resources",
        "funding": "apbn",
        "investment_rp": "-5",
        "lead_agency": world.agency_a.pk,
        "location_regions": "35.25; 35.99",
        "phase": "p2",
        "status": "planning",
        "land_status": "unknown",
    }
    response = client.post(reverse("regional:project_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nilai investasi tidak boleh negatif." in page
    data["investment_rp"] = "1500000000000"
    response = client.post(reverse("regional:project_create"), data)
    assert "Kode wilayah 35.99 tidak dikenal." in response.content.decode()
    data["location_regions"] = "35.25"
    response = client.post(reverse("regional:project_create"), data)
    assert response.status_code == 302
    assert Project.objects.get(code="GKS-003").investment_rp == 1_500_000_000_000


def test_the_agency_duties_page(login, world, regional):
    world.agency_a.duties = (
        "Melaksanakan urusan pemerintahan bidang pendidikan.\nMenyusun kebijakan teknis."
    )
    world.agency_a.save()
    client = login(world.users["opd_head"])
    response = client.get(reverse("regional:agency_duties_index"))
    assert response.status_code == 302  # a head goes straight to their own agency
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "Melaksanakan urusan pemerintahan bidang pendidikan." in page
    assert "Mengampu 2 proyek Perpres 80/2019" in page
    assert [p.code for p in response.context["led"]] == ["GKS-001", "GKS-002"]
    # Another agency's page is out of a head's reach.
    assert (
        client.get(reverse("regional:agency_duties", args=[world.agency_b.pk])).status_code == 404
    )
    page = (
        login(world.users["bappeda"])
        .get(reverse("regional:agency_duties", args=[world.agency_b.pk]))
        .content.decode()
    )
    assert "Menjadi mitra 1 proyek" in page and "Akses layanan kesehatan" in page


def test_an_employee_without_a_grant_is_refused(login, world, regional):
    client = login(world.users["employee"])
    assert client.get(reverse("regional:area_list")).status_code == 403


def test_the_dashboard_pages_take_a_fixed_number_of_queries(login, world, regional, bappeda_scope):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.regional import services

    from .conftest import project_data

    client = login(world.users["bappeda"])
    urls = [
        reverse("regional:area_list"),
        reverse("regional:area_detail", args=["gerbangkertosusila"]),
        reverse("regional:project_list"),
        reverse("regional:agency_duties", args=[world.agency_a.pk]),
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    for n in range(3, 11):
        project = services.project_create(
            actor=None,
            scope=bappeda_scope,
            data=project_data(
                regional.gks,
                world.agency_a,
                code=f"GKS-{n:03d}",
                status="construction",
                start_date=dt.date(2021, 1, 1),
            ),
            regions={"35.78": "location"},
            collaborators=[world.agency_b],
        )
        services.milestone_add(
            actor=None,
            scope=bappeda_scope,
            project=project,
            name="Konstruksi dimulai",
            planned_date=dt.date(2021, 5, 1),
        )
    assert counts() == before
