"""What each page, fragment, export, choice list and count holds for a role with a partial scope.

The permission matrix checks who gets in; these tests check what they then see. Numbers come from
the ``world`` fixture of the root conftest:

    jatim:  Dinas Pendidikan (A)  Budi Santoso (PNS, head)
              Bidang SMA            Siti Aminah (PNS; the "employee" user)
            Dinas Kesehatan (B)   Rina Wulandari (PNS), Agus Salim (non-ASN)
    malang: Disdik Malang         Dewi Lestari (PNS)

``opd_admin`` and ``opd_head`` hold agency A, ``evaluator`` was granted on Bidang SMA but holds no
post, so reaches nobody (an evaluator reaches down the reporting lines from their own posts: see
``kinerja/organisations/tests/test_reporting.py``), ``employee`` is Siti and holds no grant.
Every ``.within()`` in the code is there for one of these assertions:
``scripts/within_mutations.py`` takes each out in turn and expects a test here (or in the matrix)
to fail.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import ROLE_ACTIONS, Role
from kinerja.audit.models import AuditEvent
from kinerja.core.scope import Action, Grant, Scope
from kinerja.imports.models import ImportJob
from kinerja.organisations import services
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true", **EN}


def ctx(response, key):
    """A value the view gave its template; the pages hand their data as callables (read only
    when the kept part of the page is built), so call it as the template does."""
    value = response.context[key]
    return value() if callable(value) else value


def get(client, name, *args, data=None, headers=None):
    response = client.get(reverse(name, args=args), data or {}, headers=headers or EN)
    assert response.status_code == 200, (name, response.status_code)
    return response


def card(response, key):
    """Return the home card that holds ``key``, or None when the page shows no such card."""
    return next((c for c in ctx(response, "cards") if key in c), None)


@pytest.fixture
def more(world):
    """A section under Bidang SMA, two more people and a second post there, and "seconded":
    an employee of Bidang SMA who holds the head-of-agency role over agency B (a read grant on
    another subtree).

    Bidang SMA then has 3 active people in its subtree: Siti, Eko (both Analis SMA) and Fajar
    (in the section). A second post "Analis Kurikulum" in Bidang SMA has no holder.
    """
    world.section_a = OrgUnitFactory(
        instansi=world.instansi,
        parent=world.division_a,
        code="DIKBUD-SMA-KUR",
        name="Seksi Kurikulum",
        kind=UnitKind.SECTION,
    )
    world.eko = EmployeeFactory(
        unit=world.division_a, position=world.staff_pos_a, name="Eko Prasetyo"
    )
    world.fajar = EmployeeFactory(unit=world.section_a, name="Fajar Nugroho")
    world.second_pos_a = PositionFactory(
        unit=world.division_a, code="DIKBUD-SMA-02", title="Analis Kurikulum"
    )
    seconded = User.objects.create_user(
        username="seconded", password="x", instansi=world.instansi, employee=world.eko
    )
    RoleAssignment.objects.create(
        user=seconded, role=Role.OPD_HEAD, instansi=world.instansi, unit=world.agency_b
    )
    world.users["seconded"] = seconded
    return world


def system_scope(instansi) -> Scope:
    return Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),))


# Home page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "units", "agencies", "people", "pns", "non_asn"),
    [
        ("opd_admin", 2, 1, 2, 2, 0),  # A and Bidang SMA; Budi and Siti
        ("evaluator", 0, 0, 0, 0, 0),  # holds no post: nobody reports to them
        ("bkd", 3, 2, 4, 3, 1),  # the instansi, not Malang
    ],
)
def test_home_counts_cover_exactly_the_scope(
    world, login, role, units, agencies, people, pns, non_asn
):
    response = get(login(world.users[role]), "core:home")

    unit_card = card(response, "unit_count")
    assert (unit_card["unit_count"], unit_card["agency_count"]) == (units, agencies)
    staff = card(response, "employee_count")
    assert staff["employee_count"] == people
    counts = {row["status"]: row["count"] for row in staff["status_rows"]}
    assert counts == {"pns": pns, "pppk": 0, "non_asn": non_asn}
    body = response.content.decode()
    assert f'data-testid="home-employee-count">{people}<' in body
    assert f'data-testid="home-unit-count">{units}<' in body


def test_home_of_an_employee_shows_only_their_record(world, login):
    response = get(login(world.users["employee"]), "core:home")

    assert card(response, "unit_count") is None
    assert card(response, "employee_count") is None
    assert card(response, "me")["me"] == world.staff_a


def test_home_never_shows_a_record_of_another_instansi(world, login):
    """A user linked by mistake (the admin allows it) to another instansi's record sees none."""
    user = User.objects.create_user(
        username="salah", instansi=world.instansi, employee=world.staff_x
    )

    response = get(login(user), "core:home")

    assert card(response, "me") is None


