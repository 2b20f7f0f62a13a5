"""The impact report read from the database: the results level from the roll-ups (final or
provisional, linked against unlinked and against the trend, the untreated group), the
other levels from the feedback and action-plan capabilities (fakes shaped as their contract),
and "not available yet" without them."""

import sys
import types
from decimal import Decimal as D

import pytest

from kinerja.accounts.scope import scope_for
from kinerja.organisations.choices import PositionKind
from kinerja.performance.models import PlanResult
from kinerja.training.impact import impact_demo_checks, impact_report, results_level
from kinerja.training.models import ActionPlan, ActionPlanLink
from kinerja.training.tests.factories import EventFactory, ParticipantFactory

from .impact_fixtures import agency_with_head, full_year, refreshment, roll, three_quarters

pytestmark = pytest.mark.django_db

FEEDBACK = "kinerja.training.selectors_feedback"
ACTION_PLANS = "kinerja.training.selectors_action_plans"


@pytest.fixture
def no_contracts(monkeypatch):
    """The feedback and action-plan capabilities absent (a None entry fails the import)."""
    monkeypatch.setitem(sys.modules, FEEDBACK, None)
    monkeypatch.setitem(sys.modules, ACTION_PLANS, None)


@pytest.fixture
def k(world, no_contracts):
    return refreshment(world)


def _row(results, participant):
    return next(r for r in results["rows"] if r["participant_id"] == participant.pk)


def test_the_full_year_gives_linked_105_against_95_and_against_the_trend_92(k):
    full_year(k)
    results = results_level(k.event)
    row = _row(results, k.participant)
    assert (row["linked"], row["unlinked"], row["vs_unlinked"]) == (
        D("105.00"),
        D("95.00"),
        D("10.00"),
    )
    assert (row["trend"], row["vs_trend"], row["trend_n"]) == (D("92.00"), D("13.00"), 1)
    assert row["provisional"] is False and results["provisional"] is False
    assert results["year"] == 2023
    assert results["vs_unlinked"] == {"mean": D("10.00"), "n": 1}
    assert results["vs_trend"] == {"mean": D("13.00"), "n": 1}
    assert results["linked"] == {"mean": D("105.00"), "n": 1}


def test_during_the_year_the_latest_quarter_counts_and_everything_is_provisional(k):
    three_quarters(k)
    results = results_level(k.event)
    row = _row(results, k.participant)
    # Q3: 102 against 88 and 96 (mean 92): +10; against the trend 92: +10.
    assert (row["linked"], row["unlinked"], row["vs_unlinked"]) == (
        D("102.00"),
        D("92.00"),
        D("10.00"),
    )
    assert row["vs_trend"] == D("10.00")
    assert row["provisional"] is True and results["provisional"] is True


def test_the_report_is_final_only_once_every_linked_and_unlinked_target_has_its_year(k):
    three_quarters(k)
    for target in (k.linked, k.other1):
        roll(target, 4, 100)
        roll(target, 0, 100)
    assert results_level(k.event)["provisional"] is True  # other2 still at Q3
    roll(k.other2, 4, 100)
    roll(k.other2, 0, 100)
    results = results_level(k.event)
    assert results["provisional"] is False
    assert _row(results, k.participant)["vs_unlinked"] == D("0.00")


def test_no_figure_yet_is_provisional_with_nothing_counted(k):
    results = results_level(k.event)
    row = _row(results, k.participant)
    assert row["linked"] is None and row["vs_unlinked"] is None
    assert results["linked"] == {"mean": None, "n": 0}
    assert results["provisional"] is True


def test_an_skp_result_counts_through_its_individual_indicators(world, no_contracts):
    """A participant linking an SKP result: the result's figure is the mean of its individual
    indicators' (IKI) targets; the plan's other result is the unlinked one; a new plan's
    indicators have no earlier years, so no trend."""
    from kinerja.performance.models import Indicator, Period, Plan, Target

    k = refreshment(world)
    ActionPlanLink.objects.filter(action_plan=k.plan).delete()
    period = Period.objects.create(
        instansi=world.instansi,
        year=2023,
        plans_due="2023-01-31",
        annual_evaluation_due="2024-01-31",
        periodic_evaluation_days=10,
    )
    skp = Plan.objects.create(
        instansi=world.instansi,
        employee=world.head_a,
        position=world.head_pos_a,
        position_title=world.head_pos_a.title,
        position_kind=world.head_pos_a.kind,
        unit=world.agency_a,
        period=period,
        starts="2023-01-01",
        ends="2023-12-31",
    )
    results = [PlanResult.objects.create(plan=skp, text=f"Hasil {i}", position=i) for i in (1, 2)]

    def iki(result, code, percent):
        indicator = Indicator.objects.create(
            instansi=world.instansi,
            result=result,
            code=code,
            name=code,
            measure_unit="persen",
            control_level="output",
        )
        target = Target.objects.create(
            instansi=world.instansi, indicator=indicator, year=2023, shape="value", value=100
        )
        for quarter in (1, 2, 3, 4):
            roll(target, quarter, percent)
        roll(target, 0, percent)

    iki(results[0], "IKI-1", 110)
    iki(results[0], "IKI-2", 100)
    iki(results[1], "IKI-3", 96)
    ActionPlanLink.objects.create(action_plan=k.plan, plan_result=results[0])
    row = _row(results_level(k.event), k.participant)
    assert (row["linked"], row["unlinked"], row["vs_unlinked"]) == (
        D("105.00"),
        D("96.00"),
        D("9.00"),
    )
    assert row["trend"] is None and row["vs_trend"] is None
    assert row["provisional"] is False


