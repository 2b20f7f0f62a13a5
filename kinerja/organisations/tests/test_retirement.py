"""Retirement age (BUP) by post, the retirement date, the selector and the page."""

import datetime as dt

import pytest
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.organisations import retirement
from kinerja.organisations.choices import EmployeeStatus, PositionKind
from kinerja.organisations.models import Employee
from kinerja.organisations.nip import make_nip
from kinerja.organisations.retirement import (
    bup_age,
    pension_start,
    reaching_bup,
    retirement_date,
    with_dates,
)
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)
ON = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    "kind, eselon, title, age",
    [
        (PositionKind.JPT_PRATAMA, "II.a", "Kepala Dinas Pendidikan", 60),
        (PositionKind.JPT_MADYA, "I.b", "Sekretaris Daerah", 60),
        (PositionKind.ADMINISTRATOR, "II.b", "Kepala Biro (eselon II)", 60),
        (PositionKind.ADMINISTRATOR, "III.a", "Kepala Bidang SMA", 58),
        (PositionKind.PENGAWAS, "IV.a", "Kepala Seksi", 58),
        (PositionKind.PELAKSANA, "", "Pengadministrasi Perkantoran", 58),
        (PositionKind.FUNGSIONAL, "", "Analis Kebijakan Ahli Pertama", 58),
        (PositionKind.FUNGSIONAL, "", "Analis Kebijakan Ahli Muda", 58),
        (PositionKind.FUNGSIONAL, "", "Perawat Terampil", 58),
        (PositionKind.FUNGSIONAL, "", "Perencana Ahli Madya", 60),
        (PositionKind.FUNGSIONAL, "", "Widyaiswara Ahli Utama", 65),
        (PositionKind.FUNGSIONAL, "", "Guru Ahli Muda", 60),
        ("", "", "", 58),  # no post
    ],
)
def test_bup_by_kind_of_post(kind, eselon, title, age):
    assert bup_age(kind, eselon, title, on=ON) == age


