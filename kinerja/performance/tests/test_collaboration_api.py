"""The collaborations API: scoped to the lead and invited units, consent by the invited unit's
planners, 409 on a stale version, nothing saved on bad weights."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kinerja.performance.models import Collaboration, Target

URL = "/api/v1/collaborations/"


@pytest.fixture
def api(world):
    def client(role):
        c = APIClient()
        c.force_login(world.users[role])
        return c

    return client


@pytest.fixture
def shared(pk, api):
    """Bappeda shares agency B's 2023 target (70) and invites agency A (Dinas Pendidikan)
    with 40 percent."""
    bappeda = api("bappeda")
    made = bappeda.post(URL, {"target": pk.t_b.pk, "title": "Sekolah sehat"}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["lead_unit"]["code"], body["lead_weight"], body["version"]) == (
        "DINKES",
        "100.00",
        1,
    )
    invited = bappeda.post(
        f"{URL}{body['id']}/invite/",
        {"version": 1, "unit": "DIKBUD", "weight": "40"},
        format="json",
    )
    assert invited.status_code == 200, invited.content
    assert [(m["unit"]["code"], m["status"]) for m in invited.json()["members"]] == [
        ("DIKBUD", "invited")
    ]
    return Collaboration.objects.get(pk=body["id"])


def test_an_agency_sees_the_collaborations_it_is_invited_to(shared, api, world):
    rows = api("opd_admin").get(URL, {"year": 2023}).json()["results"]
    assert [r["id"] for r in rows] == [shared.pk]
    assert api("opd_admin").get(URL, {"unit": world.agency_a.pk}).json()["count"] == 1
    assert api("opd_admin").get(URL, {"status": "closed"}).json()["count"] == 0
    assert api("evaluator").get(URL).json()["count"] == 0  # reaches no unit
    assert api("opd_admin").get(f"{URL}{shared.pk}/").status_code == 200


def test_the_invited_agency_accepts_and_gets_its_supporting_result(shared, api, pk):
    body = {
        "version": 2,
        "unit": "DIKBUD",
        "goal": pk.plan.objective_a.pk,
        "code": "DIK-K1",
        "name": "Sekolah dengan UKS aktif",
        "value": "60",
    }
    # The lead's agency cannot consent for A, nor invite: bappeda leads here.
    refused = api("opd_admin").post(
        f"{URL}{shared.pk}/invite/", {"version": 2, "unit": "DIKBUD", "weight": "5"}, format="json"
    )
    assert refused.status_code == 403
    done = api("opd_admin").post(f"{URL}{shared.pk}/accept/", body, format="json")
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["lead_weight"] == "60.00"
    member = data["members"][0]
    assert member["status"] == "accepted"
    assert member["supporting_target"]["indicator"]["code"] == "DIK-K1"
    assert member["supporting_target"]["display"] == "60"
    target = Target.objects.get(pk=member["supporting_target"]["id"])
    assert (target.indicator.unit_id, target.year) == (pk.world.agency_a.pk, 2023)
    stale = api("opd_admin").post(f"{URL}{shared.pk}/accept/", body, format="json")
    assert stale.status_code == 409
    url = f"{URL}{shared.pk}/weights/"
    a = pk.world.agency_a.pk
    bad = {"version": 3, "lead_weight": "60", "weights": [{"unit": a, "weight": "30"}]}
    refused = api("bappeda").post(url, bad, format="json")
    assert refused.status_code == 400
    assert "90" in refused.json()["weights"][0]
    shared.refresh_from_db()
    assert (str(shared.lead_weight), shared.version) == ("60.00", 3)
    good = {**bad, "weights": [{"unit": a, "weight": "40"}]}
    assert api("opd_admin").post(url, good, format="json").status_code == 403  # not the lead
    done = api("bappeda").post(url, good, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["members"][0]["weight"] == "40.00"


def test_a_decline_needs_the_reason(shared, api):
    client = api("opd_admin")
    url = f"{URL}{shared.pk}/decline/"
    assert client.post(url, {"version": 2, "unit": "DIKBUD"}, format="json").status_code == 400
    assert (
        client.post(url, {"version": 2, "unit": "NOPE", "reason": "x"}, format="json").status_code
        == 404
    )
    done = client.post(
        url, {"version": 2, "unit": "DIKBUD", "reason": "Bukan tugas kami"}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["members"][0]["reason"] == "Bukan tugas kami"
    shared.refresh_from_db()
    assert (str(shared.lead_weight), shared.version) == ("100.00", 3)


def test_a_read_only_role_cannot_share_and_another_agency_target_is_not_found(pk, api):
    assert (
        api("leadership").post(URL, {"target": pk.t_a.pk, "title": "X"}, format="json").status_code
        == 403
    )
    # Agency A's administrator cannot reach agency B's target.
    out = api("opd_admin").post(URL, {"target": pk.t_b.pk, "title": "X"}, format="json")
    assert out.status_code == 400 and "target" in out.json()
    assert not Collaboration.objects.exists()
