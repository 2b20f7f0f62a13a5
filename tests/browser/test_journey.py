"""A user's journey in a real browser: log in, the unit tree, find an employee, and be refused
an employee of another agency."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_agency_admin_journey(page, live_server, world, external_requests):
    base = live_server.url
    log_in(page, base, "opd_admin")

    page.goto(f"{base}/org/units/")
    expect(page.get_by_text("Dinas Pendidikan").first).to_be_visible()
    expect(page.get_by_text("Dinas Kesehatan")).to_have_count(0)

    page.goto(f"{base}/org/employees/")
    page.fill("input[name=q]", "Siti")
    row = page.get_by_role("link", name=re.compile("Siti Aminah"))
    expect(row).to_be_visible()
    expect(page.get_by_text("Budi Santoso")).to_have_count(0)  # the list was filtered by HTMX
    row.click()
    nip = page.get_by_test_id("nip")
    expect(nip).to_be_visible()
    assert nip.inner_text().replace(" ", "") == world.staff_a.nip

    response = page.goto(f"{base}/org/employees/{world.staff_b.pk}/")
    assert response.status == 404
    expect(page.get_by_text("Rina Wulandari")).to_have_count(0)

    api = page.request.get(f"{base}/api/v1/employees/{world.staff_b.pk}/")
    assert api.status == 404
    assert external_requests == []


def test_wrong_password_keeps_the_user_out_with_a_message(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "opd_admin")
    page.fill("input[name=password]", "bukan-kata-sandi")
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()


def test_language_switch_to_english(page, live_server, world):
    log_in(page, live_server.url, "bkd")
    page.goto(f"{live_server.url}/org/employees/")
    expect(page.locator("body")).to_contain_text("Pegawai")
    page.locator("[data-bs-toggle=dropdown]", has_text="Bahasa Indonesia").click()
    page.locator("form[action*='setlang'] button[value=en]").click()
    expect(page.locator("body")).to_contain_text("Employees")
