"""The AKIP overview and worksheet are kept ({% kept %}) until the next audited write: the
second view runs fewer queries and shows the same, an evaluation started or a criterion
answered shows on the next view, and the sheet's forms (with their CSRF token) stay outside
the kept parts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kinerja.akip import services as svc
from kinerja.audit.testing import counted_view

AS_OF = dt.date(2024, 3, 31)


def _start(k, agency):
    return svc.evaluation_start(
        actor=k.world.users["inspektorat"],
        scope=k.scopes["inspektorat"],
        agency=agency,
        year=2023,
        as_of=AS_OF,
    )


def test_the_overview_is_kept_until_an_evaluation_starts(akip, login):
    w = akip.world
    _start(akip, w.agency_a)
    client = login(w.users["leadership"])
    url = reverse("akip:overview") + "?year=2023"
    first, first_queries = counted_view(client, url)
    second, second_queries = counted_view(client, url)
    assert second == first
    assert "22,86" in first and "0 lembar kerja final dan 1 draf" in first
    # The agencies, their evaluations and the counts of answers are not read again.
    assert second_queries <= first_queries - 3
    _start(akip, w.agency_b)
    after, _ = counted_view(client, url)
    assert "0 lembar kerja final dan 2 draf" in after
    assert after.count("Belum dimulai") == first.count("Belum dimulai") - 1


def test_the_sheet_is_kept_until_an_answer_and_its_forms_are_not(akip, login):
    w = akip.world
    evaluation = _start(akip, w.agency_a)
    client = login(w.users["inspektorat"])
    url = reverse("akip:sheet", args=[w.agency_a.pk, 2023])
    first, first_queries = counted_view(client, url)
    second, second_queries = counted_view(client, url)
    assert second == first
    assert "22,86" in first and 'data-state="predicted"' in first
    # The answers, the recommendations and their follow-ups are not read again.
    assert second_queries <= first_queries - 2
    kept = client.get(url).content.decode()
    finalise = reverse("akip:evaluation_finalise", args=[evaluation.pk])
    form = kept[kept.index(f'action="{finalise}"') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]
    assert "diubah dari saran" not in first
    svc.answer_set(
        actor=w.users["inspektorat"],
        scope=akip.scopes["inspektorat"],
        evaluation=evaluation,
        criterion="1.1.6",
        grade="A",
        evidence_note="PK dua tahun tepat waktu",
    )
    after, _ = counted_view(client, url)
    assert "diubah dari saran" in after and "PK dua tahun tepat waktu" in after


def test_a_sheet_not_started_is_kept_with_its_start_form_outside(akip, login):
    w = akip.world
    client = login(w.users["inspektorat"])
    url = reverse("akip:sheet", args=[w.agency_a.pk, 2023])
    first, first_queries = counted_view(client, url)
    second, second_queries = counted_view(client, url)
    assert second == first and "Mulai evaluasi" in second
    assert second_queries < first_queries
    _start(akip, w.agency_a)
    after, _ = counted_view(client, url)
    assert "Mulai evaluasi" not in after and "Konfirmasi atau ubah" in after
