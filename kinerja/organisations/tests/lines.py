"""The fixture agency of the reporting-line tests (the ``org`` fixture, see conftest.py):

    Kepala Dinas (Budi)                                   agency A
    ├── Kepala Bidang SMA (Hartono)                       Bidang SMA
    │   ├── Analis SMA (Siti)                             Bidang SMA
    │   └── Kepala Seksi Kurikulum (Wati)                 Seksi Kurikulum (under Bidang SMA)
    │       └── Analis Kurikulum (Joko)                   Seksi Kurikulum
    └── Kepala Bidang SMK (Rudi)                          Bidang SMK
        └── Analis SMK (Tono)                             Bidang SMK

Every line runs from 1 January 2024; every holder holds their post from that day.
"""

from __future__ import annotations

import datetime as dt

from kinerja.accounts.scope import scope_for
from kinerja.organisations.choices import PositionKind, UnitKind
from kinerja.organisations.models import Assignment, Position, ReportingLine
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)

START = dt.date(2024, 1, 1)


class Org:
    pass


def hold(employee, position, start=START):
    """Place ``employee`` in ``position`` (their current post) from ``start``."""
    employee.position = position
    employee.unit = position.unit
    employee.save()
    Assignment.objects.create(
        instansi=employee.instansi,
        employee=employee,
        position=position,
        unit=position.unit,
        valid_from=start,
    )
    return employee


def line(position, boss, start=START):
    ReportingLine.objects.create(
        instansi=position.instansi, position=position, reports_to=boss, valid_from=start
    )
    Position.objects.filter(pk=position.pk).update(reports_to=boss)


def build_org(world):
    o = Org()
    o.w = world
    o.admin = world.users["system_admin"]
    o.scope = scope_for(o.admin)
    inst = world.instansi
    o.section = OrgUnitFactory(
        instansi=inst,
        parent=world.division_a,
        code="DIKBUD-SMA-KUR",
        name="Seksi Kurikulum",
        kind=UnitKind.SECTION,
    )
    o.smk = OrgUnitFactory(
        instansi=inst,
        parent=world.agency_a,
        code="DIKBUD-SMK",
        name="Bidang SMK",
        kind=UnitKind.DIVISION,
    )
    o.kadis = world.head_pos_a
    o.kabid = PositionFactory(
        unit=world.division_a,
        title="Kepala Bidang SMA",
        is_head=True,
        kind=PositionKind.ADMINISTRATOR,
    )
    o.analis = world.staff_pos_a
    o.kasi = PositionFactory(
        unit=o.section, title="Kepala Seksi Kurikulum", is_head=True, kind=PositionKind.PENGAWAS
    )
    o.analis_kur = PositionFactory(unit=o.section, title="Analis Kurikulum")
    o.kabid_smk = PositionFactory(
        unit=o.smk, title="Kepala Bidang SMK", is_head=True, kind=PositionKind.ADMINISTRATOR
    )
    o.analis_smk = PositionFactory(unit=o.smk, title="Analis SMK")
    for post, boss in [
        (o.kabid, o.kadis),
        (o.analis, o.kabid),
        (o.kasi, o.kabid),
        (o.analis_kur, o.kasi),
        (o.kabid_smk, o.kadis),
        (o.analis_smk, o.kabid_smk),
    ]:
        line(post, boss)
    o.budi = hold(world.head_a, o.kadis)
    o.siti = hold(world.staff_a, o.analis)
    o.hartono = hold(EmployeeFactory(unit=world.division_a, name="Hartono"), o.kabid)
    o.wati = hold(EmployeeFactory(unit=o.section, name="Wati"), o.kasi)
    o.joko = hold(EmployeeFactory(unit=o.section, name="Joko"), o.analis_kur)
    o.rudi = hold(EmployeeFactory(unit=o.smk, name="Rudi"), o.kabid_smk)
    o.tono = hold(EmployeeFactory(unit=o.smk, name="Tono"), o.analis_smk)
    return o
