"""The collaboration finder's API: scoped reads, Bappeda's accept, dismiss and run, and 400
with the field on a refusal."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kinerja.performance.models import Collaboration, CollaborationCandidate

from .test_finder import YEAR, fx  # noqa: F401 - the fixture

URL = "/api/v1/collaboration-candidates/"


@pytest.fixture
def api(world):
    def client(role):
        c = APIClient()
        c.force_login(world.users[role])
        return c

    return client


@pytest.fixture
def found(fx):  # noqa: F811
    fx.run()
    fx.candidate = CollaborationCandidate.objects.get(indicator_a=fx.smk_a)
    return fx


def test_the_list_is_best_first_and_filters(found, api):
    body = api("bappeda").get(URL).json()
    assert body["count"] == 2
    scores = [float(r["score"]) for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    row = next(r for r in body["results"] if r["id"] == found.candidate.pk)
    assert (row["indicator_a"]["code"], row["unit_b"]["code"], row["status"]) == (
        "DIK-SMK",
        "DINKES",
        "proposed",
    )
    assert "lulus" in row["terms"]
    top = max(scores)
    assert api("bappeda").get(URL, {"min_score": f"{top:.4f}"}).json()["count"] == 1
    assert api("bappeda").get(URL, {"status": "dismissed"}).json()["count"] == 0
    assert api("bappeda").get(URL, {"min_score": "7"}).status_code == 400


def test_reads_are_scoped(found, api):
    assert api("opd_head").get(URL).json()["count"] == 2
    assert api("employee").get(URL).json()["count"] == 0
    assert api("employee").get(f"{URL}{found.candidate.pk}/").status_code == 404


def test_bappeda_accepts_with_defaults(found, api):
    response = api("bappeda").post(
        f"{URL}{found.candidate.pk}/accept/", {"lead_unit": "DINKES"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    collaboration = Collaboration.objects.get()
    assert response.json()["collaboration"] == collaboration.pk
    assert collaboration.lead_unit == found.world.agency_b
    assert collaboration.title == found.smk_b.name
    assert collaboration.members.get().weight == 30  # the policy's default


def test_a_refusal_is_400_with_its_field(found, api):
    response = api("bappeda").post(
        f"{URL}{found.candidate.pk}/accept/",
        {"lead_unit": "DIKBUD", "weight": "100.5"},
        format="json",
    )
    assert response.status_code == 400
    assert "weight" in response.json()
    dismissed = api("bappeda").post(f"{URL}{found.candidate.pk}/dismiss/", {}, format="json")
    assert dismissed.status_code == 400 and "reason" in dismissed.json()
    assert not Collaboration.objects.exists()


def test_bappeda_dismisses_and_runs(found, api):
    done = api("bappeda").post(
        f"{URL}{found.candidate.pk}/dismiss/", {"reason": "Beda ukuran"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    run = api("bappeda").post(f"{URL}run/", {"year": YEAR}, format="json")
    assert run.status_code == 200
    assert (run.json()["indicators"], run.json()["decided"], run.json()["proposed"]) == (5, 1, 0)


@pytest.mark.parametrize("role", ["opd_admin", "opd_head", "leadership"])
def test_others_may_not_decide_or_run(found, api, role):
    client = api(role)
    assert client.post(f"{URL}run/", {"year": YEAR}, format="json").status_code == 403
    assert (
        client.post(f"{URL}{found.candidate.pk}/dismiss/", {"reason": "x"}, format="json")
    ).status_code == 403
