"""Realisations through a workbook: the import keyed by indicator code, year and sub-period,
and the export that imports again unchanged."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.imports.engine import import_run
from kinerja.imports.readers import read_table
from kinerja.performance.models import Realisation
from kinerja.performance.realisation_io import RealisationImporter
from kinerja.performance.services import realisations as rs

from .realisation_fixtures import rl_fixture  # noqa: F401 - the rl fixture

HEADERS = ["Kode Indikator", "Tahun", "Subperiode", "Realisasi", "Catatan"]


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
        importer=RealisationImporter,
        table=read_table(stream, "realisasi.xlsx"),
        dry_run=dry_run,
    )


@pytest.fixture
def admin(rl):
    return rl.world.users["opd_admin"]  # agency A's administrator: import and manage_plans


def test_the_import_enters_and_changes_by_code_year_and_sub_period(rl, admin):
    outcome = _run(admin, _book([["dik-01", 2023, 1, 80, "TW I"], ["DIK-01", 2023, 2, "82.5", ""]]))
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 2, "updated": 0, "unchanged": 0}
    values = dict(Realisation.objects.values_list("sub_period__number", "value"))
    assert values == {1: 80, 2: 82.5}
    assert Realisation.objects.get(sub_period__number=1).note == "TW I"
    outcome = _run(admin, _book([["DIK-01", 2023, 2, 83, ""]]))
    assert outcome.counts == {"created": 0, "updated": 1, "unchanged": 0}
    assert AuditEvent.objects.filter(action="realisation.create").count() == 2
    assert AuditEvent.objects.filter(action="realisation.update").count() == 1


def test_bad_rows_are_reported_and_nothing_is_written(rl, admin):
    outcome = _run(
        admin,
        _book(
            [
                ["DIK-01", 2023, 1, -4, ""],  # percent: no negative
                ["XXX-9", 2023, 1, 1, ""],
                ["DIK-01", 2023, 9, 1, ""],
                ["KES-01", 2023, 1, 1, ""],  # agency B's: out of the administrator's reach
            ]
        ),
    )
    assert not outcome.valid
    assert [(e.row, e.column) for e in outcome.errors] == [
        (2, "value"),
        (3, "indicator_code"),
        (4, "sub_period"),
        (5, "indicator_code"),
    ]
    assert not Realisation.objects.exists()


def test_the_export_imports_again_unchanged(rl, admin, client):
    holder = rl.holder_user
    realisation = rs.realisation_create(
        actor=holder,
        scope=scope_for(holder),
        target=rl.t_a,
        sub_period=rl.q1,
        data={"value": "80.25", "note": "=SUM(A1)", "supporting_factors": "Dana BOS"},
    )
    rs.realisation_submit(actor=holder, scope=scope_for(holder), realisation=realisation, version=1)
    client.force_login(admin)
    response = client.get("/plans/realisations/export/?year=2023")
    assert response.status_code == 200
    body = io.BytesIO(response.content)
    sheet = openpyxl.load_workbook(body).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kode Indikator", "Tahun", "Subperiode", "Realisasi")
    assert rows[1][:4] == ("DIK-01", 2023, 1, "80.25")
    body.seek(0)
    outcome = _run(admin, body)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 1}
    # Only the summary event of the import: the submitted realisation is untouched.
    realisation.refresh_from_db()
    assert (realisation.status, realisation.version) == ("submitted", 2)
