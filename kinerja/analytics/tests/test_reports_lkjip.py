"""The agency's yearly performance report (LKjIP) on the ``lk`` world (reports_fixtures.py):
its table is the roll-ups (the same figures the plan pages and the achievement functions give),
earlier years and the medium-term target, factors, efficiency, the shared target, the PDF and
the workbook (formula injection neutralised), the API, and the scope."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from kinerja.analytics.reports_lkjip import YearError, lkjip_report, parse_year
from kinerja.performance.achievement import TargetSpec, year_achievement
from kinerja.performance.models import AgreementTarget, Rollup
from kinerja.performance.policy import achievement_rules_for_year

from .reports_fixtures import lk_fixture, pk, plan, rl_fixture, scopes  # noqa: F401 - fixtures


def year_row(target):
    return Rollup.objects.get(kind="target", object_id=target.pk, year=target.year, sub_period=0)


def test_the_table_is_the_target_roll_ups_and_the_achievement_functions(lk, world):
    report = lkjip_report(world.agency_a, 2023)
    assert [r.code for r in report.rows] == ["DIK-01"]
    row = report.rows[0]
    # 88 / 85, the last value of the verified quarters 80 and 88.
    assert (row.target, row.realisation, row.percent) == ("85", D("88.0000"), D("103.53"))
    assert row.percent == year_row(lk.t_a).percent
    assert row.realisation == year_row(lk.t_a).realisation
    independent = year_achievement(
        polarity="higher_is_better",
        aggregation="last_value",
        realisations=[D(80), D(88), None, None],
        rules=achievement_rules_for_year(2023),
        target=TargetSpec(value=D(85)),
    )
    assert independent.result.percent == row.percent
    # What the agreement page shows as the agreed target.
    assert AgreementTarget.objects.get(agreement=lk.agreement).display == row.target
    assert row.status == "achieved"
    assert (report.achieved, report.below, report.not_measured) == (1, 0, 0)
    # The agency's roll-up: its only own target of 2023, which it leads with 70 %.
    assert (report.agency_percent, report.agency_computed, report.agency_not_computed) == (
        D("103.53"),
        1,
        0,
    )


def test_earlier_years_and_the_medium_term_target(lk, world):
    row = lkjip_report(world.agency_a, 2023).rows[0]
    # 2021 had a target and no realisation; 2022's fourth quarter 76 against 80.
    assert [(h.year, h.target, h.realisation, h.percent) for h in row.history] == [
        (2021, "78", None, None),
        (2022, "80", D("76.0000"), D("95.00")),
    ]
    assert year_row(lk.t_a_2022).percent == D("95.00")
    # The key-indicator set runs to 2025: its last year's target, not 2024's 90.
    assert (row.medium_term.year, row.medium_term.target) == (2025, "95")
    assert row.benchmark is None


def test_factors_and_the_efficiency_of_the_budget(lk, world):
    report = lkjip_report(world.agency_a, 2023)
    row = report.rows[0]
    assert row.supporting == "Triwulan 1: Dukungan komite sekolah"
    assert row.obstructing == "Triwulan 1: Jarak sekolah di daerah kepulauan"
    assert row.notes == "Triwulan 2: =1+1"
    # 300 of 400 million spent: 75.00 %; 103.53 / 75.00 x 100 = 138.04.
    assert (row.budget, row.spending, row.absorption, row.efficiency) == (
        D("400000000.00"),
        D("300000000.00"),
        D("75.00"),
        D("138.04"),
    )
    [program] = report.budget_rows
    assert (program.name, program.pk_budget, program.budget, program.spending) == (
        "Program Pendidikan SMA",
        D("1000000000.00"),
        D("400000000.00"),
        D("300000000.00"),
    )
    assert report.absorption_total == D("75.00")


def test_the_shared_target_in_the_lead_and_in_the_member(lk, world):
    [lead] = lkjip_report(world.agency_a, 2023).shared
    assert (lead.role_code, lead.weight, lead.percent) == ("lead", D("70.00"), D("103.53"))
    member_report = lkjip_report(world.agency_b, 2023)
    [member] = member_report.shared
    assert (member.role_code, member.weight, member.percent) == ("member", D("30.00"), D("103.53"))
    # B has no agreement: its Renstra targets of the year, KES-01 and the supporting KES-K1.
    assert member_report.agreement is None
    assert [r.code for r in member_report.rows] == ["KES-01", "KES-K1"]
    assert all(r.percent is None for r in member_report.rows)
    # B's roll-up: the shared target with its 30 % is the only one with a figure.
    assert (member_report.agency_percent, member_report.agency_computed) == (D("103.53"), 1)
    assert member_report.agency_not_computed == 2


def test_a_fixed_number_of_queries(lk, world):
    with CaptureQueriesContext(connection) as first:
        lkjip_report(world.agency_a, 2023)
    lk.target(lk.plan.indicator(lk.plan.target_a, "DIK-02", "Angka kelulusan"), "90")
    with CaptureQueriesContext(connection) as second:
        report = lkjip_report(world.agency_a, 2023)
    assert len(report.rows) == 1  # the PK lists one target; the new one is not in it
    assert len(second) == len(first)


def test_a_year_without_targets_says_so(lk, client, world):
    client.force_login(world.users["bappeda"])
    response = client.get(
        reverse("analytics:report_lkjip", args=[world.agency_a.pk]) + "?year=2030"
    )
    assert response.status_code == 200
    assert b'data-testid="no-data"' in response.content


def test_the_page_shows_the_roll_up_figures_with_links_to_pdf_and_excel(lk, client, world):
    client.force_login(world.users["opd_head"])
    url = reverse("analytics:report_lkjip", args=[world.agency_a.pk])
    response = client.get(url + "?year=2023")
    page = response.content.decode()
    assert response.status_code == 200
    assert "103,53" in page and "Dinas Pendidikan" in page  # Indonesian decimals
    assert reverse("analytics:report_lkjip_pdf", args=[world.agency_a.pk]) in page
    assert reverse("analytics:report_lkjip_xlsx", args=[world.agency_a.pk]) in page
    assert "Ikhtisar Eksekutif" in page


def test_the_pdf_names_the_agency_and_its_figures(lk, client, world):
    client.force_login(world.users["bappeda"])
    url = reverse("analytics:report_lkjip_pdf", args=[world.agency_a.pk]) + "?year=2023"
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "DINAS PENDIDIKAN" in text
    assert "BAB III AKUNTABILITAS KINERJA" in text
    assert "103,53" in text  # Indonesian decimals


def test_the_workbook_keeps_the_numbers_and_a_formula_as_text(lk, client, world):
    client.force_login(world.users["bappeda"])
    url = reverse("analytics:report_lkjip_xlsx", args=[world.agency_a.pk]) + "?year=2023"
    response = client.get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kinerja", "Anggaran", "Target bersama", "Ringkasan"]
    sheet = book["Kinerja"]
    rows = list(sheet.iter_rows())
    at = next(i for i, row in enumerate(rows) if row and row[0].value == "No.")
    header = [c.value for c in rows[at]]
    data = {header[i]: c for i, c in enumerate(rows[at + 1])}
    assert data["Kode indikator"].value == "DIK-01"
    assert data["Capaian (%)"].value == 103.53
    assert data["Capaian 2022 (%)"].value == 95
    # The note "=1+1" is text, not a formula a spreadsheet would run.
    assert data["Catatan"].value == "Triwulan 2: =1+1"
    notes = [c for row in rows for c in row if isinstance(c.value, str) and "=1+1" in c.value]
    assert notes and all(c.data_type == "s" for c in notes)


def test_a_formula_at_the_start_of_a_cell_stays_text(lk, client, world):
    """A goal named "=HYPERLINK(...)" comes out as that text, never a formula."""
    lk.agreement.targets.update(goal_name='=HYPERLINK("http://x")')
    client.force_login(world.users["bappeda"])
    url = reverse("analytics:report_lkjip_xlsx", args=[world.agency_a.pk]) + "?year=2023"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url).content))["Kinerja"]
    cell = next(
        c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)
    )
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")'


def test_the_api_answers_the_same_rows(lk, client, world):
    client.force_login(world.users["leadership"])
    url = reverse("api:reports-agency-lkjip", args=[world.agency_a.pk]) + "?year=2023"
    data = client.get(url).json()
    [row] = data["rows"]
    assert (row["code"], row["target"], row["realisation"], row["percent"]) == (
        "DIK-01",
        "85",
        "88.0000",
        "103.53",
    )
    assert [p["year"] for p in row["prior_years"]] == [2021, 2022]
    assert row["medium_term"] == {"year": 2025, "target": "95"}
    assert row["national_benchmark"] is None
    assert data["summary"]["agency_percent"] == "103.53"
    assert data["shared_targets"][0]["role"] == "lead"


def test_another_agencys_report_is_not_found_and_an_employee_is_forbidden(lk, client, world):
    client.force_login(world.users["opd_head"])
    for name in (
        "analytics:report_lkjip",
        "analytics:report_lkjip_pdf",
        "analytics:report_lkjip_xlsx",
    ):
        assert client.get(reverse(name, args=[world.agency_b.pk])).status_code == 404
    api = client.get(reverse("api:reports-agency-lkjip", args=[world.agency_b.pk]))
    assert api.status_code == 404
    client.force_login(world.users["employee"])
    assert (
        client.get(reverse("analytics:report_lkjip", args=[world.agency_a.pk])).status_code == 403
    )


def test_a_year_that_is_not_a_year_is_refused_with_a_message(lk, client, world):
    with pytest.raises(YearError):
        parse_year("20x3")
    assert parse_year(" 2023 ") == 2023 and parse_year("") is None
    client.force_login(world.users["bappeda"])
    api = client.get(reverse("api:reports-agency-lkjip", args=[world.agency_a.pk]) + "?year=abc")
    assert api.status_code == 400
    assert "bukan tahun" in api.json()["year"][0]
    page = client.get(reverse("analytics:report_lkjip", args=[world.agency_a.pk]) + "?year=abc")
    assert page.status_code == 200
    assert "bukan tahun" in page.content.decode()
    download = client.get(
        reverse("analytics:report_lkjip_xlsx", args=[world.agency_a.pk]) + "?year=abc"
    )
    assert download.status_code == 400