# The me endpoint ------------------------------------------------------------------------------


def test_me_returns_the_caller_with_their_record_and_grant(world, login):
    data = login(world.users["opd_head"]).get("/api/v1/me/").json()

    assert data["username"] == "opd_head"
    assert data["employee"]["name"] == "Budi Santoso"
    assert [(g["role"], g["unit"]["code"]) for g in data["grants"]] == [("opd_head", "DIKBUD")]


def test_me_names_nothing_of_another_instansi(world, login):
    """A grant or an employee link that points into another instansi reveals nothing there."""
    user = User.objects.create_user(
        username="salah", instansi=world.instansi, employee=world.staff_x
    )
    RoleAssignment.objects.create(
        user=user, role=Role.OPD_ADMIN, instansi=world.instansi, unit=world.agency_x
    )

    data = login(user).get("/api/v1/me/").json()

    assert data["username"] == "salah"
    assert data["employee"] is None
    assert [(g["role"], g["unit"]) for g in data["grants"]] == [("opd_admin", None)]


# Unit tree, children fragment, unit page --------------------------------------------------------


def tree_units(response) -> list[tuple[str, int, bool]]:
    return [
        (u.name, u.subtree_headcount, getattr(u, "has_children", False))
        for u in ctx(response, "units")
    ]


def test_tree_of_opd_admin_holds_their_agency_only(world, login):
    response = get(login(world.users["opd_admin"]), "organisations:unit_tree")

    assert tree_units(response) == [("Dinas Pendidikan", 2, True)]


def test_tree_search_of_opd_admin_finds_only_their_units(world, login):
    response = get(
        login(world.users["opd_admin"]),
        "organisations:unit_tree",
        data={"q": "Dinas"},
        headers=HTMX,
    )

    assert [u.name for u in ctx(response, "units")] == ["Dinas Pendidikan"]
    assert ctx(response, "total") == 1


def test_tree_of_evaluator_without_a_post_is_empty(world, login):
    """The evaluator role's unit is where it was granted, not a subtree it reaches."""
    response = get(login(world.users["evaluator"]), "organisations:unit_tree")

    assert tree_units(response) == []


def test_tree_counts_and_opens_only_what_the_caller_may_see(more, login):
    """ "seconded" evaluates agency B and works in Bidang SMA: the division is a root of their
    tree (their own unit), counted as 1 person (themselves), with no sub-units to open."""
    response = get(login(more.users["seconded"]), "organisations:unit_tree")

    assert tree_units(response) == [("Bidang SMA", 1, False), ("Dinas Kesehatan", 2, False)]


def test_children_fragment_lists_only_visible_sub_units(more, login):
    client = login(more.users["seconded"])
    response = get(client, "organisations:unit_children", more.division_a.pk, headers=HTMX)
    assert ctx(response, "units") == []
    assert "Seksi Kurikulum" not in response.content.decode()

    response = get(
        login(more.users["opd_admin"]),
        "organisations:unit_children",
        more.division_a.pk,
        headers=HTMX,
    )
    assert tree_units(response) == [("Seksi Kurikulum", 1, False)]


