"""Objections (PP 30/2019 Pasal 59), the audited reopening and the input of others: the 14-day
deadline counted in local (WIB) days, day 14 accepted and day 15 refused, at the local-midnight
edge; only the employee objects; only the evaluator's superior decides (the personnel office
when the plan records none); a change recomputes the predikat from the matrix; a reopening needs
a reason and waits for an open objection; conflicts; nothing half-saved."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Evaluation, EvaluationInput, Objection
from kinerja.performance.objection_rules import (
    may_still_object,
    objection_closes,
    objection_days,
    objection_last_day,
)
from kinerja.performance.services import Conflict
from kinerja.performance.services import evaluation as ev
from kinerja.performance.services import objections as ob

from .test_evaluation import approved, as_kabid, siti_plan
from .test_skp import head_plan, s  # noqa: F401 - the s fixture

ABOVE, AS, BELOW = "above_expectation", "as_expected", "below_expectation"
UTC = dt.UTC
WIB = ZoneInfo("Asia/Jakarta")  # UTC+7, the project's TIME_ZONE


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# 2024-04-05 10:00 WIB
FINALISED = at(2024, 4, 5, 3, 0)


def final_evaluation(s, results=AS, behaviour=AS, finalised_at=FINALISED):
    """Siti's plan (evaluator Hartono, his superior Budi), its first quarter rated and final."""
    plan = approved(siti_plan(s))
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    ev.evaluation_rate_results(**as_kabid(s), evaluation=evaluation, version=1, rating=results)
    ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=evaluation, version=2, rating=behaviour)
    ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=3)
    Evaluation.objects.filter(pk=evaluation.pk).update(finalised_at=finalised_at)
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version) == ("final", 4)
    return evaluation


def as_siti(s):
    return {"actor": s.siti_user, "scope": s.siti_scope}


def as_budi(s):
    return {"actor": s.head_user, "scope": s.head_scope}


def now_is(monkeypatch, moment):
    monkeypatch.setattr(ob, "_now", lambda: moment)


def file(s, evaluation, **kw):
    return ob.objection_file(
        **as_siti(s), evaluation=evaluation, reasons=kw.pop("reasons", "Target tercapai"), **kw
    )


# The pure deadline rule --------------------------------------------------------------------


def test_the_policy_gives_14_days_in_2023_and_after():
    assert objection_days(2023) == 14
    assert objection_days(2024) == 14


def test_the_deadline_is_the_local_day_of_finalisation_plus_14():
    # 10:00 WIB on 5 April: day 14 is 19 April, closing at 20 April 00:00 WIB (17:00 UTC).
    assert objection_last_day(FINALISED, 14, WIB) == dt.date(2024, 4, 19)
    assert objection_closes(FINALISED, 14, WIB) == at(2024, 4, 19, 17, 0)
    assert may_still_object(FINALISED, at(2024, 4, 19, 16, 59, 59), 14, WIB)
    assert not may_still_object(FINALISED, at(2024, 4, 19, 17, 0), 14, WIB)
    # Finalised at 00:30 WIB on 5 April, which is still 4 April in UTC: the local day counts,
    # so 19 April is day 14 (counting the UTC day would have closed on 18 April).
    late_night = at(2024, 4, 4, 17, 30)
    assert objection_last_day(late_night, 14, WIB) == dt.date(2024, 4, 19)
    assert may_still_object(late_night, at(2024, 4, 19, 13, 0), 14, WIB)  # 20:00 WIB day 14
    # Finalised at 23:59 WIB on 5 April: day 15 starts 14 days and one minute later.
    just_before_midnight = at(2024, 4, 5, 16, 59)
    assert not may_still_object(just_before_midnight, at(2024, 4, 19, 17, 0), 14, WIB)
    # In UTC itself the same moments give other days: the zone matters.
    assert objection_last_day(late_night, 14, UTC) == dt.date(2024, 4, 18)


# Filing ------------------------------------------------------------------------------------


