"""A unit's figures never pass a viewer's share off as the whole unit.

Bidang SMA (division of Dinas Pendidikan) gets a head (Hadi, Kepala Bidang SMA), three sections
with two people each, and one more analyst beside Siti: 9 active people in its subtree (Hadi,
Siti, Joko, 6 in the sections) and 1 inactive one (Lina, never counted). With Budi, the head of
the agency, Dinas Pendidikan has 10.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import ROLE_ACTIONS, Role
from kinerja.core.scope import Action
from kinerja.organisations.choices import PositionKind, UnitKind

from .factories import EmployeeFactory, OrgUnitFactory, PositionFactory


@pytest.fixture
def bidang(world):
    division = world.division_a
    head_pos = PositionFactory(
        unit=division,
        code="DIKBUD-SMA-KABID",
        title="Kepala Bidang SMA",
        kind=PositionKind.ADMINISTRATOR,
        is_head=True,
    )
    world.kabid = EmployeeFactory(unit=division, position=head_pos, name="Hadi Purnomo")
    world.joko = EmployeeFactory(unit=division, position=world.staff_pos_a, name="Joko Widodo")
    EmployeeFactory(unit=division, name="Lina Marlina", is_active=False)
    world.sections = []
    for code, name in [
        ("KUR", "Seksi Kurikulum"),
        ("SIS", "Seksi Kesiswaan"),
        ("SAR", "Seksi Sarpras"),
    ]:
        section = OrgUnitFactory(
            instansi=world.instansi,
            parent=division,
            code=f"DIKBUD-SMA-{code}",
            name=name,
            kind=UnitKind.SECTION,
        )
        EmployeeFactory.create_batch(2, unit=section)
        world.sections.append(section)
    return world


def page(client, name, *args, lang="en"):
    """GET a page in ``lang`` (pages follow the language cookie, not the browser's header)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response, response.content.decode()


def test_an_employee_sees_her_division_as_a_share_of_the_whole(bidang, login):
    response, body = page(
        login(bidang.users["employee"]), "organisations:unit_detail", bidang.division_a.pk
    )

    assert response.context["headcount"] == 1  # herself
    assert response.context["headcount_total"] == 9
    assert 'data-testid="headcount">9<' in body
    assert "1 of them within your access: the figures below count only those." in body
    # Sub-units: none listed, but the page says there are three.
    assert response.context["sub_units"] == []
    assert "This unit has 3 sub-units; none is within your access." in body
    assert "Seksi Kurikulum" not in body
    # The head post is filled; who holds it is not hers to see.
    assert 'data-testid="unit-head">filled<' in body.replace("\n", "").replace("  ", "")
    assert "The holder is not within your access." in body
    assert "Hadi Purnomo" not in body
    assert "Kepala Bidang SMA" not in body
    assert 'data-testid="positions-partial"' in body


def test_the_employee_reads_it_in_indonesian(bidang, login):
    _response, body = page(
        login(bidang.users["employee"]),
        "organisations:unit_detail",
        bidang.division_a.pk,
        lang="id",
    )

    assert "1 di antaranya dalam akses Anda" in body
    assert "Unit ini memiliki 3 sub-unit; tidak satu pun dalam akses Anda." in body
    assert "terisi" in body


def test_a_role_that_covers_the_unit_sees_plain_whole_figures(bidang, login):
    response, body = page(
        login(bidang.users["opd_admin"]), "organisations:unit_detail", bidang.division_a.pk
    )

    assert response.context["headcount"] == response.context["headcount_total"] == 9
    assert response.context["whole"] is None  # nothing more to read
    assert "within your access" not in body
    assert "Hadi Purnomo" in body
    assert [
        (u.name, u.subtree_headcount, u.headcount_partial) for u in response.context["sub_units"]
    ] == [  # the official order: kind, then code (KUR, SAR, SIS)
        ("Seksi Kurikulum", 2, False),
        ("Seksi Sarpras", 2, False),
        ("Seksi Kesiswaan", 2, False),
    ]


def test_org_chart_without_people_counts_the_whole_and_marks_its_share(bidang, login, monkeypatch):
    """A role that may read the org chart but no people: 0 of 10 in the agency, 0 of 9 in the
    division row; the agency's head post is filled, by someone it may not see."""
    monkeypatch.setitem(ROLE_ACTIONS, Role.BAPPEDA, frozenset({Action.VIEW_ORG}))

    response, body = page(
        login(bidang.users["bappeda"]), "organisations:unit_detail", bidang.agency_a.pk
    )

    assert (response.context["headcount"], response.context["headcount_total"]) == (0, 10)
    assert "0 of them within your access" in body
    [division] = response.context["sub_units"]
    assert (division.subtree_headcount, division.headcount_total) == (0, 9)
    assert f'data-testid="headcount-partial-{division.pk}">(0 within your access)<' in body
    assert "Budi Santoso" not in body
    assert "The holder is not within your access." in body
    assert "sub-units-partial" not in body  # the org chart is whole: its one sub-unit is listed


def test_tree_marks_a_root_reached_only_through_ones_own_post(bidang, login):
    """Joko works in Bidang SMA and administers agency B: his tree's roots are his own division
    (9 people, 1 of them his to see: himself) and Dinas Kesehatan (2, all his)."""
    joko = User.objects.create_user(username="joko", instansi=bidang.instansi, employee=bidang.joko)
    RoleAssignment.objects.create(
        user=joko, role=Role.OPD_ADMIN, instansi=bidang.instansi, unit=bidang.agency_b
    )

    response, body = page(login(joko), "organisations:unit_tree")

    rows = [
        (u.name, u.headcount_total, u.subtree_headcount, u.headcount_partial)
        for u in response.context["units"]
    ]
    assert rows == [("Bidang SMA", 9, 1, True), ("Dinas Kesehatan", 2, 2, False)]
    assert f'data-testid="headcount-partial-{bidang.division_a.pk}">1 within your access<' in body
    assert f"headcount-partial-{bidang.agency_b.pk}" not in body
    assert "2 units at the top of your access" in body


def test_tree_of_instansi_wide_role_counts_agencies_whole(
    bidang, login, django_assert_max_num_queries
):
    client = login(bidang.users["bkd"])
    response, body = page(client, "organisations:unit_tree")

    rows = [(u.name, u.headcount_total, u.headcount_partial) for u in response.context["units"]]
    # The official order: kind, then code (DIKBUD before DINKES).
    assert rows == [("Dinas Pendidikan", 10, False), ("Dinas Kesehatan", 2, False)]
    assert "within your access" not in body
    assert "2 agencies" in body