def test_children_fragment_of_agency_counts_its_subtree(more, login):
    response = get(
        login(more.users["opd_admin"]),
        "organisations:unit_children",
        more.agency_a.pk,
        headers=HTMX,
    )

    assert tree_units(response) == [("Bidang SMA", 3, True)]


def test_unit_page_of_opd_admin_counts_each_sub_unit(more, login):
    response = get(login(more.users["opd_admin"]), "organisations:unit_detail", more.agency_a.pk)

    assert [(u.name, u.subtree_headcount) for u in ctx(response, "sub_units")] == [
        ("Bidang SMA", 3)
    ]
    assert ctx(response, "headcount") == 4  # Budi, Siti, Eko, Fajar


def test_unit_page_of_an_employee_shows_only_what_they_may_see(more, login):
    """Siti may open her own unit's page: she sees her own post and herself, not colleagues."""
    response = get(login(more.users["employee"]), "organisations:unit_detail", more.division_a.pk)

    assert [p.title for p in ctx(response, "positions")] == ["Analis SMA"]
    holders = {p.title: [e.name for e in p.current_holders] for p in ctx(response, "positions")}
    assert holders == {"Analis SMA": ["Siti Aminah"]}
    assert ctx(response, "headcount") == 1
    assert ctx(response, "sub_units") == []
    body = response.content.decode()
    assert "Eko Prasetyo" not in body
    assert "Analis Kurikulum" not in body


def test_unit_page_counts_sub_units_with_the_people_the_caller_may_see(more, login, monkeypatch):
    """A role whose policy shows the org chart but no people counts no one on a unit page."""
    monkeypatch.setitem(ROLE_ACTIONS, Role.BAPPEDA, frozenset({Action.VIEW_ORG}))

    response = get(login(more.users["bappeda"]), "organisations:unit_detail", more.agency_a.pk)

    assert [(u.name, u.subtree_headcount) for u in ctx(response, "sub_units")] == [
        ("Bidang SMA", 0)
    ]
    assert ctx(response, "headcount") == 0
    assert ctx(response, "head") is None


# Employee pages --------------------------------------------------------------------------------


def test_employee_list_of_opd_admin_holds_exactly_agency_a(world, login):
    response = get(login(world.users["opd_admin"]), "organisations:employee_list")

    assert [e.name for e in ctx(response, "employees")] == ["Budi Santoso", "Siti Aminah"]
    assert ctx(response, "page_obj").paginator.count == 2


def _lookup_texts(client, name, **params):
    return [r["text"] for r in get(client, name, data=params).json()["results"]]


def test_employee_list_unit_filter_offers_only_units_in_scope(more, login):
    client = login(more.users["opd_admin"])

    # The page holds the top of the caller's reach; the search finds the units below it.
    response = get(client, "organisations:employee_list")
    choices = [label for _pk, label in ctx(response, "unit_choices")]
    assert choices == ["Dinas Pendidikan (DIKBUD)"]
    lookup = "organisations:employee_filter_unit_lookup"
    assert _lookup_texts(client, lookup) == [
        "Dinas Pendidikan (DIKBUD)",
        "Bidang SMA (DIKBUD-SMA)",
        "Seksi Kurikulum (DIKBUD-SMA-KUR)",
    ]
    assert _lookup_texts(client, lookup, q="kur") == ["Seksi Kurikulum (DIKBUD-SMA-KUR)"]
    assert _lookup_texts(client, lookup, q="Kesehatan") == []

    # A unit of agency B named in the query is not added to the choices (nor are its people).
    response = get(client, "organisations:employee_list", data={"unit": more.agency_b.pk})
    assert [label for _pk, label in ctx(response, "unit_choices")] == choices
    assert list(ctx(response, "employees")) == []
    assert "Dinas Kesehatan" not in response.content.decode()


