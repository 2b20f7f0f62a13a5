"""The unit's predikat and the finalisation of its distribution: who opens, recommends, sets and
finalises; the suggestion from the action plans (periodic) and the PK (annual); the curve
checked at finalisation (a breach only with a justification, nothing half-saved); who is in a
distribution; the evaluations closed afterwards; the optimistic lock; the API. Messages are in
Indonesian (the default) unless asked in English.

The fixture ``s`` (test_skp): agency A (Dinas Pendidikan) in 2024, Budi heads it (the opd_head
account), Hartono heads its division SMA, Siti works there."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)
from kinerja.performance import selectors_unit_predikat as sel
from kinerja.performance.models import (
    Action,
    ActionProgress,
    ActionSchedule,
    Agreement,
    AgreementTarget,
    Evaluation,
    Goal,
    Indicator,
    Plan,
    PredikatDistribution,
    Rollup,
    SubPeriod,
    Target,
    UnitPredikat,
    UnitPredikatRecommendation,
)
from kinerja.performance.services import Conflict
from kinerja.performance.services import evaluation as ev
from kinerja.performance.services import unit_predikat as svc

from .test_skp import START, s  # noqa: F401 - the s fixture

D = Decimal
SEQ = itertools.count(1)


def who(s, role):
    user = s.world.users[role]
    return {"actor": user, "scope": scope_for(user)}


def budi(s):  # heads agency A: the leader one level up from its divisions
    return {"actor": s.head_user, "scope": s.head_scope}


def hartono(s):  # heads division SMA
    return {"actor": s.kabid_user, "scope": s.kabid_scope}


def rated(s, unit, predikat="baik", *, n=1, sub_period=1, status="final", post=None):
    """``n`` staff of ``unit`` with an approved plan for 2024 and an evaluation of the
    sub-period (0: the year), final with ``predikat`` or a draft. Written straight."""
    out = []
    for _ in range(n):
        position = post or PositionFactory(unit=unit, code=f"UP-{next(SEQ)}")
        employee = EmployeeFactory(unit=unit, position=position)
        plan = Plan.objects.create(
            instansi=unit.instansi,
            employee=employee,
            position=position,
            position_title=position.title,
            position_kind=position.kind,
            unit=unit,
            period=s.period,
            starts=dt.date(2024, 1, 1),
            ends=dt.date(2024, 12, 31),
            status="approved",
        )
        final = status == "final"
        out.append(
            Evaluation.objects.create(
                instansi=unit.instansi,
                plan=plan,
                kind="annual" if sub_period == 0 else "periodic",
                sub_period=sub_period,
                source="plan",
                status=status,
                results_rating="as_expected",
                behaviour_rating="as_expected",
                predikat=predikat if final else "",
                finalised_at=timezone.now() if final else None,
            )
        )
    return out


def opened(s, unit=None, sub_period=1, **kw):
    unit = unit or s.world.division_a
    return svc.unit_predikat_open(
        **budi(s), unit=unit, period=s.period, sub_period=sub_period, **kw
    )


def set_to(s, up, predikat, reason="", by=None):
    up.refresh_from_db()
    return svc.unit_predikat_set(
        **(by or budi(s)), unit_predikat=up, version=up.version, predikat=predikat, reason=reason
    )


def finalise(s, up, justification="", by=None):
    up.refresh_from_db()
    return svc.distribution_finalise(
        **(by or hartono(s)), unit_predikat=up, version=up.version, justification=justification
    )


# Who -------------------------------------------------------------------------------------------


def test_who_opens_and_sets_a_divisions_predikat(s):
    division = s.world.division_a
    siti = {"actor": s.siti_user, "scope": s.siti_scope}
    with pytest.raises(PermissionDenied):
        svc.unit_predikat_open(**siti, unit=division, period=s.period, sub_period=1)
    with pytest.raises(PermissionDenied):  # the division's own head does not open it
        svc.unit_predikat_open(**hartono(s), unit=division, period=s.period, sub_period=1)
    # Who keeps the unit's plans may open it (the agency administrator).
    up = svc.unit_predikat_open(**who(s, "opd_admin"), unit=division, period=s.period, sub_period=1)
    assert (up.status, up.version, up.suggested) == ("open", 1, "")
    # Only the leader one level up sets it: Budi, who heads the agency above the division.
    for other in (hartono(s), who(s, "leadership"), who(s, "opd_admin"), who(s, "system_admin")):
        with pytest.raises(PermissionDenied, match="satu tingkat di atas"):
            set_to(s, up, "baik", by=other)
    up = set_to(s, up, "baik")
    assert (up.status, up.predikat, up.set_by, up.version) == ("set", "baik", s.head_user, 2)
    assert up.set_by_name == s.head.display_name


def test_an_agency_at_the_top_is_set_by_the_leadership(s):
    agency = s.world.agency_a
    up = svc.unit_predikat_open(**who(s, "leadership"), unit=agency, period=s.period, sub_period=0)
    with pytest.raises(PermissionDenied):
        set_to(s, up, "baik")  # Budi heads it: he does not set his own
    up = set_to(s, up, "istimewa", by=who(s, "leadership"))
    assert up.predikat == "istimewa"


def test_an_acting_head_of_the_parent_sets_it(s):
    from kinerja.organisations.models import ActingAssignment

    deputy = EmployeeFactory(unit=s.world.agency_a)
    ActingAssignment.objects.create(
        instansi=s.world.instansi,
        employee=deputy,
        position=s.world.head_pos_a,
        kind="plh",
        decree_number="SK-9",
        valid_from=timezone.localdate() - dt.timedelta(days=1),
    )
    from kinerja.performance.tests.test_skp import user_for

    user = user_for(s.world, deputy, "plh")
    up = opened(s)
    up = set_to(s, up, "kurang", by={"actor": user, "scope": scope_for(user)})
    assert up.predikat == "kurang"


# The suggestion --------------------------------------------------------------------------------


def _agreement(s, unit, status="approved", targets=1):
    goal = Goal.objects.create(
        instansi=unit.instansi,
        level="agency_objective",
        code=f"G{next(SEQ)}",
        name="T",
        unit=s.world.agency_a,
    )
    agreement = Agreement.objects.create(
        instansi=unit.instansi,
        unit=unit,
        year=2024,
        status=status,
        agreement_date=dt.date(2024, 1, 5),
        signed_at=timezone.now() if status == "signed" else None,
    )
    rows = []
    for i in range(targets):
        indicator = Indicator.objects.create(
            instansi=unit.instansi,
            goal=goal,
            unit=s.world.agency_a,
            code=f"I{next(SEQ)}",
            name="I",
            measure_unit="persen",
            control_level="outcome",
        )
        target = Target.objects.create(
            instansi=unit.instansi, indicator=indicator, year=2024, shape="value", value=100
        )
        rows.append(
            AgreementTarget.objects.create(
                agreement=agreement, target=target, goal=goal, position=i + 1
            )
        )
    return agreement, rows


def _action(agreement, row, unit, progress=(), parent=None):
    """An action planned 25 in each quarter; ``progress``: (quarter, percent) entered."""
    action = Action.objects.create(
        instansi=unit.instansi,
        agreement=agreement,
        agreement_target=row,
        parent=parent,
        code=f"A{next(SEQ)}",
        text="Aksi",
        unit=unit,
    )
    quarters = {q.number: q for q in SubPeriod.objects.filter(period__year=2024)}
    for q in quarters.values():
        ActionSchedule.objects.create(action=action, sub_period=q, weight=25)
    for number, percent in progress:
        ActionProgress.objects.create(action=action, sub_period=quarters[number], progress=percent)
    return action


def test_the_periodic_suggestion_from_the_action_plans(s):
    division = s.world.division_a
    agreement, (row,) = _agreement(s, s.world.agency_a)
    parent = _action(agreement, row, division)  # measured by its sub-action below
    _action(agreement, row, division, [(1, 100), (2, 100)])  # quarter 2's counts from quarter 2
    _action(agreement, row, division, [(1, 50)])
    _action(agreement, row, division)  # nothing entered
    _action(agreement, row, division, [(1, 0)], parent=parent)  # entered, none done
    _action(agreement, row, s.world.agency_a, [(1, 100)])  # the agency's: not the division's
    draft, (draft_row,) = _agreement(s, division, status="draft")
    _action(draft, draft_row, division, [(1, 100)])  # a draft PK does not count
    # Quarter 1: 25 planned for each of 4 actions; done 25, 12.5, 0, 0 = 37.5 of 100 (what
    # was entered for quarter 2 is not quarter 1's, so a quarter's basis never changes later).
    up = opened(s)
    assert (up.progress, up.no_progress, up.actions, up.suggested) == (
        D("37.50"),
        D("50.00"),
        4,
        "kurang",
    )
    # Quarter 2: 200 planned, 62.5 done: 31.25 %.
    q2 = opened(s, sub_period=2)
    assert (q2.progress, q2.no_progress, q2.suggested) == (D("31.25"), D("50.00"), "kurang")
    # The agency: its own action too (100 % of quarter 1: 25), five actions, 62.5 of 125.
    basis = sel.periodic_basis(s.world.agency_a, s.period, 1)
    assert (basis.progress, basis.no_progress, basis.actions) == (D("50.00"), D("40.00"), 5)


def test_most_actions_without_progress_suggest_sangat_kurang(s):
    division = s.world.division_a
    agreement, (row,) = _agreement(s, s.world.agency_a)
    _action(agreement, row, division, [(1, 100), (2, 100), (3, 100), (4, 100)])
    _action(agreement, row, division)
    _action(agreement, row, division)
    # 25 of 75 planned is 33.33 %, and two of three show no progress.
    up = opened(s)
    assert (up.progress, up.no_progress, up.suggested) == (
        D("33.33"),
        D("66.67"),
        "sangat_kurang",
    )


def test_without_actions_there_is_no_suggestion(s):
    up = opened(s)
    assert (up.progress, up.actions, up.suggested) == (None, 0, "")
    up = set_to(s, up, "baik")  # no suggestion: no reason needed
    assert up.reason == ""


def _rollup(target, percent):
    Rollup.objects.create(
        instansi=target.instansi,
        kind="target",
        object_id=target.pk,
        year=2024,
        sub_period=0,
        percent=percent,
        computed_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("expectation", "suggested"),
    [("", "baik"), ("above_expectation", "istimewa"), ("below_expectation", "butuh_perbaikan")],
)
def test_the_annual_suggestion_from_the_pk_and_the_expectation(s, expectation, suggested):
    division = s.world.division_a
    _agreement_, rows = _agreement(s, division, status="signed", targets=3)
    _rollup(rows[0].target, D("95.00"))
    _rollup(rows[1].target, D("87.00"))  # the third has no figure yet
    up = opened(s, sub_period=0, expectation=expectation)
    assert (up.achievement, up.expectation, up.suggested) == (D("91.00"), expectation, suggested)


def test_bad_input_when_opening_is_refused_with_a_message(s):
    for sub_period, field in ((5, "sub_period"), ("1", "sub_period"), (True, "sub_period")):
        with pytest.raises(ValidationError) as caught:
            opened(s, sub_period=sub_period)
        assert field in caught.value.message_dict
    with pytest.raises(ValidationError, match="hanya untuk tahunan"):
        opened(s, sub_period=1, expectation="above_expectation")
    with pytest.raises(ValidationError) as caught:
        opened(s, sub_period=0, expectation="luar_biasa")
    assert "expectation" in caught.value.message_dict
    opened(s)
    with pytest.raises(ValidationError, match="sudah dibuka"):
        opened(s)
    assert UnitPredikat.objects.count() == 1


# Setting, recommending, the lock ------------------------------------------------------------


def test_setting_another_predikat_than_the_suggestion_needs_a_reason(s):
    agreement, (row,) = _agreement(s, s.world.agency_a)
    _action(agreement, row, s.world.division_a, [(1, 100)])
    up = opened(s)
    assert up.suggested == "baik"  # 100 % of the plan to date, not over it
    with pytest.raises(ValidationError) as caught:
        set_to(s, up, "istimewa")
    assert "alasan" in str(caught.value.message_dict["reason"]).lower()
    up.refresh_from_db()
    assert (up.predikat, up.status, up.version) == ("", "open", 1)
    up = set_to(s, up, "istimewa", reason="Capaian melampaui target triwulan")
    assert (up.predikat, up.reason) == ("istimewa", "Capaian melampaui target triwulan")
    up = set_to(s, up, "baik", reason="abaikan")  # back to the suggestion: no reason kept
    assert (up.predikat, up.reason, up.version) == ("baik", "", 3)
    event = AuditEvent.objects.filter(action="unit_predikat.set").order_by("-sequence").first()
    assert event.changes["predikat"] == ["istimewa", "baik"]
    assert event.unit_id == s.world.division_a.pk


def test_a_stale_version_is_a_conflict(s):
    up = opened(s)
    set_to(s, up, "baik")
    with pytest.raises(Conflict):
        svc.unit_predikat_set(**budi(s), unit_predikat=up, version=1, predikat="kurang")
    with pytest.raises(ValidationError):
        svc.unit_predikat_set(**budi(s), unit_predikat=up, version="2", predikat="kurang")
    assert UnitPredikat.objects.get().predikat == "baik"


def test_recommendations_of_planning_staffing_and_oversight(s):
    up = opened(s)
    for role, predikat, source in (
        ("bappeda", "baik", "planning"),
        ("bkd", "kurang", "staffing"),
        ("inspektorat", "butuh_perbaikan", "oversight"),
    ):
        up.refresh_from_db()
        svc.unit_predikat_recommend(
            **who(s, role), unit_predikat=up, version=up.version, predikat=predikat, note="uji"
        )
        made = UnitPredikatRecommendation.objects.get(unit_predikat=up, source=source)
        assert (made.predikat, made.author) == (predikat, s.world.users[role])
    up.refresh_from_db()
    svc.unit_predikat_recommend(
        **who(s, "bkd"), unit_predikat=up, version=up.version, predikat="baik", note="ditinjau"
    )
    assert UnitPredikatRecommendation.objects.filter(unit_predikat=up).count() == 3
    assert UnitPredikatRecommendation.objects.get(source="staffing").note == "ditinjau"
    up.refresh_from_db()
    assert up.version == 5
    for role in ("opd_admin", "leadership", "system_admin"):
        with pytest.raises(PermissionDenied):
            svc.unit_predikat_recommend(
                **who(s, role), unit_predikat=up, version=up.version, predikat="baik"
            )
    with pytest.raises(ValidationError) as caught:
        svc.unit_predikat_recommend(
            **who(s, "bappeda"),
            unit_predikat=up,
            version=up.version,
            predikat="baik",
            note="x" * 5001,
        )
    assert "note" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        svc.unit_predikat_recommend(
            **who(s, "bappeda"), unit_predikat=up, version=up.version, predikat="sangat_baik"
        )
    assert "predikat" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        svc.unit_predikat_recommend(
            **who(s, "bappeda"),
            unit_predikat=up,
            version=up.version,
            predikat="baik",
            source="oversight",
        )
    assert "source" in caught.value.message_dict
    assert AuditEvent.objects.filter(action="unit_predikat.recommend").count() == 4


# Finalising against the curve -------------------------------------------------------------------


def test_finalising_a_unit_of_three_that_keeps_the_curve(s):
    division = s.world.division_a
    rated(s, division, "baik", n=2)
    rated(s, division, "kurang")
    up = set_to(s, opened(s), "baik")
    found = sel.distribution(division, s.period, 1)
    assert (found.staff, found.drafts, found.found) == (3, 0, [])
    rows = {r.band: r for r in found.rooms}
    assert (rows["baik"].max, rows["baik"].room, rows["butuh_perbaikan+kurang"].needed) == (2, 0, 0)
    made = finalise(s, up)
    assert (made.staff, made.breaches, made.justification) == (3, [], "")
    assert made.counts == {
        "sangat_baik": 0,
        "baik": 2,
        "butuh_perbaikan": 0,
        "kurang": 1,
        "sangat_kurang": 0,
    }
    assert made.limits["baik"] == [0, 2] and made.limits["butuh_perbaikan+kurang"] == [1, 3]
    assert len(made.evaluations) == 3 and made.finalised_by == s.kabid_user
    assert made.policy_valid_from == dt.date(2023, 1, 1)
    up.refresh_from_db()
    assert (up.status, up.version) == ("final", 3)
    event = AuditEvent.objects.filter(action="unit_predikat.finalise").get()
    assert event.changes["counts"]["baik"] == 2 and event.changes["status"] == ["set", "final"]


def test_a_breach_is_refused_without_a_justification_and_recorded_with_one(s):
    division = s.world.division_a
    rated(s, division, "baik", n=3)
    up = set_to(s, opened(s), "baik")
    with pytest.raises(ValidationError) as caught:
        finalise(s, up)
    messages = caught.value.message_dict["justification"]
    assert "justifikasi" in messages[0].lower()
    assert len(messages) == 3  # baik over 2 of 3, and nobody butuh perbaikan or kurang
    assert not PredikatDistribution.objects.exists()
    up.refresh_from_db()
    assert (up.status, up.version) == ("set", 2)
    assert not AuditEvent.objects.filter(action="unit_predikat.finalise").exists()
    made = finalise(s, up, justification="Unit kecil, seluruh staf mencapai target")
    assert [(b["band"], b["kind"], b["limit"], b["count"]) for b in made.breaches] == [
        ("baik", "max", 2, 3),
        ("butuh_perbaikan+kurang", "min", 1, 0),
    ]
    assert made.justification == "Unit kecil, seluruh staf mencapai target"
    event = AuditEvent.objects.get(action="unit_predikat.finalise")
    assert event.changes["justification"] == made.justification
    assert len(event.changes["breaches"]) == 2


def test_finalising_needs_the_predikat_every_evaluation_final_and_the_head(s):
    division = s.world.division_a
    rated(s, division, "baik")
    rated(s, division, status="draft")
    up = opened(s)
    with pytest.raises(ValidationError) as caught:
        finalise(s, up)
    assert "predikat" in caught.value.message_dict
    up = set_to(s, up, "baik")
    with pytest.raises(ValidationError, match="1 evaluasi"):
        finalise(s, up, justification="x")
    with pytest.raises(PermissionDenied):
        finalise(s, up, by=budi(s) | {"scope": scope_for(s.siti_user)})
    with pytest.raises(PermissionDenied):
        finalise(s, up, by={"actor": s.siti_user, "scope": s.siti_scope})
    Evaluation.objects.filter(status="draft").update(
        status="final", predikat="kurang", finalised_at=timezone.now()
    )
    # Who acts for the agency may finalise too (the agency administrator).
    made = finalise(s, up, by=who(s, "opd_admin"))
    assert made.staff == 2


def test_after_finalisation_the_unit_and_its_evaluations_are_closed(s):
    division = s.world.division_a
    up = set_to(s, opened(s), "istimewa")
    finalise(s, up)
    assert sel.distribution_is_final(division, s.period, 1)
    assert not sel.distribution_is_final(division, s.period, 2)
    with pytest.raises(ValidationError, match="keberatan atau pembukaan kembali"):
        set_to(s, up, "baik")
    with pytest.raises(ValidationError, match="keberatan atau pembukaan kembali"):
        up.refresh_from_db()
        svc.unit_predikat_recommend(
            **who(s, "bappeda"), unit_predikat=up, version=up.version, predikat="baik"
        )
    with pytest.raises(ValidationError, match="keberatan atau pembukaan kembali"):
        finalise(s, up)
    # Siti's plan lies in the division: its first quarter can no longer be opened.
    from .test_evaluation import approved, siti_plan

    plan = approved(siti_plan(s))
    with pytest.raises(ValidationError) as caught:
        ev.evaluation_open(**hartono(s), plan=plan, kind="periodic", sub_period=1)
    assert "sub_period" in caught.value.message_dict
    q2 = ev.evaluation_open(**hartono(s), plan=plan, kind="periodic", sub_period=2)
    assert not sel.evaluation_is_closed(q2)
    # A section below the division gets no predikat of its own for the closed quarter.
    section = OrgUnitFactory(
        instansi=s.world.instansi, parent=division, code="SMA-1", kind=UnitKind.SECTION
    )
    with pytest.raises(ValidationError) as caught:
        svc.unit_predikat_open(**who(s, "opd_admin"), unit=section, period=s.period, sub_period=1)
    assert "unit" in caught.value.message_dict


def test_an_evaluation_counted_in_a_final_distribution_is_not_reopened(s):
    from kinerja.performance.services import objections as ob

    (evaluation,) = rated(s, s.world.division_a, "butuh_perbaikan")
    evaluation.refresh_from_db()
    bkd = who(s, "bkd")
    # Before the unit's distribution is final, the personnel office may reopen it.
    assert not ob.distribution_final(evaluation)
    finalise(s, set_to(s, opened(s), "baik"), justification="Satu pegawai saja.")
    assert ob.distribution_final(evaluation)
    with pytest.raises(ValidationError, match="Distribusi predikat unit sudah final"):
        ob.evaluation_reopen(**bkd, evaluation=evaluation, version=evaluation.version, reason="x")
    evaluation.refresh_from_db()
    assert evaluation.status == "final"


# Who is in a distribution ----------------------------------------------------------------------


def test_a_sub_unit_with_its_own_predikat_leaves_the_parents_distribution_but_its_head(s):
    agency, division = s.world.agency_a, s.world.division_a
    rated(s, agency, "sangat_baik")  # agency staff
    rated(s, agency, "baik", post=s.world.head_pos_a)  # the agency's head: in no curve here
    rated(s, division, "kurang", n=2)  # division staff
    kabid_eval = rated(s, division, "baik", post=s.kabid_post)  # the division's head
    agency_up = svc.unit_predikat_open(
        **who(s, "leadership"), unit=agency, period=s.period, sub_period=1
    )
    # Without a division predikat the agency counts everyone but its own head.
    assert sel.distribution(agency, s.period, 1).counts["kurang"] == 2
    assert sel.distribution(agency, s.period, 1).staff == 4
    opened(s)  # the division's own predikat
    whole = sel.distribution(agency, s.period, 1)
    assert (whole.staff, whole.counts["sangat_baik"], whole.counts["baik"]) == (2, 1, 1)
    part = sel.distribution(division, s.period, 1)
    assert (part.staff, part.counts["kurang"], part.counts["baik"]) == (2, 2, 0)
    # The division head's evaluation is closed with the agency's distribution.
    assert not sel.evaluation_is_closed(kabid_eval[0])
    set_to(s, agency_up, "istimewa", by=who(s, "leadership"))
    finalise(s, agency_up, by=budi(s))
    assert sel.evaluation_is_closed(kabid_eval[0])
    assert not sel.distribution_is_final(division, s.period, 1)
    assert sel.distribution_is_final(division, s.period, 1, head=True)


def test_the_distribution_is_read_in_four_queries(s):
    division = s.world.division_a
    rated(s, division, "baik", n=4)
    rated(s, division, "kurang", n=2)
    set_to(s, opened(s), "baik")
    with CaptureQueriesContext(connection) as queries:
        found = sel.distribution(division, s.period, 1)
    assert len(queries) == 4  # sub-units with a predikat, unit ids, the count, the predikat
    assert (found.staff, found.predikat, found.found) == (6, "baik", [])


# The API -----------------------------------------------------------------------------------------


def api(user, lang=None):
    client = APIClient()
    client.force_authenticate(user)
    if lang:
        client.credentials(HTTP_ACCEPT_LANGUAGE=lang)
    return client


def test_the_unit_predikat_through_the_api(s):
    division = s.world.division_a
    rated(s, division, "baik", n=3)
    head, kabid = api(s.head_user), api(s.kabid_user)
    made = head.post(
        "/api/v1/unit-predikat/",
        {"unit": division.pk, "year": 2024, "sub_period": 1},
        format="json",
        headers={"Idempotency-Key": "up-q1"},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["version"], body["suggested"], body["distribution"]) == (
        "open",
        1,
        "",
        None,
    )
    url = f"/api/v1/unit-predikat/{body['id']}/"
    assert head.get("/api/v1/unit-predikat/?year=2024&sub_period=1").json()["count"] == 1
    assert head.get("/api/v1/unit-predikat/?sub_period=0").json()["count"] == 0

    recommended = api(s.world.users["inspektorat"]).post(
        url + "recommend/", {"version": 1, "predikat": "baik", "note": "sesuai"}, format="json"
    )
    assert recommended.status_code == 200, recommended.content
    assert recommended.json()["recommendations"][0]["source"] == "oversight"

    stale = head.post(url + "set/", {"version": 1, "predikat": "baik"}, format="json")
    assert stale.status_code == 409
    refused = kabid.post(url + "set/", {"version": 2, "predikat": "baik"}, format="json")
    assert refused.status_code == 403
    done = head.post(url + "set/", {"version": 2, "predikat": "baik"}, format="json")
    assert (done.status_code, done.json()["predikat"], done.json()["version"]) == (200, "baik", 3)

    filling = kabid.get(url + "distribution/").json()
    assert (filling["staff"], filling["counts"]["baik"], filling["drafts"]) == (3, 3, 0)
    rooms = {r["band"]: r for r in filling["room"]}
    assert (rooms["baik"]["max"], rooms["baik"]["room"]) == (2, -1)
    assert [b["band"] for b in filling["breaches"]] == ["baik", "butuh_perbaikan+kurang"]

    breach = api(s.kabid_user, "en").post(url + "finalise/", {"version": 3}, format="json")
    assert breach.status_code == 400
    assert "give a justification" in str(breach.json()["justification"]).lower()
    assert UnitPredikat.objects.get().status == "set"
    final = kabid.post(
        url + "finalise/", {"version": 3, "justification": "Disetujui pimpinan"}, format="json"
    )
    assert final.status_code == 200, final.content
    record = final.json()["distribution"]
    assert (record["staff"], record["justification"], len(record["breaches"])) == (
        3,
        "Disetujui pimpinan",
        2,
    )
    assert (
        head.post(url + "set/", {"version": 4, "predikat": "kurang"}, format="json").status_code
        == 400
    )


def test_bad_api_input_and_reach(s):
    head = api(s.head_user)
    for payload, field in (
        ({"unit": s.world.division_a.pk, "year": 2031, "sub_period": 1}, "year"),
        ({"unit": s.world.agency_x.pk, "year": 2024, "sub_period": 1}, "unit"),
        ({"unit": s.world.division_a.pk, "year": 2024, "sub_period": 13}, "sub_period"),
        ({"unit": s.world.division_a.pk, "year": 2024}, "sub_period"),
    ):
        answer = head.post("/api/v1/unit-predikat/", payload, format="json")
        assert answer.status_code == 400 and field in answer.json(), (payload, answer.content)
    assert not UnitPredikat.objects.exists()
    up = opened(s)
    url = f"/api/v1/unit-predikat/{up.pk}/"
    # Agency B's evaluator sees nothing of agency A; the employee has no planning grant.
    assert api(s.siti_user).get(url).status_code == 404
    assert api(s.world.users["bpsdm"]).get(url).status_code == 200
    bad = head.post(url + "set/", {"version": 1, "predikat": "luar_biasa"}, format="json")
    assert bad.status_code == 400 and "predikat" in bad.json()


def test_the_heads_panels_show_each_headed_unit_as_it_fills(s):
    division = s.world.division_a
    rated(s, division, "baik", n=2)
    set_to(s, opened(s), "baik")
    (panel,) = sel.curve_panels(s.kabid.pk, s.period, 1)
    assert (panel.unit, panel.unit_predikat.predikat, panel.distribution.staff) == (
        division,
        "baik",
        2,
    )
    rooms = {r.band: r for r in panel.distribution.rooms}
    assert (rooms["baik"].room, rooms["butuh_perbaikan+kurang"].needed) == (-1, 1)
    # Budi heads the agency: its predikat is not open yet, the division's staff are cut out.
    (agency,) = sel.curve_panels(s.head.pk, s.period, 1)
    assert (agency.unit, agency.unit_predikat, agency.distribution.staff) == (
        s.world.agency_a,
        None,
        0,
    )
    assert sel.curve_panels(s.siti.pk, s.period, 1) == []
    assert sel.curve_panels(None, s.period, 1) == []
