"""The impact report's page, workbook, PDF and API: who may read them, what an agency head
sees, the provisional mark, the same numbers in the page and the workbook, and formula text
kept as text."""

import io
import sys
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from kinerja.training.tests.factories import EventFactory, ParticipantFactory

from .impact_fixtures import full_year, refreshment, three_quarters

pytestmark = pytest.mark.django_db


@pytest.fixture
def k(world, monkeypatch):
    monkeypatch.setitem(sys.modules, "kinerja.training.selectors_feedback", None)
    monkeypatch.setitem(sys.modules, "kinerja.training.selectors_action_plans", None)
    k = refreshment(world)
    k.other = ParticipantFactory(event=k.event, employee=world.staff_b)  # Rina, agency B
    return k


def _get(client, world, role, name, pk, **extra):
    client.force_login(world.users[role])
    return client.get(reverse(name, args=[pk]), **extra)


def test_the_organiser_and_leadership_read_every_row(k, world, client):
    full_year(k)
    for role in ("bpsdm", "leadership", "bkd", "bappeda", "system_admin"):
        response = _get(client, world, role, "training:event_impact", k.event.pk)
        assert response.status_code == 200, role
        body = response.content.decode()
        assert "Budi Santoso" in body and "Rina Wulandari" in body, role
        assert 'data-testid="provisional"' not in body


def test_an_agency_head_reads_the_agency_rows_only(k, world, client):
    three_quarters(k)
    for role in ("opd_head", "opd_admin"):
        response = _get(client, world, role, "training:event_impact", k.event.pk)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Budi Santoso" in body and "Rina Wulandari" not in body, role
        assert 'data-testid="provisional"' in body  # Q3 only: provisional
        assert "vendor/echarts-5.6.0/echarts.min.js" in body
        assert 'id="impact-charts"' in body and 'id="chart-results"' in body


def test_who_may_not_read_gets_403_and_another_instansi_event_404(k, world, client):
    for role in ("employee", "evaluator", "inspektorat"):
        assert _get(client, world, role, "training:event_impact", k.event.pk).status_code == 403
    other = EventFactory(instansi=world.other_instansi, organiser_unit=world.agency_x)
    assert _get(client, world, "bpsdm", "training:event_impact", other.pk).status_code == 404
    planned = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, status="planned")
    assert _get(client, world, "opd_head", "training:event_impact", planned.pk).status_code == 404
    assert _get(client, world, "bpsdm", "training:event_impact", planned.pk).status_code == 200


def test_the_api_gives_the_report_with_the_same_scoping(k, world, client):
    full_year(k)
    response = _get(
        client,
        world,
        "opd_head",
        "api:training-event-impact",
        k.event.pk,
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert [r["name"] for r in data["results"]["rows"]] == ["Budi Santoso"]
    assert data["results"]["vs_unlinked"] == {"mean": "10.00", "n": 1}
    assert data["results"]["vs_trend"] == {"mean": "13.00", "n": 1}
    assert data["provisional"] is False
    assert data["reaction"] == {"available": False}
    organiser = _get(client, world, "bpsdm", "api:training-event-impact", k.event.pk).json()
    assert {r["name"] for r in organiser["results"]["rows"]} == {"Budi Santoso", "Rina Wulandari"}
    assert (
        _get(client, world, "employee", "api:training-event-impact", k.event.pk).status_code == 403
    )


def _sheet_rows(body: bytes, title: str) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(body))
    return list(book[title].iter_rows(values_only=True))


def test_the_workbook_has_a_sheet_per_level_with_the_page_numbers(k, world, client):
    three_quarters(k)
    page = _get(client, world, "bpsdm", "training:event_impact", k.event.pk)
    levels = {level["key"]: level for level in page.context["levels"]}
    response = _get(client, world, "bpsdm", "training:event_impact_xlsx", k.event.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Reaksi", "Pembelajaran", "Perilaku", "Hasil"]
    rows = _sheet_rows(response.content, "Hasil")
    assert rows[1][0].startswith("SEMENTARA")  # provisional, under the title
    # Every row of the page's results tables is in the sheet, number for number.
    for table in levels["results"]["tables"]:
        for row in table["rows"]:
            expected = tuple(float(v) if isinstance(v, D) else (v or None) for v in row)
            found = [tuple(r[: len(row)]) for r in rows]
            assert expected in found, expected
    budi = next(r for r in rows if r[0] == "Budi Santoso")
    assert budi[3:6] == (102, 92, 10)  # linked, unlinked, linked - unlinked (Q3)
    assert "Rina Wulandari" in {r[0] for r in rows}
    # An agency head's workbook names the agency's own participant only.
    head = _get(client, world, "opd_head", "training:event_impact_xlsx", k.event.pk)
    names = {r[0] for r in _sheet_rows(head.content, "Hasil")}
    assert "Budi Santoso" in names and "Rina Wulandari" not in names


def test_text_that_looks_like_a_formula_stays_text(k, world, client):
    world.head_a.name = '=HYPERLINK("http://x","klik")'
    world.head_a.save()
    response = _get(client, world, "bpsdm", "training:event_impact_xlsx", k.event.pk)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Hasil"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == world.head_a.name]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_pdf_is_produced_and_marked_provisional(k, world, client):
    three_quarters(k)
    response = _get(client, world, "bpsdm", "training:event_impact_pdf", k.event.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        _get(client, world, "employee", "training:event_impact_pdf", k.event.pk).status_code == 403
    )


def test_the_list_names_the_events_with_a_report_and_the_menu_links_it(k, world, client):
    planned = EventFactory(
        instansi=world.instansi, organiser_unit=world.agency_a, status="planned", title="Rencana"
    )
    EventFactory(instansi=world.other_instansi, organiser_unit=world.agency_x, title="Kota lain")
    client.force_login(world.users["opd_head"])
    body = client.get(reverse("training:impact_list")).content.decode()
    assert reverse("training:event_impact", args=[k.event.pk]) in body
    assert "Kota lain" not in body
    client.force_login(world.users["bpsdm"])
    body = client.get(reverse("training:impact_list")).content.decode()
    assert reverse("training:event_impact", args=[planned.pk]) not in body  # nothing to report
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("training:impact_list") in home
    client.force_login(world.users["employee"])
    assert client.get(reverse("training:impact_list")).status_code == 403
    assert reverse("training:impact_list") not in client.get(reverse("core:home")).content.decode()
