"""The reports' rows of the permission matrix (pages, downloads, API): an agency's yearly
performance report (LKjIP), the province summary and the open-data export.

Readers: whoever reads planning somewhere (the instansi-wide roles, agency A's head and
administrator, the evaluator); the employee role 403. An agency's report: whoever reads its
plans (A's head and administrator for A, the instansi-wide roles for both); another agency's
answers 404 to A's head and administrator, the other instansi's to everyone. The province
summary and the open data show each reader what their reach holds: agency B's indicator
("I-b") and its name only to the instansi-wide roles."""

from __future__ import annotations

import csv
import io

import openpyxl

from tests.matrix_base import WIDE, Row

HEADS = {"opd_head", "opd_admin"}
READERS = WIDE | HEADS | {"evaluator"}
ON_AGENCY = {"a": WIDE | HEADS, "b": WIDE, "x": set()}
B_NAME = "Dinas Kesehatan"
B_INDICATOR = "I-b"


def extend(world, objects) -> None:
    agencies = {"a": world.agency_a, "b": world.agency_b, "x": world.agency_x}
    for target, objs in objects.items():
        objs["report_agency"] = agencies.get(target, world.agency_a).pk


def _pdf(response, client, objs, role):
    assert response.content.startswith(b"%PDF"), role


def _workbook(response, client, objs, role):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert (B_NAME in cells) == (role in WIDE), role


def _page_names(response, client, objs, role):
    assert (B_NAME in response.content.decode()) == (role in WIDE), role


def _api_names(response, client, objs, role):
    names = {a["name"] for a in response.json()["agencies"]}
    assert (B_NAME in names) == (role in WIDE), role


def _csv_codes(response, client, objs, role):
    # The matrix has read the streamed body already: read the file again.
    again = client.get(response.request["PATH_INFO"])
    body = b"".join(again.streaming_content).decode("utf-8-sig")
    codes = {r["indicator_code"] for r in csv.DictReader(io.StringIO(body))}
    assert (B_INDICATOR in codes) == (role in WIDE), role


def _json_codes(response, client, objs, role):
    data = response.json()
    assert data["metadata"]["fields"], role
    codes = {r["indicator_code"] for r in data["data"]}
    assert (B_INDICATOR in codes) == (role in WIDE), role


def _lkjip_api(response, client, objs, role):
    assert response.json()["agency"]["id"] == objs["report_agency"], role


ROWS = [
    Row("analytics:report_list", "get", {"-": READERS}, training=True, verify=_page_names),
    Row(
        "analytics:report_lkjip",
        "get",
        ON_AGENCY,
        kwargs={"pk": "report_agency"},
        training=True,
        planning=True,
    ),
    Row(
        "analytics:report_lkjip_pdf",
        "get",
        ON_AGENCY,
        kwargs={"pk": "report_agency"},
        training=True,
        planning=True,
        verify=_pdf,
    ),
    Row(
        "analytics:report_lkjip_xlsx",
        "get",
        ON_AGENCY,
        kwargs={"pk": "report_agency"},
        training=True,
        planning=True,
    ),
    Row("analytics:report_province", "get", {"-": READERS}, training=True, verify=_page_names),
    Row("analytics:report_province_pdf", "get", {"-": READERS}, training=True, verify=_pdf),
    Row(
        "analytics:report_province_xlsx",
        "get",
        {"-": READERS},
        training=True,
        verify=_workbook,
    ),
    Row(
        "analytics:report_open_data_csv",
        "get",
        {"-": READERS},
        training=True,
        planning=True,
        verify=_csv_codes,
    ),
    Row(
        "analytics:report_open_data_json",
        "get",
        {"-": READERS},
        training=True,
        planning=True,
        verify=_json_codes,
    ),
    Row(
        "api:reports-agency-lkjip",
        "get",
        ON_AGENCY,
        api=True,
        kwargs={"pk": "report_agency"},
        training=True,
        planning=True,
        verify=_lkjip_api,
    ),
    Row("api:reports-province", "get", {"-": READERS}, api=True, training=True, verify=_api_names),
    Row(
        "api:open-data-indicators-json",
        "get",
        {"-": READERS},
        api=True,
        training=True,
        planning=True,
        verify=_json_codes,
    ),
    Row(
        "api:open-data-indicators-csv",
        "get",
        {"-": READERS},
        api=True,
        training=True,
        planning=True,
        verify=_csv_codes,
    ),
]
