"""The cascade health pages, their Excel workbooks and the API: who reads what (Bappeda and
the instansi-wide readers every agency and the province, a head or an agency administrator
their own, 404 for another), the counts, the filters, the paging and the export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.cache import cache

from kinerja.analytics.views import health as health_views

from .test_health_checks import h  # noqa: F401 (the fixture)

OVERVIEW = "/dashboards/cascade-health/"


def agency_url(pk, tail=""):
    return f"/dashboards/cascade-health/agencies/{pk}/{tail}"


def _rows(response):
    import re

    return [int(pk) for pk in re.findall(r'data-agency="(\d+)"', response.content.decode())]


@pytest.fixture
def broken(h):  # noqa: F811
    """Two loose results in agency A's staff plan, one indicator of agency B without a
    baseline."""
    h.loose = [h.result(h.staff_plan, f"Tersusunnya laporan {n}") for n in (1, 2)]
    h.ind_b = h.indicator(h.objective_b, "KES-02", "Persentase puskesmas", baseline=None)
    for sub in h.subs[:3]:
        h.realise(h.ind_b.targets.get(), sub)
    return h


def test_bappeda_sees_every_agency_and_the_province_with_counts(broken, client):
    w = broken.world
    client.force_login(w.users["bappeda"])
    page = client.get(OVERVIEW + "?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kesehatan kaskade 2026" in text
    assert _rows(page) == [0, w.agency_a.pk, w.agency_b.pk]
    assert w.agency_x.name not in text  # another instansi's
    assert "Hasil yang tidak mendukung apa pun" in text
    # Sorted by the orphan column, most first: agency A (2) leads.
    page = client.get(OVERVIEW + "?year=2026&sort=-orphan")
    assert _rows(page)[0] == w.agency_a.pk
    page = client.get(OVERVIEW + "?year=2026&sort=-manual")
    assert _rows(page)[0] == w.agency_b.pk


def test_the_overview_counts_are_the_agency_pages_findings(broken, client):
    w = broken.world
    client.force_login(w.users["bappeda"])
    page = client.get(OVERVIEW + "?year=2026").content.decode()
    row = page.split(f'data-agency="{w.agency_a.pk}"')[1].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('class="text-end')[1:]]
    assert cells[0].endswith(">2")  # orphan
    assert cells[-1].endswith(">2")  # total
    agency = client.get(agency_url(w.agency_a.pk, "?year=2026")).content.decode()
    assert agency.count('data-testid="finding"') == 2
    assert "2 temuan" in agency


def test_a_head_sees_only_their_own_agency(broken, client):
    w = broken.world
    client.force_login(w.users["opd_head"])
    assert _rows(client.get(OVERVIEW)) == [w.agency_a.pk]
    page = client.get(agency_url(w.agency_a.pk))
    assert page.status_code == 200
    assert "Tersusunnya laporan 1" in page.content.decode()
    assert client.get(agency_url(w.agency_b.pk)).status_code == 404
    assert client.get(agency_url(0)).status_code == 404
    assert client.get(agency_url(w.agency_x.pk)).status_code == 404
    assert client.get(agency_url(w.agency_b.pk, "export/")).status_code == 404
    api = client.get("/api/v1/cascade-health/", HTTP_ACCEPT="application/json").json()
    assert [a["id"] for a in api["agencies"]] == [w.agency_a.pk]
    assert api["agencies"][0]["counts"]["orphan"] == 2
    assert client.get(f"/api/v1/cascade-health/{w.agency_b.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["bkd", "bpsdm", "evaluator", "employee"])
def test_other_roles_are_refused(h, client, role):  # noqa: F811
    client.force_login(h.world.users[role])
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(agency_url(h.world.agency_a.pk)).status_code == 403
    assert client.get("/api/v1/cascade-health/").status_code == 403


def test_the_menu_shows_cascade_health_to_its_readers_only(h, client):  # noqa: F811
    client.force_login(h.world.users["leadership"])
    assert "Kesehatan kaskade" in client.get("/").content.decode()
    client.force_login(h.world.users["bkd"])
    assert "Kesehatan kaskade" not in client.get("/").content.decode()


def test_the_agency_page_filters_by_check_and_says_when_a_filter_is_wrong(broken, client):
    w = broken.world
    broken.result(broken.head_plan, "Terwujudnya tata kelola")  # orphan and plan, agency A
    client.force_login(w.users["bappeda"])
    page = client.get(agency_url(w.agency_a.pk, "?year=2026&check=orphan")).content.decode()
    assert page.count('data-testid="finding"') == 3
    assert 'data-kind="orphan_result"' in page
    page = client.get(agency_url(w.agency_a.pk, "?year=2026&check=nope")).content.decode()
    assert "“nope” bukan jenis pemeriksaan." in page
    assert page.count('data-testid="finding"') == 3  # the wrong filter is ignored
    page = client.get(agency_url(w.agency_a.pk, "?year=1999")).content.decode()
    assert "“1999” bukan tahun yang memiliki periode; yang ditampilkan 2026." in page


def test_the_agency_page_is_paged(broken, client, monkeypatch):
    w = broken.world
    monkeypatch.setattr(health_views, "health_policy", lambda year: {"page_size": 1})
    client.force_login(w.users["bappeda"])
    first = client.get(agency_url(w.agency_a.pk, "?year=2026")).content.decode()
    second = client.get(agency_url(w.agency_a.pk, "?year=2026&page=2")).content.decode()
    assert first.count('data-testid="finding"') == second.count('data-testid="finding"') == 1
    assert ("Tersusunnya laporan 1" in first) != ("Tersusunnya laporan 1" in second)


def test_the_excel_export_lists_the_findings_and_keeps_formulas_as_text(broken, client):
    w = broken.world
    client.force_login(w.users["bappeda"])
    response = client.get(agency_url(w.agency_a.pk, "export/?year=2026&check=orphan"))
    assert response.status_code == 200
    assert "kesehatan-kaskade-DIKBUD-2026.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Pemeriksaan", "Tingkat", "Temuan")
    assert len(rows) == 1 + 2
    assert {r[4] for r in rows[1:]} == {
        "Siti Aminah: Tersusunnya laporan 1",
        "Siti Aminah: Tersusunnya laporan 2",
    }
    assert rows[1][6] == f"http://testserver/plans/skp/{broken.staff_plan.pk}/"
    # An indicator whose code a spreadsheet would run as a formula stays text.
    broken.indicator(broken.target_a, "=SUM(A1)", "Persentase uji", baseline=None)
    cache.clear()  # written straight, with no audit event to make the kept report stale
    response = client.get(agency_url(w.agency_a.pk, "export/?year=2026&check=manual"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=5)
    assert (cell.value, cell.data_type) == ("=SUM(A1) Persentase uji", "s")


def test_the_overview_export_has_the_tables_numbers(broken, client):
    w = broken.world
    client.force_login(w.users["bappeda"])
    response = client.get(OVERVIEW + "export/?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Perangkat Daerah"
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Dinas Pendidikan"][2] == 2 and by_name["Dinas Pendidikan"][-1] == 2
    assert by_name["Dinas Kesehatan"][3] == 1
    assert "Provinsi (RPJMD)" in by_name


def test_the_api_gives_the_summary_and_an_agencys_findings(broken, client):
    w = broken.world
    client.force_login(w.users["inspektorat"])
    summary = client.get("/api/v1/cascade-health/?year=2026").json()
    assert [c["code"] for c in summary["checks"]][:2] == ["orphan", "manual"]
    assert summary["totals"]["orphan"] == 2 and summary["totals"]["manual"] == 1
    assert [a["id"] for a in summary["agencies"]] == [0, w.agency_a.pk, w.agency_b.pk]
    body = client.get(f"/api/v1/cascade-health/{w.agency_a.pk}/?year=2026&check=orphan").json()
    assert body["count"] == 2 and body["counts"]["orphan"] == 2
    first = body["results"][0]
    assert first["kind"] == "orphan_result" and first["severity"] == "medium"
    assert first["fix_url"] == f"http://testserver/plans/skp/{broken.staff_plan.pk}/"
    assert first["message"].startswith("Hasil kerja ini")


def test_the_api_refuses_bad_filters_with_a_message_per_field(h, client):  # noqa: F811
    client.force_login(h.world.users["bappeda"])
    response = client.get(f"/api/v1/cascade-health/{h.world.agency_a.pk}/?check=x&page=0")
    assert response.status_code == 400
    assert response.json() == {
        "check": ["“x” bukan jenis pemeriksaan."],
        "page": ["Isikan nomor halaman mulai dari 1."],
    }
    response = client.get("/api/v1/cascade-health/?year=abc")
    assert response.status_code == 400
    assert response.json() == {"year": ["“abc” bukan tahun yang memiliki periode."]}


def test_without_a_period_the_page_says_so(world, client):
    client.force_login(world.users["bappeda"])
    page = client.get(OVERVIEW).content.decode()
    assert "Belum ada tahun kinerja yang dibuka" in page


def test_the_pages_speak_english_on_request(broken, client):
    w = broken.world
    client.force_login(w.users["bappeda"])
    client.cookies["django_language"] = "en"
    overview = client.get(OVERVIEW + "?year=2026").content.decode()
    assert "Cascade health 2026" in overview and "Results that serve nothing" in overview
    page = client.get(agency_url(w.agency_a.pk, "?year=2026")).content.decode()
    assert "This result serves no result of the evaluator&#x27;s plan." in page


def test_the_kept_report_follows_the_next_audited_write(broken, client):
    from kinerja.audit.services import record

    w = broken.world
    client.force_login(w.users["bappeda"])
    url = agency_url(w.agency_a.pk, "?year=2026&check=orphan")
    assert client.get(url).content.decode().count('data-testid="finding"') == 2
    loose = broken.result(broken.staff_plan, "Tersusunnya laporan 3")
    # Kept: the row was written straight, with no event.
    assert client.get(url).content.decode().count('data-testid="finding"') == 2
    record(actor=w.users["bappeda"], action="plan.result_add", target=loose.plan)
    assert client.get(url).content.decode().count('data-testid="finding"') == 3
