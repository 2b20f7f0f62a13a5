"""The objections API: the employee files (201, Idempotency-Key), someone else is refused (403),
day 15 is refused (400, in Indonesian, English on request), the superior decides, a stale
version answers 409, the decision shows on the evaluation, reopening through the evaluations
API, and the input of others (the invitee gives it; the evaluated employee does not see it)."""

from __future__ import annotations

# ruff: noqa: F811 - the tests take the imported ``s`` fixture
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Evaluation, EvaluationInput, Objection
from kinerja.performance.services import evaluation as ev

from .test_evaluation import approved, as_kabid, siti_plan
from .test_objections import at, final_evaluation, now_is
from .test_skp import s  # noqa: F401 - the s fixture

ABOVE, AS, BELOW = "above_expectation", "as_expected", "below_expectation"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_objection_through_the_api(s, monkeypatch):
    evaluation = final_evaluation(s, results=BELOW, behaviour=AS)  # butuh perbaikan
    siti, kabid, budi = api(s.siti_user), api(s.kabid_user), api(s.head_user)
    payload = {
        "evaluation": evaluation.pk,
        "reasons": "Capaian sudah diverifikasi 100 %",
        "evidence": "Berita acara verifikasi",
        "links": ["https://drive.jatimprov.go.id/ba-verifikasi"],
    }

    now_is(monkeypatch, at(2024, 4, 19, 17, 0))  # 20 April 00:00 WIB: day 15
    late = siti.post("/api/v1/objections/", payload, format="json")
    assert late.status_code == 400 and "14 hari" in str(late.json()["evaluation"])
    late_en = siti.post(
        "/api/v1/objections/", payload, format="json", headers={"Accept-Language": "en"}
    )
    assert "within 14 days" in str(late_en.json()["evaluation"])

    now_is(monkeypatch, at(2024, 4, 19, 16, 59))  # 19 April 23:59 WIB: day 14
    not_hers = kabid.post("/api/v1/objections/", payload, format="json")
    assert not_hers.status_code == 403
    bad_link = siti.post(
        "/api/v1/objections/", {**payload, "links": ["file:///etc/passwd"]}, format="json"
    )
    assert bad_link.status_code == 400 and "links.0" in bad_link.json()
    assert not Objection.objects.exists()

    made = siti.post(
        "/api/v1/objections/", payload, format="json", headers={"Idempotency-Key": "keberatan-1"}
    )
    assert made.status_code == 201, made.content
    again = siti.post(
        "/api/v1/objections/", payload, format="json", headers={"Idempotency-Key": "keberatan-1"}
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Objection.objects.count() == 1
    body = made.json()
    assert (body["status"], body["predikat_before"], body["links"], body["version"]) == (
        "open",
        "butuh_perbaikan",
        ["https://drive.jatimprov.go.id/ba-verifikasi"],
        1,
    )
    url = f"/api/v1/objections/{body['id']}/"
    # The evaluator and his superior see it; the evaluator may not decide it.
    assert kabid.get(url).status_code == 200
    assert budi.get("/api/v1/objections/", {"status": "open"}).json()["count"] == 1
    change = {"version": 1, "decision": "change", "reason": "Terverifikasi", "results_rating": AS}
    assert kabid.post(url + "decide/", change, format="json").status_code == 403
    assert siti.post(url + "decide/", change, format="json").status_code == 403
    no_reason = budi.post(url + "decide/", {**change, "reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()

    decided = budi.post(url + "decide/", change, format="json")
    assert decided.status_code == 200, decided.content
    # As expected x as expected -> baik.
    assert (decided.json()["status"], decided.json()["predikat_after"]) == ("changed", "baik")
    second = budi.post(
        url + "decide/", {"version": 1, "decision": "uphold", "reason": "Tetap"}, format="json"
    )
    assert second.status_code == 409
    shown = siti.get(f"/api/v1/evaluations/{evaluation.pk}/").json()
    assert (shown["results_rating"], shown["predikat"], shown["version"]) == (AS, "baik", 5)
    assert shown["objection_last_day"] == "2024-04-19"  # finalised 5 April 10:00 WIB
    assert [
        (o["status"], o["predikat_before"], o["predikat_after"]) for o in shown["objections"]
    ] == [("changed", "butuh_perbaikan", "baik")]
    assert shown["objections"][0]["decision_reason"] == "Terverifikasi"


def test_reopening_through_the_evaluations_api(s):
    evaluation = final_evaluation(s)
    budi, kabid = api(s.head_user), api(s.kabid_user)
    url = f"/api/v1/evaluations/{evaluation.pk}/reopen/"
    assert kabid.post(url, {"version": 4, "reason": "Koreksi"}, format="json").status_code == 403
    no_reason = budi.post(url, {"version": 4, "reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert budi.post(url, {"version": 3, "reason": "Koreksi"}, format="json").status_code == 409
    events = AuditEvent.objects.filter(action="evaluation.reopen").count()
    assert events == 0
    done = budi.post(url, {"version": 4, "reason": "Salah ketik"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["version"], done.json()["finalised_at"]) == (
        "draft",
        5,
        None,
    )
    assert AuditEvent.objects.get(action="evaluation.reopen").reason == "Salah ketik"
    assert done.json()["objection_last_day"] is None  # a draft again


def test_input_through_the_api(s, world):
    plan = approved(siti_plan(s))
    evaluation = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    kabid, budi, siti = api(s.kabid_user), api(s.head_user), api(s.siti_user)
    asked = kabid.post(
        "/api/v1/evaluation-inputs/",
        {"evaluation": evaluation.pk, "author": s.head.pk, "relation": "adviser"},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    url = f"/api/v1/evaluation-inputs/{asked.json()['id']}/"
    outsider = kabid.post(
        "/api/v1/evaluation-inputs/",
        {"evaluation": evaluation.pk, "author": world.staff_x.pk, "relation": "peer"},
        format="json",
    )
    assert outsider.status_code == 400 and "author" in outsider.json()
    # The employee asks nothing and sees nothing of it.
    refused = siti.post(
        "/api/v1/evaluation-inputs/",
        {"evaluation": evaluation.pk, "author": s.head.pk, "relation": "peer"},
        format="json",
    )
    assert refused.status_code == 403
    assert siti.get("/api/v1/evaluation-inputs/").json()["count"] == 0
    assert siti.get(url).status_code == 404
    # The invitee sees and gives it; the evaluator reads it.
    assert kabid.post(url + "give/", {"version": 1, "text": "x"}, format="json").status_code == 403
    given = budi.post(
        url + "give/",
        {"version": 1, "text": "Inisiatif tinggi", "suggested_rating": ABOVE},
        format="json",
    )
    assert given.status_code == 200, given.content
    read = kabid.get("/api/v1/evaluation-inputs/", {"evaluation": evaluation.pk}).json()
    assert [(i["status"], i["suggested_rating"], i["text"]) for i in read["results"]] == [
        ("given", ABOVE, "Inisiatif tinggi")
    ]
    assert EvaluationInput.objects.get().given_at is not None
    assert Evaluation.objects.get(pk=evaluation.pk).version == 1  # never binding
