"""The AKIP pages and API: the worksheet with the suggestion's reason and the predicted score,
the overview sorted and exported, the answer form's refusals in Indonesian, the follow-up
form, scoping (another agency's sheet is 404), and the API's 400 with field errors."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from kinerja.akip import services as svc
from kinerja.akip.models import Answer, Evaluation, Recommendation

AS_OF = dt.date(2024, 3, 31)


def start(k, agency=None):
    return svc.evaluation_start(
        actor=k.world.users["inspektorat"],
        scope=k.scopes["inspektorat"],
        agency=agency or k.world.agency_a,
        year=2023,
        as_of=AS_OF,
    )


def sheet_url(agency, year=2023):
    return reverse("akip:sheet", args=[agency.pk, year])


def test_the_sheet_shows_suggestions_their_reasons_and_the_predicted_score(akip, login):
    w = akip.world
    evaluation = start(akip)
    page = login(w.users["opd_head"]).get(sheet_url(w.agency_a))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Evaluasi AKIP 2023: Dinas Pendidikan" in body
    assert "Perjanjian Kinerja telah disusun dan ditandatangani tepat waktu" in body
    assert "ditandatangani pada 5 Januari 2023" in body
    # Suggested: 1.1.6 BB, 2.1.3 E (no IKU), 2.1.2 D (DIK-01 lacks baseline and data source:
    # 0 %, E), 2.2.6 E (no action plan). Only those sub-components have a score.
    rows = dict(evaluation.answers.exclude(grade="").values_list("criterion", "grade"))
    assert rows == {"1.1.6": "BB", "2.1.2": "E", "2.1.3": "E", "2.2.6": "E"}
    # 1.1: 80 % of 6 = 4.80; 2.1: 0; 2.2: 0 -> 4.80 points on 6 + 6 + 9 = 21 -> 22.86 predicted.
    assert "Nilai prediksi" in body and "22,86" in body  # Indonesian decimals
    assert "4,80 poin pada subkomponen yang sudah terjawab, senilai bobot 21 dari 100" in body
    assert 'data-state="predicted"' in body
    # The head reads, but has no form; agency B's head-less readers get 404.
    assert "Konfirmasi atau ubah" not in body
    assert login(w.users["opd_admin"]).get(sheet_url(w.agency_b)).status_code == 404
    assert login(w.users["bkd"]).get(sheet_url(w.agency_a)).status_code == 403
    inspector = login(w.users["inspektorat"]).get(sheet_url(w.agency_a)).content.decode()
    assert "Konfirmasi atau ubah" in inspector


def test_an_agency_not_started_shows_the_live_prediction_and_the_start_form(akip, login):
    w = akip.world
    page = login(w.users["inspektorat"]).get(sheet_url(w.agency_a)).content.decode()
    assert "Belum dimulai" in page and "Mulai evaluasi" in page
    response = login(w.users["inspektorat"]).post(
        reverse("akip:evaluation_start", args=[w.agency_a.pk, 2023]),
        {"budget_approved_on": "2023-01-03"},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(agency=w.agency_a, year=2023)
    assert evaluation.budget_approved_on == dt.date(2023, 1, 3)


def test_the_answer_form_refuses_in_indonesian_and_keeps_the_suggestion(akip, login):
    w = akip.world
    evaluation = start(akip)
    client = login(w.users["inspektorat"])
    url = reverse("akip:answer_set", args=[evaluation.pk, "1.1.6"])
    form = client.get(url).content.decode()
    assert "Saran sistem" in form and "BB" in form
    bad = client.post(url, {"grade": "A", "evidence_note": "", "evidence_link": ""})
    assert bad.status_code == 400
    assert "Isikan bukti dukung jawaban ini" in bad.content.decode()
    assert Answer.objects.get(evaluation=evaluation, criterion="1.1.6").source == "suggested"
    good = client.post(url, {"grade": "A", "evidence_note": "PK dua tahun tepat waktu"})
    assert good.status_code == 302
    row = Answer.objects.get(evaluation=evaluation, criterion="1.1.6")
    assert (row.grade, row.suggested_grade, row.source) == ("A", "BB", "answered")
    page = client.get(sheet_url(w.agency_a)).content.decode()
    assert "diubah dari saran" in page
    # Finalising with 79 criteria open is refused with the list.
    client.post(reverse("akip:evaluation_finalise", args=[evaluation.pk]))
    page = client.get(sheet_url(w.agency_a)).content.decode()
    assert "79 kriteria belum dijawab" in page
    assert Evaluation.objects.get(pk=evaluation.pk).status == "draft"


def test_the_overview_sorts_and_exports_the_same_numbers(akip, login):
    w = akip.world
    evaluation = start(akip)
    start(akip, agency=w.agency_b)  # no PK: its suggestions are all E or none
    client = login(w.users["leadership"])
    page = client.get(reverse("akip:overview") + "?year=2023&sort=-score").content.decode()
    assert page.index("Dinas Pendidikan") < page.index("Dinas Kesehatan")
    assert "22,86" in page
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("akip:overview_xlsx") + "?year=2023").content)
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Kode", "Perangkat Daerah", "Status", "Nilai", "Predikat")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Dinas Pendidikan"][3:6] == (22.86, "D", "Ya")
    assert by_name["Dinas Kesehatan"][3] == 0.0
    # The worksheet's workbook: the same numbers as the page.
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("akip:sheet_xlsx", args=[w.agency_a.pk, 2023])).content)
    )
    table = {r[0]: r for r in sheet.active.iter_rows(values_only=True) if r[0]}
    assert table["1.1"][2:6] == (6.0, None, None, 4.8)
    assert table["1.1.6"][3:7] == ("BB", 80.0, None, "prediksi")
    assert "ditandatangani pada 5 Januari 2023" in table["1.1.6"][8]
    last = list(sheet.active.iter_rows(values_only=True))[-1]
    assert last[1] == "Nilai prediksi" and last[3] == "D" and last[5] == 22.86
    # An agency's head sees only its own agency.
    own = login(w.users["opd_head"]).get(reverse("akip:overview") + "?year=2023").content.decode()
    assert "Dinas Kesehatan" not in own and "Dinas Pendidikan" in own
    assert evaluation.pk


def test_follow_up_page_and_the_api(akip, login):
    w = akip.world
    evaluation = start(akip)
    api = login(w.users["inspektorat"])
    bad = api.post(
        "/api/v1/akip-recommendations/",
        {
            "evaluation": evaluation.pk,
            "component": "9",
            "text": "Perbaiki",
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "responsible_unit": w.agency_a.pk,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "component" in bad.json()
    created = api.post(
        "/api/v1/akip-recommendations/",
        {
            "evaluation": evaluation.pk,
            "component": "2",
            "criterion": "2.2.6",
            "text": "Pantau rencana aksi tiap triwulan",
            "due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "responsible_unit": w.division_a.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    rec = Recommendation.objects.get()
    head = login(w.users["opd_head"])
    detail = head.get(reverse("akip:recommendation_detail", args=[rec.pk])).content.decode()
    assert "Catat tindak lanjut" in detail
    refused = head.post(
        reverse("akip:follow_up_add", args=[rec.pk]),
        {"on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(), "note": "x"},
    )
    assert refused.status_code == 400
    assert "Tanggal tidak boleh di masa depan" in refused.content.decode()
    ok = head.post(
        reverse("akip:follow_up_add", args=[rec.pk]),
        {"on": timezone.localdate().isoformat(), "note": "Dipantau triwulan III"},
    )
    assert ok.status_code == 302
    data = head.get(f"/api/v1/akip-recommendations/{rec.pk}/").json()
    assert data["status"] == "in_progress" and len(data["follow_ups"]) == 1
    # The API's evaluation: scores with concrete numbers, and the finalise refusal as 400.
    api = login(w.users["inspektorat"])
    read = api.get(f"/api/v1/akip-evaluations/{evaluation.pk}/").json()
    assert read["scores"]["predicted"] == "22.86" and read["scores"]["criteria"] == 80
    refused = api.post(f"/api/v1/akip-evaluations/{evaluation.pk}/finalise/")
    assert refused.status_code == 400 and "answers" in refused.json()
    assert (
        api.post(
            "/api/v1/akip-evaluations/",
            {"agency": w.agency_a.pk, "year": 2023},
            content_type="application/json",
        ).status_code
        == 400
    )
    # Another agency's head: 404.
    other = start(akip, agency=w.agency_b)
    head = login(w.users["opd_head"])
    assert head.get(f"/api/v1/akip-evaluations/{other.pk}/").status_code == 404


def test_the_overview_reads_a_fixed_number_of_queries(akip, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = akip.world
    client = login(w.users["inspektorat"])
    url = reverse("akip:overview") + "?year=2023"
    start(akip)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    start(akip, agency=w.agency_b)
    client.get(url)  # the figures kept until the data changes are read again once
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert len(two) == len(one)
