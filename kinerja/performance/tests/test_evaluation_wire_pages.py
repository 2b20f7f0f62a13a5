"""The evaluation pages wired to the curve, the unit predikat and the objections: the curve
panel on Team evaluations (count, limits, room, a breach in red), the Unit predikat pages (open,
recommend, set with a reason, finalise against the curve with a justification, a stale version,
scope, export), the objection panel (the last day, object, the decision), Objections to decide,
the reopening, the objections across agencies; a fixed number of queries whatever the size.
Indonesian by default.

The fixture ``s`` (test_skp): agency A in 2024, Budi heads it (the leader one level up of its
division SMA), Hartono heads the division and rates Siti."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import (
    Evaluation,
    Objection,
    Plan,
    PredikatDistribution,
    UnitPredikat,
)

from .test_evaluation import approved, siti_plan
from .test_objections import final_evaluation
from .test_skp import s  # noqa: F401 - the s fixture
from .test_unit_predikat import opened, rated, set_to

TEAM = reverse("performance:evaluation_team")
MINE = reverse("performance:evaluation_mine")
UNITS = reverse("performance:unit_predikat_list")
TO_DECIDE = reverse("performance:objection_decide_list")
OVERRIDES = reverse("performance:evaluation_overrides")


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _text(response) -> str:
    return response.content.decode()


# The curve panel -----------------------------------------------------------------------------


def test_the_curve_panel_shows_each_band_and_a_breach_in_red(s, client):
    division = s.world.division_a
    rated(s, division, "baik", n=3)
    up = set_to(s, opened(s), "baik")
    client.force_login(s.kabid_user)  # Hartono heads the division
    text = _text(client.get(TEAM, {"year": 2024, "when": "1"}))
    assert text.count('data-testid="curve-panel"') == 1
    assert text.count('data-testid="curve-band"') >= 2
    # 3 staff, baik at most 2: one over, red, with the rule's message in Indonesian.
    assert 'class="text-danger"' in text and 'data-testid="curve-breaches"' in text
    assert "Baik: paling banyak 2 dari 3 pegawai, ada 3." in text
    assert up.get_predikat_display() in text
    # Another sub-period: the unit predikat is not opened.
    text = _text(client.get(TEAM, {"year": 2024, "when": "2"}))
    assert 'data-testid="curve-band"' not in text and 'data-testid="curve-panel"' in text
    # Siti heads nothing: no panel.
    client.force_login(s.siti_user)
    assert 'data-testid="curve-panel"' not in _text(client.get(TEAM, {"year": 2024, "when": "1"}))


# Unit predikat -------------------------------------------------------------------------------


def test_the_leader_one_level_up_opens_and_sets_with_a_reason(s, client):
    division = s.world.division_a
    client.force_login(s.head_user)  # Budi heads the agency above the division
    text = _text(client.get(UNITS, {"year": 2024, "sub_period": 1}))
    assert "Predikat unit" in text and 'data-testid="open-form"' in text
    response = client.post(
        reverse("performance:unit_predikat_open"),
        {"unit": division.pk, "year": 2024, "sub_period": 1},
    )
    up = UnitPredikat.objects.get()
    assert response["Location"] == reverse("performance:unit_predikat_detail", args=[up.pk])
    assert (up.sub_period, up.status, up.version) == (1, "open", 1)
    # Opened twice: the service's message, still one.
    response = client.post(
        reverse("performance:unit_predikat_open"),
        {"unit": division.pk, "year": 2024, "sub_period": 1},
        follow=True,
    )
    assert UnitPredikat.objects.count() == 1 and "alert-danger" in _text(response)
    detail = reverse("performance:unit_predikat_detail", args=[up.pk])
    text = _text(client.get(detail))
    assert 'data-testid="set-form"' in text and 'data-testid="finalise-form"' not in text
    # Without a suggestion any predikat stands alone.
    set_url = reverse("performance:unit_predikat_set", args=[up.pk])
    client.post(set_url, {"version": 1, "predikat": "baik"})
    up.refresh_from_db()
    assert (up.predikat, up.status, up.version) == ("baik", "set", 2)
    # A stale version: the conflict message, nothing saved.
    events = AuditEvent.objects.count()
    response = client.post(set_url, {"version": 1, "predikat": "kurang"}, follow=True)
    assert "versi 1" in _text(response)
    up.refresh_from_db()
    assert (up.predikat, up.version) == ("baik", 2)
    assert AuditEvent.objects.count() == events


def test_another_predikat_than_the_suggestion_needs_a_reason(s, client):
    up = opened(s)
    UnitPredikat.objects.filter(pk=up.pk).update(suggested="baik")
    client.force_login(s.head_user)
    set_url = reverse("performance:unit_predikat_set", args=[up.pk])
    response = client.post(
        set_url, {"version": 1, "predikat": "kurang", "reason": " "}, follow=True
    )
    assert "alasan" in _text(response).lower()
    up.refresh_from_db()
    assert (up.predikat, up.status, up.version) == ("", "open", 1)
    client.post(set_url, {"version": 1, "predikat": "kurang", "reason": "Banyak kegiatan tertunda"})
    up.refresh_from_db()
    assert (up.predikat, up.reason) == ("kurang", "Banyak kegiatan tertunda")


def test_the_head_finalises_a_breach_only_with_a_justification(s, client):
    division = s.world.division_a
    rated(s, division, "baik", n=3)
    up = set_to(s, opened(s), "baik")
    client.force_login(s.kabid_user)  # Hartono heads the division
    detail = reverse("performance:unit_predikat_detail", args=[up.pk])
    text = _text(client.get(detail))
    assert 'data-testid="finalise-form"' in text and 'data-testid="set-form"' not in text
    assert "Baik: paling banyak 2 dari 3 pegawai, ada 3." in text
    url = reverse("performance:unit_predikat_finalise", args=[up.pk])
    response = client.post(url, {"version": 2, "justification": ""}, follow=True)
    assert "justifikasi" in _text(response).lower()
    assert not PredikatDistribution.objects.exists()
    client.post(url, {"version": 2, "justification": "Unit kecil, semua mencapai target"})
    made = PredikatDistribution.objects.get()
    assert (made.staff, made.justification, len(made.breaches)) == (
        3,
        "Unit kecil, semua mencapai target",
        2,
    )
    text = _text(client.get(detail))
    assert 'data-testid="recorded"' in text and "Unit kecil, semua mencapai target" in text
    assert 'data-testid="finalise-form"' not in text


def test_recommendations_by_the_oversight_roles(s, client):
    up = opened(s)
    client.force_login(s.world.users["inspektorat"])
    detail = reverse("performance:unit_predikat_detail", args=[up.pk])
    text = _text(client.get(detail))
    assert 'data-testid="recommend-form"' in text and 'data-testid="set-form"' not in text
    client.post(
        reverse("performance:unit_predikat_recommend", args=[up.pk]),
        {"version": 1, "predikat": "baik", "note": "Sesuai temuan", "source": "oversight"},
    )
    text = _text(client.get(detail))
    assert text.count('data-testid="recommendation"') == 1 and "Sesuai temuan" in text


def test_who_reaches_a_unit_predikat(s, client):
    up = opened(s)
    detail = reverse("performance:unit_predikat_detail", args=[up.pk])
    client.force_login(s.siti_user)  # a member of the division, no grant on its plans
    assert client.get(detail).status_code == 404
    assert (
        client.post(
            reverse("performance:unit_predikat_set", args=[up.pk]),
            {"version": 1, "predikat": "baik"},
        ).status_code
        == 404
    )
    client.force_login(s.kabid_user)  # heads the unit: reads it, may not set it
    assert client.get(detail).status_code == 200
    response = client.post(
        reverse("performance:unit_predikat_set", args=[up.pk]), {"version": 1, "predikat": "baik"}
    )
    assert response.status_code == 403
    up.refresh_from_db()
    assert up.status == "open"


def test_the_unit_predikat_export(s, client):
    up = set_to(s, opened(s), "baik")
    client.force_login(s.head_user)
    rows = _sheet(
        client.get(reverse("performance:unit_predikat_export"), {"year": 2024, "sub_period": 1})
    )
    assert any(up.unit.name in [str(c) for c in row] for row in rows)
    rows = _sheet(
        client.get(reverse("performance:unit_predikat_export"), {"year": 2024, "sub_period": 2})
    )
    assert not any(up.unit.name in [str(c) for c in row] for row in rows)


# Objections ----------------------------------------------------------------------------------


def _final(s, days_ago=1):
    """Siti's first quarter, final ``days_ago`` days ago (Hartono rates, Budi is his superior)."""
    return final_evaluation(s, finalised_at=timezone.now() - dt.timedelta(days=days_ago))


