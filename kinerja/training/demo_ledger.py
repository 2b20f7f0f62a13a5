"""The demo's development-hours ledger: for a sample of the province's PNS (every 25th, a few
thousand, not all 80,000), a mix of seminars, e-learning and technical training in 2023 and in
the current year, written in bulk with one audit event each; and the records of the 2023
refreshment's participants from their attendance, when the event is there. Deterministic (a
seeded generator), so two loads give the same ledger."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_many
from kinerja.organisations.models import Employee

from .choices import RecordSource
from .ledger_rules import rules_on
from .models import DevelopmentRecord, Event, Participant, TrainingType
from .services.ledger import record_from_event

REFRESHMENT_TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
EVERY = 25  # one employee in so many gets records
SEED = 2023

# (training type, title, organiser, unit, (lowest, highest) quantity)
KINDS = (
    ("seminar", "Seminar Pelayanan Publik", "Universitas Brawijaya", "seminar_day", (1, 2)),
    ("seminar", "Sarasehan Reformasi Birokrasi", "Biro Organisasi", "seminar_day", (1, 1)),
    ("e-learning", "E-learning Manajemen ASN", "LAN RI (ASN Unggul)", "jp", (2, 10)),
    ("e-learning", "E-learning Literasi Digital", "Kementerian Kominfo", "jp", (4, 8)),
    ("teknis", "Pelatihan Teknis Pengadaan Barang/Jasa", "BPSDM Provinsi", "jp", (16, 32)),
    ("teknis", "Pelatihan Teknis Penyusunan SAKIP", "BPSDM Provinsi", "jp", (8, 24)),
    ("coaching", "Coaching Kinerja", "Atasan langsung", "coaching_session", (1, 4)),
)


def _records_for(instansi, year: int, employees, rng: random.Random, today: dt.date):
    types = {t.code: t for t in TrainingType.objects.all()}
    last_day = min(dt.date(year, 12, 15), today)
    span = max((last_day - dt.date(year, 1, 10)).days, 1)
    out = []
    for employee in employees:
        # 0 to 3 records: about four in ten stay below 20 JP.
        for _i in range(rng.choice((0, 1, 1, 2, 2, 2, 3, 3))):
            code, title, organiser, unit, (low, high) = rng.choice(KINDS)
            starts = dt.date(year, 1, 10) + dt.timedelta(days=rng.randrange(span))
            quantity = Decimal(rng.randint(low, high))
            days = int(quantity) if unit == "seminar_day" else (3 if code == "teknis" else 1)
            ends = min(starts + dt.timedelta(days=days - 1), dt.date(year, 12, 31))
            rules = rules_on(starts)
            kind = types[code]
            out.append(
                DevelopmentRecord(
                    instansi_id=instansi.pk,
                    employee=employee,
                    year=year,
                    training_type=kind,
                    route=kind.route,
                    title=f"{title} {year}",
                    organiser=organiser,
                    starts_on=starts,
                    ends_on=ends,
                    quantity=quantity,
                    quantity_unit=unit,
                    hours=rules.convert(quantity, unit),
                    conversion_version=rules.valid_from,
                    certificate_number=f"DEMO/{year}/{employee.pk}/{len(out) + 1}",
                    source=RecordSource.IMPORTED,
                    unit_id=employee.unit_id,
                    agency_id=employee.unit.agency_id or employee.unit_id,
                    position_id=employee.position_id,
                )
            )
    return out


@transaction.atomic
def demo_ledger(instansi, years: list[int]) -> int:
    """Write the sample's records of ``years`` (none if the instansi already has imported
    records); return how many."""
    if DevelopmentRecord.objects.filter(instansi=instansi, source=RecordSource.IMPORTED).exists():
        return 0
    staff = Employee.objects.filter(instansi=instansi, is_active=True, status="pns")
    sample = list(staff.order_by("pk").values_list("pk", flat=True))[::EVERY]
    employees = list(staff.filter(pk__in=sample).select_related("unit").order_by("pk"))
    rng = random.Random(SEED)
    today = timezone.localdate()
    rows = []
    for year in years:
        rows.extend(_records_for(instansi, year, employees, rng, today))
    created = DevelopmentRecord.objects.bulk_create(rows, batch_size=2000)
    if not created or created[0].pk is None:  # a backend without RETURNING: read them back
        created = list(
            DevelopmentRecord.objects.filter(
                instansi=instansi, source=RecordSource.IMPORTED
            ).select_related("unit")
        )
    paths = {e.unit_id: e.unit.path for e in employees}
    record_many(
        actor=None,
        action="training.development_record.create",
        instansi_id=instansi.pk,
        reason="load_demo",
        entries=(
            {
                "target_type": "training.developmentrecord",
                "target_id": r.pk,
                "target_repr": str(r),
                "unit_id": r.unit_id,
                "unit_path": paths.get(r.unit_id, ""),
                "changes": {
                    "employee": [None, r.employee_id],
                    "year": [None, r.year],
                    "training_type": [None, r.training_type_id],
                    "hours": [None, str(r.hours)],
                },
            }
            for r in created
        ),
    )
    return len(created)


def demo_from_event(instansi) -> int:
    """The records of the 2023 refreshment's participants, from their attendance."""
    event = Event.objects.filter(instansi=instansi, title=REFRESHMENT_TITLE).first()
    if event is None:
        return 0
    count = 0
    for participant in Participant.objects.filter(event=event).active().order_by("pk"):
        if record_from_event(participant) is not None:
            count += 1
    return count


def demo_ledger_run(ctx) -> str:
    instansi = ctx.instansi
    years = sorted({2023, timezone.localdate().year})
    added = demo_ledger(instansi, years)
    from_event = demo_from_event(instansi)
    return _("%(n)d development-hours records added, %(e)d from the 2023 refreshment") % {
        "n": added,
        "e": from_event,
    }


def demo_ledger_wipe(ctx) -> str:
    """Remove the instansi's development-hours records (their audit events stay)."""
    count = DevelopmentRecord.objects.filter(instansi=ctx.instansi).delete()[0]
    return _("removed %(n)d development-hours records") % {"n": count}