def test_employee_list_unit_filter_of_a_subtree_role_starts_at_its_subtree(more, login):
    # A unit role on Bidang SMA (an evaluator reaches people through posts, not subtrees).
    user = User.objects.create_user(username="admin.sma", password="x", instansi=more.instansi)
    RoleAssignment.objects.create(
        user=user, role=Role.OPD_ADMIN, instansi=more.instansi, unit=more.division_a
    )
    client = login(user)

    response = get(client, "organisations:employee_list")

    assert [label for _pk, label in ctx(response, "unit_choices")] == ["Bidang SMA (DIKBUD-SMA)"]
    assert _lookup_texts(client, "organisations:employee_filter_unit_lookup") == [
        "Bidang SMA (DIKBUD-SMA)",
        "Seksi Kurikulum (DIKBUD-SMA-KUR)",
    ]


def test_employee_list_unit_filter_keeps_a_chosen_deep_unit(more, login):
    deep = OrgUnitFactory(
        instansi=more.instansi, parent=more.section_a, code="DIKBUD-SMA-KUR-1", name="Subseksi"
    )
    response = get(
        login(more.users["opd_admin"]), "organisations:employee_list", data={"unit": deep.pk}
    )

    assert ctx(response, "unit_choices")[-1] == (deep.pk, "Subseksi (DIKBUD-SMA-KUR-1)")
    assert f'<option value="{deep.pk}" selected>Subseksi' in response.content.decode()


def test_employee_export_of_opd_admin_holds_exactly_agency_a(world, login):
    client = login(world.users["opd_admin"])
    response = client.get(reverse("organisations:employee_export"), headers=EN)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = sorted(row[1] for row in rows[1:])  # NIP, Name, ...
    assert names == ["Budi Santoso", "Siti Aminah"]


def test_employee_page_links_the_unit_only_when_the_caller_may_open_it(world, login, monkeypatch):
    """A role whose policy shows people but not the org chart sees the unit's name, unlinked."""
    monkeypatch.setitem(ROLE_ACTIONS, Role.BPSDM, frozenset({Action.VIEW_PEOPLE}))
    unit_url = world.division_a.get_absolute_url()

    response = get(login(world.users["bpsdm"]), "organisations:employee_detail", world.staff_a.pk)
    assert ctx(response, "unit_visible") is False
    assert f'href="{unit_url}"' not in response.content.decode()

    response = get(login(world.users["bkd"]), "organisations:employee_detail", world.staff_a.pk)
    assert f'href="{unit_url}"' in response.content.decode()


def test_employee_form_offers_only_units_and_posts_the_caller_may_change(more, login):
    PositionFactory(unit=more.agency_b, code="DINKES-01")
    PositionFactory(unit=more.agency_x, code="MLG-01")

    response = get(login(more.users["opd_admin"]), "organisations:employee_create")

    form = ctx(response, "form")
    assert [u.code for u in form.fields["unit"].queryset] == [
        "DIKBUD",
        "DIKBUD-SMA",
        "DIKBUD-SMA-KUR",
    ]
    assert sorted(p.code for p in form.fields["position"].queryset) == [
        "DIKBUD-KADIS",
        "DIKBUD-SMA-01",
        "DIKBUD-SMA-02",
    ]


def test_unit_form_offers_only_parents_the_caller_may_change(more, login):
    response = get(login(more.users["opd_admin"]), "organisations:unit_update", more.division_a.pk)

    # Not agency B, not Malang, not the division itself or its section.
    assert [u.code for u in ctx(response, "form").fields["parent"].queryset] == ["DIKBUD"]


def test_employee_history_shows_only_events_filed_in_the_callers_units(world, login):
    """Rina changed while in agency B, then moved to Bidang SMA: A's admin sees the move only."""
    bkd = world.users["bkd"]
    scope = system_scope(world.instansi)
    services.employee_update(
        actor=bkd,
        scope=scope,
        employee=world.staff_b,
        data={"grade": "III/b"},
        reason="Naik pangkat di Dinkes",
    )
    services.employee_update(
        actor=bkd,
        scope=scope,
        employee=world.staff_b,
        data={"unit": world.division_a, "position": None},
        reason="Mutasi ke Dikbud",
    )

    response = get(
        login(world.users["opd_admin"]), "organisations:employee_detail", world.staff_b.pk
    )

    body = response.content.decode()
    assert "Mutasi ke Dikbud" in body
    assert "Naik pangkat di Dinkes" not in body
    response = get(
        login(world.users["inspektorat"]), "organisations:employee_detail", world.staff_b.pk
    )
    assert "Naik pangkat di Dinkes" in response.content.decode()


