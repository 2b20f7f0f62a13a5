"""The cascade health report's rows: the overview and its workbook, an agency's findings and
their workbook, and the API. Readers: Bappeda, leadership, the inspectorate and the system
administrator (every agency and the province's own plan); a head of agency and an agency
administrator (their own agency: agency A in the fixture). Anyone else 403; agency B's page
404 for agency A's readers; another instansi's agency 404 for everyone.

The planning objects (``planning_objects``) give each agency a draft plan of its employee
whose result serves nothing: agency B's names Rina Wulandari (LEAK_MARK), so her name shows
on agency B's findings and never on agency A's."""

from __future__ import annotations

import io
import re

import openpyxl

from tests.matrix_base import LEAK_MARK, Row

WIDE_READERS = {"system_admin", "leadership", "bappeda", "inspektorat"}
READERS = WIDE_READERS | {"opd_head", "opd_admin"}
ON_AGENCY = {"a": READERS, "b": WIDE_READERS, "x": set()}


def extend(world, objects) -> None:
    ids = {"a": world.agency_a.pk, "b": world.agency_b.pk, "x": world.agency_x.pk}
    for key, objs in objects.items():
        objs["health_agency"] = ids.get(key, world.agency_a.pk)
        objs["health_b"] = world.agency_b.pk
        objs["health_names_rina"] = key == "b"


def _overview(response, client, objs, role):
    rows = {int(pk) for pk in re.findall(r'data-agency="(\d+)"', response.content.decode())}
    assert (objs["health_b"] in rows) == (role in WIDE_READERS), role
    assert (0 in rows) == (role in WIDE_READERS), role  # the province's own plan


def _overview_book(response, client, objs, role):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ("Dinas Kesehatan" in names) == (role in WIDE_READERS), role
    assert "Dinas Pendidikan" in names


def _agency(response, client, objs, role):
    assert (LEAK_MARK in response.content.decode()) == objs["health_names_rina"], role


def _agency_book(response, client, objs, role):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert (LEAK_MARK in text) == objs["health_names_rina"], role


def _api_summary(response, client, objs, role):
    ids = {a["id"] for a in response.json()["agencies"]}
    assert (objs["health_b"] in ids) == (role in WIDE_READERS), role


def _api_agency(response, client, objs, role):
    labels = " ".join(f["label"] for f in response.json()["results"])
    assert response.json()["agency"]["id"] == objs["health_agency"]
    assert (LEAK_MARK in labels) == objs["health_names_rina"], role


ROWS = [
    Row("analytics:health_overview", "get", {"-": READERS}, training=True, verify=_overview),
    Row(
        "analytics:health_overview_export",
        "get",
        {"-": READERS},
        training=True,
        verify=_overview_book,
    ),
    Row(
        "analytics:health_agency",
        "get",
        ON_AGENCY,
        kwargs={"pk": "health_agency"},
        training=True,
        verify=_agency,
    ),
    Row(
        "analytics:health_agency_export",
        "get",
        ON_AGENCY,
        kwargs={"pk": "health_agency"},
        training=True,
        verify=_agency_book,
    ),
    Row("api:cascade-health", "get", {"-": READERS}, api=True, training=True, verify=_api_summary),
    Row(
        "api:cascade-health-agency",
        "get",
        ON_AGENCY,
        api=True,
        kwargs={"pk": "health_agency"},
        training=True,
        verify=_api_agency,
    ),
]
