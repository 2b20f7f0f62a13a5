"""Pages on a 390 px phone: nothing scrolls the page sideways, one h1, the landmarks present."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390

LAYOUT = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    h1: document.querySelectorAll('h1').length,
    header: document.querySelectorAll('header').length,
    nav: document.querySelectorAll('nav').length,
    main: document.querySelectorAll('main').length,
    footer: document.querySelectorAll('footer').length,
    skip: !!document.querySelector('a.skip-link[href="#main"]'),
    wide: [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && !e.closest('.table-responsive, .dropdown-menu, .collapse:not(.show)'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className),
})"""


@pytest.fixture
def deep_world(world):
    """A long unit name four levels down, so the tree has something to wrap."""
    unit = world.division_a
    for level, kind in enumerate([UnitKind.SECTION, UnitKind.SECTION, UnitKind.SECTION]):
        unit = OrgUnitFactory(
            instansi=world.instansi,
            parent=unit,
            code=f"DIKBUD-SMA-DEEP-{level}",
            name="Seksi Pengembangan Kurikulum dan Penilaian Pendidikan Menengah Atas "
            f"Tingkat {level}",
            kind=kind,
        )
        EmployeeFactory(unit=unit, name=f"Pegawai Dengan Nama Sangat Panjang Sekali {level}")
    return world


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def check_layout(page, *, nav=True):
    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= WIDTH, layout
    assert layout["h1"] == 1, layout
    assert layout["header"] >= 1 and layout["main"] == 1 and layout["footer"] >= 1, layout
    if nav:
        assert layout["nav"] >= 1, layout
    assert layout["skip"], layout
    return layout


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def test_employee_list_tree_and_employee_fit_a_phone(phone, live_server, deep_world):
    page, base = phone, live_server.url

    page.goto(f"{base}/accounts/login/")
    check_layout(page, nav=False)

    log_in(page, base, "bkd")
    check_layout(page)  # home

    page.goto(f"{base}/org/employees/")
    expect(page.get_by_text("Siti Aminah")).to_be_visible()
    check_layout(page)
    # The table scrolls inside its card if it must; the name column stays in view.
    name = page.get_by_role("link", name="Siti Aminah")
    box = name.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH

    page.goto(f"{base}/org/units/")
    expect(page.get_by_text("Dinas Pendidikan")).to_be_visible()
    for name in ["Dinas Pendidikan", "Bidang SMA", *(f"Tingkat {i}" for i in range(2))]:
        page.locator("summary", has_text=name).first.locator(".twisty").click()
        page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Tingkat 2").first).to_be_visible()
    check_layout(page)

    page.goto(f"{base}/org/employees/{deep_world.staff_a.pk}/")
    expect(page.locator("[data-testid=nip]")).to_be_visible()
    check_layout(page)

    page.goto(f"{base}/org/units/{deep_world.division_a.pk}/")
    check_layout(page)


def test_keyboard_focus_is_visible_and_skip_link_leads_to_main(phone, live_server, world):
    page, base = phone, live_server.url
    log_in(page, base, "bkd")
    page.goto(f"{base}/org/employees/")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert skip.bounding_box()["y"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()


def test_the_other_pages_fit_a_phone_too(phone, live_server, world):
    from kinerja.audit.services import record

    record(
        actor=None,
        action="employee.update",
        target=world.staff_a,
        changes={"name": ["Siti Aminah Binti Abdullah Al Mansur", "Siti Aminah"]},
        reason="Perbaikan nama sesuai SK pengangkatan yang sangat panjang keterangannya",
    )
    page, base = phone, live_server.url
    log_in(page, base, "system_admin")
    for path in [
        "/audit/",
        "/import/",
        "/import/jobs/",
        "/accounts/tokens/",
        "/accounts/password/",
        "/accounts/grants/",
        "/accounts/users/",
        f"/org/employees/{world.staff_a.pk}/edit/",
    ]:
        page.goto(f"{base}{path}")
        check_layout(page)
    page.goto(f"{base}/org/no-such-page/")
    check_layout(page, nav=False)