def test_the_employee_objects_and_sees_the_decision(s, client):
    evaluation = _final(s)
    client.force_login(s.siti_user)
    text = _text(client.get(MINE, {"year": 2024}))
    assert 'data-testid="objection-last-day"' in text and 'data-testid="objection-form"' in text
    last = timezone.localdate(evaluation.finalised_at) + dt.timedelta(days=14)
    assert f"{last:%d/%m/%Y}" in text
    url = reverse("performance:objection_file", args=[evaluation.pk])
    # No reasons: the service's message, nothing saved.
    events = AuditEvent.objects.count()
    response = client.post(url, {"reasons": " ", "next": "mine"}, follow=True)
    assert "alasan" in _text(response).lower() and not Objection.objects.exists()
    assert AuditEvent.objects.count() == events
    # A link that is not http(s): refused too.
    response = client.post(url, {"reasons": "Target tercapai", "links": "ftp://x"}, follow=True)
    assert not Objection.objects.exists()
    # What was typed comes back in the form, once.
    assert ">Target tercapai</textarea>" in _text(response) and ">ftp://x</textarea>" in _text(
        response
    )
    assert ">Target tercapai</textarea>" not in _text(client.get(MINE, {"year": 2024}))
    response = client.post(
        url,
        {"reasons": "Target tercapai", "evidence": "Laporan Q1", "links": "https://a.example/b"},
    )
    assert response["Location"] == reverse("performance:evaluation_detail", args=[evaluation.pk])
    objection = Objection.objects.get()
    assert (objection.reasons, objection.links, objection.status) == (
        "Target tercapai",
        ["https://a.example/b"],
        "open",
    )
    text = _text(client.get(MINE, {"year": 2024}))
    assert 'data-testid="objection-form"' not in text and "Target tercapai" in text
    assert 'data-testid="decide-form"' not in text  # the employee does not decide
    # Hartono (the evaluator) does not decide; Budi (his superior) does.
    client.force_login(s.kabid_user)
    decide = reverse("performance:objection_decide", args=[objection.pk])
    assert (
        client.post(decide, {"version": 1, "decision": "uphold", "reason": "x"}).status_code == 403
    )
    assert 'data-testid="decide-row"' not in _text(client.get(TO_DECIDE))
    client.force_login(s.head_user)
    text = _text(client.get(TO_DECIDE))
    assert text.count('data-testid="decide-row"') == 1 and "Keberatan untuk diputus" in text
    response = client.post(
        decide, {"version": 1, "decision": "change", "reason": "", "next": "list"}, follow=True
    )
    objection.refresh_from_db()
    assert objection.status == "open" and "alert-danger" in _text(response)
    # A change without a new rating: refused, the reason typed kept.
    response = client.post(
        decide,
        {"version": 1, "decision": "change", "reason": "Bukti lengkap", "next": "list"},
        follow=True,
    )
    objection.refresh_from_db()
    assert objection.status == "open" and ">Bukti lengkap</textarea>" in _text(response)
    assert '<option value="change" selected>' in _text(response)
    client.post(
        decide,
        {
            "version": 1,
            "decision": "change",
            "reason": "Bukti laporan lengkap",
            "results_rating": "above_expectation",
            "next": "list",
        },
    )
    objection.refresh_from_db()
    assert (objection.status, objection.results_after, objection.predikat_after) == (
        "changed",
        "above_expectation",
        "baik",
    )
    assert 'data-testid="decide-row"' not in _text(client.get(TO_DECIDE))
    # A stale version on a decided objection: refused, nothing changes.
    client.post(decide, {"version": 1, "decision": "uphold", "reason": "lagi"})
    objection.refresh_from_db()
    assert objection.status == "changed"
    client.force_login(s.siti_user)
    text = _text(client.get(MINE, {"year": 2024}))
    assert 'data-testid="objection-decision"' in text and "Bukti laporan lengkap" in text
    assert 'data-testid="objection-form"' not in text


