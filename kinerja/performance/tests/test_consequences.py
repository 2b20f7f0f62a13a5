"""The consequences read from the evaluations: an evaluation's credit points through the API
(2.08 for two months of baik, 18.75 for a year of sangat baik, null when not final or not a
functional post, no points without a level), the TPP rows of a month (the final evaluation of
the sub-period, a visible row without one, staff without a plan, a transfer counted once, a
fixed number of queries) through the selector, the API and the workbook, and their scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from kinerja.accounts.scope import scope_for
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.performance.models import Evaluation, Period, Plan
from kinerja.performance.selectors_consequences import (
    FINAL,
    NO_FINAL_EVALUATION,
    NO_PLAN,
    tpp_rows,
)

D = Decimal
YEAR = 2024


def plan_of(employee, post, unit, starts, ends, period, status="approved"):
    return Plan.objects.create(
        instansi=unit.instansi,
        employee=employee,
        position=post,
        position_title=post.title,
        position_kind=post.kind,
        unit=unit,
        period=period,
        starts=starts,
        ends=ends,
        status=status,
        evaluator_name="Penilai",
        evaluator_title="Kepala",
    )


def evaluation_of(plan, sub_period, predikat, *, final=True, achievement=None):
    return Evaluation.objects.create(
        instansi=plan.instansi,
        plan=plan,
        kind="periodic" if sub_period else "annual",
        sub_period=sub_period,
        status="final" if final else "draft",
        finalised_at=timezone.now() if final else None,
        source="plan",
        achievement=achievement,
        results_rating="as_expected",
        behaviour_rating="as_expected",
        predikat=predikat,
    )


@pytest.fixture
def c(world):
    """2024 (quarterly) in agency A: Siti (pelaksana, a plan for the year, the first quarter
    final, baik, 95.50 %); Andi (Pranata Komputer Ahli Pertama, a plan from 1 February, the
    first quarter final baik, the year final sangat baik); Wati (Dokter Ahli: no level, a
    draft first quarter); Budi (the head) without a plan; Joko moves from agency A to agency
    B on 21 May. Agency B's Rina has no plan."""
    o = SimpleNamespace(world=world)
    o.period = Period.objects.create(
        instansi=world.instansi,
        year=YEAR,
        frequency="quarterly",
        plans_due=dt.date(YEAR, 1, 31),
        periodic_evaluation_days=10,
        annual_evaluation_due=dt.date(YEAR + 1, 1, 31),
    )
    jan1, dec31 = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    o.siti_plan = plan_of(world.staff_a, world.staff_pos_a, world.division_a, jan1, dec31, o.period)
    o.siti_q1 = evaluation_of(o.siti_plan, 1, "baik", achievement=D("95.50"))
    pk_post = PositionFactory(
        unit=world.division_a,
        code="DIKBUD-SMA-PK",
        title="Pranata Komputer Ahli Pertama",
        kind=PositionKind.FUNGSIONAL,
    )
    o.andi = EmployeeFactory(unit=world.division_a, position=pk_post, name="Andi Wijaya")
    o.andi_plan = plan_of(o.andi, pk_post, world.division_a, dt.date(YEAR, 2, 1), dec31, o.period)
    o.andi_q1 = evaluation_of(o.andi_plan, 1, "baik", achievement=D("101"))
    o.andi_q2 = evaluation_of(o.andi_plan, 2, "butuh_perbaikan", achievement=D("70"))
    o.andi_year = evaluation_of(o.andi_plan, 0, "sangat_baik")
    o.andi_q3_draft = evaluation_of(o.andi_plan, 3, "baik", final=False)
    doctor = PositionFactory(
        unit=world.division_a, code="DIKBUD-SMA-DR", title="Dokter Ahli", kind="fungsional"
    )
    o.wati = EmployeeFactory(unit=world.division_a, position=doctor, name="Wati Susanti")
    o.wati_plan = plan_of(o.wati, doctor, world.division_a, jan1, dec31, o.period)
    o.wati_q1 = evaluation_of(o.wati_plan, 1, "baik", final=False)
    o.wati_q2 = evaluation_of(o.wati_plan, 2, "baik")
    o.joko = EmployeeFactory(unit=world.agency_b, name="Joko Prasetyo")
    post_b = PositionFactory(unit=world.agency_b, code="DINKES-02", title="Analis Kesehatan")
    o.joko_a = plan_of(
        o.joko, world.staff_pos_a, world.division_a, jan1, dt.date(YEAR, 5, 20), o.period
    )
    o.joko_b = plan_of(o.joko, post_b, world.agency_b, dt.date(YEAR, 5, 21), dec31, o.period)
    evaluation_of(o.joko_b, 2, "kurang")
    return o


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# Credit points ------------------------------------------------------------------------------