def test_day_14_is_accepted_and_day_15_refused(s, monkeypatch):
    evaluation = final_evaluation(s)
    events = AuditEvent.objects.count()
    now_is(monkeypatch, at(2024, 4, 19, 17, 0))  # 20 April 00:00 WIB: day 15
    with pytest.raises(ValidationError, match="14 hari") as refused:
        file(s, evaluation)
    assert "2024-04-19" in str(refused.value)
    assert not Objection.objects.exists() and AuditEvent.objects.count() == events

    now_is(monkeypatch, at(2024, 4, 19, 16, 59, 59))  # 19 April 23:59:59 WIB: day 14
    objection = file(s, evaluation, evidence="Laporan terkirim", links=["https://x.go.id/a"])
    assert (objection.status, objection.version, objection.links) == (
        "open",
        1,
        ["https://x.go.id/a"],
    )
    assert (objection.results_before, objection.behaviour_before, objection.predikat_before) == (
        AS,
        AS,
        "baik",
    )
    event = AuditEvent.objects.get(action="objection.file")
    assert event.changes["reasons"] == [None, "Target tercapai"]
    assert event.target_id == str(objection.pk)


def test_the_local_midnight_edge_of_finalisation(s, monkeypatch):
    # Finalised 00:30 WIB on 5 April (4 April in UTC): 19 April 20:00 WIB is still day 14.
    evaluation = final_evaluation(s, finalised_at=at(2024, 4, 4, 17, 30))
    now_is(monkeypatch, at(2024, 4, 19, 13, 0))
    assert file(s, evaluation).pk


def test_only_the_employee_objects_to_a_final_rating(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    draft = ev.evaluation_open(**as_kabid(s), plan=evaluation.plan, kind="periodic", sub_period=2)
    with pytest.raises(ValidationError, match="final"):
        file(s, draft)
    for who in (as_kabid(s), as_budi(s)):
        with pytest.raises(PermissionDenied):
            ob.objection_file(**who, evaluation=evaluation, reasons="Bukan saya")
    with pytest.raises(ValidationError, match="alasan"):
        file(s, evaluation, reasons="  ")
    with pytest.raises(ValidationError, match="http"):
        file(s, evaluation, links=["javascript:alert(1)"])
    with pytest.raises(ValidationError, match="http"):
        file(s, evaluation, links=["ftp://x.go.id/a"])
    assert not Objection.objects.exists()
    file(s, evaluation)
    with pytest.raises(ValidationError, match="sudah ada|sudah diajukan|terbuka"):
        file(s, evaluation)
    assert Objection.objects.count() == 1


def test_a_second_open_objection_is_refused_by_the_database(s, monkeypatch):
    from django.db import IntegrityError, transaction

    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    first = file(s, evaluation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(
            instansi_id=first.instansi_id,
            evaluation=evaluation,
            filed_at=first.filed_at,
            reasons="Lagi",
            results_before=AS,
            behaviour_before=AS,
            predikat_before="baik",
        )


# Deciding ----------------------------------------------------------------------------------


def test_only_the_evaluators_superior_decides(s, monkeypatch, scopes):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    assert evaluation.plan.evaluator_superior_id == s.head.pk  # Budi
    objection = file(s, evaluation)
    bkd = {"actor": s.world.users["bkd"], "scope": scopes["bkd"]}
    for who in (as_siti(s), as_kabid(s), bkd):  # the superior is recorded: only he decides
        with pytest.raises(PermissionDenied):
            ob.objection_decide(
                **who, objection=objection, version=1, decision="uphold", reason="Tetap"
            )
    objection.refresh_from_db()
    assert (objection.status, objection.version) == ("open", 1)


def test_uphold_needs_a_reason_and_is_final(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    objection = file(s, evaluation)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="alasan"):
        ob.objection_decide(
            **as_budi(s), objection=objection, version=1, decision="uphold", reason=""
        )
    with pytest.raises(ValidationError):
        ob.objection_decide(
            **as_budi(s), objection=objection, version=1, decision="maybe", reason="x"
        )
    assert AuditEvent.objects.count() == events
    now_is(monkeypatch, at(2024, 4, 10, 3, 0))
    objection = ob.objection_decide(
        **as_budi(s), objection=objection, version=1, decision="uphold", reason="Bukti kurang"
    )
    assert (objection.status, objection.version, objection.decision_reason) == (
        "upheld",
        2,
        "Bukti kurang",
    )
    assert objection.decided_at == at(2024, 4, 10, 3, 0)
    assert (objection.results_after, objection.behaviour_after, objection.predikat_after) == (
        AS,
        AS,
        "baik",
    )
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.predikat, evaluation.version) == (AS, "baik", 4)
    event = AuditEvent.objects.get(action="objection.decide")
    assert (event.reason, event.changes["status"]) == ("Bukti kurang", ["open", "upheld"])
    # Decided: no second decision, no second objection to this rating, no reopening.
    with pytest.raises(ValidationError, match="final"):
        ob.objection_decide(
            **as_budi(s),
            objection=objection,
            version=2,
            decision="change",
            reason="x",
            results_rating=ABOVE,
        )
    with pytest.raises(ValidationError, match="final"):
        file(s, evaluation)
    with pytest.raises(ValidationError, match="final"):
        ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=4, reason="Koreksi")


