"""The leaders' home figures: vacant structural posts and the staff make-up, with their links."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.scope import scope_for
from kinerja.organisations import retirement, services
from kinerja.organisations.choices import EmployeeStatus, PositionKind, UnitKind
from kinerja.organisations.leadership import grade_group
from kinerja.organisations.models import Employee
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)


@pytest.fixture
def staffed(world):
    """Agency A: 3 structural posts (1 vacant), 8 active staff; agency B: 1 post, vacant.

    A's active staff: PNS 5 (golongan IV 1, III 2, II 1, no grade 1), PPPK 2 (IX), non-ASN 1;
    by post: JPT Pratama 1, Pengawas 1, Pelaksana 1, Fungsional 2, no post 3.
    """
    w = world
    Employee.objects.filter(pk=w.head_a.pk).update(grade="IV/c")
    Employee.objects.filter(pk=w.staff_a.pk).update(grade="III/a")
    w.kabid = PositionFactory(
        unit=w.division_a,
        code="DIKBUD-KABID",
        title="Kepala Bidang SMA",
        kind=PositionKind.ADMINISTRATOR,
        eselon="III.a",
        is_head=True,
    )
    w.kasi = PositionFactory(
        unit=w.division_a, code="DIKBUD-KASI", title="Kepala Seksi", kind=PositionKind.PENGAWAS
    )
    PositionFactory(  # structural, vacant, but no longer an active post
        unit=w.division_a,
        code="DIKBUD-LAMA",
        title="Kepala Seksi Lama",
        kind=PositionKind.PENGAWAS,
        eselon="IV.a",
        is_active=False,
    )
    guru = PositionFactory(
        unit=w.division_a, code="DIKBUD-GURU", title="Guru", kind=PositionKind.FUNGSIONAL
    )
    EmployeeFactory(unit=w.division_a, position=w.kasi, grade="III/b", name="Citra")
    EmployeeFactory(unit=w.division_a, grade="II/c", name="Dodi")
    EmployeeFactory(unit=w.agency_a, grade="", name="Eko")
    for name in ("Fajar", "Gita"):
        EmployeeFactory(
            unit=w.division_a, position=guru, status=EmployeeStatus.PPPK, grade="IX", name=name
        )
    EmployeeFactory(
        unit=w.division_a, status=EmployeeStatus.NON_ASN, nip=None, grade="", name="Hadi"
    )
    # An inactive employee still linked to the head of division's post: the post stays vacant.
    EmployeeFactory(
        unit=w.division_a, position=w.kabid, grade="III/c", name="Indra", is_active=False
    )
    PositionFactory(
        unit=w.agency_b,
        code="DINKES-KADIS",
        title="Kepala Dinas Kesehatan",
        kind=PositionKind.JPT_PRATAMA,
        eselon="II.a",
        is_head=True,
    )
    return w


def _card(response, key):
    for card in response.context["cards"]:
        if key in card:
            return card
    return None


def _names(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(e.name for e in response.context["employees"])


def test_grade_group_reads_pns_golongan_and_pppk_grades():
    assert grade_group("pns", "III/a") == "III"
    assert grade_group("pns", "IV/e") == "IV"
    assert grade_group("pns", "iii/b") == "III"
    assert grade_group("pppk", "IX") == "IX"
    assert grade_group("pppk", "III/a") == ""
    assert grade_group("pns", "IX") == ""
    assert grade_group("pns", "") == ""
    assert grade_group("non_asn", "II/a") == ""


def test_head_of_agency_sees_the_figures_of_the_agency(staffed, login):
    client = login(staffed.users["opd_head"])
    card = _card(client.get(reverse("core:home")), "figures")
    figures = card["figures"]
    assert (figures["structural"], figures["vacant"]["count"]) == (3, 1)
    assert figures["total"]["count"] == 8
    assert {c["key"]: c["count"] for c in figures["status"]} == {
        "pns": 5,
        "pppk": 2,
        "non_asn": 1,
    }
    grades = {c["key"]: c["count"] for c in figures["grades"]}
    assert grades == {"pns-I": 0, "pns-II": 1, "pns-III": 2, "pns-IV": 1, "pppk-IX": 2}
    kinds = {c["key"]: c["count"] for c in figures["kinds"] if c["count"]}
    assert kinds == {"jpt_pratama": 1, "pengawas": 1, "pelaksana": 1, "fungsional": 2, "none": 3}
    assert figures["bup"]["count"] == 0  # the fixture's staff are young


def test_each_figure_links_to_the_staff_it_counts(staffed, login):
    client = login(staffed.users["opd_head"])
    figures = _card(client.get(reverse("core:home")), "figures")["figures"]
    grade = {c["key"]: c["url"] for c in figures["grades"]}
    assert _names(client, grade["pns-III"]) == ["Citra", "Siti Aminah"]
    assert _names(client, grade["pppk-IX"]) == ["Fajar", "Gita"]
    assert _names(client, grade["pns-II"]) == ["Dodi"]
    status = {c["key"]: c["url"] for c in figures["status"]}
    assert len(_names(client, status["pns"])) == 5
    assert _names(client, status["non_asn"]) == ["Hadi"]
    kind = {c["key"]: c["url"] for c in figures["kinds"]}
    assert _names(client, kind["fungsional"]) == ["Fajar", "Gita"]
    assert _names(client, kind["none"]) == ["Dodi", "Eko", "Hadi"]
    assert len(_names(client, figures["total"]["url"])) == 8  # Indra (inactive) left out
    vacant = client.get(figures["vacant"]["url"])
    assert [p.title for p in vacant.context["positions"]] == ["Kepala Bidang SMA"]


def test_vacant_post_list_is_scoped_and_filtered(staffed, login):
    url = reverse("organisations:position_vacant")
    client = login(staffed.users["opd_admin"])
    assert [p.title for p in client.get(url).context["positions"]] == ["Kepala Bidang SMA"]
    assert list(client.get(url, {"kind": "pengawas"}).context["positions"]) == []
    # Agency B's vacant head post is out of reach, even when B is named in the filter.
    named_b = client.get(url, {"unit": staffed.agency_b.pk})
    assert list(named_b.context["positions"]) == []
    assert named_b.context["unit"] is None  # nor is B's name shown
    wide = login(staffed.users["leadership"])
    titles = sorted(p.title for p in wide.get(url).context["positions"])
    assert titles == ["Kepala Bidang SMA", "Kepala Dinas Kesehatan"]
    only_b = wide.get(url, {"unit": staffed.agency_b.pk}).context["positions"]
    assert [p.title for p in only_b] == ["Kepala Dinas Kesehatan"]


def test_an_evaluator_of_a_division_gets_no_agency_card(staffed, login):
    response = login(staffed.users["evaluator"]).get(reverse("core:home"))
    assert _card(response, "figures") is None
    assert _card(response, "agency_rows") is None


def test_governor_sees_one_row_per_agency_in_path_order(staffed, login):
    client = login(staffed.users["leadership"])
    response = client.get(reverse("core:home"))
    card = _card(response, "agency_rows")
    rows = card["agency_rows"]
    assert [r["agency"].name for r in rows] == ["Dinas Pendidikan", "Dinas Kesehatan"]
    a, b = rows
    assert (a["total"]["count"], a["vacant"]["count"], a["structural"]) == (8, 1, 3)
    assert (b["total"]["count"], b["vacant"]["count"], b["structural"]) == (2, 1, 1)
    assert {c["key"]: c["count"] for c in b["status"]} == {"pns": 1, "pppk": 0, "non_asn": 1}
    assert card["province"]["total"]["count"] == 10
    assert card["province"]["vacant"]["count"] == 2
    # Links narrow to the row's agency.
    b_pns = next(c["url"] for c in b["status"] if c["key"] == "pns")
    assert parse_qs(urlsplit(b_pns).query)["unit"] == [str(staffed.agency_b.pk)]
    assert _names(client, b_pns) == ["Rina Wulandari"]
    a_grade = next(c["url"] for c in a["grades"] if c["key"] == "pns-III")
    assert _names(client, a_grade) == ["Citra", "Siti Aminah"]
    b_vacant = client.get(b["vacant"]["url"]).context["positions"]
    assert [p.title for p in b_vacant] == ["Kepala Dinas Kesehatan"]
    assert _card(response, "figures") is None  # instansi-wide: no single agency


def test_other_wide_roles_get_no_agency_table(staffed, login):
    response = login(staffed.users["bkd"]).get(reverse("core:home"))
    assert _card(response, "agency_rows") is None


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:home")).status_code == 200
    return len(ctx.captured_queries)


def test_figures_take_a_fixed_number_of_queries(staffed, login):
    governor = login(staffed.users["leadership"])
    before_governor = _home_queries(governor)
    head = login(staffed.users["opd_head"])
    before_head = _home_queries(head)
    for i in range(4):
        agency = OrgUnitFactory(instansi=staffed.instansi, code=f"BARU-{i}")
        section = OrgUnitFactory(
            instansi=staffed.instansi, parent=agency, code=f"BARU-{i}-S", kind=UnitKind.SECTION
        )
        post = PositionFactory(unit=section, kind=PositionKind.PENGAWAS, eselon="IV.a")
        EmployeeFactory(unit=section, position=post, grade="III/d")
        EmployeeFactory(unit=section, status=EmployeeStatus.PPPK, grade="X")
        extra = PositionFactory(unit=staffed.division_a, kind=PositionKind.PENGAWAS)
        EmployeeFactory(unit=staffed.division_a, position=extra, grade=f"I/{'abcd'[i]}")
    cache.clear()  # factories write without audit, so the kept figures would still stand
    assert _home_queries(login(staffed.users["leadership"])) == before_governor
    assert _home_queries(login(staffed.users["opd_head"])) == before_head


def test_employee_filters_by_grade_group_and_kind_of_post(staffed, login):
    client = login(staffed.users["opd_admin"])
    url = reverse("organisations:employee_list")
    got = _names(client, f"{url}?status=pns&grade_group=III&is_active=true")
    assert got == ["Citra", "Siti Aminah"]
    # Without the active filter, Indra (inactive, III/c) counts too.
    assert _names(client, f"{url}?status=pns&grade_group=III") == ["Citra", "Indra", "Siti Aminah"]
    assert _names(client, f"{url}?position_kind=pengawas") == ["Citra"]
    response = client.get(f"{url}?grade_group=XX")
    assert list(response.context["employees"]) == []  # not a group: an error, nothing listed


TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def retiring(staffed, monkeypatch):
    """Three civil servants in A and one in B reach BUP by the end of November 2027.

    Retirement falls at the end of the month of the BUP birthday: a staff member (BUP 58) born
    in May 1969 retires on 31 May 2027 (in the window); one born in December 1969 on 31
    December 2027 (out of it). The head of A (JPT, BUP 60) born in November 1967 retires on
    30 November 2027 (in); a PPPK teacher (Guru, 60) born in March 1966 is past BUP (in, as
    overdue). In B, a PNS without a post (BUP 58) born in June 1969 retires on 30 June 2027.
    Non-ASN staff never count.
    """
    monkeypatch.setattr(retirement, "today", lambda: TODAY)
    w = staffed
    born = {
        "Dodi": dt.date(1969, 5, 10),
        "Eko": dt.date(1969, 12, 1),
        "Fajar": dt.date(1966, 3, 3),
        "Hadi": dt.date(1950, 1, 1),
    }
    for name, day in born.items():
        Employee.objects.filter(name=name).update(birth_date=day)
    Employee.objects.filter(pk=w.head_a.pk).update(birth_date=dt.date(1967, 11, 2))
    Employee.objects.filter(pk=w.staff_b.pk).update(birth_date=dt.date(1969, 6, 30))
    return w


def test_home_counts_the_staff_reaching_bup_and_links_to_them(retiring, login):
    client = login(retiring.users["opd_head"])
    bup = _card(client.get(reverse("core:home")), "figures")["figures"]["bup"]
    assert bup["count"] == 3
    query = parse_qs(urlsplit(bup["url"]).query)
    assert query == {"months": ["12"]}
    listed = client.get(bup["url"]).context["rows"]
    names = sorted(r.employee.name for r in listed)
    assert names == sorted(["Dodi", "Fajar", retiring.head_a.name])
    governor = login(retiring.users["leadership"])
    card = _card(governor.get(reverse("core:home")), "agency_rows")
    a, b = card["agency_rows"]
    assert (a["bup"]["count"], b["bup"]["count"], card["province"]["bup"]["count"]) == (3, 1, 4)
    # B's link lists B's only, and names B.
    b_list = governor.get(b["bup"]["url"])
    assert [r.employee.name for r in b_list.context["rows"]] == [retiring.staff_b.name]
    assert b_list.context["unit"] == retiring.agency_b


def test_retirement_list_ignores_a_unit_out_of_reach(retiring, login):
    client = login(retiring.users["opd_admin"])
    url = reverse("organisations:retirement_list")
    response = client.get(url, {"unit": retiring.agency_b.pk, "months": 12})
    assert response.context["unit"] is None  # B is not named, and A's list shows
    assert len(response.context["rows"]) == 3
    division = client.get(url, {"unit": retiring.division_a.pk, "months": 12})
    assert [r.employee.name for r in division.context["rows"]] == ["Fajar", "Dodi"]


def test_home_figures_are_kept_until_an_audited_write(staffed, login):
    """The second visit reads the kept figures; a write through a service shows at once."""
    client = login(staffed.users["opd_head"])
    first = _home_queries(client)
    again = _home_queries(client)
    assert again < first - 2  # the staff make-up, the posts and the BUP count are kept
    figures = _card(client.get(reverse("core:home")), "figures")["figures"]
    assert figures["total"]["count"] == 8
    services.employee_create(
        actor=staffed.users["opd_admin"],
        scope=scope_for(staffed.users["opd_admin"]),
        instansi=staffed.instansi,
        data={"name": "Joko", "unit": staffed.division_a, "status": EmployeeStatus.NON_ASN},
    )
    figures = _card(client.get(reverse("core:home")), "figures")["figures"]
    assert figures["total"]["count"] == 9


def test_an_employee_sees_their_superior_on_the_home_page(world, login):
    """Siti's post reports to the head of agency's post: Budi is her superior."""
    from kinerja.organisations import selectors
    from kinerja.organisations.tests.lines import hold

    hold(world.head_a, world.head_pos_a)  # factories write no assignment: give them one
    hold(world.staff_a, world.staff_pos_a)
    services.reporting_line_set(
        actor=world.users["opd_admin"],
        scope=scope_for(world.users["opd_admin"]),
        position=world.staff_pos_a,
        reports_to=world.head_pos_a,
        valid_from=dt.date(2020, 1, 1),
    )
    assert selectors.superior_of(world.staff_a, timezone.localdate()).employee == world.head_a
    response = login(world.users["employee"]).get(reverse("core:home"))
    card = _card(response, "me")
    assert card["superior"]["employee"] == world.head_a
    assert card["superior"]["title"] == "Kepala Dinas Pendidikan"
    assert card["superior"]["visible"] is False  # her own record only: no link to his
    html = response.content.decode()
    assert "Budi Santoso" in html and f'href="/org/employees/{world.head_a.pk}/"' not in html
    head = login(world.users["opd_head"]).get(reverse("core:home"))
    assert _card(head, "me")["superior"] is None  # the head of agency has none: "—"
