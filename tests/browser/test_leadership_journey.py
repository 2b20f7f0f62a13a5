"""The leadership's journey in a real browser, in Indonesian: the governor's office opens the
province dashboard, sees the agencies ranked, exports the ranking's table, drills down to agency
A's dashboard, follows its at-risk targets to the early warning, opens the target projected at
76.67 % (below the 90 % threshold) and exports the list."""

# ruff: noqa: F811 - the test takes the imported ``wr`` fixture

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from kinerja.analytics.tests.warning_fixtures import YEAR, wr_fixture  # noqa: F401 - fixture
from kinerja.performance import aggregates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cells(download) -> set:
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    return {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}


def test_province_to_an_at_risk_target_of_an_agency_and_export(wr, browser, live_server):
    base = live_server.url
    aggregates.rebuild(wr.world.instansi.pk)  # the roll-ups the dashboards read
    user = wr.world.users["leadership"]
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(locale="id-ID", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    # The province dashboard: agency A and B ranked, with the table behind the chart.
    page.goto(f"{base}/dashboards/province/?year={YEAR}")
    ranking = page.get_by_test_id("table-agencies")
    agency_a = wr.world.agency_a.name
    expect(ranking).to_contain_text(agency_a)
    expect(ranking).to_contain_text(wr.world.agency_b.name)
    with page.expect_download() as info:
        page.get_by_test_id("xlsx-agencies").click()
    assert {agency_a, wr.world.agency_b.name} <= cells(info.value)

    # Down to the agency, then to its targets at risk.
    ranking.get_by_role("link", name=agency_a).click()
    expect(page).to_have_url(re.compile(rf"/dashboards/agencies/{wr.world.agency_a.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(agency_a)
    page.get_by_test_id("warning-link").get_by_role("link").click()
    rows = page.get_by_test_id("warning-row")
    expect(rows.filter(has_text="W-A1")).to_have_count(1)
    expect(rows.filter(has_text="W-B1")).to_have_count(0)  # agency B's, filtered out
    expect(rows.filter(has_text="W-A1")).to_contain_text("76,67")

    # The target: its projection quarter by quarter.
    rows.filter(has_text="W-A1").get_by_role("link", name="W-A1").click()
    expect(page).to_have_url(re.compile(rf"/dashboards/warning/targets/{wr.a1.pk}/"))
    expect(page.locator("main")).to_contain_text("76,67")
    page.go_back()

    # The list as Excel: the at-risk target with its projection.
    with page.expect_download() as info:
        page.get_by_test_id("warning-xlsx").click()
    got = cells(info.value)
    assert "W-A1" in got and "W-B1" not in got
    context.close()
