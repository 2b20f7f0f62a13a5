"""The collaboration network's rows of the permission matrix (pages, the edges' workbook, the
API). Readers: whoever reads planning somewhere; the employee role 403. ``extend`` writes, in
2026 (the matrix's year), a shared target of agency A with agency B (accepted): target "a"'s
edge, which A's head and administrator and the instansi-wide roles open; a shared target of
agency B with a third agency (Dinas Sosial, "NET-C"): target "b"'s edge, 404 to A's head and
administrator; and one in the other instansi: target "x", 404 to everyone. The graph names
Dinas Sosial's edge only to the instansi-wide roles."""

from __future__ import annotations

import io

import openpyxl

from tests.matrix_base import WIDE, Row

HEADS = {"opd_head", "opd_admin"}
READERS = WIDE | HEADS | {"evaluator"}
ON_EDGE = {"a": WIDE | HEADS, "b": WIDE, "x": set()}
THIRD = "Dinas Sosial Uji Jejaring"


def _share(instansi, lead, member, key):
    """A 2026 target of ``lead`` shared with ``member`` (accepted, 40 %), written straight."""
    from kinerja.performance.models import (
        Collaboration,
        CollaborationMember,
        Goal,
        Indicator,
        Target,
    )

    def target_of(unit, code):
        goal = Goal.objects.create(
            instansi=instansi, level="agency_objective", code=f"NET-G-{code}", name="N", unit=unit
        )
        indicator = Indicator.objects.create(
            instansi=instansi,
            goal=goal,
            unit=unit,
            code=f"NET-I-{code}",
            name="N",
            measure_unit="persen",
            control_level="outcome",
        )
        return Target.objects.create(
            instansi=instansi, indicator=indicator, year=2026, shape="value", value=100
        )

    shared = Collaboration.objects.create(
        instansi=instansi,
        target=target_of(lead, f"{key}1"),
        lead_unit=lead,
        title=f"Jejaring {key}",
        lead_weight=60,
    )
    CollaborationMember.objects.create(
        collaboration=shared,
        unit=member,
        weight=40,
        status="accepted",
        supporting_target=target_of(member, f"{key}2"),
    )


def extend(world, objects) -> None:
    from kinerja.organisations.tests.factories import OrgUnitFactory

    third = OrgUnitFactory(instansi=world.instansi, code="NET-C", name=THIRD)
    third_x = OrgUnitFactory(instansi=world.other_instansi, code="NET-X", name="Dinsos Malang")
    _share(world.instansi, world.agency_a, world.agency_b, "a")
    _share(world.instansi, world.agency_b, third, "b")
    _share(world.other_instansi, world.agency_x, third_x, "x")
    edges = {
        "a": (world.agency_a, world.agency_b),
        "b": (world.agency_b, third),
        "x": (world.agency_x, third_x),
    }
    for target, objs in objects.items():
        one, two = edges.get(target, edges["a"])
        objs["edge_one"], objs["edge_two"] = one.pk, two.pk


def _page(response, client, objs, role):
    body = response.content.decode()
    assert 'id="network-data"' in body, role
    # The edge B - Dinas Sosial is shown (in the table) only to the instansi-wide roles.
    assert (f"Dinas Kesehatan \u2013 {THIRD}" in body) == (role in WIDE), role


def _workbook(response, client, objs, role):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {c for row in book.active.iter_rows(values_only=True) for c in row}
    assert (THIRD in cells) == (role in WIDE), role


def _api(response, client, objs, role):
    data = response.json()
    assert len(data["edges"]) == (2 if role in WIDE else 1 if role in HEADS else 0), role


def _edge_api(response, client, objs, role):
    assert response.json()["targets"] == 1, role


EDGE = {"a": "edge_one", "b": "edge_two"}

ROWS = [
    Row("analytics:network", "get", {"-": READERS}, training=True, verify=_page),
    Row("analytics:network_xlsx", "get", {"-": READERS}, training=True, verify=_workbook),
    Row("analytics:network_edge", "get", ON_EDGE, kwargs=EDGE, training=True),
    Row("api:network", "get", {"-": READERS}, api=True, training=True, verify=_api),
    Row(
        "api:network-edge",
        "get",
        ON_EDGE,
        api=True,
        kwargs=EDGE,
        training=True,
        verify=_edge_api,
    ),
]
