"""The pages in Indonesian with the fixture's numbers: the areas, the Bappeda area dashboard
(status chart, its table and workbook, late milestones, agencies, regions), the project list
and its filters, the project page with its forms and refusals, and an agency's duties."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from kinerja.regional.models import Milestone, Project

pytestmark = pytest.mark.django_db


def _rows(page: str, testid: str) -> list[str]:
    """The inner HTML of the page's table rows marked ``data-testid=testid``."""
    return re.findall(rf'<tr data-testid="{testid}"[^>]*>(.*?)</tr>', page, re.S)


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</table>", start)]


def _numbers(html: str) -> list[int]:
    """The figures of the right-aligned cells, in order."""
    return [int(n) for n in re.findall(r'<td class="text-end"[^>]*>(\d+)</td>', html)]


def _codes(page: str, testid: str) -> list[str]:
    """The linked code opening each row marked ``testid`` (a project's code)."""
    return [re.search(r"<a [^>]*>([^<]+)</a>", row).group(1) for row in _rows(page, testid)]


def test_the_area_list_shows_published_and_recorded_counts(login, world, regional):
    client = login(world.users["leadership"])
    response = client.get(reverse("regional:area_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kawasan pembangunan Perpres 80/2019" in page
    assert "Kawasan prioritas" in page and "mendukung Gerbangkertosusila" in page
    rows = _rows(page, "area-row")
    assert [
        (
            re.search(r"/regional/areas/([^/]+)/", r).group(1),
            re.search(r'data-testid="recorded">(\d+)<', r).group(1),
            _numbers(r)[0],
        )
        for r in rows
    ] == [("gerbangkertosusila", "2", 77), ("madura-dan-kepulauan", "2", 26)]
    assert 'area=gerbangkertosusila&amp;status=construction">1</a>' in rows[0]
    assert '<span class="badge bg-danger-lt">1</span>' in rows[0]  # one late milestone
    # GKS: Rp 8,3 T + Rp 4,8 T = Rp 13,1 T.
    assert "Rp 13,1 T" in page
    # APBN, APBD, APBN/APBD, BUMN/BUMD, KPBU, private.
    assert _numbers(_section(page, "funding-table")) == [1, 0, 0, 1, 1, 1]


def test_the_area_dashboard(login, world, regional):
    client = login(world.users["bappeda"])
    response = client.get(reverse("regional:area_detail", args=["gerbangkertosusila"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Proyek per status" in page and "echarts.min.js" in page
    counts = dict(
        re.findall(
            r'status=(\w+)">[^<]*</a></td><td class="text-end">(\d+)</td>',
            _section(page, "status-table"),
        )
    )
    assert counts == {
        "planning": "1",
        "preparation": "0",
        "construction": "1",
        "partly_operating": "0",
        "finished": "0",
    }
    charts = re.search(r'<script id="regional-charts"[^>]*>(.*?)</script>', page, re.S).group(1)
    chart = json.loads(charts)[0]
    assert chart["categories"][0] == "Perencanaan" and chart["series"][0]["data"] == [1, 0, 1, 0, 0]
    # The late milestone: planned 10 January 2022, not reached.
    assert 'data-testid="late-total">1<' in page
    late = _rows(page, "late-row")
    assert len(late) == 1 and "<td>Konstruksi dimulai</td>" in late[0]
    assert "10 Januari 2022" in page
    agencies = {
        re.search(r"<a [^>]*>([^<]+)</a>", r).group(1): tuple(_numbers(r))
        for r in _rows(page, "agency-row")
    }
    assert agencies == {"Dinas Pendidikan": (2, 0), "Dinas Kesehatan": (0, 1)}
    regions = {
        re.search(r'<span class="small text-secondary">([^<]+)</span>', r).group(1): (
            "<td>tidak</td>" not in r,
            *_numbers(r),
        )
        for r in _rows(page, "region-row")
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

    def codes(**params):
        return _codes(client.get(url, params).content.decode(), "project-row")

    assert len(codes()) == 4
    assert codes(area="madura-dan-kepulauan", synthetic="false") == ["MDR-001"]
    assert codes(funding="kpbu", phase="p1") == ["GKS-001"]
    assert codes(q="tol") == ["GKS-002"]
    assert sorted(codes(agency=world.agency_b.pk)) == ["GKS-001", "MDR-001", "MDR-002"]
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
    assert _codes(page, "led-row") == ["GKS-001", "GKS-002"]
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
        # The caller's scope and menu are worked out on a first page and kept (the scope
        # across these writes, which do not change who reaches what; the menu until the next
        # write): worked out before counting, so both counts hold the pages alone.
        client.get(reverse("accounts:password_change"))
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