def test_a_change_recomputes_the_predikat_from_the_matrix(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    # Below x as expected -> butuh perbaikan.
    evaluation = final_evaluation(s, results=BELOW, behaviour=AS)
    assert evaluation.predikat == "butuh_perbaikan"
    objection = file(s, evaluation)
    # A "change" to the same ratings is refused: that is an uphold.
    with pytest.raises(ValidationError, match="pertahankan|uphold"):
        ob.objection_decide(
            **as_budi(s),
            objection=objection,
            version=1,
            decision="change",
            reason="x",
            results_rating=BELOW,
        )
    with pytest.raises(ValidationError):
        ob.objection_decide(
            **as_budi(s),
            objection=objection,
            version=1,
            decision="change",
            reason="x",
            results_rating="good",
        )
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.version) == (BELOW, 4)
    objection = ob.objection_decide(
        **as_budi(s),
        objection=objection,
        version=1,
        decision="change",
        reason="Target tercapai setelah verifikasi",
        results_rating=ABOVE,
        behaviour_rating=ABOVE,
    )
    # Above x above -> sangat baik.
    assert (objection.status, objection.predikat_before, objection.predikat_after) == (
        "changed",
        "butuh_perbaikan",
        "sangat_baik",
    )
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.behaviour_rating) == (ABOVE, ABOVE)
    assert (evaluation.predikat, evaluation.status, evaluation.version) == (
        "sangat_baik",
        "final",
        5,
    )
    # No suggestion (no roll-up): no override reason kept.
    assert evaluation.override_reason == ""
    change = AuditEvent.objects.get(action="evaluation.objection_change")
    assert change.target_id == str(evaluation.pk)
    assert change.changes["predikat"] == ["butuh_perbaikan", "sangat_baik"]
    assert change.changes["objection"] == [None, objection.pk]
    assert change.reason == "Target tercapai setelah verifikasi"


def test_a_change_of_one_rating_keeps_the_other(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s, results=AS, behaviour=BELOW)  # kurang
    objection = file(s, evaluation)
    ob.objection_decide(
        **as_budi(s),
        objection=objection,
        version=1,
        decision="change",
        reason="Perilaku baik",
        behaviour_rating=AS,
    )
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.behaviour_rating, evaluation.predikat) == (
        AS,
        AS,
        "baik",
    )


