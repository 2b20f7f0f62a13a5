"""The dashboards' rows of the permission matrix (pages, the Excel export of each table, the
API). The province: the instansi-wide readers of planning. An agency or a unit: whoever holds
``view_planning`` on it through a unit grant (agency A's head and administrator for A, the
instansi-wide readers for both); another agency's answers 404 to A's head and administrator,
the other instansi's to everyone; a role with no unit grant (evaluator, employee) 403. "My
dashboard": the accounts linked to an employee record. ``extend`` names each target's agency,
unit and a table of each dashboard."""

from __future__ import annotations

import io

import openpyxl

from tests.matrix_base import WIDE, WITH_RECORD, Row

HEADS = {"opd_head", "opd_admin"}
ON_UNITS = {"a": WIDE | HEADS, "b": WIDE, "x": set()}


def extend(world, objects) -> None:
    units = {
        "a": (world.agency_a, world.division_a),
        "b": (world.agency_b, world.agency_b),
        "x": (world.agency_x, world.agency_x),
    }
    for target, objs in objects.items():
        agency, unit = units.get(target, units["a"])
        objs.setdefault("dash_agency", agency.pk)
        objs.setdefault("dash_unit", unit.pk)
        objs["dash_key_province"] = "agencies"
        objs["dash_key_agency"] = "plans"
        objs["dash_key_unit"] = "units"
        objs["dash_key_me"] = "my-hours"


def _workbook(response, client, objs, role):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.max_row >= 1, role


def _json(response, client, objs, role):
    data = response.json()
    assert "tables" in data and "headline" in data, role


ROWS = [
    Row("analytics:dashboard_province", "get", {"-": WIDE}, training=True, planning=True),
    Row(
        "analytics:dashboard_province_xlsx",
        "get",
        {"-": WIDE},
        kwargs={"key": "dash_key_province"},
        training=True,
        planning=True,
        verify=_workbook,
    ),
    Row(
        "analytics:dashboard_my_agency",
        "get",
        {"-": WIDE | HEADS},
        ok=(302,),
        training=True,
        planning=True,
    ),
    Row(
        "analytics:dashboard_agency",
        "get",
        ON_UNITS,
        kwargs={"pk": "dash_agency"},
        training=True,
        planning=True,
    ),
    Row(
        "analytics:dashboard_agency_xlsx",
        "get",
        ON_UNITS,
        kwargs={"pk": "dash_agency", "key": "dash_key_agency"},
        training=True,
        planning=True,
        verify=_workbook,
    ),
    Row(
        "analytics:dashboard_unit",
        "get",
        ON_UNITS,
        kwargs={"pk": "dash_unit"},
        training=True,
        planning=True,
    ),
    Row(
        "analytics:dashboard_unit_xlsx",
        "get",
        ON_UNITS,
        kwargs={"pk": "dash_unit", "key": "dash_key_unit"},
        training=True,
        planning=True,
        verify=_workbook,
    ),
    Row("analytics:dashboard_me", "get", {"-": WITH_RECORD}, training=True, planning=True),
    Row(
        "analytics:dashboard_me_xlsx",
        "get",
        {"-": WITH_RECORD},
        kwargs={"key": "dash_key_me"},
        training=True,
        planning=True,
        verify=_workbook,
    ),
    Row(
        "api:dashboards-province",
        "get",
        {"-": WIDE},
        api=True,
        training=True,
        planning=True,
        verify=_json,
    ),
    Row(
        "api:dashboards-agency",
        "get",
        ON_UNITS,
        api=True,
        kwargs={"pk": "dash_agency"},
        training=True,
        planning=True,
        verify=_json,
    ),
    Row(
        "api:dashboards-unit",
        "get",
        ON_UNITS,
        api=True,
        kwargs={"pk": "dash_unit"},
        training=True,
        planning=True,
        verify=_json,
    ),
    Row(
        "api:dashboards-me",
        "get",
        {"-": WITH_RECORD},
        api=True,
        training=True,
        planning=True,
        verify=_json,
    ),
]
