"""The impact report's rows: the page, its workbook and PDF, and the API. Readers: the
organiser (BPSDM, the system administrator), leadership, BKD, Bappeda and the agencies that
nominate (head of agency, agency administrator); the event of another instansi is out of
reach (404). The rows naming a participant follow the reader's reach: agency B's enrolled
employee (LEAK_MARK) shows to the instansi-wide readers only, never to agency A's head or
administrator, on the page and in every sheet of the workbook."""

from __future__ import annotations

import io

import openpyxl

from tests.matrix_base import LEAK_MARK, SEE_B, Row

READERS = {"system_admin", "bpsdm", "leadership", "bkd", "bappeda", "opd_head", "opd_admin"}
ON_EVENT = {"a": READERS, "x": set()}


def _workbook_names(response, client, objs, role):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert book.sheetnames[-1] in {"Hasil", "Results"}, book.sheetnames
    assert (LEAK_MARK in cells) == (role in SEE_B), role


def _pdf(response, client, objs, role):
    assert response.content.startswith(b"%PDF"), role


def _api_names(response, client, objs, role):
    names = {r["name"] for r in response.json()["results"]["rows"]}
    assert (LEAK_MARK in names) == (role in SEE_B), role


ROWS = [
    Row("training:impact_list", "get", {"-": READERS}, training=True),
    Row(
        "training:event_impact",
        "get",
        ON_EVENT,
        kwargs={"pk": "event"},
        training=True,
        leak_check=True,
    ),
    Row(
        "training:event_impact_xlsx",
        "get",
        ON_EVENT,
        kwargs={"pk": "event"},
        training=True,
        verify=_workbook_names,
    ),
    Row(
        "training:event_impact_pdf",
        "get",
        ON_EVENT,
        kwargs={"pk": "event"},
        training=True,
        verify=_pdf,
    ),
    Row(
        "api:training-event-impact",
        "get",
        ON_EVENT,
        api=True,
        kwargs={"pk": "event"},
        training=True,
        verify=_api_names,
    ),
]