def test_after_the_deadline_there_is_no_form_and_a_post_is_refused(s, client):
    evaluation = _final(s, days_ago=20)
    client.force_login(s.siti_user)
    text = _text(client.get(reverse("performance:evaluation_detail", args=[evaluation.pk])))
    assert 'data-testid="objection-last-day"' in text and 'data-testid="objection-form"' not in text
    response = client.post(
        reverse("performance:objection_file", args=[evaluation.pk]),
        {"reasons": "Terlambat"},
        follow=True,
    )
    assert "14 hari" in _text(response) and not Objection.objects.exists()
    # Someone else than the employee: 403 (Hartono sees the plan) or 404 (out of reach).
    client.force_login(s.kabid_user)
    url = reverse("performance:objection_file", args=[evaluation.pk])
    assert client.post(url, {"reasons": "x"}).status_code == 403


def test_the_superior_reopens_with_a_reason(s, client):
    evaluation = _final(s)
    detail = reverse("performance:evaluation_detail", args=[evaluation.pk])
    client.force_login(s.kabid_user)  # the evaluator does not reopen
    assert 'data-testid="reopen-form"' not in _text(client.get(detail))
    url = reverse("performance:evaluation_reopen", args=[evaluation.pk])
    assert client.post(url, {"version": 4, "reason": "x"}).status_code == 403
    client.force_login(s.head_user)
    assert 'data-testid="reopen-form"' in _text(client.get(detail))
    response = client.post(url, {"version": 4, "reason": ""}, follow=True)
    evaluation.refresh_from_db()
    assert evaluation.status == "final" and "alert-danger" in _text(response)
    response = client.post(url, {"version": 3, "reason": "Salah input"}, follow=True)
    evaluation.refresh_from_db()
    assert evaluation.status == "final" and "versi 3" in _text(response)
    client.post(url, {"version": 4, "reason": "Salah input"})
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version) == ("draft", 5)
    assert AuditEvent.objects.filter(action="evaluation.reopen").count() == 1