def test_two_deciders_at_once_the_second_gets_a_conflict(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    objection = file(s, evaluation)
    ob.objection_decide(
        **as_budi(s),
        objection=objection,
        version=1,
        decision="change",
        reason="Naik",
        results_rating=ABOVE,
    )
    with pytest.raises(Conflict, match=r"versi 1, sekarang versi 2"):
        ob.objection_decide(
            **as_budi(s), objection=objection, version=1, decision="uphold", reason="Tetap"
        )
    objection.refresh_from_db()
    assert (objection.status, objection.decision_reason) == ("changed", "Naik")


def test_without_a_recorded_superior_the_personnel_office_decides(s, monkeypatch, scopes):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    plan = approved(head_plan(s))
    assert plan.evaluator_superior_id is None
    bkd = {"actor": s.world.users["bkd"], "scope": scopes["bkd"]}
    evaluation = ev.evaluation_open(**bkd, plan=plan, kind="periodic", sub_period=1)
    ev.evaluation_rate_results(**bkd, evaluation=evaluation, version=1, rating=AS)
    ev.evaluation_rate_behaviour(**bkd, evaluation=evaluation, version=2, rating=AS)
    ev.evaluation_finalise(**bkd, evaluation=evaluation, version=3)
    objection = ob.objection_file(**as_budi(s), evaluation=evaluation, reasons="Capaian dinas")
    admin = {"actor": s.world.users["opd_admin"], "scope": scopes["opd_admin"]}
    with pytest.raises(PermissionDenied):  # keeps the agency's plans, but is not personnel
        ob.objection_decide(**admin, objection=objection, version=1, decision="uphold", reason="x")
    objection = ob.objection_decide(
        **bkd, objection=objection, version=1, decision="uphold", reason="Sesuai capaian"
    )
    assert objection.status == "upheld"


# Reopening ---------------------------------------------------------------------------------


def test_reopening_needs_a_reason_and_is_audited(s, monkeypatch, scopes):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    events = AuditEvent.objects.count()
    for who in (as_kabid(s), as_siti(s)):  # the evaluator does not reopen his own rating
        with pytest.raises(PermissionDenied):
            ob.evaluation_reopen(**who, evaluation=evaluation, version=4, reason="Koreksi")
    with pytest.raises(ValidationError, match="alasan"):
        ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=4, reason=" ")
    with pytest.raises(Conflict):
        ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=3, reason="Koreksi")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version) == ("final", 4)
    assert AuditEvent.objects.count() == events

    evaluation = ob.evaluation_reopen(
        **as_budi(s), evaluation=evaluation, version=4, reason="Salah input perilaku"
    )
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version) == ("draft", 5)
    assert evaluation.finalised_at is None and evaluation.finalised_by is None
    assert (evaluation.results_rating, evaluation.predikat) == (AS, "baik")  # kept for editing
    event = AuditEvent.objects.get(action="evaluation.reopen")
    assert (event.reason, event.changes["status"]) == ("Salah input perilaku", ["final", "draft"])
    with pytest.raises(ValidationError, match="final"):  # a draft is not reopened
        ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=5, reason="Lagi")
    # The evaluator edits and finalises again; BKD may reopen too.
    ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=evaluation, version=5, rating=ABOVE)
    ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=6)
    bkd = {"actor": s.world.users["bkd"], "scope": scopes["bkd"]}
    assert ob.evaluation_reopen(**bkd, evaluation=evaluation, version=7, reason="Audit").status == (
        "draft"
    )


def test_reopening_is_refused_while_an_objection_is_open(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    file(s, evaluation)
    with pytest.raises(ValidationError, match="(?i)keberatan"):
        ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=4, reason="Koreksi")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version) == ("final", 4)


def test_reopening_waits_for_the_distribution_hook(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    monkeypatch.setattr(ob, "distribution_final", lambda evaluation: True)
    with pytest.raises(ValidationError, match="(?i)distribusi"):
        ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=4, reason="Koreksi")


def test_after_a_reopening_and_a_new_finalisation_a_new_objection_may_follow(s, monkeypatch):
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s)
    ob.evaluation_reopen(**as_budi(s), evaluation=evaluation, version=4, reason="Koreksi")
    ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=5)
    Evaluation.objects.filter(pk=evaluation.pk).update(finalised_at=at(2024, 5, 1, 3, 0))
    now_is(monkeypatch, at(2024, 5, 15, 16, 59))  # 15 May 23:59 WIB: day 14 of the new rating
    assert file(s, evaluation).pk


# Input of others ---------------------------------------------------------------------------


