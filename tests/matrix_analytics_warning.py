"""The early warning's rows: the at-risk list and its export (every signed-in user: the plans
in reach, or the caller's own plan), the staff plans' list and export (whoever reads plans
somewhere), one target's projection (as the target's own pages: agency A's target for its
head and administrator and the instansi-wide readers, agency B's for the wide readers, the other
instansi's for nobody), and the same three through the API. The lists never show another
agency's targets to an agency's head or administrator (checked in the workbook and the API)."""

from __future__ import annotations

import io

import openpyxl

from tests.matrix_base import SIGNED_IN, WIDE, Row

PLAN_READERS = SIGNED_IN - {"employee"}  # a grant with view_planning somewhere
ON_TARGET = {"a": WIDE | {"opd_head", "opd_admin"}, "b": WIDE, "x": set()}
AGENCY_A = {"opd_head", "opd_admin"}


def _codes_in_reach(codes, role):
    assert not any(code.endswith("-x") for code in codes), (role, codes)
    if role in AGENCY_A:
        assert not any(code.endswith("-b") for code in codes), (role, codes)


def _workbook(response, client, objs, role):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Status", rows[0]
    _codes_in_reach([str(r[2]) for r in rows[1:]], role)


def _api_rows(response, client, objs, role):
    _codes_in_reach([r["indicator_code"] for r in response.json()["results"]], role)


def _api_target(response, client, objs, role):
    assert response.json()["target"] == objs["target"], role


ROWS = [
    Row("analytics:warning_list", "get", {"-": SIGNED_IN}, training=True, planning=True),
    Row(
        "analytics:warning_export",
        "get",
        {"-": SIGNED_IN},
        training=True,
        planning=True,
        verify=_workbook,
    ),
    Row("analytics:warning_staff", "get", {"-": PLAN_READERS}, training=True, planning=True),
    Row(
        "analytics:warning_staff_export",
        "get",
        {"-": PLAN_READERS},
        training=True,
        planning=True,
        xlsx=True,
    ),
    Row(
        "analytics:warning_target",
        "get",
        ON_TARGET,
        kwargs={"pk": "target"},
        training=True,
        planning=True,
    ),
    Row(
        "api:analytics-warning-list",
        "get",
        {"-": SIGNED_IN},
        api=True,
        training=True,
        planning=True,
        verify=_api_rows,
    ),
    Row(
        "api:analytics-warning-staff",
        "get",
        {"-": PLAN_READERS},
        api=True,
        training=True,
        planning=True,
    ),
    Row(
        "api:analytics-warning-target",
        "get",
        ON_TARGET,
        api=True,
        kwargs={"pk": "target"},
        training=True,
        planning=True,
        verify=_api_target,
    ),
]


def extend(world, objects) -> None:
    """Scan the year's targets, so the staff lists hold flags: staff_b's (LEAK_MARK) plan
    target shows to the instansi-wide readers only."""
    from kinerja.analytics.selectors_warning import scan

    scan(world.instansi.pk, 2026)