def test_objections_across_agencies_filter_page_and_export(s, client):
    from .test_objections import file

    evaluation = _final(s)
    file(s, evaluation, reasons="Target tercapai")
    client.force_login(s.world.users["bkd"])
    text = _text(client.get(OVERRIDES))
    assert text.count('data-testid="objection-row"') == 1
    assert 'data-testid="objection-row"' not in _text(client.get(OVERRIDES, {"ostatus": "upheld"}))
    assert (
        _text(client.get(OVERRIDES, {"ostatus": "open"})).count('data-testid="objection-row"') == 1
    )
    assert 'data-testid="objection-row"' not in _text(client.get(OVERRIDES, {"year": "2023"}))
    rows = _sheet(client.get(reverse("performance:objection_export"), {"ostatus": "open"}))
    assert any("Target tercapai" in row for row in rows)
    rows = _sheet(client.get(reverse("performance:objection_export"), {"ostatus": "changed"}))
    assert not any("Target tercapai" in row for row in rows)
    client.force_login(s.siti_user)
    assert client.get(reverse("performance:objection_export")).status_code == 403


# Queries ---------------------------------------------------------------------------------------


def _objection_on(s, unit, predikat="baik"):
    """A staff member of ``unit`` with a final first quarter (Budi recorded as the evaluator's
    superior) and an open objection to it. Written straight."""
    (evaluation,) = rated(s, unit, predikat)
    Plan.objects.filter(pk=evaluation.plan_id).update(evaluator_superior=s.head)
    return Objection.objects.create(
        instansi=unit.instansi,
        evaluation=evaluation,
        filed_at=timezone.now(),
        reasons="Keberatan",
        results_before="as_expected",
        behaviour_before="as_expected",
        predikat_before=predikat,
    )