@pytest.mark.parametrize(
    "birth, age, retires, pension",
    [
        (dt.date(1968, 3, 15), 58, dt.date(2026, 3, 31), dt.date(2026, 4, 1)),
        (dt.date(1968, 2, 29), 58, dt.date(2026, 2, 28), dt.date(2026, 3, 1)),
        (dt.date(1966, 12, 1), 60, dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
        (dt.date(1961, 7, 31), 65, dt.date(2026, 7, 31), dt.date(2026, 8, 1)),
    ],
)
def test_retirement_is_the_end_of_the_birthday_month(birth, age, retires, pension):
    assert retirement_date(birth, age) == retires
    assert pension_start(birth, age) == pension


def test_a_version_of_the_rules_applies_from_its_date():
    with pytest.raises(ValueError):
        retirement.bup_rules(dt.date(2010, 1, 1))
    assert retirement.bup_rules(dt.date(2017, 4, 7))[0].valid_from == dt.date(2017, 4, 7)


def _pns(world, name, birth, position=None, unit=None, **kw):
    nip = make_nip(birth, dt.date(birth.year + 25, 1, 1), "m", 1 + len(name) % 900)
    return EmployeeFactory(
        unit=unit or (position.unit if position else world.agency_b),
        position=position,
        name=name,
        nip=nip,
        birth_date=birth,
        **kw,
    )


@pytest.fixture
def retirees(world):
    pelaksana = PositionFactory(unit=world.agency_b, title="Pengadministrasi Perkantoran")
    madya = PositionFactory(
        unit=world.agency_b, title="Perencana Ahli Madya", kind=PositionKind.FUNGSIONAL
    )
    utama = PositionFactory(
        unit=world.agency_b, title="Widyaiswara Ahli Utama", kind=PositionKind.FUNGSIONAL
    )
    people = {
        # BUP 58: retires 31 May 2027, inside 6 months of 28 Nov 2026.
        "six": _pns(world, "Enam Bulan", dt.date(1969, 5, 10), pelaksana),
        # BUP 58: retires 31 Oct 2027: inside 12 months, not 6.
        "twelve": _pns(world, "Dua Belas", dt.date(1969, 10, 2), pelaksana),
        # BUP 60 (ahli madya), born 1967-06: retires 30 Jun 2027; at 58 he would be long gone.
        "madya": _pns(world, "Ahli Madya", dt.date(1967, 6, 20), madya),
        # BUP 65 (ahli utama), born 1962-03: retires 31 Mar 2027.
        "utama": _pns(world, "Ahli Utama", dt.date(1962, 3, 3), utama),
        # BUP 65 but born 1965: retires 2030, outside every window.
        "young_utama": _pns(world, "Utama Muda", dt.date(1965, 3, 3), utama),
        # BUP 58 and already past it (Oct 2026): listed as past BUP.
        "late": _pns(world, "Sudah Lewat", dt.date(1968, 10, 5), pelaksana),
        # Inactive or non-ASN: never listed.
        "inactive": _pns(world, "Tidak Aktif", dt.date(1969, 1, 1), pelaksana, is_active=False),
    }
    EmployeeFactory(
        unit=world.agency_b,
        name="Honorer Tua",
        status=EmployeeStatus.NON_ASN,
        nip=None,
        birth_date=dt.date(1960, 1, 1),
    )
    return people


def _names(months, scope=None, world=None):
    qs = Employee.objects.all() if scope is None else Employee.objects.within(scope)
    return [e.name for e in reaching_bup(qs, today=TODAY, months=months)]


def test_the_selector_lists_who_retires_within_n_months_soonest_first(retirees):
    assert _names(6) == ["Sudah Lewat", "Ahli Utama", "Enam Bulan"]
    assert _names(12) == ["Sudah Lewat", "Ahli Utama", "Enam Bulan", "Ahli Madya", "Dua Belas"]
    rows = with_dates(reaching_bup(Employee.objects.all(), today=TODAY, months=12), today=TODAY)
    by_name = {r.employee.name: r for r in rows}
    assert (by_name["Ahli Madya"].age, by_name["Ahli Madya"].retirement_date) == (
        60,
        dt.date(2027, 6, 30),
    )
    assert by_name["Ahli Utama"].pension_start == dt.date(2027, 4, 1)
    assert by_name["Sudah Lewat"].overdue and not by_name["Enam Bulan"].overdue


def test_the_selector_is_one_query_and_scoped(world, retirees, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(reaching_bup(Employee.objects.all(), today=TODAY, months=24))
    assert len(rows) == 5  # the young ahli utama retires in 2030
    # The agency A administrator sees none of agency B's staff.
    admin_a = world.users["opd_admin"]
    assert _names(24, scope_for(admin_a)) == []


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(retirement, "today", lambda: TODAY)


def test_the_page_lists_them_with_links_and_filters_by_months(world, retirees, login):
    client = login(world.users["bkd"])
    url = reverse("organisations:retirement_list")
    page = client.get(url, {"months": "6"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Enam Bulan" in body and "Dua Belas" not in body
    assert retirees["six"].get_absolute_url() in body
    body12 = client.get(url, {"months": "12"}).content.decode()
    assert "Dua Belas" in body12 and "Utama Muda" not in body12
    # Other windows than 6/12/24 fall back to 12.
    assert "Dua Belas" in client.get(url, {"months": "3"}).content.decode()


def test_the_page_shows_nothing_outside_scope_and_is_in_the_nav(world, retirees, login):
    client = login(world.users["opd_admin"])
    url = reverse("organisations:retirement_list")
    body = client.get(url, {"months": "24"}).content.decode()
    assert "Enam Bulan" not in body and "Sudah Lewat" not in body
    assert url in body  # the navigation entry
    employee = login(world.users["employee"])
    assert employee.get(url).status_code == 403


def test_the_export_holds_every_row_of_the_window_with_dates(world, retirees, login):
    import io

    from openpyxl import load_workbook

    client = login(world.users["bkd"])
    response = client.get(reverse("organisations:retirement_export"), {"months": "12"})
    assert response.status_code == 200
    assert 'filename="pensiun-12-bulan-20261128.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:2] == ("NIP", "Nama")
    names = [row[1] for row in rows[1:]]
    assert names == ["Sudah Lewat", "Ahli Utama", "Enam Bulan", "Ahli Madya", "Dua Belas"]
    madya = rows[1:][3]
    assert (madya[7], madya[8].date(), madya[9].date()) == (
        60,
        dt.date(2027, 6, 30),
        dt.date(2027, 7, 1),
    )
    # Scoped: the agency A administrator exports none of agency B's staff.
    admin = login(world.users["opd_admin"])
    rows = list(
        load_workbook(
            io.BytesIO(admin.get(reverse("organisations:retirement_export")).content)
        ).active.values
    )
    assert len(rows) == 1
