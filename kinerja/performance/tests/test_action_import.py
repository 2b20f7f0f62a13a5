"""The action-plan workbook: an export imports again unchanged; an edited file adds and
changes actions through the services, and never clears what it does not mention."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.accounts.scope import scope_for
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.performance.action_excel import export_action_plan
from kinerja.performance.importers import ActionPlanImporter
from kinerja.performance.models import Action, ActionSchedule

from . import test_actions as base

ap = base.ap  # the fixtures
_english = base._english


def _run(world, content: bytes, dry_run=False):
    user = world.users["opd_admin"]
    table = read_table(io.BytesIO(content), "rencana-aksi.xlsx")
    return import_run(
        actor=user, scope=scope_for(user), importer=ActionPlanImporter, table=table, dry_run=dry_run
    )


def _book(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def planned(ap):
    top = base.add(ap, schedule=base.QUARTERS, budget="1000000", program_code="1.01.02")
    base.add(ap, code="1.1", parent=top, text="Rapat koordinasi")
    return ap


def test_an_export_imports_again_unchanged(planned, world):
    content = export_action_plan(planned.agreement)
    outcome = _run(world, content)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 2}
    assert set(Action.objects.values_list("version", flat=True)) == {1}


def test_an_edited_file_adds_and_changes_and_keeps_the_rest(planned, world):
    agreement = planned.agreement
    header = ["ID PK", "Kode Indikator", "Kode Aksi", "Kode Aksi Induk", "Rencana Aksi",
              "Kode Unit Penanggung Jawab", "Bobot 1", "Bobot 2"]  # fmt: skip
    rows = [
        header,
        # The top action: only quarters 1 and 2 are in the file; 3 and 4 stay.
        [agreement.pk, "DIK-01", "1", "", "Sosialisasi PPDB", "DIKBUD-SMA", 30, 35],
        [agreement.pk, "DIK-01", "2", "", "Aksi baru", "DIKBUD-SMA", 50, 50],
    ]
    bad = _run(world, _book([header, [*rows[1][:6], 30, 34]]))
    assert not bad.valid and "sum to 99" in bad.errors[0].message
    outcome = _run(world, _book(rows))
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 0}
    top = Action.objects.get(code="1")
    weights = dict(
        ActionSchedule.objects.filter(action=top).values_list("sub_period__number", "weight")
    )
    assert weights == {1: D(30), 2: D(35), 3: D(25), 4: D(10)}
    assert top.budget == D(1000000) and top.program_code == "1.01.02"  # not in the file: kept
    assert Action.objects.filter(code="1.1", parent=top).exists()  # not in the file: kept
    assert Action.objects.get(code="2").schedule.count() == 2
