"""Each cascade health check on concrete rows: the data that triggers it, and the near miss
beside it that does not. The rows are written straight (the planning services' own rules are
not under test here, and a few broken states, such as a Renstra goal under nothing, are what
the report must find). Also: the report is a fixed number of queries whatever the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.analytics.selectors_health import PROVINCE, compute_report
from kinerja.organisations.choices import PositionKind
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.performance.models import (
    Agreement,
    AgreementTarget,
    Goal,
    Indicator,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    Period,
    Plan,
    PlanResult,
    Realisation,
    SubPeriod,
    Target,
    TargetValue,
)

YEAR = 2026
AFTER_Q3 = dt.date(2026, 10, 11)  # Q3 ended 30 September; 10 evaluation days: due 10 October


def quarters(period):
    ends = [dt.date(YEAR, 3, 31), dt.date(YEAR, 6, 30), dt.date(YEAR, 9, 30), dt.date(YEAR, 12, 31)]
    return [
        SubPeriod.objects.create(
            instansi=period.instansi,
            period=period,
            number=n,
            starts=dt.date(YEAR, 3 * n - 2, 1),
            ends=ends[n - 1],
        )
        for n in range(1, 5)
    ]


@pytest.fixture
def h(world):
    """A small, healthy cascade: the RPJMD (mission > objective > target), agency A's Renstra
    objective and target under it, a complete indicator with its 2026 target (4 quarterly
    values) and its verified realisations, agency A's signed PK holding that target, the
    head's plan serving it and a staff plan serving the head's result."""
    s = SimpleNamespace(world=world, instansi=world.instansi)
    s.period = Period.objects.create(
        instansi=world.instansi,
        year=YEAR,
        frequency="quarterly",
        plans_due=dt.date(YEAR, 1, 31),
        periodic_evaluation_days=10,
        annual_evaluation_due=dt.date(YEAR + 1, 1, 31),
    )
    s.subs = quarters(s.period)

    def goal(level, code, parent=None, unit=None, name=None):
        return Goal.objects.create(
            instansi=world.instansi,
            level=level,
            code=code,
            name=name or f"Tujuan {code}",
            parent=parent,
            unit=unit,
        )

    s.goal = goal
    s.mission = goal("mission", "M1")
    s.objective = goal("objective", "M1.T1", s.mission)
    s.rpjmd = goal("target", "M1.T1.S1", s.objective)
    s.objective_a = goal("agency_objective", "DIK.T1", s.rpjmd, world.agency_a)
    s.target_a = goal("agency_target", "DIK.T1.S1", s.objective_a, world.agency_a)
    s.objective_b = goal("agency_objective", "KES.T1", s.rpjmd, world.agency_b)

    def indicator(goal, code, name, values=4, target="60", **extra):
        fields = {
            "measure_unit": "persen",
            "control_level": "outcome",
            "polarity": "higher_is_better",
            "formula": "sekolah terakreditasi / seluruh sekolah x 100",
            "data_source": "BAN-S/M",
            "producer": "",
            "baseline": D("50"),
            "reporting_frequency": "quarterly",
            "aggregation": "last_value",
            **extra,
        }
        ind = Indicator.objects.create(
            instansi=world.instansi, goal=goal, unit=goal.unit, code=code, name=name, **fields
        )
        if target is not None:
            t = Target.objects.create(
                instansi=world.instansi, indicator=ind, year=YEAR, shape="value", value=D(target)
            )
            for sub in s.subs[:values]:
                TargetValue.objects.create(target=t, sub_period=sub, value=D(target))
        return ind

    s.indicator = indicator
    s.ind_a = indicator(s.target_a, "DIK-01", "Persentase SMA terakreditasi A")
    s.t_a = s.ind_a.targets.get()

    def realise(target, sub, status="verified"):
        return Realisation.objects.create(
            instansi=world.instansi, target=target, sub_period=sub, value=D("55"), status=status
        )

    s.realise = realise
    for sub in s.subs[:3]:
        realise(s.t_a, sub)

    s.pk_a = Agreement.objects.create(
        instansi=world.instansi,
        unit=world.agency_a,
        year=YEAR,
        agreement_date=dt.date(YEAR, 1, 5),
        first_party_name="Budi Santoso",
        first_party_title="Kepala Dinas Pendidikan",
    )
    s.row_a = AgreementTarget.objects.create(agreement=s.pk_a, target=s.t_a, goal=s.target_a)

    def plan(employee, position, unit, status="signed"):
        return Plan.objects.create(
            instansi=world.instansi,
            employee=employee,
            position=position,
            position_title=position.title,
            position_kind=position.kind,
            unit=unit,
            period=s.period,
            starts=dt.date(YEAR, 1, 1),
            ends=dt.date(YEAR, 12, 31),
            status=status,
            signed_at=dt.datetime(YEAR, 1, 20, tzinfo=dt.UTC) if status == "signed" else None,
        )

    def result(plan, text, **links):
        return PlanResult.objects.create(plan=plan, text=text, **links)

    s.plan, s.result = plan, result
    s.head_plan = plan(world.head_a, world.head_pos_a, world.agency_a)
    s.head_result = result(s.head_plan, "Meningkatnya mutu SMA", serves_target=s.row_a)
    s.staff_plan = plan(world.staff_a, world.staff_pos_a, world.division_a)
    s.staff_result = result(s.staff_plan, "Terverifikasinya akreditasi", serves=s.head_result)
    return s


def found(s, kind=None, *, today=AFTER_Q3, agencies=None):
    report = compute_report(s.instansi.pk, YEAR, agency_ids=agencies, today=today)
    return [f for f in report.findings if kind is None or f.kind == kind]


def test_the_healthy_cascade_has_no_finding(h):
    assert [(f.kind, f.label, f.message) for f in found(h)] == []


# 1. Results that serve nothing ---------------------------------------------------------------


def test_a_staff_result_serving_no_leaders_result_is_found(h):
    loose = h.result(h.staff_plan, "Tersusunnya laporan bulanan")
    h.result(h.staff_plan, "Membantu kegiatan lain", kind="additional")  # need not cascade
    findings = found(h, "orphan_result")
    assert [(f.object_id, f.agency_id, f.fix_url) for f in findings] == [
        (loose.pk, h.world.agency_a.pk, f"/plans/skp/{h.staff_plan.pk}/")
    ]
    assert (
        findings[0].message
        == "Hasil kerja ini tidak mendukung hasil kerja mana pun dari SKP pejabat penilai."
    )
    assert findings[0].label == "Siti Aminah: Tersusunnya laporan bulanan"


def test_a_heads_result_serving_neither_a_pk_target_nor_a_result_is_found(h):
    h.result(h.head_plan, "Terwujudnya tata kelola")
    [finding] = found(h, "orphan_result")
    assert finding.params == {"head": True}


def test_a_draft_plan_counts_too_but_a_former_revision_does_not(h):
    h.staff_plan.is_current = False
    h.staff_plan.save()
    h.result(h.staff_plan, "Hasil lama")
    assert found(h, "orphan_result") == []


def test_a_renstra_goal_under_no_rpjmd_goal_is_found_once_with_what_hangs_below(h):
    loose = h.goal("agency_objective", "DIK.T9", None, h.world.agency_a)
    h.goal("agency_target", "DIK.T9.S1", loose, h.world.agency_a)
    h.goal("agency_target", "DIK.T9.S2", loose, h.world.agency_a)
    [finding] = found(h, "orphan_goal")
    assert finding.object_id == loose.pk
    assert finding.params == {"below": 2}
    assert finding.fix_url == f"/plans/goals/{loose.pk}/edit/"
    assert "2 tujuan/sasaran di bawahnya" in finding.message


def test_a_pk_target_whose_goal_is_cut_off_is_found(h):
    loose = h.goal("agency_objective", "DIK.T9", None, h.world.agency_a)
    ind = h.indicator(loose, "DIK-09", "Persentase guru bersertifikat")
    h.realise(ind.targets.get(), h.subs[0])
    row = AgreementTarget.objects.create(agreement=h.pk_a, target=ind.targets.get(), goal=loose)
    [finding] = found(h, "orphan_agreement_target")
    assert (finding.object_id, finding.fix_url) == (row.pk, f"/plans/agreements/{h.pk_a.pk}/")
    assert "DIK.T9" in finding.message


# 2. The indicator manual ---------------------------------------------------------------------


def test_an_indicator_lacking_a_baseline_and_a_data_source_is_one_finding_listing_both(h):
    ind = h.indicator(h.target_a, "DIK-02", "Persentase guru S1", baseline=None, data_source="")
    [finding] = found(h, "manual_incomplete")
    assert finding.object_id == ind.pk
    assert finding.params == {"missing": ["baseline", "data_source"]}
    assert finding.message == "Belum ada: baseline, sumber data."
    assert finding.fix_url == f"/plans/indicators/{ind.pk}/edit/"


def test_a_missing_target_links_to_the_target_form(h):
    ind = h.indicator(h.target_a, "DIK-03", "Persentase guru S1", target=None)
    [finding] = found(h, "manual_incomplete")
    assert finding.params == {"missing": ["target"]}
    assert finding.fix_url == f"/plans/indicators/{ind.pk}/targets/{YEAR}/"


def test_the_provinces_indicator_must_name_its_producer(h):
    iku = h.indicator(h.rpjmd, "IKU-01", "Rata-rata lama sekolah", producer="")
    h.realise(iku.targets.get(), h.subs[0])
    [finding] = found(h, "manual_incomplete")
    assert (finding.object_id, finding.agency_id) == (iku.pk, None)
    assert finding.params == {"missing": ["producer"]}


def test_an_indicator_of_another_plan_period_is_not_read(h):
    old = h.indicator(h.target_a, "DIK-OLD", "Persentase lama", target=None, baseline=None)
    Target.objects.create(instansi=h.instansi, indicator=old, year=2022, shape="value", value=1)
    assert found(h, "manual_incomplete") == []


# 3. Realisations past their deadline ---------------------------------------------------------


def test_a_target_without_a_reported_realisation_after_the_deadline_is_found(h):
    ind = h.indicator(h.target_a, "DIK-04", "Persentase siswa lulus")
    t = ind.targets.get()
    h.realise(t, h.subs[0], "submitted")
    h.realise(t, h.subs[1], "draft")  # entered, not sent: not reported
    [finding] = found(h, "realisation_missing")
    assert finding.object_id == t.pk
    assert [sub[1] for sub in finding.params["subs"]] == [2, 3]
    assert finding.params["deadline"] == "2026-10-10"
    assert finding.fix_url == f"/plans/realisations/target/{t.pk}/"
    assert finding.message == (
        "Belum ada realisasi yang dikirim untuk Triwulan 2, Triwulan 3 (batas 10 Oktober 2026)."
    )


def test_on_the_deadline_day_the_sub_period_is_not_yet_late(h):
    ind = h.indicator(h.target_a, "DIK-04", "Persentase siswa lulus")
    t = ind.targets.get()
    h.realise(t, h.subs[0])
    h.realise(t, h.subs[1])
    assert found(h, "realisation_missing", today=dt.date(2026, 10, 10)) == []
    assert len(found(h, "realisation_missing", today=dt.date(2026, 10, 11))) == 1


def test_a_yearly_indicator_owes_nothing_before_the_last_quarter(h):
    h.indicator(h.target_a, "DIK-05", "Indeks kepuasan", reporting_frequency="annual", values=0)
    assert found(h, "realisation_missing") == []
    assert len(found(h, "realisation_missing", today=dt.date(2027, 1, 11))) == 2  # DIK-01 too


# 4. Plans whose results reach no PK target ---------------------------------------------------


def test_a_plan_reaching_the_pk_through_its_leader_is_fine_one_that_stops_short_is_found(h):
    pos = PositionFactory(unit=h.world.division_a, code="DIKBUD-SMA-02", title="Pengelola")
    other = EmployeeFactory(unit=h.world.division_a, position=pos, name="Ani")
    head_loose = h.result(h.head_plan, "Terwujudnya tata kelola")  # serves no PK target
    stuck = h.plan(other, pos, h.world.division_a)
    h.result(stuck, "Tersusunnya naskah", serves=head_loose)
    empty_employee = EmployeeFactory(unit=h.world.division_a, position=pos, name="Banu")
    empty = h.plan(empty_employee, pos, h.world.division_a, status="draft")
    findings = found(h, "plan_unreached")
    assert {(f.object_id, f.params["results"]) for f in findings} == {(stuck.pk, 1), (empty.pk, 0)}
    assert {f.fix_url for f in findings} == {f"/plans/skp/{stuck.pk}/", f"/plans/skp/{empty.pk}/"}


def test_a_chain_reaching_another_agencys_pk_does_not_count(h):
    pos_b = PositionFactory(unit=h.world.agency_b, code="DINKES-02", title="Analis")
    plan_b = h.plan(h.world.staff_b, pos_b, h.world.agency_b)
    h.result(plan_b, "Terdukungnya akreditasi SMA", serves=h.head_result)  # agency A's PK
    [finding] = found(h, "plan_unreached")
    assert (finding.object_id, finding.agency_id) == (plan_b.pk, h.world.agency_b.pk)


def test_a_long_chain_reaches_the_pk(h):
    pos = PositionFactory(unit=h.world.division_a, code="DIKBUD-SMA-03", title="Staf")
    above = h.staff_result
    for n in range(4):
        employee = EmployeeFactory(unit=h.world.division_a, position=pos)
        above = h.result(h.plan(employee, pos, h.world.division_a), f"Hasil {n}", serves=above)
    assert found(h, "plan_unreached") == []


# 5. Duplicates -------------------------------------------------------------------------------


def test_a_near_duplicate_within_an_agency_is_found_across_agencies_it_is_not(h):
    twin = h.indicator(h.target_a, "DIK-06", "Persentase SMA terakreditasi  A.")
    h.indicator(h.objective_b, "KES-06", "Persentase SMA terakreditasi A")  # agency B: no
    h.indicator(h.target_a, "DIK-07", "Persentase SMK terakreditasi A")  # another thing
    for ind in Indicator.objects.filter(code__in=["DIK-06", "KES-06", "DIK-07"]):
        for sub in h.subs[:3]:
            h.realise(ind.targets.get(), sub)
    [finding] = found(h, "duplicate")
    assert (finding.object_id, finding.params["on"]) == (twin.pk, "name")
    assert finding.params["other"] == "DIK-01 Persentase SMA terakreditasi A"


# 6. SMART-C ----------------------------------------------------------------------------------


def _smart(h, kind, **fields):
    ind = h.indicator(
        h.target_a, "DIK-10", fields.pop("name", "Persentase sekolah unggul"), **fields
    )
    target = ind.targets.first()
    for sub in h.subs[:3]:
        if target is not None:
            h.realise(target, sub)
    return ind, [f for f in found(h, kind) if f.object_id == ind.pk]


def test_specific_a_vague_name_is_found_a_named_measure_is_not(h):
    ind, [finding] = _smart(h, "smart_specific", name="Meningkatnya kualitas layanan pendidikan")
    assert finding.params == {"reason": "vague", "word": "meningkatnya"}
    Indicator.objects.filter(pk=ind.pk).update(name="Meningkatnya indeks kualitas layanan")
    assert found(h, "smart_specific") == []


def test_measurable_a_percentage_without_formula_is_found_as_low(h):
    ind, [finding] = _smart(h, "smart_measurable", formula="")
    assert (finding.params, finding.severity) == ({"missing": ["formula"]}, "low")
    Indicator.objects.filter(pk=ind.pk).update(measure_unit="orang")  # a count: its own formula
    assert found(h, "smart_measurable") == []


def test_measurable_a_qualitative_target_is_found_as_medium(h):
    ind, _ = _smart(h, "smart_measurable")
    Target.objects.filter(indicator=ind).update(shape="qualitative", value=None, expectation="Baik")
    [finding] = found(h, "smart_measurable")
    assert (finding.params, finding.severity) == ({"missing": ["quantitative_target"]}, "medium")


def test_achievable_three_times_the_baseline_passes_three_point_one_is_found(h):
    _ind, none = _smart(h, "smart_achievable", measure_unit="orang", baseline=D("10"), target="30")
    assert none == []
    Target.objects.filter(indicator__code="DIK-10").update(value=D("31"))
    [finding] = found(h, "smart_achievable")
    assert finding.params["fold"] == "3.1"
    assert finding.fix_url == f"/plans/indicators/{finding.object_id}/targets/{YEAR}/"


def test_relevant_an_indicator_on_a_cut_off_goal_is_found(h):
    loose = h.goal("agency_objective", "DIK.T9", None, h.world.agency_a)
    ind = h.indicator(loose, "DIK-11", "Persentase guru bersertifikat")
    for sub in h.subs[:3]:
        h.realise(ind.targets.get(), sub)
    [finding] = found(h, "smart_relevant")
    assert (finding.object_id, finding.fix_url) == (ind.pk, f"/plans/goals/{loose.pk}/edit/")
    assert [f.object_id for f in found(h, "smart_relevant") if f.object_id == h.ind_a.pk] == []


def test_time_bound_a_quarterly_target_without_quarter_values_is_found(h):
    _ind, [finding] = _smart(h, "smart_time_bound", values=0)
    assert finding.params == {"missing": ["sub_period_values"]}
    Indicator.objects.filter(code="DIK-10").update(reporting_frequency="annual")
    assert found(h, "smart_time_bound") == []


def test_challenging_a_target_below_the_baseline_is_found_equal_is_not(h):
    _ind, [finding] = _smart(h, "smart_challenging", baseline=D("50"), target="49.99")
    assert finding.params["target"] == "49.99"
    Target.objects.filter(indicator__code="DIK-10").update(value=D("50"))
    assert found(h, "smart_challenging") == []


# 7. Key indicators changed too often ---------------------------------------------------------


def _key_set(h, unit, first, last, names, status="set"):
    key_set = KeyIndicatorSet.objects.create(
        instansi=h.instansi, unit=unit, name="IKU Dinas Pendidikan", first_year=first,
        last_year=last, status=status,
    )  # fmt: skip
    for n, name in enumerate(names):
        ind = Indicator.objects.filter(name=name, unit=unit).first() or Indicator.objects.create(
            instansi=h.instansi, goal=h.target_a, unit=unit, code=f"K{first}-{n}", name=name,
            measure_unit="persen", control_level="outcome", formula="a/b", data_source="x",
            baseline=D("1"),
        )  # fmt: skip
        if not ind.targets.filter(year=YEAR).exists() and first <= YEAR <= last:
            Target.objects.create(instansi=h.instansi, indicator=ind, year=YEAR, shape="value",
                                  value=D("2"))  # fmt: skip
        KeyIndicatorSetItem.objects.create(key_set=key_set, indicator=ind, position=n)
    return key_set


def test_key_indicators_changed_by_more_than_two_between_two_years_are_found(h):
    a = h.world.agency_a
    _key_set(h, a, 2025, 2025, ["Indeks A", "Indeks B", "Indeks C"])
    later = _key_set(h, a, 2026, 2026, ["Indeks A", "Indeks D", "Indeks E"])
    [finding] = found(h, "iku_churn")
    assert (finding.object_id, finding.agency_id) == (later.pk, a.pk)
    assert finding.params["changes"] == 4
    assert finding.message == (
        "4 indikator kinerja utama berubah dari 2025 ke 2026 (2 ditambahkan, 2 dihapus; paling "
        "banyak 2)."
    )


def test_one_replacement_of_a_key_indicator_is_allowed(h):
    a = h.world.agency_a
    _key_set(h, a, 2025, 2025, ["Indeks A", "Indeks B", "Indeks C"])
    _key_set(h, a, 2026, 2026, ["Indeks A", "Indeks B", "Indeks D"])
    assert found(h, "iku_churn") == []


def test_a_draft_set_is_read_only_when_no_set_is_set(h):
    a = h.world.agency_a
    _key_set(h, a, 2025, 2025, ["Indeks A", "Indeks B", "Indeks C"])
    _key_set(h, a, 2026, 2026, ["Indeks X", "Indeks Y", "Indeks Z"], status="draft")
    assert found(h, "iku_churn") == []  # the set one covers 2025 only: nothing to compare


# The report ----------------------------------------------------------------------------------


def test_counts_group_the_findings_by_agency_and_check(h):
    h.result(h.staff_plan, "Tersusunnya laporan")  # orphan, agency A
    h.indicator(h.objective_b, "KES-02", "Persentase puskesmas", baseline=None)  # manual, B
    h.indicator(h.rpjmd, "IKU-02", "Rasio gini", values=0, data_source="")  # province
    report = compute_report(h.instansi.pk, YEAR, today=AFTER_Q3)
    counts = report.counts()
    a, b = h.world.agency_a.pk, h.world.agency_b.pk
    assert counts[a]["orphan"] == 1 and sum(counts[a].values()) == 1
    assert counts[b] == {**dict.fromkeys(counts[b], 0), "manual": 1, "realisation": 1}
    # The province's indicator: no data source and no producer (manual), no quarter values
    # (time-bound) and no realisation.
    assert counts[PROVINCE] == {**dict.fromkeys(counts[b], 0), "manual": 1, "smart": 1,
                                "realisation": 1}  # fmt: skip
    only_b = compute_report(h.instansi.pk, YEAR, agency_ids=[b], today=AFTER_Q3)
    assert only_b.counts() == {b: counts[b]}


def test_the_report_takes_the_same_number_of_queries_for_more_data(h):
    def count():
        with CaptureQueriesContext(connection) as queries:
            compute_report(h.instansi.pk, YEAR, today=AFTER_Q3)
        return len(queries)

    h.goal("agency_objective", "DIK.X", None, h.world.agency_a)  # a cut-off goal: its PK query
    before = count()
    pos = PositionFactory(
        unit=h.world.division_a, code="DIKBUD-SMA-09", kind=PositionKind.PELAKSANA
    )
    for n in range(6):
        employee = EmployeeFactory(unit=h.world.division_a, position=pos)
        plan = h.plan(employee, pos, h.world.division_a)
        h.result(plan, f"Hasil {n}", serves=h.staff_result if n % 2 else None)
        h.indicator(h.target_a, f"DIK-2{n}", f"Jumlah kegiatan {n}", baseline=None)
        h.goal("agency_objective", f"DIK.X{n}", None, h.world.agency_a)
    assert count() == before
    assert before <= 14