def test_credit_points_on_the_evaluation_api(c):
    bkd = api(c.world.users["bkd"])
    read = {e["id"]: e for e in bkd.get("/api/v1/evaluations/", {"year": YEAR}).json()["results"]}
    # Andi's plan starts on 1 February: two months of the first quarter, baik.
    assert read[c.andi_q1.pk]["credit_points"] == {
        "points": "2.08",
        "level": "ahli_pertama",
        "coefficient": "12.50",
        "percent": "100.00",
        "months": 2,
        "confirmed": True,
        "reason": "",
    }
    # The second quarter, butuh perbaikan: 3/12 x 75 % x 12.5 = 2.34375 -> 2.34.
    assert read[c.andi_q2.pk]["credit_points"]["points"] == "2.34"
    # The year, sangat baik, over the plan's eleven months: 11/12 x 150 % x 12.5 = 17.1875.
    assert read[c.andi_year.pk]["credit_points"]["points"] == "17.19"
    assert read[c.andi_year.pk]["credit_points"]["months"] == 11
    # Not final, not a functional post: null.
    assert read[c.andi_q3_draft.pk]["credit_points"] is None
    assert read[c.siti_q1.pk]["credit_points"] is None
    # A functional post whose title names no level: reported, no points.
    assert read[c.wati_q2.pk]["credit_points"]["points"] is None
    assert read[c.wati_q2.pk]["credit_points"]["reason"] == "no_level"


def test_a_full_year_of_sangat_baik_is_18_75(c):
    Plan.objects.filter(pk=c.andi_plan.pk).update(starts=dt.date(YEAR, 1, 1))
    body = api(c.world.users["bkd"]).get(f"/api/v1/evaluations/{c.andi_year.pk}/").json()
    assert (body["credit_points"]["points"], body["credit_points"]["months"]) == ("18.75", 12)


def test_credit_points_cost_no_query_per_evaluation(c):
    bkd = api(c.world.users["bkd"])
    bkd.get("/api/v1/evaluations/", {"plan": c.siti_plan.pk})  # the caller's scope kept
    with CaptureQueriesContext(connection) as few:
        bkd.get("/api/v1/evaluations/", {"plan": c.siti_plan.pk})
    with CaptureQueriesContext(connection) as many:
        bkd.get("/api/v1/evaluations/", {"plan": c.andi_plan.pk})  # four evaluations
    assert len(many) == len(few)


# The TPP rows ------------------------------------------------------------------------------


def by_name(rows):
    return {r.name: r for r in rows}


def test_the_tpp_rows_of_february(c):
    rows = by_name(tpp_rows(scope_for(c.world.users["bkd"]), year=YEAR, month=2))
    siti = rows["Siti Aminah"]
    assert (siti.state, siti.sub_period, siti.predikat, siti.achievement) == (
        FINAL,
        1,
        "baik",
        D("95.50"),
    )
    assert (siti.percent, siti.weight, siti.component) == (D("100"), D("60"), D("60.00"))
    assert (siti.nip, siti.position, siti.unit) == (
        c.world.staff_a.nip,
        "Analis SMA",
        "Bidang SMA",
    )
    # Wati's first quarter is a draft: a visible row, no component (not a 0).
    wati = rows["Wati Susanti"]
    assert (wati.state, wati.predikat, wati.percent, wati.component) == (
        NO_FINAL_EVALUATION,
        "",
        None,
        None,
    )
    # The head and agency B's staff have no plan; Joko's first plan covers February.
    assert rows["Budi Santoso"].state == NO_PLAN
    assert rows["Rina Wulandari"].state == NO_PLAN
    assert rows["Joko Prasetyo"].unit == "Bidang SMA"
    assert rows["Joko Prasetyo"].state == NO_FINAL_EVALUATION
    assert "Dewi Lestari" not in rows  # another instansi
    assert "Agus Salim" not in rows  # non-ASN: no TPP


