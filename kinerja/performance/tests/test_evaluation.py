"""The employee evaluation services: opened only on an approved or signed plan, the results
rating suggested from the plan's roll-up (or the agency's for its head), an override only with
a reason, behaviour per BerAKHLAK value, the predikat from the matrix, finalisation, the
optimistic lock and who may rate. Nothing is half-saved. Messages are in Indonesian (the
default)."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Evaluation, EvaluationBehaviour, Plan, Rollup
from kinerja.performance.services import Conflict
from kinerja.performance.services import evaluation as ev

from .test_skp import add_result, create, head_plan, s  # noqa: F401 - the s fixture

D = Decimal
ABOVE, AS, BELOW = "above_expectation", "as_expected", "below_expectation"


def approved(plan, status="approved"):
    signed_at = timezone.now() if status == "signed" else None
    Plan.objects.filter(pk=plan.pk).update(status=status, signed_at=signed_at)
    plan.refresh_from_db()
    return plan


def rollup(kind, object_id, sub_period, percent, year=2024):
    Rollup.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        year=year,
        sub_period=sub_period,
        defaults={
            "instansi_id": Plan.objects.values_list("instansi_id", flat=True).first(),
            "percent": percent,
            "computed_at": timezone.now(),
        },
    )


def siti_plan(s, **data):
    return create(s, s.siti, s.siti_scope, s.siti_user, **data)


def as_kabid(s):
    return {"actor": s.kabid_user, "scope": s.kabid_scope}


def test_a_plan_that_is_not_approved_is_not_evaluated(s):
    plan = siti_plan(s)
    for status in ("draft", "submitted"):
        Plan.objects.filter(pk=plan.pk).update(status=status)
        with pytest.raises(ValidationError, match="disetujui atau ditetapkan"):
            ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    assert not Evaluation.objects.exists()
    approved(plan, "signed")
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    assert (evaluation.status, evaluation.version) == ("draft", 1)
    with pytest.raises(ValidationError, match="sudah dibuka"):
        ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    with pytest.raises(ValidationError):  # a quarter the year does not have
        ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=5)
    assert Evaluation.objects.count() == 1


def test_suggestion_from_the_rollup_an_override_needs_a_reason_and_the_predikat(s):
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, D("79.99"))  # under 80 %: below expectation
    rollup("plan", plan.pk, 2, D("110.01"))  # over 110 %: above expectation
    q1 = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    q2 = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=2)
    assert (q1.achievement, q1.source, q1.suggested_rating) == (D("79.99"), "plan", BELOW)
    assert (q2.achievement, q2.suggested_rating, q2.results_rating) == (D("110.01"), ABOVE, "")

    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="tuliskan alasan"):
        ev.evaluation_rate_results(**as_kabid(s), evaluation=q1, version=1, rating=AS)
    with pytest.raises(ValidationError, match="tuliskan alasan"):
        ev.evaluation_rate_results(**as_kabid(s), evaluation=q1, version=1, rating=AS, reason="  ")
    q1.refresh_from_db()
    assert (q1.results_rating, q1.override_reason, q1.version) == ("", "", 1)
    assert AuditEvent.objects.count() == events  # nothing saved, nothing audited

    q1 = ev.evaluation_rate_results(
        **as_kabid(s), evaluation=q1, version=1, rating=AS, reason="Sakit dua minggu"
    )
    assert (q1.results_rating, q1.override_reason, q1.version) == (AS, "Sakit dua minggu", 2)
    # The suggestion itself needs no reason (and keeps none).
    q2 = ev.evaluation_rate_results(
        **as_kabid(s), evaluation=q2, version=1, rating=ABOVE, reason="x"
    )
    assert (q2.results_rating, q2.override_reason) == (ABOVE, "")

    q1 = ev.evaluation_rate_behaviour(
        **as_kabid(s),
        evaluation=q1,
        version=2,
        rating=ABOVE,
        values={"adaptif": {"rating": ABOVE, "feedback": "Cepat belajar aplikasi baru"}},
    )
    # As expected x above expectation -> baik.
    assert (q1.behaviour_rating, q1.predikat, q1.version) == (ABOVE, "baik", 3)
    assert list(EvaluationBehaviour.objects.values_list("value", "rating", "feedback")) == [
        ("adaptif", ABOVE, "Cepat belajar aplikasi baru")
    ]
    # Below x below -> sangat kurang.
    q2 = ev.evaluation_rate_results(
        **as_kabid(s), evaluation=q2, version=2, rating=BELOW, reason="Laporan terlambat"
    )
    q2 = ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=q2, version=3, rating=BELOW)
    assert q2.predikat == "sangat_kurang"
    # An unknown value or rating is refused and the row stays.
    with pytest.raises(ValidationError):
        ev.evaluation_rate_behaviour(
            **as_kabid(s), evaluation=q1, version=3, rating=AS, values={"jujur": {"rating": AS}}
        )
    with pytest.raises(ValidationError):
        ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=q1, version=3, rating="good")
    q1.refresh_from_db()
    assert (q1.behaviour_rating, q1.version) == (ABOVE, 3)
    assert AuditEvent.objects.filter(action__startswith="evaluation.").count() == 7


def test_a_qualitative_plan_is_rated_by_the_evaluator_without_a_reason(s):
    plan = approved(siti_plan(s, approach="qualitative"))
    rollup("plan", plan.pk, 1, D("50"))  # not read for a qualitative plan
    q1 = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    assert (q1.achievement, q1.source, q1.suggested_rating) == (None, "evaluator", "")
    q1 = ev.evaluation_rate_results(**as_kabid(s), evaluation=q1, version=1, rating=ABOVE)
    assert (q1.results_rating, q1.override_reason) == (ABOVE, "")


def test_finalised_it_no_longer_changes(s):
    plan = siti_plan(s)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    plan = approved(plan)
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="annual")
    assert (evaluation.sub_period, evaluation.suggested_rating) == (0, "")
    with pytest.raises(ValidationError, match="rating hasil kerja"):
        ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=1)
    evaluation = ev.evaluation_rate_results(
        **as_kabid(s), evaluation=evaluation, version=1, rating=AS
    )
    with pytest.raises(ValidationError, match="rating perilaku kerja"):
        ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=2)
    evaluation = ev.evaluation_rate_behaviour(
        **as_kabid(s), evaluation=evaluation, version=2, rating=AS
    )
    evaluation = ev.evaluation_feedback(
        **as_kabid(s), evaluation=evaluation, version=3, feedback={result.pk: "Tepat waktu"}
    )
    evaluation = ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=4)
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.predikat, evaluation.version) == ("final", "baik", 5)
    assert evaluation.finalised_by == s.kabid_user and evaluation.finalised_at is not None
    for call in (
        lambda: ev.evaluation_rate_results(
            **as_kabid(s), evaluation=evaluation, version=5, rating=ABOVE, reason="x"
        ),
        lambda: ev.evaluation_rate_behaviour(
            **as_kabid(s), evaluation=evaluation, version=5, rating=BELOW
        ),
        lambda: ev.evaluation_feedback(
            **as_kabid(s), evaluation=evaluation, version=5, feedback={result.pk: "Lain"}
        ),
        lambda: ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=5),
    ):
        with pytest.raises(ValidationError, match="sudah final"):
            call()
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.behaviour_rating, evaluation.version) == (
        AS,
        AS,
        5,
    )
    assert evaluation.feedback.get().feedback == "Tepat waktu"


def test_a_stale_version_is_a_conflict(s):
    plan = approved(siti_plan(s))
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=3)
    ev.evaluation_rate_results(**as_kabid(s), evaluation=evaluation, version=1, rating=AS)
    with pytest.raises(Conflict, match=r"versi 1, sekarang versi 2"):
        ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=evaluation, version=1, rating=AS)
    evaluation.refresh_from_db()
    assert (evaluation.behaviour_rating, evaluation.version) == ("", 2)


def test_only_the_evaluator_rates(s):
    plan = approved(siti_plan(s))
    assert plan.evaluator_id == s.kabid.pk
    for actor, scope in ((s.siti_user, s.siti_scope), (s.head_user, s.head_scope)):
        with pytest.raises(PermissionDenied):
            ev.evaluation_open(actor=actor, scope=scope, plan=plan, kind="annual")
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="annual")
    with pytest.raises(PermissionDenied):
        ev.evaluation_rate_results(
            actor=s.siti_user, scope=s.siti_scope, evaluation=evaluation, version=1, rating=ABOVE
        )
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.version) == ("", 1)


def test_the_head_of_an_agency_is_rated_from_the_agencys_achievement(s, scopes):
    plan = approved(head_plan(s))
    assert plan.position.is_head and plan.evaluator_id is None  # named by hand
    rollup("plan", plan.pk, 0, D("70"))  # the head's own plan: not read
    rollup("agency", s.world.agency_a.pk, 0, D("112.5"))
    bkd = {"actor": s.world.users["bkd"], "scope": scopes["bkd"]}
    annual = ev.evaluation_open(**bkd, plan=plan, kind="annual")
    assert (annual.achievement, annual.source) == (D("112.5"), "agency")
    assert (annual.suggested_rating, annual.results_rating) == (ABOVE, ABOVE)
    rollup("agency", s.world.agency_a.pk, 1, D("95"))
    q1 = ev.evaluation_open(**bkd, plan=plan, kind="periodic", sub_period=1)
    assert (q1.achievement, q1.results_rating) == (D("95"), AS)


def test_the_annual_evaluation_combines_the_years_plans_by_their_days(s):
    first = approved(siti_plan(s, starts=dt.date(2024, 1, 1), ends=dt.date(2024, 6, 30)))
    second = approved(siti_plan(s, starts=dt.date(2024, 7, 1), ends=dt.date(2024, 12, 31)))
    # A periodic evaluation is of a quarter the plan covers: the first plan's Q3 is refused.
    with pytest.raises(ValidationError, match="sub-periode yang dicakup"):
        ev.evaluation_open(**as_kabid(s), plan=first, kind="periodic", sub_period=3)
    assert ev.evaluation_open(**as_kabid(s), plan=second, kind="periodic", sub_period=3).pk
    rollup("plan", first.pk, 0, D("90"))
    rollup("plan", second.pk, 0, D("120"))
    annual = ev.evaluation_open(**as_kabid(s), plan=second, kind="annual")
    # 182 days at 90 % and 184 days at 120 % (2024 has 366): 38460 / 366 = 105.08.
    assert (annual.achievement, annual.source, annual.suggested_rating) == (
        D("105.08"),
        "plans",
        AS,
    )
    # One annual evaluation a year per employee: not a second one on the first plan.
    with pytest.raises(ValidationError, match="satu evaluasi tahunan"):
        ev.evaluation_open(**as_kabid(s), plan=first, kind="annual")
    assert Evaluation.objects.filter(kind="annual").count() == 1


def test_only_the_head_of_a_unit_at_the_top_of_the_tree_heads_an_organisation():
    from types import SimpleNamespace as NS

    from kinerja.performance.services.evaluation import is_head_of_organisation

    def plan(is_head, parent_id):
        return NS(position=NS(is_head=is_head), unit=NS(parent_id=parent_id))

    assert is_head_of_organisation(plan(True, None))  # a Dinas's head
    assert not is_head_of_organisation(plan(True, 7))  # its Sekretaris heads a secretariat
    assert not is_head_of_organisation(plan(False, None))  # staff of the agency's own unit
