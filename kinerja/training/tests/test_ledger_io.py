"""The ledger through a workbook: the import (dry run, per-row errors, all or nothing, an absent
column keeps what is stored), the export that imports again unchanged, the national layout."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.training.ledger_io import (
    DevelopmentRecordImporter,
    DevelopmentRecordReport,
    NationalReport,
)
from kinerja.training.models import Attendance, DevelopmentRecord
from kinerja.training.services.ledger import record_from_event
from kinerja.training.tests.factories import (
    DevelopmentRecordFactory,
    EventFactory,
    ParticipantFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "NIP",
    "Kode Jenis Pelatihan",
    "Nama Pelatihan",
    "Penyelenggara",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Jumlah",
    "Satuan",
    "Nomor Sertifikat",
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


def _run(user, stream, name="jp.xlsx", dry_run=False):
    return import_run(
        actor=user,
        scope=scope_for(user),
        importer=DevelopmentRecordImporter,
        table=read_table(stream, name),
        dry_run=dry_run,
    )


def _row(world, **over):
    row = {
        "nip": world.staff_a.nip,
        "type": "seminar",
        "title": "Seminar Nasional Pelayanan Publik",
        "org": "Universitas Brawijaya",
        "start": dt.date(2023, 5, 10),
        "end": dt.date(2023, 5, 11),
        "qty": 2,
        "unit": "seminar_day",
        "cert": "UB/2023/77",
        **over,
    }
    return list(row.values())


def test_a_dry_run_writes_nothing_and_the_run_converts(world):
    admin = world.users["opd_admin"]
    book = [_row(world), _row(world, title="E-learning ASN", type="e-learning", qty=6, unit="")]
    outcome = _run(admin, _book(book), dry_run=True)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert not DevelopmentRecord.objects.exists()
    outcome = _run(admin, _book(book))
    assert outcome.valid, outcome.errors
    hours = dict(DevelopmentRecord.objects.values_list("title", "hours"))
    assert hours == {"Seminar Nasional Pelayanan Publik": Decimal("8"), "E-learning ASN": 6}
    assert set(DevelopmentRecord.objects.values_list("source", flat=True)) == {"imported"}
    assert AuditEvent.objects.filter(action="training.development_record.create").count() == 2


def test_errors_name_the_row_and_the_column_and_nothing_is_written(world):
    admin = world.users["opd_admin"]
    book = [
        _row(world),  # row 2: fine
        _row(world, nip=world.staff_b.nip),  # row 3: agency B, out of reach
        _row(world, type="nope"),  # row 4
        _row(world, unit="hour"),  # row 5
        _row(world, end=dt.date(2023, 5, 1)),  # row 6
        _row(world, qty="dua"),  # row 7
    ]
    outcome = _run(admin, _book(book))
    assert not outcome.valid
    found = {(e.row, e.column) for e in outcome.errors}
    assert found == {
        (3, "nip"),
        (4, "training_type"),
        (5, "quantity_unit"),
        (6, "ends_on"),
        (7, "quantity"),
    }
    assert not DevelopmentRecord.objects.exists()


def test_the_export_imports_again_unchanged_and_an_absent_column_keeps_what_is_stored(world):
    admin = world.users["opd_admin"]
    entered = DevelopmentRecordFactory(
        employee=world.staff_a,
        quantity=Decimal("2"),
        quantity_unit="seminar_day",
        hours=Decimal("8"),
        certificate_number="X-1",
    )
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    part = ParticipantFactory(event=event, employee=world.staff_a)
    Attendance.objects.create(
        instansi=world.instansi,
        participant=part,
        session=SessionFactory(event=event),
        status="present",
        jp=Decimal("2"),
    )
    from_event = record_from_event(part)
    DevelopmentRecordFactory(employee=world.staff_b)  # agency B: not in A's export
    report = DevelopmentRecordReport(DevelopmentRecord.objects.within(scope_for(admin)))
    for name, data in (("jp.xlsx", report.to_xlsx()), ("jp.csv", "".join(report.to_csv()))):
        stream = io.BytesIO(data if isinstance(data, bytes) else data.encode("utf-8"))
        outcome = _run(admin, stream, name=name)
        assert outcome.valid, outcome.errors
        assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 2}
    # Only the ID, the NIP and the certificate: the other columns keep what is stored.
    outcome = _run(
        admin,
        _book([[entered.pk, world.staff_a.nip, "X-2"]], ["ID", "NIP", "Nomor Sertifikat"]),
    )
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}
    entered.refresh_from_db()
    assert (entered.certificate_number, entered.hours, entered.version) == ("X-2", 8, 2)
    # An event's record cannot be changed by a file.
    outcome = _run(
        admin,
        _book([[from_event.pk, world.staff_a.nip, "Y"]], ["ID", "NIP", "Nomor Sertifikat"]),
    )
    assert not outcome.valid and outcome.errors[0].column == "id"


def test_the_national_layout_has_both_record_kinds(world):
    DevelopmentRecordFactory(
        employee=world.staff_a,
        title="Teknis SAKIP",
        certificate_number="BPSDM/1",
        hours=Decimal("24"),
        starts_on=dt.date(2023, 3, 1),
        ends_on=dt.date(2023, 3, 3),
    )
    from kinerja.training.models import TrainingType

    DevelopmentRecordFactory(
        employee=world.staff_a,
        title="PKA Angkatan I",
        training_type=TrainingType.objects.get(code="pka"),
        hours=Decimal("200"),
    )
    rows = DevelopmentRecord.objects.all()
    kursus = NationalReport(rows, "kursus")
    assert kursus.headers()[:2] == ["nip", "jenisDiklatId"]
    assert list(kursus.rows()) == [
        (
            world.staff_a.nip,
            "",
            "Pelatihan Teknis",
            "Teknis SAKIP",
            "BPSDM/1",
            "01-03-2023",
            "03-03-2023",
            2023,
            "BPSDM Provinsi",
            "24",
        ),
    ]
    diklat = list(NationalReport(rows, "diklat").rows())
    assert [(r[2], r[8]) for r in diklat] == [("PKA Angkatan I", "200")]
