"""Unit paths wide enough for a national tree, moves in one statement, and audit events sealed
with the former six-digit paths still reached by scoped readers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.audit.services import record
from kinerja.core import paths
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations import services
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.models import Employee, OrgUnit
from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory

BIG = 1_234_567


def _grant(world, unit, *actions) -> Scope:
    return Scope(
        instansi_id=world.instansi.pk,
        grants=(Grant(actions=frozenset(actions), unit_path=unit.path),),
        user_id=1,
    )


@pytest.fixture
def national(world):
    """An agency with id 1,234,567, its division 1,234,568 and a section 20,000,001 under it,
    beside an agency with id 999,999 (the largest the six-digit paths could hold)."""
    big = OrgUnitFactory(pk=BIG, instansi=world.instansi, code="BIG")
    division = OrgUnitFactory(
        pk=BIG + 1, instansi=world.instansi, parent=big, code="BIG-DIV", kind=UnitKind.DIVISION
    )
    section = OrgUnitFactory(
        pk=20_000_001,
        instansi=world.instansi,
        parent=division,
        code="BIG-SEC",
        kind=UnitKind.SECTION,
    )
    small = OrgUnitFactory(pk=999_999, instansi=world.instansi, code="SMALL")
    return big, division, section, small


def test_paths_hold_ids_past_a_million(world, national):
    big, division, section, small = national
    assert big.path == "01234567."
    assert division.path == "01234567.01234568."
    assert section.path == "01234567.01234568.20000001."
    assert (section.depth, section.agency_id) == (2, BIG)
    assert small.path == "00999999."
    assert world.agency_a.path == f"{world.agency_a.pk:08d}."


def test_a_big_subtree_is_a_prefix_and_sorts_in_tree_order(world, national):
    big, division, section, small = national
    subtree = OrgUnit.objects.subtree_of(big).values_list("pk", flat=True)
    assert list(subtree) == [BIG, BIG + 1, 20_000_001]
    codes = list(OrgUnit.objects.filter(pk__in=[BIG, BIG + 1, 20_000_001, 999_999]))
    assert codes == [small, big, division, section]  # ordering = ["path"]: 999,999 first
    staff = EmployeeFactory(unit=section, name="Pegawai Seksi")
    EmployeeFactory(unit=small, name="Pegawai Lain")
    scope = _grant(world, big, Action.VIEW_PEOPLE, Action.VIEW_ORG)
    assert list(Employee.objects.within(scope)) == [staff]
    assert set(OrgUnit.objects.within(scope).values_list("pk", flat=True)) == {
        BIG,
        BIG + 1,
        20_000_001,
    }
    assert scope.can(Action.VIEW_PEOPLE, section.path)
    assert not scope.can(Action.VIEW_PEOPLE, small.path)


def test_a_step_refuses_an_id_it_cannot_hold():
    assert paths.step(99_999_999) == "99999999."
    with pytest.raises(ValueError):
        paths.step(100_000_000)


def test_moving_a_subtree_rewrites_paths_depths_and_agency_in_one_statement(world, national):
    big, division, section, small = national
    with CaptureQueriesContext(connection) as queries:
        services.unit_update(
            actor=world.users["bkd"],
            scope=scope_for(world.users["bkd"]),
            unit=division,
            data={"parent": world.division_a},
            reason="Reorganisasi 2026",
        )
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "organisations_orgunit"')
    ]
    # The unit's own save, then one statement for the whole subtree (not one per unit).
    assert len(writes) == 2, writes
    assert "LIKE '01234567.01234568.%'" in writes[1]
    base = world.division_a.path
    rows = OrgUnit.objects.filter(pk__in=[BIG + 1, 20_000_001]).values_list(
        "pk", "path", "depth", "agency_id"
    )
    assert sorted(rows) == [
        (BIG + 1, f"{base}01234568.", 2, world.agency_a.pk),
        (20_000_001, f"{base}01234568.20000001.", 3, world.agency_a.pk),
    ]
    big.refresh_from_db()
    assert (big.path, big.depth, big.agency_id) == ("01234567.", 0, BIG)


def test_a_moved_unit_that_becomes_an_agency_heads_its_subtree(world, national):
    big, division, section, small = national
    services.unit_update(
        actor=world.users["bkd"],
        scope=scope_for(world.users["bkd"]),
        unit=division,
        data={"parent": None},
    )
    rows = OrgUnit.objects.filter(pk__in=[BIG + 1, 20_000_001]).values_list(
        "path", "depth", "agency_id"
    )
    assert sorted(rows) == [
        ("01234568.", 0, BIG + 1),
        ("01234568.20000001.", 1, BIG + 1),
    ]


def test_the_tree_cannot_grow_deeper_than_its_paths_hold(world):
    unit = world.agency_b
    for level in range(1, paths.MAX_DEPTH):
        unit = OrgUnitFactory(
            instansi=world.instansi, parent=unit, code=f"D{level}", kind=UnitKind.SECTION
        )
    assert unit.depth == paths.MAX_DEPTH - 1 == 27
    assert len(unit.path) <= OrgUnit._meta.get_field("path").max_length
    with pytest.raises(ValidationError):
        OrgUnitFactory(instansi=world.instansi, parent=unit, code="TOO-DEEP")
    # Moving a two-level subtree under a unit at depth 26 would put its leaf at depth 28.
    with pytest.raises(ValidationError):
        services.unit_update(
            actor=world.users["bkd"],
            scope=scope_for(world.users["bkd"]),
            unit=world.agency_a,
            data={"parent": unit.parent},
        )


def test_audit_events_sealed_with_six_digit_paths_stay_in_scope(world):
    # An event written before the paths widened holds the unit's six-digit path; events are
    # sealed and never rewritten, so the scoped read matches the former format too.
    unit = world.division_a
    unit.path = paths.legacy(world.division_a.path)
    assert unit.path == f"{world.agency_a.pk:06d}.{world.division_a.pk:06d}."
    record(actor=None, action="unit.update", target=unit)
    old = AuditEvent.objects.get(action="unit.update")
    assert old.unit_path == unit.path
    unit.refresh_from_db()
    record(actor=None, action="unit.touch", target=unit)

    on_agency = _grant(world, world.agency_a, Action.VIEW_AUDIT)
    assert set(AuditEvent.objects.within(on_agency).values_list("action", flat=True)) == {
        "unit.update",
        "unit.touch",
    }
    elsewhere = _grant(world, world.agency_b, Action.VIEW_AUDIT)
    assert not AuditEvent.objects.within(elsewhere).exists()
    assert paths.legacy(paths.child("", BIG)) is None  # no six-digit path held such an id


# Going back to 0004 unapplies every later migration of every app and applies them again (20 s):
# the migration is plain Python through the ORM, so it runs on SQLite only.
@pytest.mark.skipif(connection.vendor != "sqlite", reason="ORM-only migration: checked on SQLite")
@pytest.mark.django_db(transaction=True)
def test_the_migration_widens_every_unit_path_and_narrows_it_back():
    # The grades branch (0004/0005_grades...) stays applied on both sides: it runs beside this one.
    grades = ("organisations", "0005_grades_kinds_sort_keys")
    before, after = (
        [("organisations", "0004_effective_dated"), grades],
        [("organisations", "0005_wide_unit_paths"), grades],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Region = old.get_model("organisations", "Region")
    Instansi = old.get_model("organisations", "Instansi")
    Unit = old.get_model("organisations", "OrgUnit")
    region = Region.objects.create(code="35", name="Jawa Timur", level="province")
    instansi = Instansi.objects.create(code="jatim", name="Jatim", kind="province", region=region)
    top = Unit.objects.create(
        pk=12, instansi=instansi, code="A", name="A", kind="dinas", path="000012.",
        valid_from="2020-01-01",
    )  # fmt: skip
    Unit.objects.create(
        pk=345, instansi=instansi, code="B", name="B", kind="division", parent=top,
        agency=top, depth=1, path="000012.000345.", valid_from="2020-01-01",
    )  # fmt: skip

    executor.loader.build_graph()
    executor.migrate(after)
    widened = dict(OrgUnit.objects.values_list("pk", "path"))
    assert widened == {12: "00000012.", 345: "00000012.00000345."}

    executor.loader.build_graph()
    executor.migrate(before)
    narrowed = executor.loader.project_state(before).apps.get_model("organisations", "OrgUnit")
    assert dict(narrowed.objects.values_list("pk", "path")) == {
        12: "000012.",
        345: "000012.000345.",
    }
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
