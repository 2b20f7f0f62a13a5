"""The evaluation pages keep their read-only HTML (``{% kept %}``) until the next audited write
of the instansi: the second view of each page reads fewer queries and shows the same page, and
a write through the evaluation services (a rating, an evaluation opened, an override, a unit's
predikat set, an objection decided) shows on the next view. The forms (with their CSRF token)
and the objection panels are rendered each time, outside the kept parts."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.performance.services import evaluation as ev
from kinerja.performance.services import objections as ob

from .test_evaluation import ABOVE, AS, BELOW, approved, as_kabid, rollup, siti_plan
from .test_objections import as_budi, file, final_evaluation
from .test_skp import add_result, s  # noqa: F401 - the s fixture
from .test_unit_predikat import opened, set_to

D = Decimal
TEAM = reverse("performance:evaluation_team")
MINE = reverse("performance:evaluation_mine")
OVERRIDES = reverse("performance:evaluation_overrides")
UNITS = reverse("performance:unit_predikat_list")
TO_DECIDE = reverse("performance:objection_decide_list")
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _main(response) -> str:
    """The page from its main part on, the CSRF tokens masked (masked anew each response)."""
    assert response.status_code == 200
    return CSRF.sub(r"\1-", response.content.decode().split('<main id="main"')[1])


def _login(client, user) -> None:
    client.force_login(user)
    client.get("/nope/")  # the first request after a login reads the session once more


def _twice(client, url, params=None, margin=1) -> str:
    """View ``url`` twice: the second view reads at least ``margin`` queries fewer than the
    first and shows the same page, which is returned."""
    with CaptureQueriesContext(connection) as first:
        built = _main(client.get(url, params))
    with CaptureQueriesContext(connection) as again:
        kept = _main(client.get(url, params))
    assert kept == built
    assert len(again) <= len(first) - margin, (len(first), len(again))
    return kept


def _open(s, plan, number=1):
    return ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=number)


def test_my_evaluation_is_kept_and_shows_a_new_rating(s, client):
    plan = siti_plan(s)
    result = add_result(s, plan, s.siti_scope, s.siti_user, text="Laporan kurikulum")
    plan = approved(plan)
    rollup("plan", plan.pk, 1, D("100"))  # as expected
    evaluation = _open(s, plan)
    ev.evaluation_feedback(
        **as_kabid(s), evaluation=evaluation, version=1, feedback={result.pk: "Tepat waktu"}
    )
    _login(client, s.siti_user)
    text = _twice(client, MINE, {"year": 2024}, margin=5)
    assert text.count('data-testid="my-evaluation"') == 1
    assert "Tepat waktu" in text and "Laporan terlambat" not in text
    ev.evaluation_rate_results(
        **as_kabid(s), evaluation=evaluation, version=2, rating=BELOW, reason="Laporan terlambat"
    )
    text = _main(client.get(MINE, {"year": 2024}))
    assert "Laporan terlambat" in text and "Di Bawah Ekspektasi" in text and "Tepat waktu" in text


def test_my_evaluation_renders_the_objection_panel_each_time(s, client):
    evaluation = final_evaluation(s, finalised_at=timezone.now() - dt.timedelta(days=1))
    _login(client, s.siti_user)
    first = client.get(MINE, {"year": 2024}).content.decode()
    again = client.get(MINE, {"year": 2024}).content.decode()
    for text in (first, again):  # the form with the session's token, each time
        form = text.split('data-testid="objection-form"')[1].split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form
    file(s, evaluation, reasons="Target tercapai")
    text = client.get(MINE, {"year": 2024}).content.decode()
    assert 'data-testid="objection-form"' not in text and "Target tercapai" in text


def test_team_evaluations_are_kept_and_show_an_evaluation_opened(s, client):
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, D("79.99"))  # below expectation
    _login(client, s.kabid_user)
    text = _twice(client, TEAM, {"year": 2024, "when": "1"}, margin=10)
    assert text.count('data-testid="team-row"') == 1
    assert "Belum dibuka" in text.split('data-testid="team-row"')[1].split("</tr>")[0]
    # The open button submits the form outside the kept table, which holds the token.
    url = reverse("performance:evaluation_open", args=[plan.pk])
    assert f'form="evaluation-open" formaction="{url}"' in text
    form = text.split('id="evaluation-open"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form and 'name="when" value="1"' in form
    evaluation = _open(s, plan)
    text = _main(client.get(TEAM, {"year": 2024, "when": "1"}))
    detail = reverse("performance:evaluation_detail", args=[evaluation.pk])
    row = text.split('data-testid="team-row"')[1].split("</tr>")[0]
    assert f'href="{detail}"' in row and ">Draf<" in row and "Belum dibuka" not in row


def test_an_evaluation_keeps_its_read_only_parts_and_shows_a_new_rating(s, client):
    plan = approved(siti_plan(s))
    evaluation = _open(s, plan)
    url = reverse("performance:evaluation_detail", args=[evaluation.pk])
    # The employee reads it: no form, every part kept.
    _login(client, s.siti_user)
    text = _twice(client, url, margin=3)
    assert 'data-testid="rate-form"' not in text and 'data-testid="value-row"' not in text
    ev.evaluation_rate_behaviour(
        **as_kabid(s),
        evaluation=evaluation,
        version=1,
        rating=ABOVE,
        values={"adaptif": {"rating": ABOVE, "feedback": "Cepat belajar"}},
    )
    text = _main(client.get(url))
    assert text.count('data-testid="value-row"') == 1 and "Cepat belajar" in text
    assert "Adaptif" in text


def test_the_evaluators_forms_are_rendered_each_time(s, client):
    plan = approved(siti_plan(s))
    evaluation = _open(s, plan)
    url = reverse("performance:evaluation_detail", args=[evaluation.pk])
    _login(client, s.kabid_user)
    for _ in range(2):
        text = client.get(url).content.decode()
        for name in ("rate", "behaviour", "feedback", "finalise"):
            form = text.split(f'data-testid="{name}-form"')[1].split("</form>")[0]
            assert 'name="csrfmiddlewaretoken"' in form, name
            assert 'name="version" value="1"' in form, name
    ev.evaluation_rate_results(**as_kabid(s), evaluation=evaluation, version=1, rating=AS)
    text = _main(client.get(url))
    assert 'name="version" value="2"' in text and 'name="version" value="1"' not in text
    rated = text.split('data-testid="results-rating"')[1].split("</dd>")[0]
    assert "Sesuai Ekspektasi" in rated


def _override(s, plan, number, reason):
    evaluation = _open(s, plan, number)
    return ev.evaluation_rate_results(
        **as_kabid(s), evaluation=evaluation, version=1, rating=BELOW, reason=reason
    )


def test_the_overrides_are_kept_and_show_a_new_one(s, client):
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, D("100"))
    rollup("plan", plan.pk, 2, D("100"))
    _override(s, plan, 1, "Laporan terlambat")
    _login(client, s.world.users["bkd"])
    text = _twice(client, OVERRIDES, {"year": 2024}, margin=4)
    assert text.count('data-testid="override-row"') == 1 and "Laporan terlambat" in text
    _override(s, plan, 2, "Data tidak lengkap")
    text = _main(client.get(OVERRIDES, {"year": 2024}))
    assert text.count('data-testid="override-row"') == 2 and "Data tidak lengkap" in text


def test_the_unit_predikat_list_is_kept_and_shows_a_predikat_set(s, client):
    up = opened(s)
    _login(client, s.head_user)
    params = {"year": 2024, "sub_period": 1}
    text = _twice(client, UNITS, params, margin=8)
    row = text.split('data-testid="unit-predikat-row"')[1].split("</tr>")[0]
    assert up.unit.name in row and "<strong>—</strong>" in row
    form = text.split('data-testid="open-form"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form and f'<option value="{up.unit.pk}">' in form
    set_to(s, up, "baik")
    text = _main(client.get(UNITS, params))
    row = text.split('data-testid="unit-predikat-row"')[1].split("</tr>")[0]
    assert "<strong>Baik</strong>" in row


def test_a_unit_predikat_keeps_its_card_and_shows_a_predikat_set(s, client):
    up = opened(s)
    url = reverse("performance:unit_predikat_detail", args=[up.pk])
    _login(client, s.head_user)
    text = _twice(client, url, margin=8)
    assert 'data-testid="set-form"' in text
    set_to(s, up, "kurang")
    text = _main(client.get(url))
    assert "<strong>Kurang</strong>" in text.split('data-testid="predikat"')[1].split("</dd>")[0]
    assert 'data-testid="curve-band"' in text  # the curve of the predikat set


def test_objections_to_decide_are_kept_and_a_decision_shows(s, client):
    evaluation = final_evaluation(s, finalised_at=timezone.now() - dt.timedelta(days=1))
    objection = file(s, evaluation, reasons="Target tercapai")
    _login(client, s.head_user)
    text = _twice(client, TO_DECIDE, margin=2)
    assert text.count('data-testid="decide-row"') == 1 and "Target tercapai" in text
    assert s.siti.display_name in text and "Sub-periode 1" in text
    form = text.split('data-testid="decide-form"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form and 'name="version" value="1"' in form
    ob.objection_decide(
        **as_budi(s), objection=objection, version=1, decision="uphold", reason="Tetap"
    )
    text = _main(client.get(TO_DECIDE))
    assert 'data-testid="decide-row"' not in text
