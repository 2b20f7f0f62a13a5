"""The province dashboard's contract: one dict per area in official order, and the
province's totals, in a fixed number of queries whatever the number of projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.regional import services
from kinerja.regional.selectors import area_summaries, province_project_totals

from .conftest import project_data

pytestmark = pytest.mark.django_db


def test_area_summaries(world, regional):
    rows = area_summaries(instansi_id=world.instansi.pk, on=dt.date(2024, 1, 1))
    gks, mdr = rows
    assert gks["area"] == regional.gks and gks["role"] == "priority"
    assert (gks["projects"], gks["published_projects"]) == (2, 77)
    assert gks["investment_rp"] == Decimal(13_100_000_000_000)
    assert gks["by_status"] == {
        "planning": 1,
        "preparation": 0,
        "construction": 1,
        "partly_operating": 0,
        "finished": 0,
    }
    assert gks["late_milestones"] == 1  # planned 10 January 2022, not reached
    assert (
        area_summaries(instansi_id=world.instansi.pk, on=dt.date(2022, 1, 10))[0]["late_milestones"]
        == 0
    )
    assert mdr["investment_rp"] == Decimal(3_000_000_000_000)  # the unknown one counts nothing
    assert area_summaries(instansi_id=world.other_instansi.pk) == []


def test_province_totals(world, regional):
    totals = province_project_totals(instansi_id=world.instansi.pk)
    assert totals["projects"] == 4
    assert totals["investment_rp"] == Decimal(16_100_000_000_000)
    assert totals["by_phase"] == {"p1": 2, "p2": 2}
    assert totals["by_funding"]["kpbu"] == 1 and totals["by_funding"]["apbd"] == 0
    assert sum(totals["by_status"].values()) == 4


def test_a_fixed_number_of_queries(world, regional, bappeda_scope):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            area_summaries(instansi_id=world.instansi.pk)
            province_project_totals(instansi_id=world.instansi.pk)
        return len(ctx.captured_queries)

    before = count()
    for n in range(3, 13):
        services.project_create(
            actor=None,
            scope=bappeda_scope,
            data=project_data(regional.mdr, world.agency_b, code=f"MDR-{n:03d}", phase="p2"),
        )
    assert count() == before == 6
