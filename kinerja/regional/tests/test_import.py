"""The project list through a workbook: per-row errors in Indonesian (unknown region, unknown
agency, negative investment, unknown area, bad phase, status and funding), nothing written
unless the whole file is valid, an absent column keeps what is stored, and the export imports
again unchanged."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.regional.importers.projects import ProjectImporter, ProjectReport
from kinerja.regional.models import Project

pytestmark = pytest.mark.django_db

HEADERS = [
    "Kode Proyek",
    "Nama Proyek",
    "Kawasan",
    "Kategori",
    "Skema Pendanaan",
    "Nilai Investasi (Rp)",
    "Kode Perangkat Daerah Pengampu",
    "Kode Wilayah Lokasi",
    "Tahap",
    "Status",
]


def _book(rows, headers=HEADERS) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _run(user, stream, dry_run=False):
    return import_run(
        actor=user,
        scope=scope_for(user),
        importer=ProjectImporter,
        table=read_table(stream, "proyek.xlsx"),
        dry_run=dry_run,
    )


def _row(world, **over):
    row = {
        "code": "BTS-001",
        "name": "Jalan Tol Malang-Kepanjen",
        "area": "GKS",
        "category": "toll_road",
        "funding": "APBN",
        "investment": 5_000_000_000_000,
        "lead": world.agency_a.code,
        "regions": "35.07; 35.73",
        "phase": "P2",
        "status": "Perencanaan",
        **over,
    }
    return list(row.values())


def test_a_valid_file_creates_the_projects_through_the_services(world, regional):
    admin = world.users["system_admin"]
    rows = [
        _row(world),
        _row(
            world,
            code="BTS-002",
            name="Kereta gantung Bromo",
            category="Pariwisata",
            funding="Swasta",
            investment="Rp 1.250.000.000.000",
            regions="35.13",
        ),
    ]
    outcome = _run(admin, _book(rows))
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0}
    cable = Project.objects.get(code="BTS-002")
    assert (cable.category, cable.funding, cable.investment_rp, cable.status) == (
        "tourism",
        "private",
        1_250_000_000_000,
        "planning",
    )
    assert list(cable.project_regions.values_list("region__code", "role")) == [
        ("35.13", "location")
    ]
    assert AuditEvent.objects.filter(
        action="regional.project.create", target_id=str(cable.pk)
    ).exists()


def test_each_bad_row_gets_its_message_and_nothing_is_written(world, regional):
    admin = world.users["system_admin"]
    rows = [
        _row(world),  # row 2: valid
        _row(world, code="BTS-003", regions="35.78; 35.99"),  # row 3
        _row(world, code="BTS-004", lead="DINAS-ANTAH"),  # row 4
        _row(world, code="BTS-005", investment=-250_000_000),  # row 5
        _row(world, code="BTS-006", area="Atlantis"),  # row 6
        _row(world, code="BTS-007", phase="P3", status="mangkrak", funding="hibah"),  # row 7
        _row(world, code="BTS-008", lead=world.agency_x.code),  # row 8: another instansi
    ]
    outcome = _run(admin, _book(rows))
    assert not outcome.valid
    found = {(e.row, e.column, e.message) for e in outcome.errors}
    assert (3, "location_regions", "Kode wilayah 35.99 tidak dikenal.") in found
    assert (
        4,
        "lead_agency",
        "Tidak ada perangkat daerah dengan kode DINAS-ANTAH.",
    ) in found
    assert (5, "investment_rp", "Nilai investasi tidak boleh negatif.") in found
    assert (6, "area", "Kawasan pembangunan Atlantis tidak dikenal.") in found
    assert {e.column for e in outcome.errors if e.row == 7} == {"phase", "status", "funding"}
    assert (
        8,
        "lead_agency",
        f"Tidak ada perangkat daerah dengan kode {world.agency_x.code}.",
    ) in found
    assert not Project.objects.filter(code__startswith="BTS-").exists()


def test_only_the_project_office_imports(world, regional):
    outcome = _run(world.users["opd_admin"], _book([_row(world)]))
    assert not outcome.valid
    assert outcome.errors[0].message == (
        "Hanya kantor proyek Perpres 80/2019 (Bappeda) yang boleh melakukan ini."
    )
    assert not Project.objects.filter(code="BTS-001").exists()


def test_an_absent_column_keeps_what_is_stored(world, regional):
    srrl = regional.projects["srrl"]
    outcome = _run(
        world.users["system_admin"],
        _book([["GKS-001", "Konstruksi"]], headers=["Kode Proyek", "Status"]),
    )
    # Construction needs a start date, which the project does not have.
    assert not outcome.valid
    assert outcome.errors[0].column == "start_date"
    outcome = _run(
        world.users["system_admin"],
        _book(
            [["GKS-001", "Penyiapan", 7_900_000_000_000]],
            headers=["code", "status", "investment_rp"],
        ),
    )
    assert outcome.valid, outcome.errors
    srrl.refresh_from_db()
    assert (srrl.status, srrl.investment_rp, srrl.funding) == (
        "preparation",
        7_900_000_000_000,
        "kpbu",
    )
    assert sorted(srrl.project_regions.values_list("region__code", flat=True)) == [
        "35.15",
        "35.25",
        "35.78",
    ]


def test_the_export_imports_again_unchanged(world, regional):
    report = ProjectReport(Project.objects.filter(instansi=world.instansi))
    stream = io.BytesIO(report.to_xlsx())
    sheet = openpyxl.load_workbook(stream).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode Proyek", "Nama Proyek", "Kawasan")
    assert rows[1][0] == "GKS-001" and rows[1][5] == 8_300_000_000_000
    assert rows[1][8] == world.agency_b.code  # the collaborator
    assert rows[1][9] == "35.15; 35.78" and rows[1][10] == "35.25"
    stream.seek(0)
    before = AuditEvent.objects.count()
    outcome = _run(world.users["system_admin"], stream)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 4}
    # Only the import's own summary event.
    assert AuditEvent.objects.count() - before == 1


def test_a_formula_in_a_name_is_kept_as_text_in_the_export(world, regional):
    srrl = regional.projects["srrl"]
    Project.objects.filter(pk=srrl.pk).update(name='=HYPERLINK("http://x","klik")')
    report = ProjectReport(Project.objects.filter(pk=srrl.pk))
    sheet = openpyxl.load_workbook(io.BytesIO(report.to_xlsx())).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    csv_text = "".join(report.to_csv())
    assert "'=HYPERLINK" in csv_text
