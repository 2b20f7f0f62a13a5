"""An evaluation's journey in a real browser, in Indonesian: the evaluator (Hartono, head of
Bidang SMA) opens Siti's first quarter, is refused an override without a reason, rates with one,
rates the behaviour and finalises; the leader one level up (Budi) opens and sets the division's
predikat; Hartono, as the division's head, watches the curve on Team evaluations and finalises
the distribution, refused for the breach and accepted with a justification; Siti objects on My
evaluation; Budi, the evaluator's superior, changes the ratings with a reason; Siti sees the
decision."""

# ruff: noqa: F811 - the test takes the imported ``s`` fixture

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from kinerja.performance.models import Objection, PredikatDistribution
from kinerja.performance.tests.conftest import scopes  # noqa: F401 - fixture
from kinerja.performance.tests.test_evaluation import approved, rollup, siti_plan
from kinerja.performance.tests.test_skp import s  # noqa: F401 - the s fixture
from kinerja.performance.tests.test_unit_predikat import rated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sign_in(browser, live_server):
    contexts = []

    def _sign_in(username):
        context = browser.new_context(locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").first.click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    yield _sign_in
    for context in contexts:
        context.close()


def test_rate_finalise_against_the_curve_object_and_decide(s, sign_in, live_server):
    base = live_server.url
    s.kabid_user.set_password(PASSWORD)
    s.kabid_user.save()
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, Decimal("110.01"))  # over 110 %: above expectation suggested
    division = s.world.division_a
    rated(s, division, "baik", n=2)  # two colleagues already final as baik: 3 baik of 3

    # The evaluator opens Siti's first quarter from Team evaluations.
    kabid = sign_in(s.kabid_user.username)
    kabid.goto(f"{base}/plans/evaluations/team/?year=2024&when=1")
    row = kabid.get_by_test_id("team-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Di Atas Ekspektasi")
    row.get_by_role("button", name="Buka evaluasi").click()
    expect(kabid.get_by_test_id("suggestion")).to_have_text("Di Atas Ekspektasi")
    # An override without a reason is refused, with the service's message.
    rate = kabid.get_by_test_id("rate-form")
    rate.locator("select[name=rating]").select_option("as_expected")
    rate.locator("button[type=submit]").click()
    expect(kabid.get_by_test_id("reason-error")).to_contain_text("alasan")
    rate = kabid.get_by_test_id("rate-form")
    rate.locator("select[name=rating]").select_option("as_expected")
    rate.locator("textarea[name=reason]").fill("Sebagian target dicapai tim lain")
    rate.locator("button[type=submit]").click()
    expect(kabid.get_by_test_id("results-rating")).to_contain_text("Sesuai Ekspektasi")
    behaviour = kabid.get_by_test_id("behaviour-form")
    behaviour.locator("select[name=rating]").select_option("as_expected")
    behaviour.locator("button[type=submit]").click()
    expect(kabid.get_by_test_id("behaviour-rating")).to_contain_text("Sesuai Ekspektasi")
    kabid.get_by_test_id("finalise-form").locator("button[type=submit]").click()
    expect(kabid.get_by_test_id("predikat")).to_contain_text("Baik")
    expect(kabid.get_by_test_id("rate-form")).to_have_count(0)

    # The leader one level up opens the division's predikat and sets it.
    head = sign_in(s.head_user.username)
    head.goto(f"{base}/plans/evaluations/units/?year=2024&sub_period=1")
    form = head.get_by_test_id("open-form")
    form.locator("select[name=unit]").select_option(str(division.pk))
    form.locator("button[type=submit]").click()
    setting = head.get_by_test_id("set-form")
    setting.locator("select[name=predikat]").select_option("baik")
    setting.locator("button[type=submit]").click()
    expect(head.get_by_test_id("predikat")).to_contain_text("Baik")

    # The division's head sees the curve fill on Team evaluations: baik over its most.
    kabid.goto(f"{base}/plans/evaluations/team/?year=2024&when=1")
    expect(kabid.get_by_test_id("curve-breaches")).to_contain_text(
        "Baik: paling banyak 2 dari 3 pegawai, ada 3."
    )
    kabid.get_by_test_id("curve-panel").get_by_role("link", name="Predikat unit").click()
    # Refused without a justification; accepted with one.
    kabid.get_by_test_id("finalise-form").locator("button[type=submit]").click()
    expect(kabid.locator(".alert-danger").first).to_contain_text("justifikasi")
    assert not PredikatDistribution.objects.exists()
    finalise = kabid.get_by_test_id("finalise-form")
    finalise.locator("textarea[name=justification]").fill("Unit kecil, semua mencapai target")
    finalise.locator("button[type=submit]").click()
    expect(kabid.get_by_test_id("recorded")).to_contain_text("Unit kecil, semua mencapai target")
    expect(kabid.get_by_test_id("status")).to_have_text("Distribusi final")

    # Siti objects on My evaluation.
    siti = sign_in(s.siti_user.username)
    siti.goto(f"{base}/plans/evaluations/mine/?year=2024")
    expect(siti.get_by_test_id("objection-last-day")).to_be_visible()
    objection = siti.get_by_test_id("objection-form")
    objection.locator("textarea[name=reasons]").fill("Target triwulan I tercapai 110 %")
    objection.locator("textarea[name=links]").fill("https://contoh.go.id/laporan-q1")
    objection.locator("button[type=submit]").click()
    expect(siti.get_by_test_id("objection-status")).to_have_text("Dibuka")
    expect(siti.get_by_test_id("objection-form")).to_have_count(0)

    # The evaluator's superior decides: both ratings changed (sangat baik), with a reason.
    head.goto(f"{base}/plans/evaluations/objections/")
    decide = head.get_by_test_id("decide-row")
    expect(decide).to_have_count(1)
    expect(decide).to_contain_text("Target triwulan I tercapai 110 %")
    decide.locator("select[name=decision]").select_option("change")
    decide.locator("select[name=results_rating]").select_option("above_expectation")
    decide.locator("select[name=behaviour_rating]").select_option("above_expectation")
    decide.locator("textarea[name=reason]").fill("Capaian 110,01 % terbukti dari laporan")
    decide.locator("button[type=submit]").click()
    expect(head.get_by_test_id("decide-row")).to_have_count(0)

    # Siti sees the decision on her evaluation.
    siti.reload()
    decision = siti.get_by_test_id("objection-decision")
    expect(decision).to_contain_text("Capaian 110,01 % terbukti dari laporan")
    expect(decision).to_contain_text("Baik → Sangat Baik")
    assert Objection.objects.get().status == "changed"
