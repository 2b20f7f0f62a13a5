"""The register's pages: scope, filters, order, heat map, exports, forms and raising from the
early warning. Pages speak Indonesian by default."""

import datetime as dt
import html
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from kinerja.risks import services
from kinerja.risks.models import Mitigation, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def risks(world, plan, call, risk_data):
    """Agency A: 4x5 (20, very high, with a mitigation) and 2x3 (6, low, closed); agency B:
    3x4 (12, medium); the province's key indicator: 5x5 (25)."""
    a_high = services.risk_create(**call("opd_admin"), instansi=world.instansi, data=risk_data())
    services.mitigation_add(
        **call("opd_admin"),
        risk=a_high,
        data={
            "action": "Bantuan biaya pendidikan",
            "responsible_name": "Bidang SMA",
            "due_on": dt.date(2026, 6, 30),
        },
    )
    a_low = services.risk_create(
        **call("opd_admin"),
        instansi=world.instansi,
        data=risk_data(target=plan.target_a2, title='=HYPERLINK("x")', likelihood=2, impact=3),
    )
    services.risk_close(**call("opd_admin"), risk=a_low, reason="Sudah tertangani")
    b_mid = services.risk_create(
        **call("bappeda"),
        instansi=world.instansi,
        data=risk_data(
            target=plan.target_b,
            title="Akreditasi puskesmas tertunda",
            likelihood=3,
            impact=4,
            owner_position=world.head_pos_a,
        ),
    )
    province = services.risk_create(
        **call("bappeda"),
        instansi=world.instansi,
        data=risk_data(
            target=plan.target_iku,
            title="Prevalensi stunting tidak turun",
            likelihood=5,
            impact=5,
            owner_position=world.head_pos_a,
        ),
    )
    return {"a_high": a_high, "a_low": a_low, "b_mid": b_mid, "province": province}


