"""The LKE's rules with concrete numbers: weights, the sub-component and component scores, the
predikat bands at their boundaries, and what an unanswered criterion counts for."""

from __future__ import annotations

from decimal import Decimal as D

from kinerja.akip import lke_rules as r

P = r.policy_for_year(2023)


def codes(component: str) -> list[str]:
    return [c for c, crit in P.criteria.items() if crit.component_code == component]


def test_the_policy_holds_the_regulations_counts_and_weights():
    assert P.version == "88-2021"
    assert [c.weight for c in P.components] == [30, 30, 15, 25]
    counts = [[len(s.criteria) for s in c.subs] for c in P.components]
    assert counts == [[7, 10, 8], [3, 7, 10], [6, 9, 7], [3, 5, 5]]
    # Perencanaan: Keberadaan 20 % of 30 = 6, Kualitas 9, Pemanfaatan 15; Pelaporan 3/4.5/7.5.
    assert [s.weight for s in P.components[0].subs] == [6, 9, 15]
    assert [s.weight for s in P.components[2].subs] == [3, D("4.5"), D("7.5")]
    assert len(P.criteria) == 80
    assert r.grade_value(P, "B") == 70 and r.grade_value(P, "CC") == 60
    assert r.grade_value(P, "E") == 0 and r.grade_value(P, "AA") == 100


def test_all_of_perencanaan_at_b_scores_21_of_30_and_predicts_70():
    result = r.score_sheet(P, dict.fromkeys(codes("1"), "B"), final=False)
    assert result.component("1").score == D("21.00")
    assert [s.score for s in result.component("1").subs] == [D("4.20"), D("6.30"), D("10.50")]
    assert result.covered_weight == 30
    assert result.total == D("21.00")
    assert result.predicted == D("70.00")
    assert result.predikat == "B"  # 70.00 is not above 70
    assert len(result.missing) == 55
    # The same answers in a final sheet: the 55 others count 0.
    final = r.score_sheet(P, dict.fromkeys(codes("1"), "B"), final=True)
    assert (final.total, final.predicted, final.predikat) == (D("21.00"), D("21.00"), "D")


def test_a_full_sheet_totals_and_takes_its_band():
    answers = {}
    answers.update(dict.fromkeys(codes("1"), "A"))  # 90 % of 30 = 27.00
    answers.update(dict.fromkeys(codes("2"), "BB"))  # 80 % of 30 = 24.00
    answers.update(dict.fromkeys(codes("3"), "B"))  # 70 % of 15 = 10.50
    answers.update(dict.fromkeys(codes("4"), "CC"))  # 60 % of 25 = 15.00
    # Pengukuran's Keberadaan: A, B, E -> mean 53.33.. x 6 = 3.20 (rather than 4.80)
    answers.update({"2.1.1": "A", "2.1.2": "B", "2.1.3": "E"})
    result = r.score_sheet(P, answers, final=True)
    assert result.sub("2.1").score == D("3.20")
    assert [c.score for c in result.components] == [
        D("27.00"),
        D("22.40"),
        D("10.50"),
        D("15.00"),
    ]
    assert result.total == D("74.90")
    assert result.predikat == "BB"
    assert result.missing == ()


def test_the_band_boundaries():
    assert r.predikat(P, D("80.00")) == "BB"
    assert r.predikat(P, D("80.01")) == "A"
    assert r.predikat(P, D("90.00")) == "A"
    assert r.predikat(P, D("90.01")) == "AA"
    assert r.predikat(P, D("30.00")) == "D"
    assert r.predikat(P, D("30.01")) == "C"
    assert r.predikat(P, D("0")) == "D"


def test_an_unanswered_criterion_is_zero_in_a_final_sheet_and_missing_in_a_draft():
    answers = dict.fromkeys(P.criteria, "BB")
    del answers["1.1.6"]
    final = r.score_sheet(P, answers, final=True)
    # Keberadaan of Perencanaan: six at 80 and one at 0 -> 68.57.. % of 6 = 4.11
    assert final.sub("1.1").score == D("4.11")
    assert final.total == D("79.31")
    assert final.predikat == "BB"
    assert final.missing == ("1.1.6",)
    draft = r.score_sheet(P, answers, final=False)
    assert draft.sub("1.1").score == D("4.80")  # the mean of the six answered
    assert draft.total == D("80.00") and draft.predicted == D("80.00")
    assert draft.missing == ("1.1.6",)
    assert (draft.answered, draft.count) == (79, 80)


def test_a_draft_with_nothing_answered_predicts_nothing():
    result = r.score_sheet(P, {}, final=False)
    assert (result.total, result.predicted, result.predikat) == (0, None, None)
    assert result.sub("1.1").score is None


def test_shares_are_graded_by_the_policy_bands():
    grades = [r.share_grade(P, D(x)) for x in ("100", "99.9", "75", "75.1", "50", "25", "0.1", "0")]
    assert grades == ["BB", "B", "CC", "B", "C", "D", "D", "E"]
