"""The analytics pages other than the dashboards serve their content kept ({% kept %}, or
`kinerja.audit.freshness.kept` for the dashboards' API): a second view runs far fewer queries
and shows the same content; a write through the product's services shows on the next view.

All on the ``lk`` world (reports_fixtures.py): agency A's DIK-01 2023 (last value, target 85)
has quarters 1 and 2 verified (80, 88: 103.53 %), quarters 3 and 4 owed."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .reports_fixtures import (  # noqa: F401 - fixtures
    lk_fixture,
    pk,
    plan,
    rl_fixture,
    scopes,
    share_target,
    verified,
)

#: At least this many queries fewer on a kept view than on a built one.
MARGIN = 3


def main(response) -> str:
    """The page but its header (the menu, a CSRF token masked anew each time)."""
    assert response.status_code == 200, response.status_code
    return response.content.decode().split('<main id="main"')[1]


def kept_then_built(client, url: str, write) -> tuple[str, str]:
    """View ``url`` twice (built, then kept: the same HTML, fewer queries), run ``write``, and
    view it again: built anew. Returns the HTML before and after the write."""
    client.get("/nope/")  # the session, the user and their scope warm
    with CaptureQueriesContext(connection) as built:
        first = main(client.get(url))
    with CaptureQueriesContext(connection) as kept:
        second = main(client.get(url))
    assert second == first
    assert len(kept) + MARGIN <= len(built), (len(kept), len(built))
    write()
    with CaptureQueriesContext(connection) as rebuilt:
        after = main(client.get(url))
    assert len(kept) + MARGIN <= len(rebuilt), (len(kept), len(rebuilt))
    return first, after


def verify_q3(lk, value="90"):
    """Agency A's head enters DIK-01's quarter 3 and the regional secretary verifies it."""
    return lambda: verified(lk, lk.t_a, 3, lk.period, value=value)


def test_the_warning_list(lk, client, world):
    client.force_login(world.users["opd_head"])
    url = reverse("analytics:warning_list") + "?year=2023&status=all"
    before, after = kept_then_built(client, url, verify_q3(lk))
    assert f'data-target="{lk.t_a.pk}"' in before
    assert before != after  # the projection follows the new realisation


def test_the_warning_list_of_the_leadership(lk, client, world):
    client.force_login(world.users["leadership"])
    url = reverse("analytics:warning_list") + "?year=2023&status=all"
    before, after = kept_then_built(client, url, verify_q3(lk))
    assert f'data-target="{lk.t_a.pk}"' in before and before != after


def test_the_cascade_health_overview(lk, client, world):
    """Quarters 3 and 4 verified: DIK-01 no longer owes a realisation."""
    client.force_login(world.users["bappeda"])
    url = "/dashboards/cascade-health/?year=2023"

    def write():
        verified(lk, lk.t_a, 3, lk.period, value="90")
        verified(lk, lk.t_a, 4, lk.period, value="91")

    before, after = kept_then_built(client, url, write)
    assert f'data-agency="{world.agency_a.pk}"' in before and before != after


def test_the_cascade_health_of_an_agency(lk, client, world):
    client.force_login(world.users["opd_head"])
    url = f"/dashboards/cascade-health/agencies/{world.agency_a.pk}/?year=2023&check=realisation"
    before, after = kept_then_built(client, url, verify_q3(lk))
    assert 'data-kind="realisation_missing"' in before
    assert "Triwulan 3" in before and "Triwulan 3" not in after
    # Another agency is not found, kept or not.
    other = f"/dashboards/cascade-health/agencies/{world.agency_b.pk}/?year=2023"
    assert client.get(other).status_code == client.get(other).status_code == 404


def test_the_lkjip_page(lk, client, world):
    client.force_login(world.users["opd_head"])
    url = reverse("analytics:report_lkjip", args=[world.agency_a.pk]) + "?year=2023"
    before, after = kept_then_built(client, url, verify_q3(lk))
    # The year's figure is the last value: 88 / 85, then 90 / 85.
    assert "103,53" in before and "105,88" in after and "103,53" not in after
    # The workbook reads the same kept report, written after the realisation.
    xlsx = reverse("analytics:report_lkjip_xlsx", args=[world.agency_a.pk]) + "?year=2023"
    book = openpyxl.load_workbook(io.BytesIO(client.get(xlsx).content))
    cells = [c.value for row in book["Kinerja"].iter_rows() for c in row]
    assert 105.88 in cells and 103.53 not in cells
    other = reverse("analytics:report_lkjip", args=[world.agency_b.pk])
    assert client.get(other).status_code == client.get(other).status_code == 404


def test_the_collaboration_network(lk, client, world):
    """Agency A shares its 2022 target with agency B: the 2022 graph gets its edge."""
    client.force_login(world.users["bappeda"])
    url = reverse("analytics:network") + "?year=2022"

    def write():
        share_target(
            world,
            lk,
            lk.t_a_2022,
            "Sekolah sehat 2022",
            "25",
            "KES-K2",
            "Sekolah yang diperiksa",
            "10",
        )

    before, after = kept_then_built(client, url, write)
    assert 'data-testid="no-data"' in before and 'data-testid="edge-row"' not in before
    assert 'data-testid="no-data"' not in after and after.count('data-testid="edge-row"') == 1
    assert 'id="network-data"' in after and "Sekolah sehat 2022" not in after


@pytest.mark.parametrize(
    ("role", "name", "agency"),
    [
        ("leadership", "api:dashboards-province", False),
        ("opd_head", "api:dashboards-agency", True),
    ],
)
def test_the_dashboard_api(lk, client, world, role, name, agency):
    client.force_login(world.users[role])
    url = reverse(name, args=[world.agency_a.pk] if agency else []) + "?year=2023"
    client.get("/nope/")
    with CaptureQueriesContext(connection) as built:
        first = client.get(url)
    with CaptureQueriesContext(connection) as kept:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json() and first.json()["filters"]["year"] == 2023
    assert len(kept) + MARGIN <= len(built), (len(kept), len(built))
    verify_q3(lk)()
    after = client.get(url).json()
    assert after != first.json()
    assert "103.53" in first.content.decode() and "105.88" in str(after)
    # A bad year and an agency out of reach answer as before, kept or not.
    for _twice in range(2):
        bad = client.get(url.replace("year=2023", "year=abc"))
        assert bad.status_code == 400 and "year" in bad.json()
    if agency:
        other = reverse(name, args=[world.agency_b.pk])
        assert client.get(other).status_code == client.get(other).status_code == 404
