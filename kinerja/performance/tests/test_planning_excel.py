"""Planning data in Excel: the indicator and target importers (through the import engine),
the exports (goal tree, indicators, targets, library, agreements), an export importing again
unchanged, a file's bad rows reported one by one with nothing written."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.performance import services
from kinerja.performance.models import Indicator, Target, TargetValue
from kinerja.performance.planning_importers import IndicatorImporter, TargetImporter


def _xlsx(header: list[str], *rows: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(user, data: bytes, importer, *, dry_run=False):
    table = read_table(io.BytesIO(data), "file.xlsx")
    return import_run(
        actor=user, scope=scope_for(user), importer=importer, table=table, dry_run=dry_run
    )


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def quarters(pk, world, scopes):
    """2023 opened by quarter; agency A's 2023 target (85, last value) by quarter."""
    admin, scope = world.users["system_admin"], scopes["system_admin"]
    services.period_create(
        actor=admin,
        scope=scope,
        instansi=world.instansi,
        year=2023,
        data={"frequency": "quarterly"},
    )
    services.target_set_values(
        actor=admin, scope=scope, target=pk.t_a, values={1: "70", 2: "75", 3: "80", 4: "85"}
    )
    return pk


def test_an_export_of_indicators_and_targets_imports_again_unchanged(quarters, login, world):
    admin = world.users["system_admin"]
    client = login(admin)
    indicators = client.get(reverse("performance:indicator_export"))
    rows = _sheet(indicators)
    assert rows[0][:4] == ("Kode Indikator", "Kode Sasaran", "Perangkat Daerah", "Nama Indikator")
    assert [r[0] for r in rows[1:]] == ["DIK-01", "IKU-01", "KES-01"]
    targets = client.get(reverse("performance:target_export"), {"year": 2023})
    rows = _sheet(targets)
    dik = next(r for r in rows if r[0] == "DIK-01")
    assert dik[3:6] == (2023, "value", 85) and dik[9:14] == (70, 75, 80, 85, None)
    events = AuditEvent.objects.count()
    outcome = _import(admin, indicators.content, IndicatorImporter)
    assert outcome.valid and outcome.counts == {"created": 0, "updated": 0, "unchanged": 3}
    outcome = _import(admin, targets.content, TargetImporter)
    assert outcome.valid and outcome.counts == {"created": 0, "updated": 0, "unchanged": 3}
    # Only the two imports' own summary events: no row was touched.
    assert AuditEvent.objects.count() == events + 2


def test_an_agency_imports_its_indicators_and_targets(quarters, login, world):
    admin = world.users["opd_admin"]
    data = _xlsx(
        ["Kode Indikator", "Kode Sasaran", "Nama Indikator", "Satuan", "Tingkat Kendali", "IKU"],
        ["DIK-01", "", "APK SMA/SMK", "persen", "outcome", "ya"],
        ["DIK-02", "DIK.T1.S1", "Angka putus sekolah SMA", "persen", "output", "tidak"],
    )
    outcome = _import(admin, data, IndicatorImporter)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 0}
    old = Indicator.objects.get(code="DIK-01")
    assert old.name == "APK SMA/SMK" and old.is_key and old.aggregation == "last_value"
    new = Indicator.objects.get(code="DIK-02")
    assert new.unit == world.agency_a and new.control_level == "output" and not new.is_key
    assert AuditEvent.objects.filter(action="indicator.create", target_id=str(new.pk)).exists()

    data = _xlsx(
        ["Kode Indikator", "Tahun", "Bentuk Target", "Target", "Batas Bawah", "Batas Atas"]
        + [f"Sub-periode {n}" for n in range(1, 5)],
        ["DIK-02", 2023, "range", None, "2,5", 4, "1;2", "1,5;3", "2;3,5", "2,5;4"],
        ["DIK-01", 2024, "value", 91, None, None],
    )
    outcome = _import(admin, data, TargetImporter)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 0}
    target = Target.objects.get(indicator=new, year=2023)
    assert (target.shape, target.low, target.high) == ("range", 2.5, 4)
    last = TargetValue.objects.get(target=target, sub_period__number=4)
    assert (last.low, last.high) == (2.5, 4)
    assert Target.objects.get(indicator=old, year=2024).value == 91
    # The 2023 target of DIK-01 is not in the file: it keeps its value and its quarters.
    assert Target.objects.get(indicator=old, year=2023).value == 85
    assert TargetValue.objects.filter(target__indicator=old, target__year=2023).count() == 4


