"""The early-warning pages and API: who sees which rows, 404 out of reach, the export, the API
equal to the page, the home card and the menu."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from kinerja.analytics import selectors_warning as sel

from .warning_fixtures import TODAY, YEAR, wr_fixture  # noqa: F401 - the wr fixture

LIST = reverse("analytics:warning_list")


def table_rows(response) -> list[tuple[int, str | None]]:
    """The goal tree's table as the page shows it: each row's target and its projected
    achievement (as written, Indonesian decimals; None when not projected)."""
    html = response.content.decode().split('data-testid="warning-table"')[1].split("</table>")[0]
    found = re.findall(
        r'data-target="(\d+)".*?data-testid="warning-percent">(.*?)</td>', html, flags=re.S
    )
    return [(int(pk), None if "<span" in shown else shown) for pk, shown in found]


def codes(response):
    html = response.content.decode()
    return {c for c in ("W-A1", "W-A2", "W-A3", "W-B1", "W-B2", "W-P1") if f">{c}<" in html}


def test_the_leadership_sees_the_province_and_every_agency(wr, client):
    client.force_login(wr.world.users["leadership"])
    response = client.get(LIST, {"year": YEAR})
    assert response.status_code == 200
    # Flagged only by default (today, 29 Nov 2026 on this machine or later: Q1 to Q3 are due).
    assert {"W-A1", "W-B1", "W-B2", "W-P1"} <= codes(response)
    assert "Peringatan dini" in response.content.decode()
    assert "76,67" in response.content.decode()


def test_an_agency_head_sees_the_agency_only(wr, client):
    client.force_login(wr.world.users["opd_head"])
    response = client.get(LIST, {"year": YEAR, "status": "all"})
    assert codes(response) == {"W-A1", "W-A2", "W-A3"}
    # Another agency, as a filter or a target: not found.
    assert client.get(LIST, {"agency": wr.world.agency_b.pk}).status_code == 404
    target_b = reverse("analytics:warning_target", args=[wr.b1.pk])
    assert client.get(target_b).status_code == 404
    api_b = reverse("api:analytics-warning-target", args=[wr.b1.pk])
    assert client.get(api_b).status_code == 404
    page = client.get(reverse("analytics:warning_target", args=[wr.a1.pk]))
    assert page.status_code == 200
    assert "76,67" in page.content.decode()
    assert "Triwulan 3" in page.content.decode()


def test_the_employee_sees_their_own_plan(wr, client):
    client.force_login(wr.world.users["employee"])  # Siti, staff of agency A
    response = client.get(LIST, {"year": YEAR})
    html = response.content.decode()
    assert response.status_code == 200
    assert ">W-SA<" in html and ">W-SB<" not in html and ">W-A1<" not in html
    assert client.get(reverse("analytics:warning_staff")).status_code == 403
    api = client.get(reverse("api:analytics-warning-list"), {"year": YEAR, "mine": "true"})
    assert [r["indicator_code"] for r in api.json()["results"]] == ["W-SA"]
    assert api.json()["results"][0]["projected_percent"] == "33.33"
    assert client.get(reverse("api:analytics-warning-list"), {"year": YEAR}).json()["count"] == 0


@pytest.mark.parametrize("role", ["leadership", "opd_head"])
def test_the_api_answers_the_rows_of_the_page(wr, client, role):
    client.force_login(wr.world.users[role])
    params = {"year": YEAR, "status": "all"}
    page = client.get(LIST, params)
    api = client.get(reverse("api:analytics-warning-list"), params).json()
    rows = table_rows(page)
    assert api["count"] == len(rows)
    assert [r["target"] for r in api["results"]] == [pk for pk, _shown in rows]
    assert [
        r["projected_percent"].replace(".", ",") if r["projected_percent"] else None
        for r in api["results"]
    ] == [shown for _pk, shown in rows]
    a1 = next(r for r in api["results"] if r["indicator_code"] == "W-A1")
    assert a1["projected_percent"] == "76.67" and a1["status"] == "at_risk"
    assert a1["owner"] == "Dinas Pendidikan" and a1["basis"] == "sub_period_targets"


def test_the_api_target_gives_the_steps(wr, client):
    client.force_login(wr.world.users["bappeda"])
    body = client.get(reverse("api:analytics-warning-target", args=[wr.a3.pk])).json()
    assert body["projected_percent"] == "115.00" and body["basis"] == "action_plan"
    assert [s["planned"] for s in body["steps"]] == ["10.0000", "10.0000", "40.0000", "40.0000"]
    assert [s["projected"] for s in body["steps"]] == [None, None, "46.0000", "46.0000"]


def test_the_export_holds_the_pages_rows(wr, client):
    client.force_login(wr.world.users["opd_head"])
    response = client.get(reverse("analytics:warning_export"), {"year": YEAR, "status": "all"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Status" and rows[0][11] == "Proyeksi capaian (%)"
    by_code = {r[2]: r for r in rows[1:]}
    assert set(by_code) == {"W-A1", "W-A2", "W-A3"}
    assert by_code["W-A1"][11] == 76.67 and by_code["W-A1"][0] == "Berisiko"


def test_the_staff_page_reads_the_scan(wr, client):
    sel.scan(wr.world.instansi.pk, YEAR, today=TODAY)
    client.force_login(wr.world.users["opd_head"])
    html = client.get(reverse("analytics:warning_staff"), {"year": YEAR}).content.decode()
    assert ">W-SA<" in html and ">W-SB<" not in html and "Siti Aminah" in html
    client.force_login(wr.world.users["leadership"])
    html = client.get(reverse("analytics:warning_staff"), {"year": YEAR}).content.decode()
    assert ">W-SA<" in html and ">W-SB<" in html


def test_the_home_card_and_the_menu(wr, client):
    sel.scan(wr.world.instansi.pk, YEAR, today=TODAY)
    client.force_login(wr.world.users["opd_head"])
    html = client.get("/").content.decode()
    assert 'data-testid="home-warning">2<' in html
    assert "Peringatan dini" in html
    client.force_login(wr.world.users["bkd"])
    html = client.get("/").content.decode()
    assert "home-warning" not in html


def test_a_staff_page_costs_the_same_queries_for_one_row_or_many(wr, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sel.scan(wr.world.instansi.pk, YEAR, today=TODAY)
    client.force_login(wr.world.users["leadership"])
    url = reverse("analytics:warning_staff")
    client.get(url, {"year": YEAR})  # the session and caches warm
    with CaptureQueriesContext(connection) as one:
        page = client.get(url, {"year": YEAR, "agency": wr.world.agency_a.pk})
    assert len(page.context["rows"]) == 1
    with CaptureQueriesContext(connection) as two:
        page = client.get(url, {"year": YEAR})
    assert len(page.context["rows"]) == 2
    assert len(one) == len(two)


def test_an_at_risk_target_is_raised_as_a_risk_from_the_list(wr, client):
    """The agency's planner gets a link to the risk register's one-step raise, with the
    projection and the threshold; the head (who reads, not plans) gets none."""
    client.force_login(wr.world.users["opd_admin"])
    html = client.get(LIST, {"year": YEAR}).content.decode()
    link = reverse("risks:risk_from_target", args=[wr.a1.pk])
    assert f'href="{link}?projected=76.67&amp;threshold=90' in html
    page = client.get(link, {"projected": "76.67", "threshold": "90"})
    assert page.status_code == 200
    assert "76.67" in page.content.decode() or "76,67" in page.content.decode()
    client.force_login(wr.world.users["opd_head"])
    assert 'data-testid="raise-risk"' not in client.get(LIST, {"year": YEAR}).content.decode()