def test_the_untreated_group_is_compared_when_heads_stayed_away(k, world):
    full_year(k)
    b = k.builder
    # No other head in the audience yet: everyone attended.
    assert results_level(k.event)["comparison"]["state"] == "no_untreated"
    for i, percent in enumerate((90, 96, 93)):
        agency, post, head = agency_with_head(world, f"DINAS{i}", f"Dinas Uji {i}")
        target = b.target(agency, 2023)
        b.agreement(agency, head, post, [target])
        roll(target, 4, percent)
        roll(target, 0, percent)
    # A head of another kind of post is out of the audience.
    agency, post, head = agency_with_head(world, "BIRO", "Biro Uji")
    post.kind = PositionKind.ADMINISTRATOR
    post.save()
    comparison = results_level(k.event)["comparison"]
    assert comparison["state"] == "compared"
    assert comparison["untreated_total"] == 3
    # Budi's overall (105 + 90 + 100) / 3 = 98.33 against (90 + 96 + 93) / 3 = 93: +5.33.
    assert (comparison["treated"], comparison["untreated"]) == (D("98.33"), D("93.00"))
    assert comparison["difference"] == D("5.33")


def test_two_untreated_heads_are_too_few_to_show(k, world):
    full_year(k)
    for i in range(2):
        agency, post, head = agency_with_head(world, f"DINAS{i}", f"Dinas Uji {i}")
        target = k.builder.target(agency, 2023)
        k.builder.agreement(agency, head, post, [target])
        roll(target, 4, 90)
        roll(target, 0, 90)
    comparison = results_level(k.event)["comparison"]
    assert comparison["state"] == "too_few"
    assert comparison["untreated"] is None and comparison["difference"] is None


def test_a_head_enrolled_is_not_untreated_even_without_links(k, world):
    agency, post, head = agency_with_head(world, "DINAS9", "Dinas Sembilan")
    ParticipantFactory(event=k.event, employee=head)
    results = results_level(k.event)
    assert results["comparison"]["state"] == "no_untreated"
    assert results["participants"] == 2 and results["with_links"] == 1


def test_without_the_other_capabilities_their_levels_are_not_available_yet(k):
    full_year(k)
    report = impact_report(k.event)
    assert [report[level]["available"] for level in ("reaction", "learning", "behaviour")] == [
        False,
        False,
        False,
    ]
    assert report["results"]["available"] is True
    assert report["results"]["vs_unlinked"]["mean"] == D("10.00")


def fake_contracts(monkeypatch, k, other_participant=None):
    """The two capabilities as their contracts state, with fixed numbers."""
    feedback = types.ModuleType(FEEDBACK)
    feedback.reaction_summary = lambda event: {
        "released": True,
        "sessions": [
            {
                "session_id": 1,
                "title": "Pelayanan publik digital",
                "speakers": ["Narasumber Grab"],
                "n": 52,
                "means": {
                    "relevance": D("4.50"),
                    "speaker": D("4.70"),
                    "material": D("4.20"),
                    "applicability": D("4.10"),
                },
                "overall": D("4.38"),
                "suppressed": False,
            },
            {
                "session_id": 2,
                "title": "Etika birokrasi",
                "speakers": ["Narasumber KemenPAN-RB"],
                "n": 3,
                "means": {
                    "relevance": None,
                    "speaker": None,
                    "material": None,
                    "applicability": None,
                },
                "overall": None,
                "suppressed": True,
            },
        ],
        "organisation": {
            "n": 58,
            "means": {"venue": D("4.60"), "facilities": D("4.40"), "schedule": D("3.90")},
            "suppressed": False,
        },
    }
    scores = [
        {"participant_id": k.participant.pk, "pre": D("60"), "post": D("80"), "gain": D("20")}
    ]
    if other_participant is not None:
        scores.append(
            {
                "participant_id": other_participant.pk,
                "pre": D("70"),
                "post": D("76"),
                "gain": D("6"),
            }
        )
    feedback.learning_summary = lambda event: {
        "participants": scores,
        "n": len(scores),
        "mean_pre": D("65.00"),
        "mean_post": D("78.00"),
        "mean_gain": D("13.00"),
    }
    plans = types.ModuleType(ACTION_PLANS)
    plans.behaviour_summary = lambda event: {
        3: {"due": 2, "reviewed": 2, "on_track": 2, "share": D("100.00")},
        6: {"due": 2, "reviewed": 1, "on_track": 0, "share": D("0.00")},
        12: {"due": 0, "reviewed": 0, "on_track": 0, "share": None},
    }
    plans.linked_targets = lambda event: {
        k.participant.pk: {"agreement_targets": [k.at[1].pk], "plan_results": []}
    }
    monkeypatch.setitem(sys.modules, FEEDBACK, feedback)
    monkeypatch.setitem(sys.modules, ACTION_PLANS, plans)