def test_bad_rows_are_named_one_by_one_and_nothing_is_written(quarters, world):
    admin = world.users["opd_admin"]
    events = AuditEvent.objects.count()
    data = _xlsx(
        ["Kode Indikator", "Tahun", "Bentuk Target", "Target", "Batas Bawah", "Batas Atas"]
        + [f"Sub-periode {n}" for n in range(1, 5)],
        ["DIK-01", 2024, "value", 95],  # good (90 today)
        ["KES-01", 2023, "value", 70],  # agency B's: not within reach
        ["DIK-01", 2025, "range", None, 9, 4],  # low above high
        ["DIK-01", 2023, "value", 85, None, None, 10, 20, 30, 40],  # quarters end at 40, not 85
        ["DIK-01", 2026, "value", "banyak"],
    )
    outcome = _import(admin, data, TargetImporter)
    assert not outcome.valid
    found = {(e.row, e.column) for e in outcome.errors}
    assert found == {(3, "indicator_code"), (4, "low"), (5, ""), (6, "value")}
    messages = {e.row: e.message for e in outcome.errors}
    assert "KES-01" in messages[3] and "40" in messages[5] and "banyak" in messages[6]
    assert Target.objects.get(year=2024, indicator__code="DIK-01").value == 90  # not 95
    assert TargetValue.objects.get(target=quarters.t_a, sub_period__number=4).value == 85
    assert AuditEvent.objects.count() == events

    indicators = _xlsx(
        ["Kode Indikator", "Kode Sasaran", "Nama Indikator", "Satuan", "Tingkat Kendali"],
        ["DIK-03", "", "Tanpa sasaran", "persen", "output"],
        ["DIK-04", "M1.T1.S1", "Sasaran provinsi", "persen", "output"],
        ["KES-01", "", "Milik dinas lain", "persen", "output"],
    )
    outcome = _import(admin, indicators, IndicatorImporter)
    assert not outcome.valid
    assert {(e.row, e.column) for e in outcome.errors} == {
        (2, "goal_code"),
        (3, ""),  # the province's goal: not the agency's to change
        (4, "code"),
    }
    assert not Indicator.objects.filter(code__in=["DIK-03", "DIK-04"]).exists()


def test_the_exports_keep_to_reach(quarters, login, world, scopes):
    bappeda = world.users["bappeda"]
    a = services.agreement_create(
        actor=bappeda,
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "unit": world.agency_a,
            "year": 2023,
            "agreement_date": quarters.day,
            **quarters.governor,
        },
    )
    services.agreement_set_programs(
        actor=bappeda,
        scope=scopes["bappeda"],
        agreement=a,
        version=a.version,
        programs=[{"name": "Program Pendidikan", "budget": "1250000000.50"}],
    )
    client = login(world.users["opd_admin"])
    goals = _sheet(client.get(reverse("performance:goal_export")))
    assert [r[0] for r in goals[1:]] == ["M1", "M1.T1", "M1.T1.S1", "DIK.T1", "DIK.T1.S1"]
    assert goals[4][3:5] == ("M1.T1.S1", "Dinas Pendidikan")
    codes = [r[0] for r in _sheet(client.get(reverse("performance:indicator_export")))[1:]]
    assert codes == ["DIK-01", "IKU-01"]  # not agency B's
    agreements = _sheet(client.get(reverse("performance:agreement_export")))
    assert agreements[1][:5] == (2023, "DIKBUD", "Dinas Pendidikan", 0, "Draf")
    assert agreements[1][12:] == (0, 1250000000.5)
    library = client.get(reverse("performance:template_export"), {"format": "csv"})
    assert b"".join(library.streaming_content).decode().startswith("\ufeffNama,Jenis Jabatan")
    assert login(world.users["employee"]).get(reverse("performance:goal_export")).status_code == 403


@pytest.mark.parametrize("kind", ["indicators", "targets"])
def test_each_template_imports_as_downloaded(quarters, login, world, kind):
    admin = world.users["system_admin"]
    response = login(admin).get(reverse("imports:import_template", args=[kind]))
    assert response.status_code == 200
    importer = IndicatorImporter if kind == "indicators" else TargetImporter
    outcome = _import(admin, response.content, importer, dry_run=True)
    assert outcome.valid, outcome.errors