def _titles(response):
    """The titles of the register's rows, as the page shows them (the rows are read lazily,
    and not at all when the page is kept)."""
    rows = re.findall(
        r'<tr data-testid="risk-row">\s*<td><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )
    return [html.unescape(title) for title in rows]


def test_register_sorted_by_level_in_indonesian(world, risks, login):
    response = login(world.users["bappeda"]).get(reverse("risks:risk_list"))
    assert response.status_code == 200
    assert _titles(response) == [
        "Prevalensi stunting tidak turun",  # 25
        "APK SMA/SMK tidak mencapai target",  # 20
        "Akreditasi puskesmas tertunda",  # 12
        '=HYPERLINK("x")',  # 6
    ]
    html = response.content.decode()
    assert "Register risiko" in html
    assert "Sangat tinggi" in html
    assert 'data-band="very_high"' in html
    # 12 (medium) has no active mitigation: marked; 20 has one.
    assert html.count('data-testid="untreated"') == 2  # 25 and 12


def test_register_filters(world, risks, plan, login):
    client = login(world.users["bappeda"])
    url = reverse("risks:risk_list")
    assert _titles(client.get(url, {"band": "very_high"})) == [
        "Prevalensi stunting tidak turun",
        "APK SMA/SMK tidak mencapai target",
    ]
    assert _titles(client.get(url, {"agency": world.agency_b.pk})) == [
        "Akreditasi puskesmas tertunda"
    ]
    assert _titles(client.get(url, {"status": "closed"})) == ['=HYPERLINK("x")']
    assert len(_titles(client.get(url, {"status": "live"}))) == 3
    assert _titles(client.get(url, {"kind": "goal"})) == []
    assert _titles(client.get(url, {"likelihood": 3, "impact": 4})) == [
        "Akreditasi puskesmas tertunda"
    ]


def test_agency_roles_see_their_agency_only_and_others_404(world, risks, login):
    for role in ("opd_admin", "opd_head"):
        client = login(world.users[role])
        assert _titles(client.get(reverse("risks:risk_list"))) == [
            "APK SMA/SMK tidak mencapai target",
            '=HYPERLINK("x")',
        ]
        assert client.get(risks["b_mid"].get_absolute_url()).status_code == 404
        assert client.get(risks["province"].get_absolute_url()).status_code == 404


def test_employee_and_evaluator_have_no_register(world, risks, login):
    for role in ("employee", "evaluator"):
        client = login(world.users[role])
        assert client.get(reverse("risks:risk_list")).status_code == 403
        assert client.get(risks["a_high"].get_absolute_url()).status_code == 403


def test_register_export_holds_the_filtered_rows_with_formulas_as_text(world, risks, login):
    response = login(world.users["opd_admin"]).get(reverse("risks:risk_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[1] == "Risiko" and header[12] == "Level risiko"
    assert [(r[1], r[12], r[13]) for r in rows[1:]] == [
        ("APK SMA/SMK tidak mencapai target", 20, "Sangat tinggi"),
        ('=HYPERLINK("x")', 6, "Rendah"),
    ]
    cell = sheet.cell(row=3, column=2)
    assert cell.data_type == "s"  # text, not a formula


def test_heatmap_counts_live_risks_per_cell_with_its_table_and_workbook(world, risks, login):
    client = login(world.users["bappeda"])
    response = client.get(reverse("risks:heatmap"))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    cells = {(c["likelihood"], c["impact"]): c["count"] for r in matrix["rows"] for c in r["cells"]}
    assert cells[(4, 5)] == 1 and cells[(5, 5)] == 1 and cells[(3, 4)] == 1
    assert cells[(2, 3)] == 0  # closed: not live
    assert matrix["total"] == 3
    assert {b["band"].key: b["count"] for b in matrix["bands"]} == {
        "very_low": 0,
        "low": 0,
        "medium": 1,
        "high": 0,
        "very_high": 2,
    }
    html = response.content.decode()
    assert "vendor/echarts-5.6.0/echarts.min.js" in html
    assert 'id="risk-heatmap-data"' in html
    assert 'data-testid="heatmap-total">3<' in html
    book = client.get(reverse("risks:heatmap_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Kemungkinan \\ dampak"
    by_likelihood = {r[0][:1]: r[1:7] for r in rows[1:6]}
    assert by_likelihood["5"] == (0, 0, 0, 0, 1, 1)
    assert by_likelihood["4"] == (0, 0, 0, 0, 1, 1)
    assert by_likelihood["3"] == (0, 0, 0, 1, 0, 1)
    assert rows[6][0] == "Jumlah" and rows[6][-1] == 3


def test_heatmap_residual_counts_only_risks_with_a_residual_level(world, risks, call, login):
    services.risk_update(
        **call("opd_admin"),
        risk=risks["a_high"],
        data={"residual_likelihood": 2, "residual_impact": 5},
    )
    response = login(world.users["bappeda"]).get(reverse("risks:heatmap"), {"basis": "residual"})
    matrix = response.context["matrix"]
    assert matrix["total"] == 1 and matrix["without"] == 2
    cells = {(c["likelihood"], c["impact"]): c["count"] for r in matrix["rows"] for c in r["cells"]}
    assert cells[(2, 5)] == 1


def test_risk_page_shows_levels_mitigations_and_history(world, risks, login):
    response = login(world.users["opd_admin"]).get(risks["a_high"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bantuan biaya pendidikan" in html
    assert "Sedang dimitigasi" in html  # the risk's status after the mitigation
    assert "risk.create" in html and "risk.mitigation_add" in html  # the two histories
    assert reverse("risks:risk_update", args=[risks["a_high"].pk]) in html
    head = login(world.users["opd_head"]).get(risks["a_high"].get_absolute_url())
    assert reverse("risks:risk_update", args=[risks["a_high"].pk]) not in head.content.decode()


def test_create_form_shows_refusals_beside_the_fields_and_writes_nothing(world, plan, login):
    client = login(world.users["opd_admin"])
    url = reverse("risks:risk_create", args=["target", plan.target_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "likelihood": "", "impact": "5"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["likelihood"] == ["Pilih tingkat dari 1 sampai 5."]
    assert form.errors["title"] == ["Isikan nama risiko."]
    assert not Risk.objects.exists()
    response = client.post(
        url,
        {
            "title": "Lulusan SMK menganggur",
            "category": "performance",
            "cause": "Link and match belum jalan",
            "impact_description": "Target tidak tercapai",
            "likelihood": "4",
            "impact": "5",
            "identified_on": "2026-03-01",
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert (risk.level, risk.owner_position) == (20, world.head_pos_a)


def test_forms_are_for_managers_only(world, risks, plan, login):
    head = login(world.users["opd_head"])
    assert (
        head.get(reverse("risks:risk_create", args=["target", plan.target_a.pk])).status_code == 403
    )
    assert head.get(reverse("risks:risk_update", args=[risks["a_high"].pk])).status_code == 403
    admin = login(world.users["opd_admin"])
    url = reverse("risks:risk_create", args=["target", plan.target_b.pk])
    assert admin.get(url).status_code == 404


def test_mitigation_and_close_forms(world, risks, login):
    client = login(world.users["opd_admin"])
    risk = risks["a_high"]
    url = reverse("risks:mitigation_create", args=[risk.pk])
    response = client.post(url, {"action": "Sosialisasi", "due_on": "2026-01-01"})
    assert response.status_code == 400
    assert response.context["form"].errors["responsible_position"] == [
        "Sebutkan penanggung jawab: jabatan atau nama."
    ]
    response = client.post(
        url, {"action": "Sosialisasi", "responsible_name": "Bidang SMK", "due_on": "2026-08-01"}
    )
    assert response.status_code == 302
    m = Mitigation.objects.get(action="Sosialisasi")
    response = client.post(
        reverse("risks:mitigation_update", args=[m.pk]),
        {
            "action": "Sosialisasi",
            "responsible_name": "Bidang SMK",
            "due_on": "2026-08-01",
            "status": "in_progress",
            "progress_percent": "40",
        },
    )
    m.refresh_from_db()
    assert (m.status, m.progress_percent) == ("in_progress", 40)
    response = client.post(reverse("risks:risk_close", args=[risk.pk]), {"status": "closed"})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Jelaskan mengapa risiko ditutup atau diterima."
    ]
    client.post(
        reverse("risks:risk_close", args=[risk.pk]),
        {"status": "closed", "reason": "Tertangani", "closed_on": "2026-10-01"},
    )
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on) == ("closed", dt.date(2026, 10, 1))


def test_raise_from_target_page_previews_and_raises_once(world, plan, login):
    client = login(world.users["opd_admin"])
    url = reverse("risks:risk_from_target", args=[plan.target_a.pk])
    response = client.get(url, {"projected": "72", "threshold": "90"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview["likelihood"], preview["impact"], preview["level"]) == (4, 4, 16)
    html = response.content.decode()
    assert "Capaian Angka Partisipasi Kasar SMA/SMK diproyeksikan 72% (&lt; ambang 90%)" in html
    assert "Tinggi" in html
    response = client.post(url, {"projected_percent": "72", "threshold": "90"})
    risk = Risk.objects.get()
    assert response.status_code == 302 and risk.source == "early_warning"
    again = client.get(url, {"projected": "70", "threshold": "90"})
    assert 'data-testid="raise-existing"' in again.content.decode()
    response = client.post(url, {"projected_percent": "70", "threshold": "90"})
    assert response.status_code == 400
    assert "Target ini sudah memiliki risiko terbuka dari peringatan dini" in (
        response.content.decode()
    )
    assert Risk.objects.count() == 1


def test_raise_page_says_when_the_projection_is_not_below(world, plan, login):
    client = login(world.users["opd_admin"])
    url = reverse("risks:risk_from_target", args=[plan.target_a.pk])
    response = client.get(url, {"projected": "95", "threshold": "90"})
    assert "tidak di bawah ambang" in response.content.decode()


def test_pick_lists_only_what_the_caller_manages(world, plan, login):
    response = login(world.users["opd_admin"]).get(reverse("risks:risk_pick"), {"year": 2026})
    found = response.context["found"]
    assert {t.indicator.code for t in found["targets"]} == {"DIK-01", "DIK-02", "DIK-03"}
    assert [g.code for g in found["goals"]] == ["DIK.T1"]
    assert login(world.users["opd_head"]).get(reverse("risks:risk_pick")).status_code == 403


def test_register_and_heatmap_read_a_fixed_number_of_queries(world, plan, call, risk_data, login):
    client = login(world.users["bappeda"])

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.risk_create(**call("bappeda"), instansi=world.instansi, data=risk_data())
    urls = [reverse("risks:risk_list"), reverse("risks:heatmap"), reverse("risks:risk_export")]
    # The caller's scope and menu are worked out on a first page and kept (the scope across
    # risks written, which do not change who reaches what; the menu until the next write):
    # worked out before each count, so both hold the pages alone.
    client.get(reverse("accounts:password_change"))
    one = [count(url) for url in urls]
    for target in (plan.target_a2, plan.target_a3, plan.target_b):
        for n in range(3):
            risk = services.risk_create(
                **call("bappeda"),
                instansi=world.instansi,
                data=risk_data(target=target, title=f"Risiko {n}", owner_position=world.head_pos_a),
            )
            services.mitigation_add(
                **call("bappeda"),
                risk=risk,
                data={"action": "Aksi", "responsible_name": "Bidang", "due_on": "2026-06-01"},
            )
    client.get(reverse("accounts:password_change"))
    assert [count(url) for url in urls] == one