def test_the_four_levels_come_from_the_contracts(k, monkeypatch):
    full_year(k)
    fake_contracts(monkeypatch, k)
    report = impact_report(k.event)
    assert report["reaction"]["available"] and report["reaction"]["released"]
    assert report["reaction"]["sessions"][1]["suppressed"] is True
    assert report["learning"]["mean_gain"] == D("13.00")
    assert report["learning"]["participants"][0]["name"] == "Budi Santoso"
    assert [m["month"] for m in report["behaviour"]["months"]] == [3, 6, 12]
    assert report["behaviour"]["months"][0]["share"] == D("100.00")
    # The action plans' capability says which target is linked: now the one at 90.
    row = _row(report["results"], k.participant)
    assert (row["linked"], row["unlinked"], row["vs_unlinked"]) == (
        D("90.00"),
        D("102.50"),
        D("-12.50"),
    )


def test_an_agency_head_reads_only_the_agency_rows_but_the_whole_event_figures(
    k, world, monkeypatch
):
    full_year(k)
    other = ParticipantFactory(event=k.event, employee=world.staff_b)
    fake_contracts(monkeypatch, k, other)
    head = impact_report(k.event, scope=scope_for(world.users["opd_head"]))
    organiser = impact_report(k.event, scope=scope_for(world.users["bpsdm"]))
    assert {r["name"] for r in organiser["results"]["rows"]} == {"Budi Santoso", "Rina Wulandari"}
    assert {r["name"] for r in head["results"]["rows"]} == {"Budi Santoso"}
    assert [r["name"] for r in head["learning"]["participants"]] == ["Budi Santoso"]
    assert head["results"]["vs_unlinked"] == organiser["results"]["vs_unlinked"]
    assert head["learning"]["mean_gain"] == organiser["learning"]["mean_gain"]


def test_the_demo_checks_name_what_is_missing_and_pass_when_filled(k, monkeypatch, world):
    problems = impact_demo_checks(k.event)
    assert "reaction: no sessions" in problems
    assert "results: no linked target has a figure" in problems
    full_year(k)
    fake_contracts(monkeypatch, k)
    # The contracts link the plan to a target whose indicator has no earlier year.
    assert impact_demo_checks(k.event) == ["results: only 0 participants have a trend"]
    for year, percent in ((2021, 91), (2022, 93)):
        earlier = k.builder.target(world.agency_a, year, indicator=k.other1.indicator)
        roll(earlier, 4, percent)
        roll(earlier, 0, percent)
    assert impact_demo_checks(k.event) == []


def test_another_event_reads_nothing_of_this_one(k, world):
    full_year(k)
    other = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    results = results_level(other)
    assert results["rows"] == [] and results["participants"] == 0
    assert results["provisional"] is True


def test_the_results_cost_the_same_queries_for_one_participant_or_four(k, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    full_year(k)
    with CaptureQueriesContext(connection) as one:
        results_level(k.event)
    for i in range(3):
        agency, post, head = agency_with_head(world, f"DINAS{i}", f"Dinas Uji {i}")
        targets = [k.builder.target(agency, 2023) for _n in range(2)]
        _agreement, rows = k.builder.agreement(agency, head, post, targets)
        participant = ParticipantFactory(event=k.event, employee=head)
        plan = ActionPlan.objects.create(
            instansi=world.instansi, participant=participant, title="Aksi", change="Perubahan"
        )
        ActionPlanLink.objects.create(action_plan=plan, agreement_target=rows[0])
        for target in targets:
            roll(target, 4, 100)
            roll(target, 0, 100)
    with CaptureQueriesContext(connection) as four:
        results = results_level(k.event)
    assert results["with_links"] == 4 and results["linked"]["n"] == 4
    assert len(four.captured_queries) == len(one.captured_queries)
