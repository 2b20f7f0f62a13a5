"""Unit kinds of a provincial government and the sort key that keeps their official order."""

import importlib

import pytest
from django.apps import apps

from kinerja.accounts.scope import scope_for
from kinerja.organisations import services
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.models import OrgUnit
from kinerja.organisations.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kinerja.organisations.migrations.0005_grades_kinds_sort_keys")


def test_the_kinds_are_declared_in_the_official_order():
    assert UnitKind.values[:8] == [
        "setda",
        "setwan",
        "inspektorat",
        "dinas",
        "badan",
        "rsud",
        "rs_khusus",
        "satpol_pp",
    ]
    assert UnitKind.sort_rank("setda") == 1 and UnitKind.sort_rank("seksi") == 16
    assert UnitKind.sort_rank("unknown") == 99
    # The migration's frozen copy of the order agrees with the code today.
    assert UnitKind.values == migration.KIND_ORDER


def test_a_sort_segment_is_digits_and_orders_kind_then_code():
    assert services.sort_segment("dinas", "A1") == "04" + "33" + "17" + "00"
    keys = [
        services.sort_segment(kind, code)
        for kind, code in [
            ("setda", "ZZ"),
            ("setwan", "AA"),
            ("dinas", "OPD1"),
            ("dinas", "OPD1-X"),
            ("dinas", "OPD10"),
            ("badan", "AAA"),
        ]
    ]
    assert keys == sorted(keys) and all(k.isdigit() for k in keys)
    # Case does not matter, as for the codes themselves.
    assert services.sort_segment("dinas", "dikbud") == services.sort_segment("dinas", "DIKBUD")


def _tree(instansi):
    return list(
        OrgUnit.objects.filter(instansi=instansi)
        .order_by("sort_key")
        .values_list("code", flat=True)
    )


def test_the_tree_sorts_depth_first_in_the_official_order(world):
    instansi = world.instansi
    badan = OrgUnitFactory(instansi=instansi, code="BAPPEDA", kind=UnitKind.BADAN)
    setda = OrgUnitFactory(instansi=instansi, code="SETDA", kind=UnitKind.SETDA)
    biro = OrgUnitFactory(instansi=instansi, code="BIRO-ORG", kind=UnitKind.BIRO, parent=setda)
    OrgUnitFactory(instansi=instansi, code="BIRO-ORG-B1", kind=UnitKind.BAGIAN, parent=biro)
    OrgUnitFactory(instansi=instansi, code="SETWAN", kind=UnitKind.SETWAN)
    OrgUnitFactory(instansi=instansi, code="DIKBUD-UPT", kind=UnitKind.UPT, parent=world.agency_a)
    OrgUnitFactory(
        instansi=instansi, code="DIKBUD-SEK", kind=UnitKind.SECRETARIAT, parent=world.agency_a
    )
    assert _tree(instansi) == [
        "SETDA",
        "BIRO-ORG",
        "BIRO-ORG-B1",
        "SETWAN",
        "DIKBUD",  # Dinas Pendidikan: its Sekretariat, then Bidang, then UPT
        "DIKBUD-SEK",
        "DIKBUD-SMA",
        "DIKBUD-UPT",
        "DINKES",
        badan.code,
    ]


def test_the_services_keep_the_key_when_kind_code_or_parent_change(world):
    bkd = world.users["bkd"]
    scope = scope_for(bkd)
    unit = services.unit_create(
        actor=bkd,
        scope=scope,
        instansi=world.instansi,
        data={"code": "SATPOL", "name": "Satuan Polisi Pamong Praja", "kind": UnitKind.DINAS},
    )
    assert unit.sort_key == services.sort_segment("dinas", "SATPOL")
    sub = services.unit_create(
        actor=bkd,
        scope=scope,
        instansi=world.instansi,
        data={
            "code": "SATPOL-B1",
            "name": "Bidang Tibum",
            "kind": UnitKind.DIVISION,
            "parent": unit,
        },
    )
    services.unit_update(actor=bkd, scope=scope, unit=unit, data={"kind": UnitKind.SATPOL_PP})
    sub.refresh_from_db()
    expected = services.sort_segment("satpol_pp", "SATPOL")
    assert sub.sort_key == expected + services.sort_segment("bidang", "SATPOL-B1")
    # Moved under Dinas Kesehatan: the key follows the new parent.
    services.unit_update(actor=bkd, scope=scope, unit=sub, data={"parent": world.agency_b})
    sub.refresh_from_db()
    assert sub.sort_key.startswith(world.agency_b.sort_key)


def test_resort_subtree_rewrites_the_keys_below_in_one_update(world, django_assert_num_queries):
    OrgUnit.objects.filter(pk=world.agency_a.pk).update(kind=UnitKind.BADAN)
    with django_assert_num_queries(2):
        services.resort_subtree(world.agency_a)
    division = OrgUnit.objects.get(pk=world.division_a.pk)
    assert division.sort_key == services.sort_segment("badan", "DIKBUD") + services.sort_segment(
        "bidang", "DIKBUD-SMA"
    )


def test_the_migration_retypes_existing_units_by_name_and_fills_keys(world):
    instansi = world.instansi
    make = OrgUnitFactory
    setwan = make(instansi=instansi, code="SETWAN", name="Sekretariat DPRD", kind="sekretariat")
    setda = make(
        instansi=instansi, code="SETDA", name="Sekretariat Daerah Provinsi", kind="sekretariat"
    )
    satpol = make(instansi=instansi, code="SATPOL", name="Satuan Polisi Pamong Praja")
    rsj = make(instansi=instansi, code="RSJ", name="RS Jiwa Menur", kind="rsud")
    rsud = make(instansi=instansi, code="RSUD", name="RSUD Dr. Soetomo", kind="rsud")
    sub = make(
        instansi=instansi, code="S1", name="Subbagian Umum", kind="seksi", parent=world.division_a
    )
    seksi = make(
        instansi=instansi, code="S2", name="Seksi Kurikulum", kind="seksi", parent=world.division_a
    )
    bagian = make(instansi=instansi, code="B1", name="Bagian Umum", kind="bidang", parent=setwan)
    cabdin = make(
        instansi=instansi,
        code="C1",
        name="Cabang Dinas Wilayah Malang",
        kind="upt",
        parent=world.agency_a,
    )
    OrgUnit.objects.update(sort_key="")
    migration.kinds_forward(apps, None)
    migration.sort_keys_forward(apps, None)
    kinds = dict(OrgUnit.objects.values_list("code", "kind"))
    assert [
        kinds[u.code] for u in (setwan, setda, satpol, rsj, rsud, sub, seksi, bagian, cabdin)
    ] == [
        "setwan",
        "setda",
        "satpol_pp",
        "rs_khusus",
        "rsud",
        "subbagian",
        "seksi",
        "bagian",
        "cabdin",
    ]
    for unit in OrgUnit.objects.select_related("parent"):
        assert unit.sort_key == services.unit_sort_key(unit), unit.code
    migration.kinds_backward(apps, None)
    assert OrgUnit.objects.get(code="SATPOL").kind == "dinas"
    assert OrgUnit.objects.get(code="S1").kind == "seksi"
