"""The evaluation pages: My evaluation, My team's evaluations (open, rate with a reason for an
override, behaviour per value, feedback per result, finalise, a stale version), the overrides
across agencies, the Excel export of each list, who reaches what, and a fixed number of
queries whatever the number of rows. Indonesian by default."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.tests.factories import EmployeeFactory, PositionFactory
from kinerja.organisations.tests.lines import hold, line
from kinerja.performance.models import Evaluation, EvaluationBehaviour
from kinerja.performance.selectors_evaluation import chosen_when
from kinerja.performance.services import evaluation as ev

from .test_evaluation import ABOVE, AS, BELOW, approved, as_kabid, rollup, siti_plan
from .test_skp import START, add_result, create, s, user_for  # noqa: F401 - the s fixture

D = Decimal
TEAM = reverse("performance:evaluation_team")
MINE = reverse("performance:evaluation_mine")
OVERRIDES = reverse("performance:evaluation_overrides")


def _open(s, plan, number=1):
    return ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=number)


def _team_rows(response) -> int:
    """The rows of the team page (read from its HTML: the rows are kept, not in the context)."""
    return response.content.decode().count('data-testid="team-row"')


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# Which sub-period the team page shows by default -----------------------------------------


def test_the_default_is_the_last_sub_period_that_has_ended(s):
    period = s.period  # 2024, quarterly
    when, choices = chosen_when(period, "", dt.date(2024, 7, 1))
    assert [c.key for c in choices] == ["1", "2", "3", "4", "annual"]
    assert when.key == "2"  # Q2 ended on 30 June
    assert chosen_when(period, "", dt.date(2024, 6, 30))[0].key == "1"  # Q2 not over yet
    assert chosen_when(period, "", dt.date(2024, 2, 1))[0].key == "1"  # none over: the first
    assert chosen_when(period, "", dt.date(2025, 1, 1))[0].key == "annual"  # all over
    assert chosen_when(period, "3", dt.date(2025, 1, 1))[0].key == "3"  # asked for
    assert chosen_when(period, "9", dt.date(2024, 7, 1))[0].key == "2"  # unknown: the default


# My team's evaluations ---------------------------------------------------------------------


def test_team_page_shows_the_suggestion_and_opens_an_evaluation(s, client):
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, D("79.99"))  # under 80 %: below expectation
    post = PositionFactory(unit=s.world.division_a, title="Analis Draf")
    line(post, s.kabid_post, START)
    tono = hold(EmployeeFactory(unit=s.world.division_a, name="Tono"), post, START)
    tono_user = user_for(s.world, tono, "tono")
    create(s, tono, scope_for(tono_user), tono_user)  # a draft: not listed
    client.force_login(s.kabid_user)
    response = client.get(TEAM, {"year": 2024, "when": "1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('data-testid="team-row"') == 1
    assert "79,99 %" in text and "Di Bawah Ekspektasi" in text  # Indonesian by default
    assert "Evaluasi tim" in text and "Buka evaluasi" in text
    response = client.post(reverse("performance:evaluation_open", args=[plan.pk]), {"when": "1"})
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:evaluation_detail", args=[evaluation.pk])
    assert (evaluation.sub_period, evaluation.suggested_rating) == (1, BELOW)
    # Opened twice: refused with a message, still one.
    response = client.post(
        reverse("performance:evaluation_open", args=[plan.pk]), {"when": "1"}, follow=True
    )
    assert "sudah dibuka" in response.content.decode()
    assert Evaluation.objects.count() == 1
    # The filter by state: opened (draft) shows it, not opened does not.
    assert (
        client.get(TEAM, {"year": 2024, "when": "1", "state": "draft"})
        .content.decode()
        .count('data-testid="team-row"')
        == 1
    )
    assert (
        client.get(TEAM, {"year": 2024, "when": "1", "state": "todo"})
        .content.decode()
        .count('data-testid="team-row"')
        == 0
    )


def test_a_sub_period_the_plan_does_not_cover_is_not_listed(s, client):
    plan = approved(siti_plan(s, ends=dt.date(2024, 6, 30)))  # Q1 and Q2 only
    client.force_login(s.kabid_user)
    response = client.get(TEAM, {"year": 2024, "when": "2"})
    assert _team_rows(response) == 1
    assert reverse("performance:plan_detail", args=[plan.pk]) in response.content.decode()
    assert _team_rows(client.get(TEAM, {"year": 2024, "when": "3"})) == 0
    assert _team_rows(client.get(TEAM, {"year": 2024, "when": "annual"})) == 1


def test_override_without_reason_shows_the_message_and_saves_nothing(s, client):
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, D("110.01"))  # over 110 %: above expectation
    evaluation = _open(s, plan)
    url = reverse("performance:evaluation_rate", args=[evaluation.pk])
    events = AuditEvent.objects.count()
    client.force_login(s.kabid_user)
    response = client.post(url, {"version": 1, "rating": AS, "reason": "  "})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="reason-error"' in text and "tuliskan alasan" in text
    assert "Di Atas Ekspektasi" in text  # the suggestion is named
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.override_reason, evaluation.version) == (
        "",
        "",
        1,
    )
    assert AuditEvent.objects.count() == events
    # With a reason it is saved, and the reason shows on the employee's page.
    response = client.post(url, {"version": 1, "rating": AS, "reason": "Sakit dua minggu"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.override_reason, evaluation.version) == (
        AS,
        "Sakit dua minggu",
        2,
    )
    client.force_login(s.siti_user)
    text = client.get(MINE, {"year": 2024}).content.decode()
    assert "Sakit dua minggu" in text and "Sesuai Ekspektasi" in text


def test_a_stale_version_shows_the_conflict_and_saves_nothing(s, client):
    plan = approved(siti_plan(s))
    evaluation = _open(s, plan)
    ev.evaluation_rate_results(**as_kabid(s), evaluation=evaluation, version=1, rating=AS)
    client.force_login(s.kabid_user)
    response = client.post(
        reverse("performance:evaluation_behaviour", args=[evaluation.pk]),
        {"version": 1, "rating": BELOW},
        follow=True,
    )
    text = response.content.decode()
    assert "versi 1, sekarang versi 2" in text  # the conflict, in Indonesian
    evaluation.refresh_from_db()
    assert (evaluation.behaviour_rating, evaluation.version) == ("", 2)
    # The page shows the current version in the hidden fields, ready for the change again.
    assert 'name="version" value="2"' in text


def test_behaviour_per_value_feedback_per_result_and_finalise(s, client):
    plan = siti_plan(s)
    result = add_result(s, plan, s.siti_scope, s.siti_user, text="Laporan kurikulum")
    plan = approved(plan)
    evaluation = _open(s, plan, 2)
    client.force_login(s.kabid_user)
    base = "performance:evaluation_"
    # Feedback on a value without its rating: refused, nothing saved.
    response = client.post(
        reverse(base + "behaviour", args=[evaluation.pk]),
        {"version": 1, "rating": ABOVE, "feedback_adaptif": "Cepat belajar"},
    )
    assert response.status_code == 200 and "Berikan rating" in response.content.decode()
    assert not EvaluationBehaviour.objects.exists()
    response = client.post(
        reverse(base + "behaviour", args=[evaluation.pk]),
        {
            "version": 1,
            "rating": ABOVE,
            "value_adaptif": ABOVE,
            "feedback_adaptif": "Cepat belajar",
        },
    )
    assert response.status_code == 302
    assert list(EvaluationBehaviour.objects.values_list("value", "rating", "feedback")) == [
        ("adaptif", ABOVE, "Cepat belajar")
    ]
    # Finalising without the results rating: the message, still a draft.
    response = client.post(reverse(base + "finalise", args=[evaluation.pk]), {"version": 2})
    assert "rating hasil kerja terlebih dahulu" in response.content.decode()
    response = client.post(
        reverse(base + "feedback", args=[evaluation.pk]),
        {"version": 2, f"result_{result.pk}": "Tepat waktu"},
    )
    assert response.status_code == 302
    client.post(reverse(base + "rate", args=[evaluation.pk]), {"version": 3, "rating": AS})
    response = client.post(reverse(base + "finalise", args=[evaluation.pk]), {"version": 4})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    # As expected x above expectation -> baik.
    assert (evaluation.status, evaluation.predikat, evaluation.version) == ("final", "baik", 5)
    page = client.get(reverse(base + "detail", args=[evaluation.pk])).content.decode()
    assert 'data-testid="rate-form"' not in page  # final: no forms
    # The employee sees the ratings, the value's feedback, the result's feedback, the predikat.
    client.force_login(s.siti_user)
    text = client.get(MINE, {"year": 2024}).content.decode()
    assert text.count('data-testid="my-evaluation"') == 1
    assert "Cepat belajar" in text and "Tepat waktu" in text and "Laporan kurikulum" in text
    assert "Adaptif" in text and ">Baik<" in text
    rows = _sheet(client.get(reverse("performance:evaluation_mine_export"), {"year": 2024}))
    assert len(rows) == 2 and rows[1][2] == s.siti.display_name
    assert rows[1][5] == "Sub-periode 2" and rows[1][11] == "Baik" and rows[1][12] == "Final"


def test_someone_else_may_not_rate_and_an_employee_sees_only_their_own(s, client, world):
    plan = approved(siti_plan(s))
    evaluation = _open(s, plan)
    detail = reverse("performance:evaluation_detail", args=[evaluation.pk])
    rate = reverse("performance:evaluation_rate", args=[evaluation.pk])
    # Siti sees her evaluation but has no form and may not rate it.
    client.force_login(s.siti_user)
    response = client.get(detail)
    assert (
        response.status_code == 200 and 'data-testid="rate-form"' not in response.content.decode()
    )
    assert client.post(rate, {"version": 1, "rating": ABOVE}).status_code == 403
    assert (
        client.post(
            reverse("performance:evaluation_open", args=[plan.pk]), {"when": "annual"}
        ).status_code
        == 403
    )
    # Another employee of the agency does not reach it at all.
    other = EmployeeFactory(unit=world.division_a, name="Tono")
    client.force_login(user_for(world, other, "tono"))
    assert client.get(detail).status_code == 404
    assert client.post(rate, {"version": 1, "rating": ABOVE}).status_code == 404
    assert _team_rows(client.get(TEAM, {"year": 2024})) == 0
    assert client.get(MINE, {"year": 2024}).context["evaluations"] == []
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_bkd_rates_a_head_of_agency_from_the_team_page(s, client, world):
    head = create(
        s, s.head, s.head_scope, s.head_user, evaluator_name="Sekda", evaluator_title="Sekda"
    )
    head = approved(head)
    rollup("agency", head.unit_id, 1, D("95"))  # as expected
    client.force_login(world.users["bkd"])
    response = client.get(TEAM, {"year": 2024, "when": "1"})
    text = response.content.decode()
    assert _team_rows(response) == 1
    assert reverse("performance:plan_detail", args=[head.pk]) in text
    assert "<td>95,00 %</td>" in text and "<td>Sesuai Ekspektasi</td>" in text  # AS
    # The head's evaluator (Hartono's superior line stops at the head): not Hartono's.
    client.force_login(s.kabid_user)
    assert _team_rows(client.get(TEAM, {"year": 2024, "when": "1"})) == 0


# Across agencies ---------------------------------------------------------------------------


def _override(s, plan, number, reason):
    evaluation = _open(s, plan, number)
    return ev.evaluation_rate_results(
        **as_kabid(s), evaluation=evaluation, version=1, rating=BELOW, reason=reason
    )


def test_overrides_across_agencies_for_bkd_and_inspektorat_only(s, client, world):
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, D("100"))
    rollup("plan", plan.pk, 2, D("100"))
    _override(s, plan, 1, "Laporan terlambat")
    _override(s, plan, 2, "Data tidak lengkap")
    kept = _open(s, plan, 3)  # no override: not listed
    assert kept.override_reason == ""
    for role in ("bkd", "inspektorat", "leadership", "system_admin"):
        client.force_login(world.users[role])
        response = client.get(OVERRIDES)
        text = response.content.decode()
        assert response.status_code == 200, role
        assert text.count('data-testid="override-row"') == 2, role
        assert "Laporan terlambat" in text and "Data tidak lengkap" in text
    client.force_login(world.users["bkd"])
    filtered = client.get(
        OVERRIDES, {"year": 2024, "kind": "periodic", "agency": world.agency_b.pk}
    )
    assert filtered.content.decode().count('data-testid="override-row"') == 0
    mine = client.get(OVERRIDES, {"agency": world.agency_a.pk, "status": "draft"})
    assert mine.content.decode().count('data-testid="override-row"') == 2
    rows = _sheet(client.get(reverse("performance:evaluation_overrides_export"), {"year": 2024}))
    assert len(rows) == 3
    assert {r[9] for r in rows[1:]} == {"Laporan terlambat", "Data tidak lengkap"}
    assert {r[7] for r in rows[1:]} == {"Sesuai Ekspektasi"}
    assert {r[8] for r in rows[1:]} == {"Di Bawah Ekspektasi"}
    for role in ("opd_head", "opd_admin", "evaluator", "bappeda", "employee"):
        client.force_login(world.users[role])
        assert client.get(OVERRIDES).status_code == 403, role
        export = client.get(reverse("performance:evaluation_overrides_export"))
        assert export.status_code == 403, role


def test_team_export_lists_every_plan_not_one_page(s, client, world, settings):
    plans = []
    for number in range(3):
        post = PositionFactory(unit=world.division_a, title=f"Analis {number}")
        line(post, s.kabid_post, START)
        person = hold(EmployeeFactory(unit=world.division_a, name=f"Staf {number}"), post, START)
        user = user_for(world, person, f"staf{number}")
        plans.append(approved(create(s, person, scope_for(user), user)))
    _open(s, plans[0])
    client.force_login(s.kabid_user)
    from kinerja.performance.views import evaluation as views

    views_per_page = views.PER_PAGE
    views.PER_PAGE = 2
    try:
        page = client.get(TEAM, {"year": 2024, "when": "1"})
        assert _team_rows(page) == 2 and page.context["page_obj"].paginator.count == 3
    finally:
        views.PER_PAGE = views_per_page
    rows = _sheet(
        client.get(reverse("performance:evaluation_team_export"), {"year": 2024, "when": "1"})
    )
    assert [r[1] for r in rows[1:]] == ["Staf 0", "Staf 1", "Staf 2"]
    assert [r[12] for r in rows[1:]] == ["Draf", "Belum dibuka", "Belum dibuka"]


def test_each_page_has_one_h1_and_the_landmarks(s, client, world):
    plan = approved(siti_plan(s))
    evaluation = _open(s, plan)
    pages = [
        (s.siti_user, MINE),
        (s.kabid_user, TEAM),
        (s.kabid_user, reverse("performance:evaluation_detail", args=[evaluation.pk])),
        (world.users["bkd"], OVERRIDES),
    ]
    for user, url in pages:
        client.force_login(user)
        body = client.get(url, {"year": 2024}).content.decode()
        assert body.count("<h1") == 1 and body.count("<main") == 1, url
        english = client.get(url, {"year": 2024}, headers={"Accept-Language": "en"})
        assert english.status_code == 200, url


def test_the_nav_names_each_page_for_who_uses_it(s, client, world):
    links = {
        "mine": f'href="{MINE}"',
        "team": f'href="{TEAM}"',
        "overrides": f'href="{OVERRIDES}"',
    }

    def shown(user):
        client.force_login(user)
        body = client.get(reverse("core:home")).content.decode()
        return {name for name, link in links.items() if link in body}

    assert shown(s.siti_user) == {"mine"}  # an employee without reports
    assert shown(s.kabid_user) == {"mine", "team"}  # Siti reports to Hartono
    assert shown(world.users["bkd"]) == {"team", "overrides"}  # rates the heads, oversees
    assert shown(world.users["inspektorat"]) == {"overrides"}
    assert shown(world.users["bappeda"]) == {"team"}  # keeps plans across the instansi


# Speed -------------------------------------------------------------------------------------


def _team_of(s, world, size, first=0):
    plans = []
    for number in range(first, first + size):
        post = PositionFactory(unit=world.division_a, title=f"Analis {number}")
        line(post, s.kabid_post, START)
        person = hold(EmployeeFactory(unit=world.division_a, name=f"Staf {number:03}"), post, START)
        user = user_for(world, person, f"staf{number}")
        plan = approved(create(s, person, scope_for(user), user))
        rollup("plan", plan.pk, 1, D("90"))
        plans.append(plan)
    return plans


def test_pages_read_a_fixed_number_of_queries(s, client, world):
    def warm():
        # The caller's scope and menu are worked out on a first page and kept (the scope
        # across evaluations written, which do not change who reaches what; the menu until the
        # next write): worked out before counting, so both counts hold the pages alone.
        client.get(reverse("accounts:password_change"))

    def counts():
        out = {}
        client.force_login(s.kabid_user)
        warm()
        for name, url, params in (
            ("team", TEAM, {"year": 2024, "when": "1"}),
            (
                "team_export",
                reverse("performance:evaluation_team_export"),
                {"year": 2024, "when": "1"},
            ),
        ):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, params)
                if response.streaming:
                    b"".join(response.streaming_content)
            out[name] = len(ctx)
        client.force_login(world.users["bkd"])
        warm()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(OVERRIDES)
        out["overrides"] = len(ctx)
        return out

    plans = _team_of(s, world, 2)
    for plan in plans:
        _override(s, plan, 1, "Alasan")
    few = counts()
    more = _team_of(s, world, 4, first=2)
    for plan in more:
        _override(s, plan, 1, "Alasan")
    many = counts()
    assert many == few, (few, many)
