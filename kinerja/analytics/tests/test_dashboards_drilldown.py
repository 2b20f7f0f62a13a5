"""The drill-down to a unit and a plan, the employee's own dashboard, and the chart helper that
keeps a chart, its table and its workbook in step (`kinerja.analytics.charts`)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.analytics.charts import Table, band_for
from kinerja.analytics.selectors_dashboards import (
    agency_dashboard,
    my_dashboard,
    resolve_filters,
    unit_dashboard,
)
from kinerja.performance.models import Plan
from kinerja.performance.services import realisations as rs
from kinerja.performance.tests.test_skp import (  # noqa: F401 - s is a fixture
    add_indicator,
    add_result,
    create,
    head_plan,
    s,
)

D = Decimal
ON = dt.date(2024, 4, 10)


@pytest.fixture
def siti(s):  # noqa: F811
    """Siti's 2024 plan: "Jumlah laporan" 3 of 12 and "Kunjungan sekolah" 8 of 10, both
    verified by Hartono in quarter 1: 25.00 and 80.00, the plan and Bidang SMA 52.50."""
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    reports = add_indicator(plan, result, s.siti_scope, s.siti_user).targets.get()
    visits = add_indicator(
        plan, result, s.siti_scope, s.siti_user, name="Kunjungan sekolah", target={"value": "10"}
    ).targets.get()
    q1 = s.period.sub_periods.get(number=1)
    for target, value in ((reports, "3"), (visits, "8")):
        made = rs.realisation_create(
            actor=s.siti_user,
            scope=s.siti_scope,
            target=target,
            sub_period=q1,
            data={"value": value},
            on=ON,
        )
        made = rs.realisation_submit(
            actor=s.siti_user, scope=s.siti_scope, realisation=made, version=made.version, on=ON
        )
        rs.realisation_verify(
            actor=s.kabid_user, scope=s.kabid_scope, realisation=made, version=made.version
        )
    s.plan = plan
    return s


def test_the_unit_lists_its_staffs_plans_each_linking_to_the_plan_page(siti, client):
    world = siti.world
    filters = resolve_filters(world.instansi.pk, 2024, 1)
    d = unit_dashboard(siti.head_scope, world.division_a, filters)
    assert d.headline["percent"] == D("52.50")
    plans = d.table("staff-plans")
    assert plans.rows == [
        ["Siti Aminah", "Analis SMA", "Draf", D("52.50"), "Rendah", 2, 2],
    ]
    assert plans.links == [reverse("performance:plan_detail", args=[siti.plan.pk])]
    assert plans.colours == ["#f76707"]  # low: 51 to 65

    client.force_login(world.users["opd_head"])
    agency = client.get(
        reverse("analytics:dashboard_agency", args=[world.agency_a.pk]),
        {"year": 2024, "sub_period": 1},
    ).content.decode()
    unit_url = reverse("analytics:dashboard_unit", args=[world.division_a.pk])
    assert f'href="{unit_url}?year=2024&amp;sub_period=1"' in agency
    page = client.get(unit_url, {"year": 2024, "sub_period": 1})
    body = page.content.decode()
    assert '<div class="h1 mb-0" data-testid="headline-percent">52,50 %</div>' in body
    plan_url = reverse("performance:plan_detail", args=[siti.plan.pk])
    assert f'href="{plan_url}"' in body
    # The breadcrumb goes back up to the agency, keeping the period.
    agency_url = reverse("analytics:dashboard_agency", args=[world.agency_a.pk])
    assert f'href="{agency_url}?year=2024&amp;sub_period=1"' in body
    assert client.get(plan_url).status_code == 200

    api = client.get(
        reverse("api:dashboards-unit", args=[world.division_a.pk]), {"year": 2024, "sub_period": 1}
    ).json()
    assert api["headline"]["percent"] == "52.50"
    assert api["tables"]["staff-plans"]["rows"][0][3] == "52.50"


def test_the_agencys_staff_figures_follow_the_next_write(siti):
    world = siti.world
    filters = resolve_filters(world.instansi.pk, 2024, None)
    plans = agency_dashboard(siti.head_scope, world.agency_a, filters).table("plans")
    steps = {row[0]: row[1] for row in plans.rows}
    # Budi (head) and Hartono have no 2024 plan; Siti's is a draft.
    assert (steps["Tidak ada rencana tahun ini"], steps["Draf (belum diajukan)"]) == (2, 1)
    head_plan(siti)  # an audited write: the kept figures are read again
    plans = agency_dashboard(siti.head_scope, world.agency_a, filters).table("plans")
    steps = {row[0]: row[1] for row in plans.rows}
    assert (steps["Tidak ada rencana tahun ini"], steps["Draf (belum diajukan)"]) == (1, 2)


def test_the_unit_costs_the_same_queries_with_more_plans(siti):
    from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory

    world = siti.world
    filters = resolve_filters(world.instansi.pk, 2024, None)

    def count():
        with CaptureQueriesContext(connection) as queries:
            unit_dashboard(siti.head_scope, world.division_a, filters)
        return len(queries)

    small = count()
    OrgUnitFactory(instansi=world.instansi, parent=world.division_a, code="DIKBUD-SMA-1")
    for n in range(3):
        employee = EmployeeFactory(unit=world.division_a, name=f"Pegawai {n}")
        Plan.objects.create(
            instansi=world.instansi,
            employee=employee,
            position=world.staff_pos_a,
            unit=world.division_a,
            period=siti.period,
            starts="2024-01-01",
            ends="2024-12-31",
            position_title="Analis SMA",
            position_kind="pelaksana",
        )
    assert count() == small
    d = unit_dashboard(siti.head_scope, world.division_a, filters)
    assert len(d.table("staff-plans").rows) == 4
    assert len(d.table("units").rows) == 2


def test_my_dashboard_shows_my_targets_per_sub_period_and_my_hours(siti, client):
    world = siti.world
    filters = resolve_filters(world.instansi.pk, 2024, None)
    d = my_dashboard(siti.siti_scope, filters)
    assert d.headline["percent"] == D("52.50")
    targets = d.table("my-targets")
    assert targets.columns[2:] == [
        "Triwulan 1",
        "Triwulan 2",
        "Triwulan 3",
        "Triwulan 4",
        "Tahun 2024",
        "Ditampilkan: 2024",
    ]
    assert targets.rows == [
        ["Jumlah laporan", "12", D("25.00"), None, None, None, D("25.00"), D("25.00")],
        ["Kunjungan sekolah", "10", D("80.00"), None, None, None, D("80.00"), D("80.00")],
    ]
    hours = {r[0]: r[1] for r in d.table("my-hours").rows}
    assert hours == {
        "Jam pelajaran pengembangan (JP) tercatat pada 2024": D("0"),
        "Batas minimal tahunan": D("20"),
        "Masih kurang": D("20"),
    }
    assert d.table("my-events").rows == []

    client.force_login(siti.siti_user)
    page = client.get(reverse("analytics:dashboard_me"), {"year": 2024})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Anda tidak memiliki kegiatan pelatihan pada 2024." in body
    api = client.get(reverse("api:dashboards-me"), {"year": 2024}).json()
    assert api["tables"]["my-targets"]["rows"][0][2] == "25.00"
    assert api["plan"]["id"] == siti.plan.pk
    # Quarter 2: nothing verified; the message, not 0.
    page = client.get(reverse("analytics:dashboard_me"), {"year": 2024, "sub_period": 2})
    assert "Belum ada data untuk periode ini." in page.content.decode()


def test_who_has_no_record_has_no_own_dashboard(siti, client):
    client.force_login(siti.world.users["leadership"])
    assert client.get(reverse("analytics:dashboard_me")).status_code == 403
    assert client.get(reverse("api:dashboards-me")).status_code == 403


# The chart helper ---------------------------------------------------------------------------


def table():
    return Table(
        "t",
        "Uji",
        ["Nama", "Capaian (%)", "Catatan"],
        [["A", D("84.62"), "=1+1"], ["B", None, "-2"]],
        kind="bar",
        series=(1,),
        colours=["#74b816", None],
    )


def test_a_table_gives_its_chart_its_html_rows_and_its_workbook_the_same_numbers():
    t = table()
    option = t.echarts_option()
    assert option["xAxis"]["data"] == ["A", "B"]
    # A missing figure is a gap ("-"), never 0.
    assert option["series"][0]["data"] == [
        {"value": 84.62, "itemStyle": {"color": "#74b816"}},
        "-",
    ]
    assert [r["cells"] for r in t.cells()] == t.rows
    book = openpyxl.load_workbook(io.BytesIO(t.to_xlsx()))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows == [["Nama", "Capaian (%)", "Catatan"], ["A", 84.62, "=1+1"], ["B", None, "-2"]]
    # "=1+1" is kept as the text it is, never run as a formula.
    assert sheet["C2"].data_type == "s"
    assert t.as_dict()["rows"] == [["A", "84.62", "=1+1"], ["B", None, "-2"]]


def test_a_trend_draws_one_line_per_row():
    t = Table(
        "trend",
        "Tren",
        ["Indikator", "2022", "2023"],
        [["IKU-1", D("90.00"), None]],
        kind="line",
        by_row=True,
    )
    option = t.echarts_option()
    assert option["xAxis"]["data"] == ["2022", "2023"]
    assert option["series"] == [
        {"name": "IKU-1", "type": "line", "connectNulls": False, "data": [90.0, "-"]}
    ]


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError):
        Table("x", "X", ["a", "b"], [["only one"]])


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        ("120", "very_high"),
        ("91", "very_high"),
        ("90.99", "high"),
        ("76", "high"),
        ("75.99", "medium"),
        ("66", "medium"),
        ("65.50", "low"),
        ("51", "low"),
        ("50.99", "very_low"),
        ("0", "very_low"),
    ],
)
def test_the_bands_of_permendagri_86_2017(percent, band):
    assert band_for(D(percent), 2023).code == band


def test_no_figure_has_no_band():
    assert band_for(None, 2023) is None


def test_an_administrator_of_a_division_is_taken_to_the_divisions_dashboard(world, client):
    from kinerja.accounts.models import RoleAssignment, User
    from kinerja.accounts.roles import Role

    user = User.objects.create_user(username="admin.sma", password="x", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=user, role=Role.OPD_ADMIN, instansi=world.instansi, unit=world.division_a
    )
    client.force_login(user)
    response = client.get(reverse("analytics:dashboard_my_agency"))
    assert response["Location"] == reverse("analytics:dashboard_unit", args=[world.division_a.pk])
    # The agency above the grant is out of reach.
    agency = reverse("analytics:dashboard_agency", args=[world.agency_a.pk])
    assert client.get(agency).status_code == 404
    assert client.get(response["Location"]).status_code == 200