def test_a_later_quarter_and_a_transfer(c):
    bkd = scope_for(c.world.users["bkd"])
    april = by_name(tpp_rows(bkd, year=YEAR, month=4))
    # The second quarter: Andi's butuh perbaikan gives 75 % x 60 = 45.00; Siti has none yet.
    assert (april["Andi Wijaya"].sub_period, april["Andi Wijaya"].component) == (2, D("45.00"))
    assert april["Siti Aminah"].state == NO_FINAL_EVALUATION
    # Joko moves on 21 May: May (the 15th) is still agency A's, June is agency B's (kurang:
    # 50 % x 60 = 30.00). One row a month, never two.
    may = [r for r in tpp_rows(bkd, year=YEAR, month=5) if r.name == "Joko Prasetyo"]
    june = [r for r in tpp_rows(bkd, year=YEAR, month=6) if r.name == "Joko Prasetyo"]
    assert [(r.unit, r.state) for r in may] == [("Bidang SMA", NO_FINAL_EVALUATION)]
    assert [(r.unit, r.component) for r in june] == [(c.world.agency_b.name, D("30.00"))]
    # A month of a year without a period: every active employee is listed without a plan.
    empty = tpp_rows(bkd, year=YEAR + 1, month=1)
    assert {r.state for r in empty} == {NO_PLAN}


def test_the_agency_sees_its_own_rows_only(c):
    admin = scope_for(c.world.users["opd_admin"])
    june = by_name(tpp_rows(admin, year=YEAR, month=6))
    assert set(june) == {"Siti Aminah", "Andi Wijaya", "Wati Susanti", "Budi Santoso"}
    # Joko's June plan is agency B's; his employee record is B's too: not A's row.
    assert "Joko Prasetyo" not in june and "Rina Wulandari" not in june
    # The evaluator's reach down the reporting lines and the employee read no TPP rows.
    for role in ("evaluator", "employee"):
        assert tpp_rows(scope_for(c.world.users[role]), year=YEAR, month=6) == []
    # Under a unit: only its subtree.
    division = tpp_rows(admin, year=YEAR, month=6, unit=c.world.division_a)
    assert "Budi Santoso" not in by_name(division) and len(division) == 3


def test_the_tpp_rows_cost_three_queries(c):
    bkd = scope_for(c.world.users["bkd"])
    with CaptureQueriesContext(connection) as few:
        tpp_rows(bkd, year=YEAR, month=2)
    for n in range(30):
        e = EmployeeFactory(unit=c.world.division_a, name=f"Pegawai {n:02d}")
        plan_of(
            e,
            c.world.staff_pos_a,
            c.world.division_a,
            dt.date(YEAR, 1, 1),
            dt.date(YEAR, 12, 31),
            c.period,
        )
    with CaptureQueriesContext(connection) as many:
        rows = tpp_rows(bkd, year=YEAR, month=2)
    assert len(few) == len(many) == 3
    assert len(rows) == 30 + 6


# The API and the workbook ------------------------------------------------------------------


def test_the_tpp_api(c):
    admin = api(c.world.users["opd_admin"])
    body = admin.get("/api/v1/tpp/", {"year": YEAR, "month": 2}).json()
    assert body["count"] == 5  # Siti, Andi, Wati, Joko (agency A's plan), Budi
    siti = next(r for r in body["results"] if r["name"] == "Siti Aminah")
    assert siti == {
        "nip": c.world.staff_a.nip,
        "name": "Siti Aminah",
        "position": "Analis SMA",
        "unit": "Bidang SMA",
        "agency": "Dinas Pendidikan",
        "year": YEAR,
        "month": 2,
        "sub_period": 1,
        "state": "final",
        "plan": c.siti_plan.pk,
        "evaluation": c.siti_q1.pk,
        "achievement": "95.50",
        "predikat": "baik",
        "percent": "100.00",
        "weight": "60.00",
        "component": "60.00",
    }
    assert admin.get("/api/v1/tpp/", {"month": 13}).status_code == 400
    assert admin.get("/api/v1/tpp/", {"year": "20x4"}).status_code == 400
    # Agency B's unit is out of reach: "no such unit", nothing revealed.
    outside = admin.get("/api/v1/tpp/", {"unit": c.world.agency_b.pk})
    assert outside.status_code == 400 and "unit" in outside.json()
    bkd = api(c.world.users["bkd"]).get("/api/v1/tpp/", {"month": 2, "year": YEAR})
    assert bkd.json()["count"] == 6  # and Rina; not Agus Salim, agency B's honorer (non-ASN)
    only_b = api(c.world.users["bkd"]).get(
        "/api/v1/tpp/", {"month": 6, "year": YEAR, "unit": c.world.agency_b.pk}
    )
    assert sorted(r["name"] for r in only_b.json()["results"]) == [
        "Joko Prasetyo",
        "Rina Wulandari",
    ]
    for role in ("employee", "evaluator"):
        assert api(c.world.users[role]).get("/api/v1/tpp/").status_code == 403


def sheet_of(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body)).active


