"""The collaboration network on the ``lk`` world: agencies A and B share DIK-01 (A 70 %, B
30 %): one edge of weight 1.00; a strategic project led by A with B adds 1; a shared target of
B and a third agency is out of A's head's reach. The page, the panel, the workbook and the
API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.http import Http404
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.analytics.selectors_network import edge_detail, network
from kinerja.organisations.tests.factories import OrgUnitFactory
from kinerja.performance.models import Collaboration, CollaborationMember, Indicator, Target

from .reports_fixtures import lk_fixture, pk, plan, rl_fixture, scopes  # noqa: F401 - fixtures


@pytest.fixture
def net(lk, world):
    """Agency C (Dinas Sosial) leads a 2023 target shared with B (accepted, 40 %: C keeps 60),
    written straight (the sharing rules are not under test here)."""
    lk.agency_c = OrgUnitFactory(instansi=world.instansi, code="DINSOS", name="Dinas Sosial")
    goal = lk.plan.objective_b
    indicator = Indicator.objects.create(
        instansi=world.instansi, goal=goal, unit=lk.agency_c, code="SOS-01", name="Bansos",
        measure_unit="persen", control_level="outcome",
    )  # fmt: skip
    target = Target.objects.create(
        instansi=world.instansi, indicator=indicator, year=2023, shape="value", value=50
    )
    support = Target.objects.create(
        instansi=world.instansi, indicator=indicator, year=2024, shape="value", value=1
    )
    shared = Collaboration.objects.create(
        instansi=world.instansi,
        target=target,
        lead_unit=lk.agency_c,
        title="Bansos",
        lead_weight=60,
    )
    CollaborationMember.objects.create(
        collaboration=shared, unit=world.agency_b, weight=40, status="accepted",
        supporting_target=support,
    )  # fmt: skip
    return lk


def test_nodes_edges_and_weights(net, world):
    graph = network(scope_for(world.users["bappeda"]), 2023)
    assert {n["code"] for n in graph.nodes} == {"DIKBUD", "DINKES", "DINSOS"}
    edges = {(e.source, e.target): (e.targets, e.projects, e.weight) for e in graph.edges}
    a, b, c = world.agency_a.pk, world.agency_b.pk, net.agency_c.pk
    assert edges == {
        (min(a, b), max(a, b)): (1, 0, D("1.00")),  # 70 + 30
        (min(b, c), max(b, c)): (1, 0, D("1.00")),  # 60 + 40
    }
    # Another year shares nothing.
    assert network(scope_for(world.users["bappeda"]), 2024).edges == []


def test_an_agency_head_sees_every_agency_but_only_the_edges_of_its_agency(net, world):
    scope = scope_for(world.users["opd_head"])
    graph = network(scope, 2023)
    assert len(graph.nodes) == 3  # the names are public facts
    a, b, c = world.agency_a.pk, world.agency_b.pk, net.agency_c.pk
    assert [(e.source, e.target) for e in graph.edges] == [(min(a, b), max(a, b))]
    with pytest.raises(Http404):
        edge_detail(scope, 2023, b, c)
    detail = edge_detail(scope, 2023, a, b)
    [item] = detail["targets"]
    assert (item.title, item.percent) == ("Penurunan anak putus sekolah", D("103.53"))
    assert (detail["share_a"][item.pk], detail["share_b"][item.pk]) == (D("70.00"), D("30.00"))


def test_a_shared_project_adds_to_the_edge(net, world):
    from kinerja.regional.models import DevelopmentArea, Project, ProjectAgency

    area = DevelopmentArea.objects.create(
        instansi=world.instansi, code="gerbangkertosusila", abbreviation="GKS",
        name="Gerbangkertosusila", role="priority",
    )  # fmt: skip
    project = Project.objects.create(
        instansi=world.instansi, code="P-01", name="Sekolah vokasi pelabuhan", area=area,
        category="pendidikan", funding="apbd", lead_agency=world.agency_a, phase="p1",
        status="construction", start_date=dt.date(2023, 3, 1),
    )  # fmt: skip
    ProjectAgency.objects.create(project=project, agency=world.agency_b)
    scope = scope_for(world.users["leadership"])
    a, b = world.agency_a.pk, world.agency_b.pk
    edge = next(e for e in network(scope, 2023).edges if {e.source, e.target} == {a, b})
    assert (edge.targets, edge.projects, edge.weight) == (1, 1, D("2.00"))
    [item] = edge_detail(scope, 2023, a, b)["projects"]
    assert (item.name, item.status) == ("Sekolah vokasi pelabuhan", "construction")


def test_page_panel_workbook_and_api(net, client, world):
    a, b = world.agency_a.pk, world.agency_b.pk
    client.force_login(world.users["opd_head"])
    page = client.get(reverse("analytics:network") + "?year=2023")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="network-data"' in text and "analytics/network.js" in text
    assert text.count('data-testid="edge-row"') == 1
    url = reverse("analytics:network_edge", args=[a, b]) + "?year=2023"
    panel = client.get(url, headers={"HX-Request": "true"})
    assert panel.status_code == 200
    assert b"<html" not in panel.content and b'data-testid="edge-panel"' in panel.content
    assert "103,53" in panel.content.decode()
    full = client.get(url)
    assert b"<html" in full.content
    assert (
        client.get(
            reverse("analytics:network_edge", args=[b, net.agency_c.pk]) + "?year=2023"
        ).status_code
        == 404
    )
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("analytics:network_xlsx") + "?year=2023").content)
    )
    [row] = [r for r in book.active.iter_rows(values_only=True) if r and r[-1] == 1]
    assert {row[1], row[3]} == {"DIKBUD", "DINKES"}
    assert row[4:] == (1, 0, 1, 1)  # one target, no project, one item, weight 1.00
    api = client.get(reverse("api:network") + "?year=2023").json()
    assert [(e["targets"], e["weight"]) for e in api["edges"]] == [(1, "1.00")]
    detail = client.get(reverse("api:network-edge", args=[a, b]) + "?year=2023").json()
    assert detail["items"][0]["percent"] == "103.53"
    assert client.get(reverse("api:network-edge", args=[b, net.agency_c.pk])).status_code == 404
