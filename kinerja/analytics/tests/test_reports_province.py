"""The province summary on the ``lk`` world: the province's key indicators, its roll-up, the
counts of the year's targets (the whole province) and the agencies within the reader's reach,
as a page, a PDF, a workbook and the API."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
from django.urls import reverse
from pypdf import PdfReader

from kinerja.accounts.scope import scope_for
from kinerja.analytics.reports_province import province_report
from kinerja.performance.models import Rollup

from .reports_fixtures import lk_fixture, pk, plan, rl_fixture, scopes  # noqa: F401 - fixtures


def test_counts_province_figure_and_key_indicators(lk, world):
    report = province_report(scope_for(world.users["bappeda"]), 2023)
    # 2023: DIK-01 (103.53), KES-01 and IKU-01 without a figure; B's supporting result KES-K1
    # serves the shared target and is not counted again.
    assert (report.targets, report.achieved, report.below, report.not_computed) == (3, 1, 0, 2)
    row = Rollup.objects.get(kind="province", object_id=world.instansi.pk, year=2023, sub_period=0)
    assert (report.province_percent, report.province_computed) == (row.percent, 1)
    assert report.province_percent == D("103.53")
    # The province's IKU set (2021-2026) holds IKU-01: its 2023 target 9.5, no realisation.
    assert report.source == "key_set"
    assert [(r.code, r.target, r.percent) for r in report.rows] == [("IKU-01", "9.5", None)]


def test_agencies_ranked_and_only_those_within_reach(lk, world):
    wide = province_report(scope_for(world.users["leadership"]), 2023)
    assert [(a.rank, a.code, a.percent) for a in wide.agencies] == [
        (1, "DIKBUD", D("103.53")),
        (2, "DINKES", D("103.53")),
    ]
    dikbud, dinkes = wide.agencies
    assert (dikbud.targets, dikbud.achieved, dikbud.below) == (1, 1, 0)
    assert (dinkes.targets, dinkes.achieved) == (2, 0)  # KES-01 and KES-K1, no figure yet
    head = province_report(scope_for(world.users["opd_head"]), 2023)
    assert [a.code for a in head.agencies] == ["DIKBUD"]
    assert (head.agencies_total, head.targets) == (2, 3)  # the counts stay the province's


def test_page_pdf_workbook_and_api(lk, client, world):
    client.force_login(world.users["opd_head"])
    page = client.get(reverse("analytics:report_province") + "?year=2023")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dinas Pendidikan" in text and "Dinas Kesehatan" not in text
    assert "1 dari 2" in text  # agencies within your access
    pdf = client.get(reverse("analytics:report_province_pdf") + "?year=2023")
    assert pdf.content.startswith(b"%PDF")
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "RINGKASAN CAPAIAN KINERJA TAHUN 2023" in words
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("analytics:report_province_xlsx") + "?year=2023").content)
    )
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Target tahun ini"] == 3
    assert summary["Mencapai 100 % atau lebih"] == 1
    data = client.get(reverse("api:reports-province") + "?year=2023").json()
    assert data["counts"] == {
        "targets": 3,
        "achieved": 1,
        "below": 0,
        "not_computed": 2,
        "achieved_from_percent": "100",
    }
    assert [a["code"] for a in data["agencies"]] == ["DIKBUD"]


def test_an_employee_is_forbidden_and_a_year_without_data_says_so(lk, client, world):
    client.force_login(world.users["employee"])
    assert client.get(reverse("analytics:report_province")).status_code == 403
    assert client.get(reverse("api:reports-province")).status_code == 403
    client.force_login(world.users["leadership"])
    page = client.get(reverse("analytics:report_province") + "?year=2031")
    assert b'data-testid="no-data"' in page.content


def test_the_menu_names_reports_and_the_network_for_the_readers_of_planning(world, client):
    reports, network = reverse("analytics:report_list"), reverse("analytics:network")
    client.force_login(world.users["opd_head"])
    page = client.get("/").content.decode()
    assert f'href="{reports}"' in page and "Laporan" in page
    assert f'href="{network}"' in page and "Jejaring kolaborasi" in page
    client.force_login(world.users["employee"])
    page = client.get("/").content.decode()
    assert f'href="{reports}"' not in page and f'href="{network}"' not in page
