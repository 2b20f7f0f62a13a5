"""The province and agency dashboards (`selectors_dashboards`, the pages, their Excel exports
and the API) on the ``dash`` world (conftest): the figures are the roll-ups the services keep,
so agency B's 84.62 % shows on the province ranking, on its own page and in the API."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.analytics.selectors_dashboards import (
    agency_dashboard,
    plan_completion_counts,
    province_dashboard,
    resolve_filters,
)
from kinerja.performance.models import Rollup

from .dashboard_fixtures import add_agency

D = Decimal


def cells(table, column):
    """The values of a column of a table, by its first cell."""
    index = list(table.columns).index(column)
    return {row[0]: row[index] for row in table.rows}


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_roll_ups_the_dashboards_read(dash):
    world = dash.world
    row = Rollup.objects.get(kind="agency", object_id=world.agency_b.pk, year=2023, sub_period=0)
    assert (row.percent, row.computed, row.not_computed) == (D("84.62"), 2, 1)
    row = Rollup.objects.get(kind="province", object_id=world.instansi.pk, year=2023, sub_period=0)
    assert (row.percent, row.computed, row.not_computed) == (D("91.58"), 3, 0)


def test_province_dashboard_numbers(dash):
    world = dash.world
    scope = scope_for(world.users["leadership"])
    filters = resolve_filters(world.instansi.pk, "2023", "")
    d = province_dashboard(scope, filters)
    assert d.headline == {"has_row": True, "percent": D("91.58"), "computed": 3, "not_computed": 0}

    agencies = d.table("agencies")
    assert [r[:4] for r in agencies.rows] == [
        ["Dinas Pendidikan", 1, D("100.00"), "Sangat tinggi"],
        ["Dinas Kesehatan", 2, D("84.62"), "Tinggi"],
    ]
    # Band colours: very high green, high light green.
    assert agencies.colours == ["#2fb344", "#74b816"]
    assert agencies.links[1] == reverse("analytics:dashboard_agency", args=[world.agency_b.pk]) + (
        "?year=2023"
    )

    key = d.table("key-indicators")
    assert [r[0] for r in key.rows] == ["IKU-01"]
    assert key.rows[0][3:6] == ["9.5", D("9"), D("94.74")]
    trend = d.table("key-indicator-trend")
    # No earlier year has a target of IKU-01: the trend is the year's quarters, then the year.
    assert trend.columns[1:] == [
        "Triwulan 1 2023",
        "Triwulan 2 2023",
        "Triwulan 3 2023",
        "Triwulan 4 2023",
        "2023",
    ]
    assert trend.rows[0][1:] == [D("94.74"), None, None, None, D("94.74")]

    # The RPJMD target M1.T1.S1 holds every target: (100 + 80 + 94.74) / 3, KES-K1 (a
    # supporting result) left out; the theme of agency B's objective: KES-01 alone.
    goals = d.table("goals")
    assert goals.rows == [
        ["M1.T1.S1", "Meningkatnya rata-rata lama sekolah", D("91.58"), "Sangat tinggi", 3, 3]
    ]
    themes = cells(d.table("themes"), "Capaian (%)")
    assert themes["Pengentasan kemiskinan"] == D("80.00")
    assert themes["Peningkatan investasi"] is None  # no goal carries it: no figure, not 0


def test_quarter_two_has_no_data_and_says_so(dash, client):
    world = dash.world
    client.force_login(world.users["leadership"])
    response = client.get(reverse("analytics:dashboard_province"), {"year": 2023, "sub_period": 2})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Belum ada data untuk periode ini." in body
    assert 'data-testid="empty-agencies"' in body
    # Quarter 1 has figures: no message, the agencies' numbers shown.
    response = client.get(reverse("analytics:dashboard_province"), {"year": 2023, "sub_period": 1})
    body = response.content.decode()
    assert "Belum ada data untuk periode ini." not in body
    assert "84,62" in body and "91,58" in body


def test_bad_filters_are_named_and_the_default_shown(dash, client):
    client.force_login(dash.world.users["bappeda"])
    response = client.get(reverse("analytics:dashboard_province"), {"year": "1999"})
    body = response.content.decode()
    assert "Tidak ada tahun kinerja 1999." in body
    assert 'value="2023" selected' in body
    api = client.get(reverse("api:dashboards-province"), {"year": 2023, "sub_period": 9})
    assert api.status_code == 400
    assert "sub_period" in api.json()


def test_the_agency_shows_the_same_figure_on_its_page_and_in_the_api(dash, client):
    world = dash.world
    url = reverse("analytics:dashboard_agency", args=[world.agency_b.pk])
    client.force_login(world.users["leadership"])
    body = client.get(url, {"year": 2023}).content.decode()
    assert '<div class="h1 mb-0" data-testid="headline-percent">84,62 %</div>' in body
    ranking = client.get(reverse("analytics:dashboard_province"), {"year": 2023}).content
    assert "84,62" in ranking.decode()
    api = client.get(reverse("api:dashboards-agency", args=[world.agency_b.pk]), {"year": 2023})
    data = api.json()
    assert data["headline"]["percent"] == "84.62"
    province = client.get(reverse("api:dashboards-province"), {"year": 2023}).json()
    ranked = {r[0]: r[2] for r in province["tables"]["agencies"]["rows"]}
    assert ranked["Dinas Kesehatan"] == data["headline"]["percent"]


def test_agency_pk_units_and_plans(dash):
    world = dash.world
    scope = scope_for(world.users["opd_head"])
    filters = resolve_filters(world.instansi.pk, 2023, None)
    d = agency_dashboard(scope, world.agency_a, filters)
    assert d.headline["percent"] == D("100.00")
    assert d.table("agreement").rows == []  # no PK yet: the table says so
    assert "tidak memiliki perjanjian kinerja" in d.table("agreement").empty
    units = d.table("units")
    assert [r[0] for r in units.rows] == ["Dinas Pendidikan (pegawainya sendiri)", "Bidang SMA"]
    assert units.rows[1][1:] == [None, "", None, None]  # no plan: no row, not 0
    assert units.links[1] == reverse("analytics:dashboard_unit", args=[world.division_a.pk]) + (
        "?year=2023"
    )
    # Staff: Budi (head), Siti, Hartono (agency A's head of Bidang SMA): none has a plan.
    plans = cells(d.table("plans"), "Pegawai")
    assert plans["Tidak ada rencana tahun ini"] == 3
    assert sum(plans.values()) == 3


def test_plan_completion_counts_each_person_by_their_latest_plan(dash):
    from kinerja.performance.models import Plan

    world = dash.world
    counts = plan_completion_counts(world.agency_a, dash.rl.period)
    assert counts["none"] == 3
    common = {
        "instansi": world.instansi,
        "period": dash.rl.period,
        "position_title": "x",
        "position_kind": "pelaksana",
    }
    Plan.objects.create(
        employee=world.staff_a,
        position=world.staff_pos_a,
        unit=world.division_a,
        starts="2023-01-01",
        ends="2023-06-30",
        status="approved",
        **common,
    )
    # Moved in July: the later plan (a draft) is the one that counts.
    Plan.objects.create(
        employee=world.staff_a,
        position=world.staff_pos_a,
        unit=world.division_a,
        starts="2023-07-01",
        ends="2023-12-31",
        status="draft",
        **common,
    )
    Plan.objects.create(
        employee=world.head_a,
        position=world.head_pos_a,
        unit=world.agency_a,
        starts="2023-01-01",
        ends="2023-12-31",
        status="submitted",
        **common,
    )
    counts = plan_completion_counts(world.agency_a, dash.rl.period)
    assert counts == {"none": 1, "draft": 1, "submitted": 1, "approved": 0, "signed": 0}


def test_an_agency_head_gets_404_for_another_agency(dash, client):
    world = dash.world
    client.force_login(world.users["opd_head"])
    own = client.get(reverse("analytics:dashboard_agency", args=[world.agency_a.pk]))
    assert own.status_code == 200
    for name in ("analytics:dashboard_agency", "analytics:dashboard_unit"):
        assert client.get(reverse(name, args=[world.agency_b.pk])).status_code == 404
    assert client.get(reverse("api:dashboards-agency", args=[world.agency_b.pk])).status_code == 404
    # Not a province reader; the menu takes the head to their own agency.
    assert client.get(reverse("analytics:dashboard_province")).status_code == 403
    mine = client.get(reverse("analytics:dashboard_my_agency"), {"year": 2023})
    assert mine["Location"] == (
        reverse("analytics:dashboard_agency", args=[world.agency_a.pk]) + "?year=2023"
    )


def test_the_excel_export_holds_the_table(dash, client):
    world = dash.world
    client.force_login(world.users["bkd"])
    scope = scope_for(world.users["bkd"])
    table = province_dashboard(scope, resolve_filters(world.instansi.pk, 2023, 1)).table("agencies")
    response = client.get(
        reverse("analytics:dashboard_province_xlsx", args=["agencies"]),
        {"year": 2023, "sub_period": 1},
    )
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0] == list(table.columns)
    assert len(rows) - 1 == len(table.rows) == 2
    for got, want in zip(rows[1:], table.rows, strict=True):
        assert [D(str(v)) if isinstance(v, float) else v for v in got] == want
    assert rows[2][:3] == ["Dinas Kesehatan", 2, 84.62]
    missing = client.get(reverse("analytics:dashboard_province_xlsx", args=["nope"]))
    assert missing.status_code == 404


def test_the_page_links_each_table_to_its_export_and_draws_its_chart(dash, client):
    world = dash.world
    client.force_login(world.users["leadership"])
    response = client.get(reverse("analytics:dashboard_province"), {"year": 2023})
    body = response.content.decode()
    export = reverse("analytics:dashboard_province_xlsx", args=["agencies"]) + "?year=2023"
    assert f'href="{export}"' in body
    # The chart data the browser reads: the page's JSON script.
    script = body.split('<script id="dashboard-charts" type="application/json">')[1]
    charts = json.loads(script.split("</script>")[0])
    agencies = next(spec for spec in charts if spec["id"] == "chart-agencies")
    data = agencies["option"]["series"][0]["data"]
    assert [d["value"] for d in data] == [100.0, 84.62]
    assert 'id="chart-agencies"' in body
    assert "echarts.min.js" in body


def test_the_province_costs_the_same_queries_for_a_larger_province(dash, scopes):
    world = dash.world
    scope = scope_for(world.users["leadership"])
    filters = resolve_filters(world.instansi.pk, 2023, 1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            province_dashboard(scope, filters)
        return len(queries)

    small = count()
    for n in range(1, 6):
        add_agency(world, scopes, dash.plan, n, dash.rl.period, value=str(40 + 10 * n))
    larger = count()
    d = province_dashboard(scope, filters)
    assert len(d.table("agencies").rows) == 7
    assert small == larger


def test_the_agency_costs_the_same_queries_for_a_larger_agency(dash, client):
    from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory

    world = dash.world
    scope = scope_for(world.users["opd_head"])
    filters = resolve_filters(world.instansi.pk, 2023, None)

    def count():
        cache.clear()  # the staff figures are kept until an audited write; factories write none
        with CaptureQueriesContext(connection) as queries:
            agency_dashboard(scope, world.agency_a, filters)
        return len(queries)

    small = count()
    for n in range(4):
        unit = OrgUnitFactory(
            instansi=world.instansi, parent=world.agency_a, code=f"DIKBUD-X{n}", name=f"Seksi {n}"
        )
        for _i in range(3):
            EmployeeFactory(unit=unit)
    assert count() == small


@pytest.mark.parametrize("role", ["opd_head", "employee", "evaluator"])
def test_who_sees_the_menu_entries(dash, client, role):
    client.force_login(dash.world.users[role])
    body = client.get(reverse("analytics:dashboard_me") if role != "evaluator" else "/").content
    body = body.decode()
    assert ("Dasbor perangkat daerah" in body) == (role == "opd_head")
    assert ('href="/dashboards/province/"' in body) is False


def test_the_development_areas_come_from_the_regional_summaries(dash, monkeypatch):
    from kinerja.regional import selectors as regional

    world = dash.world
    seen = []

    def summaries(*, instansi_id):
        seen.append(instansi_id)
        return [
            {
                "area": 1,
                "code": "gerbangkertosusila",
                "name": "Gerbangkertosusila",
                "role": "priority",
                "projects": 77,
                "published_projects": 77,
                "investment_rp": 1500,
                "by_status": {"planning": 70, "construction": 7},
                "late_milestones": 3,
            }
        ]

    def totals(*, instansi_id):
        return {
            "projects": 77,
            "investment_rp": 1500,
            "by_status": {"planning": 70, "construction": 7},
            "by_funding": {"apbn": 50, "kpbu": 27},
            "by_phase": {},
        }

    monkeypatch.setattr(regional, "area_summaries", summaries, raising=False)
    monkeypatch.setattr(regional, "province_project_totals", totals, raising=False)
    scope = scope_for(world.users["bappeda"])
    d = province_dashboard(scope, resolve_filters(world.instansi.pk, 2023, None))
    assert seen == [world.instansi.pk]
    areas = d.table("areas")
    assert areas.rows[0][0] == "Gerbangkertosusila"
    assert areas.rows[0][2:5] == [77, 77, 1500]
    assert areas.rows[0][-1] == 3
    assert areas.rows[0][5:-1] == [70, 7]
    assert sum(row[1] for row in d.table("areas-funding").rows) == 77


def test_without_the_regional_summaries_the_page_still_works(dash, monkeypatch, client):
    from kinerja.regional import selectors as regional

    monkeypatch.delattr(regional, "area_summaries", raising=False)
    client.force_login(dash.world.users["leadership"])
    body = client.get(reverse("analytics:dashboard_province"), {"year": 2023}).content.decode()
    assert 'data-testid="areas-unavailable"' in body
    assert "84,62" in body


@pytest.mark.parametrize("role", ["leadership", "inspektorat", "opd_head"])
def test_the_province_entry_shows_to_the_province_readers(dash, client, role):
    client.force_login(dash.world.users[role])
    body = client.get("/").content.decode()
    province = reverse("analytics:dashboard_province")
    assert (f'href="{province}"' in body) == (role != "opd_head")
    assert ('<span class="nav-link-title">Dasbor</span>' in body) == (role != "opd_head")


@pytest.mark.parametrize("role", ["leadership", "inspektorat"])
def test_the_latest_event_of_the_year_shows_its_levels(dash, client, role):
    from kinerja.training.tests.factories import EventFactory

    world = dash.world
    EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, title="Lama")
    EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        title="Refreshment Uji",
        starts_on="2023-03-01",
        ends_on="2023-03-03",
        status="finished",
    )
    EventFactory(  # planned: no report yet
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        title="Rencana",
        starts_on="2023-06-01",
        ends_on="2023-06-03",
        status="planned",
    )
    scope = scope_for(world.users[role])
    d = province_dashboard(scope, resolve_filters(world.instansi.pk, 2023, None))
    table = d.table("training")
    assert table.title == "Dampak pelatihan: Refreshment Uji"
    # No feedback released, no test taken, no action plan reviewed: no figure, never 0.
    assert [row[1] for row in table.rows] == [None, None, None]
    # The full report is linked for its readers (the Inspektorat does not read it).
    assert (d.extra["training"]["report_url"] is not None) == (role == "leadership")


def test_the_page_is_kept_until_the_next_write_and_then_shows_it(dash, client):
    """The rendered dashboard is kept ({% kept %}): a second view builds nothing, and an audited
    write of the instansi is on the next view."""
    from kinerja.audit.services import record

    world = dash.world
    client.force_login(world.users["leadership"])
    url = reverse("analytics:dashboard_province")

    def main(response) -> str:  # the page but its header (a CSRF token masked anew each time)
        return response.content.decode().split('<main id="main"')[1]

    first = main(client.get(url, {"year": 2023}))
    with CaptureQueriesContext(connection) as kept_view:
        again = main(client.get(url, {"year": 2023}))
    assert again == first and 'data-testid="table-agencies"' in again
    with CaptureQueriesContext(connection) as built_view:
        cache.clear()
        client.get(url, {"year": 2023})
    assert len(kept_view) < len(built_view) - 5
    record(
        actor=None,
        action="test.write",
        instansi_id=world.instansi.pk,
        target_type="x",
        target_repr="x",
    )
    with CaptureQueriesContext(connection) as after_write:
        client.get(url, {"year": 2023})
    assert len(after_write) == len(built_view)


def test_a_kept_agency_or_unit_dashboard_reads_only_the_signed_in_floor(dash, client):
    """Which agency or unit the caller may open is kept with the page: a second view reads the
    session, the user and the chain heads, nothing else; out of reach is still 404."""
    world = dash.world
    client.force_login(world.users["opd_head"])
    for url in (
        reverse("analytics:dashboard_agency", args=[world.agency_a.pk]),
        reverse("analytics:dashboard_unit", args=[world.division_a.pk]),
    ):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as kept_view:
            assert client.get(url).status_code == 200
        assert len(kept_view) == 3, [q["sql"][:80] for q in kept_view]
    other = reverse("analytics:dashboard_agency", args=[world.agency_b.pk])
    assert client.get(other).status_code == 404
    assert client.get(other).status_code == 404  # kept as out of reach, still refused
