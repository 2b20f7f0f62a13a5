"""The employee form in a real browser: the unit and the post are searchable selects whose options
come from the scoped lookups; pick a unit, search one of its posts, save."""

import re

import pytest
from playwright.sync_api import expect

from kinerja.organisations.models import Employee
from kinerja.organisations.tests.factories import PositionFactory
from tests.browser.test_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_select(page, field, prefix="id_"):
    page.locator(f"#{prefix}{field} ~ .ts-wrapper .ts-control").click()


def choose(page, field, search, option_text, prefix="id_"):
    """Type ``search`` into the Tom Select of ``field`` and click the option ``option_text``."""
    select = f"#{prefix}{field}"
    open_select(page, field, prefix)
    page.locator(f"{select}-ts-control").fill(search)
    option = page.locator(f"{select}-ts-dropdown .option", has_text=option_text)
    expect(option).to_have_count(1)
    expect(page.locator(f"{select} ~ .ts-wrapper.loading")).to_have_count(0)
    option.click()
    expect(page.locator(f"{select}-ts-dropdown")).to_be_hidden()


def test_add_an_employee_by_searching_unit_and_post(page, live_server, world, external_requests):
    # A post of agency B, out of reach of agency A's admin, and one of another of A's units.
    PositionFactory(unit=world.agency_b, code="DINKES-AN", title="Analis Kesehatan")
    log_in(page, live_server.url, "opd_admin")

    page.goto(f"{live_server.url}/org/employees/new/")
    # The page holds no unit or post besides the empty choice: the search brings them.
    assert page.locator("select#id_unit option[value]:not([value=''])").count() == 0
    assert page.locator("select#id_position option[value]:not([value=''])").count() == 0

    page.fill("input[name=name]", "Ayu Kartika Uji")
    page.select_option("select[name=status]", "non_asn")

    # Without a unit the post select asks for one first.
    open_select(page, "position")
    missing = page.locator("select#id_position").get_attribute("data-lookup-depends-missing")
    expect(page.locator("#id_position-ts-dropdown")).to_have_text(missing)
    page.keyboard.press("Escape")

    # Agency B is not offered to agency A's admin.
    open_select(page, "unit")
    page.locator("#id_unit-ts-control").fill("Kesehatan")
    expect(page.locator("#id_unit-ts-dropdown .no-results")).to_be_visible()
    choose(page, "unit", "sma", "Bidang SMA")

    # The posts offered are those of Bidang SMA only (not the head of the agency's, not B's).
    open_select(page, "position")
    options = page.locator("#id_position-ts-dropdown .option[data-value]:not([data-value=''])")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Analis SMA")
    choose(page, "position", "analis", "Analis SMA")

    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/org/employees/\d+/$"))
    ayu = Employee.objects.get(name="Ayu Kartika Uji")
    assert (ayu.unit_id, ayu.position_id) == (world.division_a.pk, world.staff_pos_a.pk)
    assert external_requests == []


def test_changing_the_unit_empties_the_post(page, live_server, world):
    log_in(page, live_server.url, "opd_admin")

    page.goto(f"{live_server.url}/org/employees/{world.staff_a.pk}/edit/")
    expect(page.locator("#id_position ~ .ts-wrapper .ts-control")).to_contain_text("Analis SMA")
    choose(page, "unit", "DIKBUD", "Dinas Pendidikan (DIKBUD)")
    expect(page.locator("select#id_position")).to_have_value("")
    choose(page, "position", "kepala", "Kepala Dinas Pendidikan")
    expect(page.locator("select#id_position")).to_have_value(str(world.head_pos_a.pk))


def test_the_list_filters_by_a_unit_found_by_search(page, live_server, world):
    log_in(page, live_server.url, "opd_admin")

    page.goto(f"{live_server.url}/org/employees/")
    # The page holds agency A only; Bidang SMA, below it, is found by searching.
    assert page.locator("select#f-unit option:not([value=''])").count() == 1
    expect(page.get_by_role("link", name="Budi Santoso")).to_be_visible()
    choose(page, "unit", "SMA", "Bidang SMA", prefix="f-")

    expect(page.get_by_role("link", name="Budi Santoso")).to_have_count(0)  # filtered by HTMX
    expect(page.get_by_role("link", name="Siti Aminah")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"unit={world.division_a.pk}"))
