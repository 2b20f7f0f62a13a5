"""The evaluation API: open, rate, behaviour, feedback, finalise; the override without a reason
(400, in Indonesian by default, English on request), a stale version (409), a non-evaluator
(403 on a plan they see, 404 on one they do not), an edit after finalisation, Idempotency-Key."""

from __future__ import annotations

# ruff: noqa: F811 - the tests take the imported ``s`` fixture
from decimal import Decimal

from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Evaluation

from .test_evaluation import approved, rollup, siti_plan
from .test_skp import add_result, s  # noqa: F401 - the s fixture

ABOVE, AS, BELOW = "above_expectation", "as_expected", "below_expectation"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_evaluation_through_the_api(s):
    plan = siti_plan(s)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    plan = approved(plan)
    rollup("plan", plan.pk, 1, Decimal("112.40"))
    kabid, siti = api(s.kabid_user), api(s.siti_user)

    made = kabid.post(
        "/api/v1/evaluations/",
        {"plan": plan.pk, "kind": "periodic", "sub_period": 1},
        format="json",
        headers={"Idempotency-Key": "buka-q1"},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["achievement"], body["suggested_rating"], body["version"]) == (
        "112.40",
        ABOVE,
        1,
    )
    again = kabid.post(
        "/api/v1/evaluations/",
        {"plan": plan.pk, "kind": "periodic", "sub_period": 1},
        format="json",
        headers={"Idempotency-Key": "buka-q1"},
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Evaluation.objects.count() == 1
    url = f"/api/v1/evaluations/{body['id']}/"

    # The employee sees her evaluation but may not rate it.
    assert siti.get(url).status_code == 200
    refused = siti.post(url + "rate/", {"version": 1, "rating": ABOVE}, format="json")
    assert refused.status_code == 403

    no_reason = kabid.post(url + "rate/", {"version": 1, "rating": AS}, format="json")
    assert no_reason.status_code == 400
    assert "alasan" in str(no_reason.json()["reason"]).lower()
    in_english = kabid.post(
        url + "rate/",
        {"version": 1, "rating": AS},
        format="json",
        headers={"Accept-Language": "en"},
    )
    assert "give the reason" in str(in_english.json()["reason"]).lower()
    assert Evaluation.objects.get().results_rating == ""

    rated = kabid.post(
        url + "rate/", {"version": 1, "rating": AS, "reason": "Target dinaikkan"}, format="json"
    )
    assert rated.status_code == 200, rated.content
    assert (rated.json()["results_rating"], rated.json()["version"]) == (AS, 2)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.target_type, event.target_id, event.actor_id) == (
        "evaluation.rate_results",
        "performance.evaluation",
        str(body["id"]),
        s.kabid_user.pk,
    )
    assert event.changes["override_reason"] == ["", "Target dinaikkan"]
    stale = kabid.post(url + "behaviour/", {"version": 1, "rating": BELOW}, format="json")
    assert stale.status_code == 409
    behaved = kabid.post(
        url + "behaviour/",
        {
            "version": 2,
            "rating": BELOW,
            "values": {"akuntabel": {"rating": BELOW, "feedback": "Laporan tidak lengkap"}},
        },
        format="json",
    )
    assert behaved.status_code == 200, behaved.content
    # As expected x below expectation -> kurang.
    assert behaved.json()["predikat"] == "kurang"
    assert behaved.json()["behaviours"] == [
        {"value": "akuntabel", "rating": BELOW, "feedback": "Laporan tidak lengkap"}
    ]
    fed = kabid.post(
        url + "feedback/", {"version": 3, "feedback": {str(result.pk): "Baik"}}, format="json"
    )
    assert fed.status_code == 200 and fed.json()["feedback"] == [
        {"result": result.pk, "feedback": "Baik"}
    ]
    final = kabid.post(url + "finalise/", {"version": 4}, format="json")
    assert final.status_code == 200 and final.json()["status"] == "final"
    late = kabid.post(url + "rate/", {"version": 5, "rating": ABOVE, "reason": "x"}, format="json")
    assert late.status_code == 400
    assert Evaluation.objects.get().results_rating == AS

    listed = kabid.get("/api/v1/evaluations/", {"kind": "periodic", "year": 2024})
    assert [e["id"] for e in listed.json()["results"]] == [body["id"]]


def test_a_draft_plan_and_a_plan_out_of_reach_are_refused(s):
    plan = siti_plan(s)
    kabid = api(s.kabid_user)
    draft = kabid.post("/api/v1/evaluations/", {"plan": plan.pk, "kind": "annual"}, format="json")
    assert draft.status_code == 400 and "plan" in draft.json()
    approved(plan)
    outsider = api(s.world.users["evaluator"])  # holds no post: reaches no plan
    unseen = outsider.post(
        "/api/v1/evaluations/", {"plan": plan.pk, "kind": "annual"}, format="json"
    )
    assert unseen.status_code == 400 and "plan" in unseen.json()
    assert not Evaluation.objects.exists()
