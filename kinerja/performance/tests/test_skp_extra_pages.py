"""Pages and API around the employee plan: the bulk cascade page and endpoint, the tree
fragment, the dialogue, the work log, the SKP PDF (read back with pypdf) and the e-Kinerja
workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from kinerja.performance.models import Indicator, PlanDialogue, PlanResult, Target
from kinerja.performance.services import skp_extra

from .test_skp import add_indicator, add_result, s  # noqa: F401
from .test_skp_extra import team  # noqa: F401


@pytest.fixture
def t(team):  # noqa: F811
    return team


def test_cascade_page_lists_reports_and_reports_the_skip(t, client):
    client.force_login(t.kabid_user)
    url = reverse("performance:plan_cascade", args=[t.kabid_result.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="cascade-row"') == 3
    answer = client.post(
        url, {"employees": [t.siti.pk, t.andi.pk, t.dewi.pk], "kind": "main", "text": ""}
    )
    body = answer.content.decode()
    assert answer.status_code == 200
    assert body.count('data-testid="cascade-created"') == 2
    assert body.count('data-testid="cascade-skipped"') == 1 and "Dewi" in body
    assert PlanResult.objects.filter(serves=t.kabid_result).count() == 2
    client.force_login(t.siti_user)
    assert client.get(url).status_code in (403, 404)


def test_cascade_api_answers_created_and_skipped(t, client):
    client.force_login(t.kabid_user)
    url = reverse("api:plan-result-cascade", args=[t.kabid_result.pk])
    answer = client.post(
        url, {"employees": [t.siti.pk, t.dewi.pk]}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert [c["employee"] for c in data["created"]] == [t.siti.pk]
    assert [(k["employee"], k["reason"]) for k in data["skipped"]] == [(t.dewi.pk, "not_draft")]
    bad = client.post(url, {"employees": []}, content_type="application/json")
    assert bad.status_code == 400 and "employees" in bad.json()


def test_tree_fragment_and_api(t, client):
    skp_extra.plan_cascade(
        actor=t.kabid_user, scope=t.kabid_scope, result=t.kabid_result, employees=[t.andi.pk]
    )
    client.force_login(t.kabid_user)
    page = client.get(
        reverse("performance:plan_result_tree", args=[t.kabid_result.pk]), HTTP_HX_REQUEST="true"
    )
    assert page.content.decode().count('data-testid="tree-node"') == 2
    data = client.get(reverse("api:plan-result-tree", args=[t.kabid_result.pk])).json()
    assert [c["employee_name"] for c in data["children"]] == ["Andi"]


def test_dialogue_page_and_api(t, client):
    result = add_result(t, t.siti_plan, t.siti_scope, t.siti_user)
    client.force_login(t.siti_user)
    url = reverse("performance:plan_dialogue", args=[result.pk])
    answer = client.post(url, {"kind": "dialogue", "text": "Mohon arahan"})
    assert answer.status_code == 200 and "Mohon arahan" in answer.content.decode()
    client.force_login(t.kabid_user)
    api = reverse("api:plan-result-dialogue", args=[result.pk])
    created = client.post(
        api, {"kind": "feedback", "text": "Lanjutkan"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["author_name"] == "Hartono"
    client.force_login(t.head_user)  # the evaluator's superior reads only
    assert [e["text"] for e in client.get(api).json()] == ["Mohon arahan", "Lanjutkan"]
    assert client.post(api, {"text": "x"}, content_type="application/json").status_code == 403
    assert PlanDialogue.objects.count() == 2


def test_work_log_api_refused_while_off(t, client):
    result = add_result(t, t.siti_plan, t.siti_scope, t.siti_user)
    client.force_login(t.siti_user)
    api = reverse("api:plan-result-work-log", args=[result.pk])
    payload = {"on": "2024-03-04", "description": "Rapat"}
    refused = client.post(api, payload, content_type="application/json")
    assert refused.status_code == 400 and "on" in refused.json()
    client.force_login(t.world.users["system_admin"])
    setting = client.post(
        reverse("api:period-work-log", args=[t.period.pk]),
        {"enabled": True},
        content_type="application/json",
    )
    assert setting.json() == {"enabled": True}
    client.force_login(t.siti_user)
    assert client.post(api, payload, content_type="application/json").status_code == 201
    assert [e["description"] for e in client.get(api).json()] == ["Rapat"]


def _content(t):
    result = add_result(t, t.siti_plan, t.siti_scope, t.siti_user, text="Laporan SMA tersusun")
    add_indicator(t.siti_plan, result, t.siti_scope, t.siti_user)
    return result


def test_skp_pdf_has_the_official_parts(t, client):
    _content(t)
    client.force_login(t.siti_user)
    answer = client.get(reverse("performance:plan_pdf", args=[t.siti_plan.pk]))
    assert answer["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    text = " ".join(text.split())
    for part in (
        "SASARAN KINERJA PEGAWAI",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "ATASAN PEJABAT PENILAI KINERJA",
        "Hartono",
        "Laporan SMA tersusun",
        "Jumlah laporan",
        "12 dokumen",
        "Kuantitas",
        "Berorientasi Pelayanan",
        "DUKUNGAN SUMBER DAYA",
        "SKEMA PERTANGGUNGJAWABAN",
        "KONSEKUENSI",
        "Pejabat Penilai Kinerja",
        "DRAF",
    ):
        assert part in text, part
    api = client.get(reverse("api:plan-pdf", args=[t.siti_plan.pk]))
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    client.force_login(t.world.users["evaluator"])
    assert client.get(reverse("api:plan-pdf", args=[t.siti_plan.pk])).status_code == 404


def test_ekinerja_workbook_one_row_per_indicator(t, client):
    result = _content(t)
    indicator = Indicator.objects.get(result=result)
    client.force_login(t.siti_user)
    answer = client.get(reverse("performance:plan_export", args=[t.siti_plan.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ID RHK", "ID Indikator", "NIP", "Nama")
    assert rows[1] == (
        result.pk,
        indicator.pk,
        t.siti.nip,
        t.siti.display_name,
        dt.datetime(2024, 1, 1),
        dt.datetime(2024, 12, 31),
        "Utama",
        "Laporan SMA tersusun",
        "Kuantitas",
        "Jumlah laporan",
        12,
        "dokumen",
        None,
    )
    assert Target.objects.get(indicator=indicator).value == 12
    api = client.get(reverse("api:plan-ekinerja", args=[t.siti_plan.pk]))
    assert api.content[:2] == b"PK"


def _import(user, data: bytes, *, dry_run=False):
    from kinerja.accounts.scope import scope_for
    from kinerja.imports.engine import import_run
    from kinerja.imports.readers import read_table
    from kinerja.performance.skp_importer import PlanResultImporter

    return import_run(
        actor=user,
        scope=scope_for(user),
        importer=PlanResultImporter,
        table=read_table(io.BytesIO(data), "skp.xlsx"),
        dry_run=dry_run,
    )


def test_ekinerja_workbook_imports_again_unchanged_then_adds_and_changes(t, client):
    result = _content(t)
    admin = t.world.users["system_admin"]
    client.force_login(admin)
    data = client.get(reverse("performance:plan_export", args=[t.siti_plan.pk])).content
    outcome = _import(admin, data)
    assert outcome.valid, outcome.errors
    assert outcome.counts == {"created": 0, "updated": 0, "unchanged": 1}
    # Change the target, add an indicator to the result and a new result with one.
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    row = [c.value for c in sheet[2]]
    sheet.cell(2, 11, 15)
    sheet.append([result.pk, None, *row[2:8], "Kualitas", "Laporan tepat waktu", 100, "persen"])
    sheet.append(
        [None, None, *row[2:6], "Tambahan", "Rapat tim", "Kuantitas", "Notula", 4, "dokumen"]
    )
    out = io.BytesIO()
    book.save(out)
    before = PlanResult.objects.filter(plan=t.siti_plan).count()
    dry = _import(admin, out.getvalue(), dry_run=True)
    assert dry.valid, dry.errors
    assert dry.counts == {"created": 3, "updated": 1, "unchanged": 0}
    assert PlanResult.objects.filter(plan=t.siti_plan).count() == before
    done = _import(admin, out.getvalue())
    assert done.valid, done.errors
    indicators = Indicator.objects.filter(result__plan=t.siti_plan).order_by("pk")
    assert [(i.result.text, i.name, i.aspect) for i in indicators] == [
        ("Laporan SMA tersusun", "Jumlah laporan", "quantity"),
        ("Laporan SMA tersusun", "Laporan tepat waktu", "quality"),
        ("Rapat tim", "Notula", "quantity"),
    ]
    assert Target.objects.get(indicator=indicators[0], year=2024).value == 15
    assert PlanResult.objects.get(plan=t.siti_plan, text="Rapat tim").kind == "additional"
    # A NIP without a plan starting that day is refused, naming the column.
    sheet.cell(3, 5, dt.date(2024, 2, 1))
    out = io.BytesIO()
    book.save(out)
    refused = _import(admin, out.getvalue())
    assert not refused.valid and {e.column for e in refused.errors} == {"nip"}