def test_the_tpp_workbook(c, client):
    client.force_login(c.world.users["opd_admin"])
    response = client.get("/plans/tpp/export/", {"year": YEAR, "month": 4})
    assert response.status_code == 200
    assert "tpp-kinerja-2024-04.xlsx" in response["Content-Disposition"]
    ws = sheet_of(response)
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "NIP",
        "Nama",
        "Jabatan",
        "Unit Kerja",
        "Perangkat Daerah",
        "Tahun",
        "Bulan",
        "Subperiode",
        "Status Evaluasi",
        "Capaian Kinerja (%)",
        "Predikat Kinerja",
        "Persentase Predikat (%)",
        "Bobot Kinerja (%)",
        "Komponen Kinerja TPP (%)",
    )
    data = {r[1]: r for r in rows[1:6]}
    assert set(data) == {"Budi Santoso", "Siti Aminah", "Andi Wijaya", "Wati Susanti"} | {
        "Joko Prasetyo"  # in agency A until 20 May
    }
    andi = data["Andi Wijaya"]
    assert andi[5:] == (YEAR, 4, 2, "Evaluasi final", 70, "Butuh Perbaikan", 75, 60, 45)
    assert data["Siti Aminah"][8:] == ("Belum ada evaluasi final",) + (None,) * 3 + (60, None)
    assert data["Budi Santoso"][8] == "Tidak ada SKP untuk bulan ini"
    # The NIP stays text (18 digits would turn into 1.97E+17 as a number).
    nip_cell = ws.cell(row=2, column=1)
    assert isinstance(nip_cell.value, str) and nip_cell.number_format == "@"
    assert data["Siti Aminah"][0] == c.world.staff_a.nip
    assert ws.auto_filter.ref == "A1:N6"
    # Under the table: a blank row, then the totals.
    assert not any(rows[6] or ())
    totals = {r[0]: r[1] for r in rows[7:]}
    assert totals == {
        "Jumlah pegawai": 5,
        "Dengan evaluasi final": 2,  # Andi (Q2) and Wati (Q2)
        "Tanpa evaluasi final": 2,  # Siti and Joko
        "Tanpa SKP": 1,
        "Rata-rata komponen kinerja (%)": 52.5,  # (45 + 60) / 2
    }


def test_the_workbook_is_scoped(c, client):
    client.force_login(c.world.users["opd_admin"])
    june = sheet_of(client.get("/plans/tpp/export/", {"year": YEAR, "month": 6}))
    names = {r[1] for r in june.iter_rows(min_row=2, values_only=True)}
    assert "Rina Wulandari" not in names and "Joko Prasetyo" not in names
    assert client.get("/plans/tpp/export/", {"unit": c.world.agency_b.pk}).status_code == 404
    assert client.get("/plans/tpp/export/", {"month": "0"}).status_code == 400
    client.force_login(c.world.users["bkd"])
    everyone = sheet_of(client.get("/plans/tpp/export/", {"year": YEAR, "month": 6}))
    assert "Rina Wulandari" in {r[1] for r in everyone.iter_rows(min_row=2, values_only=True)}
    csv = client.get("/plans/tpp/export/", {"year": YEAR, "month": 6, "format": "csv"})
    text = b"".join(csv.streaming_content).decode()
    assert "Joko Prasetyo" in text and ",50,60,30\r\n" in text
    for role in ("employee", "evaluator"):
        client.force_login(c.world.users[role])
        assert client.get("/plans/tpp/export/").status_code == 403


def test_a_promotion_during_the_year_earns_each_level_its_months(c):
    from kinerja.performance.selectors_consequences import evaluation_credit_points

    muda = PositionFactory(
        unit=c.world.division_a,
        code="DIKBUD-SMA-PK2",
        title="Pranata Komputer Ahli Muda",
        kind=PositionKind.FUNGSIONAL,
    )
    Plan.objects.filter(pk=c.andi_plan.pk).update(
        starts=dt.date(YEAR, 1, 1), ends=dt.date(YEAR, 6, 30)
    )
    later = plan_of(
        c.andi, muda, c.world.division_a, dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31), c.period
    )
    second = evaluation_of(later, 0, "baik")
    Evaluation.objects.filter(pk=c.andi_year.pk).update(predikat="baik")
    first = Evaluation.objects.select_related("plan__period").get(pk=c.andi_year.pk)
    second = Evaluation.objects.select_related("plan__period").get(pk=second.pk)
    # 6/12 x 100 % x 12.5 = 6.25 and 6/12 x 100 % x 25 = 12.50: 18.75 for the year.
    points = [evaluation_credit_points(e) for e in (first, second)]
    assert [(p.level, p.months, p.points) for p in points] == [
        ("ahli_pertama", 6, D("6.25")),
        ("ahli_muda", 6, D("12.50")),
    ]
    assert points[1].confirmed is False  # Ahli Muda's coefficient rests on one source
