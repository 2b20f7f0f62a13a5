"""The suggested answers on a small world built with the performance services: agency A's
signed PK 2023 (dated 5 January), its action plan, realisations, IKU set and indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.utils import translation

from kinerja.akip import lke_rules
from kinerja.akip.prefill import add_months, pk_due, suggestions
from kinerja.performance import services as perf
from kinerja.performance.models import (
    Action,
    ActionProgress,
    ActionSchedule,
    Indicator,
    Realisation,
)

from .conftest import signed_pk

P = lke_rules.policy_for_year(2023)
AFTER = dt.date(2024, 3, 31)


def suggest(k, as_of=AFTER, budget=None, agency=None):
    # The reasons are kept on the sheet in the instansi's language, whatever the caller's.
    with translation.override("en"):
        return suggestions(
            agency=agency or k.world.agency_a,
            year=2023,
            policy=P,
            as_of=as_of,
            budget_approved_on=budget,
        )


def test_due_dates():
    assert pk_due(P, 2023, None) == dt.date(2023, 1, 31)
    assert pk_due(P, 2023, dt.date(2022, 12, 15)) == dt.date(2023, 1, 15)
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)


def test_the_pk_signed_on_time_late_or_missing(akip):
    found = suggest(akip)["1.1.6"]
    assert found.grade == "BB"
    assert "ditandatangani pada 5 Januari 2023, sebelum batas waktu 31 Januari 2023" in found.reason
    assert "tanggal menurut kebijakan, karena sistem tidak memiliki tanggal" in found.reason
    # Signed in the system today (in the test), long after the due date: named, not counted.
    assert "Penandatanganan dicatat dalam sistem pada" in found.reason
    # With the budget approved on 15 December 2022 the PK was due on 15 January: late.
    late = suggest(akip, budget=dt.date(2022, 12, 1))["1.1.6"]
    assert late.grade == "CC"
    assert "melewati batas waktu 1 Januari 2023" in late.reason
    assert "penetapan dokumen anggaran pada 1 Desember 2022" in late.reason
    # Agency B has none: before the due date nothing is suggested, after it E.
    assert "1.1.6" not in suggest(akip, as_of=dt.date(2023, 1, 20), agency=akip.world.agency_b)
    missing = suggest(akip, agency=akip.world.agency_b)["1.1.6"]
    assert missing.grade == "E" and "Belum ada PK 2023 yang ditandatangani" in missing.reason


def test_two_years_on_time_suggest_a(akip):
    perf.target_set(
        actor=akip.world.users["bappeda"],
        scope=akip.scopes["bappeda"],
        indicator=akip.plan.ind_a,
        year=2022,
        data={"shape": "value", "value": "80"},
    )
    akip.t_a_2024 = akip.plan.ind_a.targets.get(year=2022)
    signed_pk(akip, year=2022, day=dt.date(2022, 1, 10))
    found = suggest(akip)["1.1.6"]
    assert found.grade == "A"
    assert "PK tahun 2022 juga ditandatangani tepat waktu" in found.reason


def _actions(k, n):
    target_row = k.agreement.targets.get()
    return [
        Action.objects.create(
            instansi=k.world.instansi,
            agreement=k.agreement,
            agreement_target=target_row,
            code=f"A{i}",
            text=f"Aksi {i}",
            unit=k.world.agency_a,
        )
        for i in range(n)
    ]


def test_action_plans_monitored_in_most_quarters(akip):
    q1, q2, q3, q4 = akip.quarters
    actions = _actions(akip, 4)
    for action in actions:
        for q in akip.quarters:
            ActionSchedule.objects.create(action=action, sub_period=q, weight=25)
    # Q1: 3 of 4 actions entered (monitored); Q2: 2 of 4 (half: monitored); Q3: 1 of 4 (not).
    for action, quarters in zip(actions, [(q1, q2, q3), (q1, q2), (q1,), ()], strict=True):
        for q in quarters:
            ActionProgress.objects.create(action=action, sub_period=q, progress=100)
    # On 15 October three quarters have ended: 2 of 3 monitored, 66.7 % -> CC.
    found = suggest(akip, as_of=dt.date(2023, 10, 15))["2.2.6"]
    assert found.grade == "CC"
    assert "pada 2 dari 3 subperiode yang telah berakhir (66,7 %)" in found.reason
    # After the year, Q4 (no entry) joins: 2 of 4, 50 % -> C.
    assert suggest(akip)["2.2.6"].grade == "C"
    # Before any quarter ended nothing is suggested.
    assert "2.2.6" not in suggest(akip, as_of=dt.date(2023, 3, 31))


def test_realisations_verified_share(akip):
    statuses = ["verified", "verified", "verified", "submitted"]
    for q, status in zip(akip.quarters, statuses, strict=True):
        Realisation.objects.create(
            instansi=akip.world.instansi, target=akip.t_a, sub_period=q, value=80, status=status
        )
    found = suggest(akip)["2.2.4"]
    # 75 % is not above 75: CC.
    assert (found.grade, found.reason) == (
        "CC",
        "3 dari 4 realisasi yang diajukan untuk target 2023 telah diverifikasi (75,0 %).",
    )
    Realisation.objects.filter(status="submitted").update(status="verified")
    assert suggest(akip)["2.2.4"].grade == "BB"


def test_iku_set_and_indicators_complete(akip):
    w, bappeda = akip.world, akip.world.users["bappeda"]
    assert suggest(akip)["2.1.3"].grade == "E"
    key_set = perf.key_set_create(
        actor=bappeda,
        scope=akip.scopes["bappeda"],
        instansi=w.instansi,
        data={
            "name": "IKU Dinas Pendidikan",
            "first_year": 2023,
            "last_year": 2023,
            "unit": w.agency_a,
        },
    )
    perf.key_set_add(
        actor=bappeda, scope=akip.scopes["bappeda"], key_set=key_set, indicator=akip.plan.ind_a
    )
    draft = suggest(akip)["2.1.3"]
    assert draft.grade == "C" and "masih berupa draf" in draft.reason
    key_set.status = "set"
    key_set.decree_number = "188/12/KPTS/2023"
    key_set.save()
    done = suggest(akip)["2.1.3"]
    assert done.grade == "BB" and "keputusan nomor 188/12/KPTS/2023" in done.reason
    # Indicators: DIK-01 lacks a baseline and a data source; add a complete one: 1 of 2.
    akip.plan.indicator(
        akip.plan.target_a,
        "DIK-02",
        "Rata-rata nilai ujian",
        baseline=D("70"),
        data_source="Dapodik",
    )
    found = suggest(akip)["2.1.2"]
    assert found.grade == "C"
    assert "1 dari 2 indikator perangkat daerah" in found.reason
    Indicator.objects.filter(code="DIK-01").update(baseline=D("60"), data_source="BPS")
    assert suggest(akip)["2.1.2"].grade == "BB"


def test_report_published_has_a_reason_but_no_grade(akip):
    found = suggest(akip)["3.1.5"]
    assert found.grade == ""
    assert "Sistem tidak mencatat publikasi laporan kinerja" in found.reason