# Audit page ------------------------------------------------------------------------------------


def test_audit_page_of_opd_admin_holds_only_agency_a_events(world, login):
    services.unit_update(
        actor=world.users["bkd"],
        scope=system_scope(world.instansi),
        unit=world.division_a,
        data={"name": "Bidang SMA dan SMK"},
    )
    services.unit_update(
        actor=world.users["bkd"],
        scope=system_scope(world.instansi),
        unit=world.agency_b,
        data={"name": "Dinas Kesehatan Provinsi"},
    )
    services.unit_update(
        actor=None,
        scope=system_scope(world.other_instansi),
        unit=world.agency_x,
        data={"name": "Dinas Pendidikan Kota Malang"},
    )

    response = get(login(world.users["opd_admin"]), "audit:event_list")
    assert [e.target_repr for e in ctx(response, "events")] == ["Bidang SMA dan SMK"]
    assert list(ctx(response, "actions")) == ["unit.update"]

    response = get(login(world.users["inspektorat"]), "audit:event_list")
    assert sorted(e.target_repr for e in ctx(response, "events")) == [
        "Bidang SMA dan SMK",
        "Dinas Kesehatan Provinsi",
    ]
    assert AuditEvent.objects.count() == 3


# Import pages ----------------------------------------------------------------------------------


def make_job(world, user, name, instansi=None):
    job = ImportJob(
        instansi=instansi or world.instansi, created_by=user, kind="employees", original_name=name
    )
    job.file.save(name, ContentFile(b"nip,name\n"), save=False)
    job.save()
    return job


@pytest.fixture
def jobs(world):
    malang_admin = User.objects.create_user(username="malang", instansi=world.other_instansi)
    make_job(world, world.users["opd_admin"], "dikbud-1.csv")
    make_job(world, world.users["opd_admin"], "dikbud-2.csv")
    make_job(world, world.users["bkd"], "bkd-semua.csv")
    make_job(world, malang_admin, "malang.csv", instansi=world.other_instansi)
    return world


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("opd_admin", ["dikbud-1.csv", "dikbud-2.csv"]),  # their own jobs only
        ("bkd", ["bkd-semua.csv", "dikbud-1.csv", "dikbud-2.csv"]),  # the instansi's, not Malang
    ],
)
def test_import_pages_list_only_the_jobs_in_scope(jobs, login, role, names):
    client = login(jobs.users[role])

    response = get(client, "imports:import_start")
    assert sorted(j.original_name for j in ctx(response, "recent_jobs")) == names
    response = get(client, "imports:importjob_list")
    assert sorted(j.original_name for j in ctx(response, "jobs")) == names
    assert "malang.csv" not in response.content.decode()


# API lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "units", "positions", "employees"),
    [
        ("opd_admin", 2, 2, ["Budi Santoso", "Siti Aminah"]),
        ("evaluator", 0, 0, []),  # holds no post: reaches nobody
        ("employee", 1, 1, ["Siti Aminah"]),  # their own unit, post and record
        ("bkd", 3, 2, ["Agus Salim", "Budi Santoso", "Rina Wulandari", "Siti Aminah"]),
    ],
)
def test_api_lists_hold_exactly_the_scope(world, login, role, units, positions, employees):
    client = login(world.users[role])

    assert client.get("/api/v1/units/").json()["count"] == units
    assert client.get("/api/v1/positions/").json()["count"] == positions
    data = client.get("/api/v1/employees/").json()
    assert sorted(e["name"] for e in data["results"]) == employees