def _counts(client, pages):
    out = {}
    for who, url, params in pages:
        client.force_login(who)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)
        out[url] = len(ctx)
    return out


def test_the_pages_read_a_fixed_number_of_queries(s, client, django_assert_max_num_queries):
    division = s.world.division_a
    up = set_to(s, opened(s), "baik")
    detail = reverse("performance:unit_predikat_detail", args=[up.pk])
    pages = [
        (s.kabid_user, TEAM, {"year": 2024, "when": "1"}),
        (s.head_user, TO_DECIDE, {}),
        (s.head_user, UNITS, {"year": 2024, "sub_period": 1}),
        (s.head_user, detail, {}),
        (s.world.users["bkd"], OVERRIDES, {}),
        (s.world.users["bkd"], reverse("performance:objection_export"), {}),
        (s.head_user, reverse("performance:unit_predikat_export"), {"year": 2024}),
    ]
    _objection_on(s, division)
    _counts(client, pages)  # the first request after a login reads the session once more
    few = _counts(client, pages)
    for _ in range(5):
        _objection_on(s, division)
    rated(s, division, "kurang", n=4)
    _counts(client, pages)
    many = _counts(client, pages)
    assert many == few, (few, many)
    assert len(Objection.objects.all()) == 6
    # The employee's own page with several evaluations and their objections.
    for number in (2, 3, 4):
        siti = Evaluation.objects.create(
            instansi=division.instansi,
            plan=approved(siti_plan(s)) if number == 2 else Plan.objects.get(employee=s.siti),
            kind="periodic",
            sub_period=number,
            source="plan",
            status="final",
            results_rating="as_expected",
            behaviour_rating="as_expected",
            predikat="baik",
            finalised_at=timezone.now(),
        )
        Objection.objects.create(
            instansi=division.instansi,
            evaluation=siti,
            filed_at=timezone.now(),
            reasons="Keberatan",
            results_before="as_expected",
            behaviour_before="as_expected",
            predikat_before="baik",
        )
        client.force_login(s.siti_user)
        client.get(MINE, {"year": 2024})
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(MINE, {"year": 2024}).content.decode().count('data-testid="objection"')
                == number - 1
            )
        if number == 2:
            one = len(ctx)
        else:
            with django_assert_max_num_queries(one):
                client.get(MINE, {"year": 2024})


def test_the_nav_entries(s, client):
    units, decide = f'href="{UNITS}"', f'href="{TO_DECIDE}"'
    client.force_login(s.head_user)  # heads the agency: sets, finalises, decides
    text = _text(client.get(MINE))
    assert units in text and decide in text and "Predikat unit" in text
    client.force_login(s.world.users["inspektorat"])  # recommends; decides nothing
    text = _text(client.get(OVERRIDES))
    assert units in text and decide not in text
    client.force_login(s.siti_user)  # no reports, no role: neither
    text = _text(client.get(MINE))
    assert units not in text and decide not in text


def test_two_deciders_at_once_the_second_gets_the_conflict(s, client):
    objection = _objection_on(s, s.world.division_a)
    Objection.objects.filter(pk=objection.pk).update(version=2)  # someone acted since
    client.force_login(s.head_user)
    decide = reverse("performance:objection_decide", args=[objection.pk])
    events = AuditEvent.objects.count()
    response = client.post(
        decide, {"version": 1, "decision": "uphold", "reason": "Tetap", "next": "list"}, follow=True
    )
    assert "versi 1" in _text(response) and "versi 2" in _text(response)
    objection.refresh_from_db()
    assert (objection.status, objection.version) == ("open", 2)
    assert AuditEvent.objects.count() == events
    assert _text(response).count('data-testid="decide-row"') == 1  # still to decide