def test_input_is_requested_by_the_evaluator_and_given_by_the_invitee(s, monkeypatch, world):
    now_is(monkeypatch, at(2024, 3, 28, 3, 0))
    plan = approved(siti_plan(s))
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    # Only who rates asks; not of the employee herself nor of the evaluator.
    with pytest.raises(PermissionDenied):
        ob.input_request(**as_siti(s), evaluation=evaluation, author=s.head, relation="adviser")
    for author in (s.siti, s.kabid):
        with pytest.raises(ValidationError):
            ob.input_request(**as_kabid(s), evaluation=evaluation, author=author, relation="peer")
    with pytest.raises(ValidationError):
        ob.input_request(**as_kabid(s), evaluation=evaluation, author=s.head, relation="boss")
    item = ob.input_request(**as_kabid(s), evaluation=evaluation, author=s.head, relation="adviser")
    with pytest.raises(ValidationError, match="sudah"):
        ob.input_request(**as_kabid(s), evaluation=evaluation, author=s.head, relation="adviser")
    assert (item.status, item.version, item.given_at) == ("requested", 1, None)
    # Only the invitee gives it; a text is required.
    with pytest.raises(PermissionDenied):
        ob.input_give(**as_kabid(s), item=item, version=1, text="Bagus")
    with pytest.raises(ValidationError):
        ob.input_give(**as_budi(s), item=item, version=1, text=" ")
    item = ob.input_give(
        **as_budi(s), item=item, version=1, text="Kerja tim baik", suggested_rating=ABOVE
    )
    assert (item.status, item.suggested_rating, item.version) == ("given", ABOVE, 2)
    with pytest.raises(Conflict):
        ob.input_give(**as_budi(s), item=item, version=1, text="Lagi")
    # Never binding: the evaluation is untouched.
    evaluation.refresh_from_db()
    assert (evaluation.results_rating, evaluation.version) == ("", 1)
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="evaluation_input.").order_by(
            "sequence"
        )
    ] == ["evaluation_input.request", "evaluation_input.give"]
    # Once final, no more input is asked.
    ev.evaluation_rate_results(**as_kabid(s), evaluation=evaluation, version=1, rating=AS)
    ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=evaluation, version=2, rating=AS)
    ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=3)
    with pytest.raises(ValidationError, match="final"):
        ob.input_request(
            **as_kabid(s), evaluation=evaluation, author=world.staff_b, relation="peer"
        )
    # Another instansi's employee is refused on a draft too.
    draft = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=2)
    with pytest.raises(ValidationError, match="(?i)pegawai"):
        ob.input_request(**as_kabid(s), evaluation=draft, author=world.staff_x, relation="peer")
    assert EvaluationInput.objects.count() == 1


def test_a_request_not_answered_is_withdrawn(s, monkeypatch):
    now_is(monkeypatch, at(2024, 3, 28, 3, 0))
    plan = approved(siti_plan(s))
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    item = ob.input_request(**as_kabid(s), evaluation=evaluation, author=s.head, relation="peer")
    with pytest.raises(PermissionDenied):
        ob.input_withdraw(**as_budi(s), item=item, version=1)
    item = ob.input_withdraw(**as_kabid(s), item=item, version=1)
    assert (item.status, item.version) == ("withdrawn", 2)
    with pytest.raises(ValidationError):
        ob.input_give(**as_budi(s), item=item, version=2, text="Terlambat")


def test_a_changed_results_rating_against_the_suggestion_keeps_the_decisions_reason(s, monkeypatch):
    from decimal import Decimal

    from .test_evaluation import rollup

    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    plan = approved(siti_plan(s))
    rollup("plan", plan.pk, 1, Decimal("79.99"))  # under 80 %: below expectation suggested
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    ev.evaluation_rate_results(**as_kabid(s), evaluation=evaluation, version=1, rating=BELOW)
    ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=evaluation, version=2, rating=AS)
    ev.evaluation_finalise(**as_kabid(s), evaluation=evaluation, version=3)
    Evaluation.objects.filter(pk=evaluation.pk).update(finalised_at=FINALISED)
    objection = file(s, evaluation)
    ob.objection_decide(
        **as_budi(s),
        objection=objection,
        version=1,
        decision="change",
        reason="Realisasi Q1 terlambat diinput",
        results_rating=AS,
    )
    evaluation.refresh_from_db()
    assert (evaluation.suggested_rating, evaluation.results_rating, evaluation.predikat) == (
        BELOW,
        AS,
        "baik",
    )
    assert evaluation.override_reason == "Realisasi Q1 terlambat diinput"


@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_the_same_moment_on_postgresql(s, monkeypatch, scopes):
    """Two sessions decide the same objection at once (the superior twice, from two windows):
    the evaluation row is locked first, so the second reads the bumped version and gets the
    conflict, and the evaluation is changed once."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks between sessions need PostgreSQL")
    now_is(monkeypatch, at(2024, 4, 6, 3, 0))
    evaluation = final_evaluation(s, results=BELOW, behaviour=AS)
    objection = file(s, evaluation)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(decision, rating):
        try:
            start.wait(10)
            ob.objection_decide(
                **as_budi(s),
                objection=objection,
                version=1,
                decision=decision,
                reason="Bersamaan",
                results_rating=rating,
            )
            outcomes.append("done")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("change", ABOVE)),
        threading.Thread(target=decide, args=("change", AS)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["conflict", "done"]
    objection.refresh_from_db()
    evaluation.refresh_from_db()
    assert (objection.version, evaluation.version) == (2, 5)
    assert evaluation.results_rating == objection.results_after
    assert AuditEvent.objects.filter(action="evaluation.objection_change").count() == 1
