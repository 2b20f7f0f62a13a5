"""The achievement calculation endpoint: the regulation's examples through the API, the
aggregation, zero targets, qualitative targets, the policy version, and bad input refused
with messages in Indonesian by default and in English on request."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kinerja.accounts.services import token_create
from kinerja.audit.models import AuditEvent

URL = "/api/v1/achievement/calculate/"
RANGE = {"polarity": "lower_is_better", "shape": "range", "low": "7", "high": "8"}
QUARTERS = [{"value": "25"}] * 4


@pytest.fixture
def post(world):
    client = APIClient()
    client.force_login(world.users["employee"])

    def call(data, language=None, status=200):
        headers = {"Accept-Language": language} if language else {}
        response = client.post(URL, data, format="json", headers=headers)
        assert response.status_code == status, response.content
        return response.json()

    return call


def test_the_regulation_range_examples(post):
    below = post({**RANGE, "realisation": "6.5", "on": "2023-12-31"})
    assert below == {
        "polarity": "lower_is_better",
        "outcome": "computed",
        "achievement": "107.14",
        "unbounded": "107.14",
        "limited_by": None,
        "against": "7",
        "zero_target": False,
        "reason": None,
        "message": "",
        "aggregation": None,
        "basis": None,
        "target": {"shape": "range", "value": None, "low": "7", "high": "8"},
        "realisation": "6.5",
        "reported": [],
        "missing": [],
        "complete": True,
        "sub_periods": [],
        "rules": {
            "valid_from": "2023-01-01",
            "cap": "120",
            "cap_source": "policy",
            "floor": "0",
            "zero_target": {
                "rule": "policy",
                "rated": False,
                "equal": "100",
                "better": "0",
                "worse": "0",
            },
        },
    }
    above = post({**RANGE, "realisation": "9", "policy_version": "2023-01-01"})
    assert (above["achievement"], above["against"]) == ("87.50", "8")
    higher = post({"polarity": "higher_is_better", "shape": "range", "low": 80, "high": 90,
                   "realisation": 92})  # fmt: skip
    assert (higher["achievement"], higher["against"]) == ("102.22", "90")


def test_the_cap_the_floor_and_the_indicator_cap(post):
    capped = post({"polarity": "higher_is_better", "target": "80", "realisation": "100"})
    assert (capped["achievement"], capped["unbounded"], capped["limited_by"]) == (
        "120.00",
        "125.00",
        "cap",
    )
    own = post({"polarity": "higher_is_better", "target": 80, "realisation": 100, "cap": 150})
    assert (own["achievement"], own["limited_by"]) == ("125.00", None)
    assert (own["rules"]["cap"], own["rules"]["cap_source"]) == ("150", "indicator")
    floored = post({"polarity": "lower_is_better", "target": 10, "realisation": 25})
    assert (floored["achievement"], floored["unbounded"], floored["limited_by"]) == (
        "0.00",
        "-50.00",
        "floor",
    )


def test_quarters_summed_with_the_fourth_not_reported(post):
    question = {
        "polarity": "higher_is_better",
        "sub_period_targets": QUARTERS,
        "realisations": ["30", "20", "25", None],
        "aggregation": "cumulative",
    }
    year = post(question)
    assert (year["achievement"], year["basis"], year["aggregation"]) == (
        "75.00",
        "year",
        "cumulative",
    )
    assert (year["target"]["value"], year["realisation"]) == ("100", "75")
    assert (year["reported"], year["missing"], year["complete"]) == ([1, 2, 3], [4], False)
    assert [(s["number"], s["achievement"], s["reason"]) for s in year["sub_periods"]] == [
        (1, "120.00", None),
        (2, "80.00", None),
        (3, "100.00", None),
        (4, None, "no_realisation"),
    ]
    to_date = post({**question, "basis": "to_date"})
    assert (to_date["achievement"], to_date["target"]["value"]) == ("100.00", "75")


def test_an_average_and_a_year_target(post):
    average = post(
        {
            "polarity": "higher_is_better",
            "sub_period_targets": [{"value": 80}, {"value": 80}, {"value": 90}, {"value": 90}],
            "realisations": [78, 82, None, 95],
            "aggregation": "average",
        }
    )
    assert (average["target"]["value"], average["realisation"], average["achievement"]) == (
        "85",
        "85",
        "100.00",
    )
    year_target = post(
        {
            "polarity": "higher_is_better",
            "target": 100,
            "realisations": [20, 30, 25, 30],
            "aggregation": "cumulative",
        }
    )
    assert (year_target["realisation"], year_target["achievement"]) == ("105", "105.00")
    ranges = post(
        {
            **RANGE,
            "low": None,
            "high": None,
            "sub_period_targets": [{"low": 7, "high": 8}] * 2,
            "realisations": [8, 9],
            "aggregation": "cumulative",
        }
    )
    assert ranges["target"] == {"shape": "range", "value": None, "low": "14", "high": "16"}
    assert ranges["achievement"] == "93.75"  # 17 months against 16: (2 - 17/16)


def test_zero_targets_by_the_policy_and_by_the_indicator_rule(post):
    zero = {"polarity": "higher_is_better", "target": 0, "realisation": 4}
    assert post(zero)["achievement"] == "0.00"
    capped = post({**zero, "zero_target_rule": "better_capped"})
    assert (capped["achievement"], capped["zero_target"]) == ("120.00", True)
    assert capped["rules"]["zero_target"] == {
        "rule": "better_capped",
        "rated": False,
        "equal": "100",
        "better": "cap",
        "worse": "floor",
    }
    rated = post({**zero, "zero_target_rule": "evaluator"})
    assert (rated["outcome"], rated["achievement"], rated["reason"]) == (
        "not_computed",
        None,
        "zero_target_rated",
    )
    assert "pejabat penilai" in rated["message"]
    english = post({**zero, "zero_target_rule": "evaluator"}, language="en")
    assert english["message"] == (
        "The target is 0 and the indicator's zero-target rule leaves it to the evaluator."
    )


def test_a_qualitative_target_is_not_computed(post):
    answer = post({"polarity": "higher_is_better", "shape": "qualitative"})
    assert (answer["outcome"], answer["reason"], answer["achievement"]) == (
        "not_computed",
        "qualitative",
        None,
    )
    assert answer["message"] == "Target kualitatif dinilai oleh pejabat penilai, tidak dihitung."
    assert (
        post({"polarity": "higher_is_better", "shape": "qualitative"}, language="en")["message"]
        == "A qualitative target is rated by the evaluator, not computed."
    )


@pytest.mark.parametrize(
    ("question", "field", "indonesian", "english"),
    [
        (
            {"polarity": "higher_is_better", "realisation": 1},
            "target",
            "Berikan target (atau sub_period_targets).",
            "Give the target (or sub_period_targets).",
        ),
        (
            {**RANGE, "low": 9, "realisation": 1},
            "low",
            "Batas bawah (9) lebih tinggi dari batas atas (8).",
            "The low bound (9) is above the high bound (8).",
        ),
        (
            {**RANGE, "realisation": 1, "on": "2024-01-01", "policy_version": "2023-01-01"},
            "policy_version",
            "Berikan on atau policy_version, tidak keduanya.",
            "Give either on or policy_version, not both.",
        ),
        (
            {**RANGE, "realisation": 1, "policy_version": "2024-01-01"},
            "policy_version",
            "Tidak ada versi aturan yang mulai berlaku pada 1 Januari 2024. "
            "Versi yang ada mulai berlaku pada: 2023-01-01.",
            "No version of the rules starts on 1 January 2024. "
            "The versions start on: 2023-01-01.",
        ),
        (
            {"polarity": "higher_is_better", "sub_period_targets": QUARTERS,
             "realisations": [1, 2], "aggregation": "cumulative"},
            "realisations",
            "Berikan satu realisasi per target subperiode: 4 target, 2 realisasi.",
            "Give one realisation per sub-period target: 4 targets, 2 realisations.",
        ),
        (
            {"polarity": "higher_is_better", "target": 1, "realisations": [1, 2]},
            "aggregation",
            "Sebutkan cara subperiode membentuk nilai tahunan (aggregation).",
            "Say how the sub-periods make the year (aggregation).",
        ),
        (
            {"polarity": "higher_is_better", "target": 4, "realisations": [1, 2],
             "aggregation": "cumulative", "basis": "to_date"},
            "basis",
            "Target s.d. periode berjalan memerlukan sub_period_targets.",
            "A target to date needs sub_period_targets.",
        ),
        (
            {"polarity": "higher_is_better", "sub_period_targets": [{"value": 1}, {"low": 1}],
             "realisations": [1, 2], "aggregation": "cumulative"},
            "sub_period_targets",
            "Subperiode 2: berikan sebuah nilai (tanpa batas).",
            "Sub-period 2: give a value (and no bounds).",
        ),
        (
            {"polarity": "higher_is_better", "shape": "qualitative", "target": 3},
            "shape",
            "Target kualitatif tidak memuat angka.",
            "A qualitative target carries no number.",
        ),
        (
            {"polarity": "higher_is_better", "target": 1, "realisation": 1,
             "realisations": [1], "aggregation": "last_value"},
            "realisations",
            "Berikan realisation atau realisations, tidak keduanya.",
            "Give realisation or realisations, not both.",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_indonesian_and_english(post, question, field, indonesian, english):
    assert post(question, status=400)[field] == [indonesian]
    assert post(question, language="en", status=400)[field] == [english]


def test_field_errors_come_from_the_fields(post):
    refused = post(
        {"polarity": "sideways", "target": 1, "realisation": 1, "cap": 90},
        language="en",
        status=400,
    )
    assert set(refused) == {"polarity", "cap"}
    assert refused["cap"] == ["Ensure this value is greater than or equal to 100."]
    too_many = post(
        {"polarity": "higher_is_better", "target": 1, "realisations": [1] * 13,
         "aggregation": "cumulative"},
        status=400,
    )  # fmt: skip
    assert set(too_many) == {"realisations"}


def test_a_token_may_calculate_and_nothing_is_written(world):
    _token, raw = token_create(actor=world.users["bkd"], user=world.users["bkd"], name="cek")
    events = AuditEvent.objects.count()
    client = APIClient()
    response = client.post(
        URL,
        {**RANGE, "realisation": "6.5"},
        format="json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert response.json()["achievement"] == "107.14"
    assert AuditEvent.objects.count() == events
    assert APIClient().post(URL, {**RANGE, "realisation": "6.5"}, format="json").status_code in (
        401,
        403,
    )
    assert client.get(URL, headers={"Authorization": f"Bearer {raw}"}).status_code == 405
