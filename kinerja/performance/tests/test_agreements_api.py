"""The agreements API: scoped, through the services, 409 on a stale version, the messages in
Indonesian."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.performance.models import Agreement

URL = "/api/v1/agreements/"


@pytest.fixture
def api(world):
    def client(role):
        c = APIClient()
        c.force_login(world.users[role])
        return c

    return client


def _create(pk, client, **extra):
    body = {
        "unit": pk.world.agency_a.pk,
        "year": 2023,
        "agreement_date": "2023-01-05",
        **pk.governor,
        "target_ids": [pk.t_a.pk],
        "programs": [
            {
                "name": "Program Pengelolaan Pendidikan",
                "sipd_code": "1.01.02",
                "budget": "1250000000.00",
            }
        ],
        **extra,
    }
    return client.post(URL, body, format="json")


def test_the_flow_from_draft_to_signed_and_a_revision(pk, api):
    admin, bappeda = api("opd_admin"), api("bappeda")
    response = _create(pk, admin)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["version"] == 3  # created, targets, programs
    assert body["first_party_name"] == pk.world.head_a.display_name
    assert body["targets"][0]["display"] == "85" and not body["targets"][0]["locked"]
    assert body["programs"][0]["budget"] == "1250000000.00"
    pk_id = body["id"]
    for step, who, version in [("submit", admin, 3), ("approve", bappeda, 4), ("sign", bappeda, 5)]:
        response = who.post(f"{URL}{pk_id}/{step}/", {"version": version}, format="json")
        assert response.status_code == 200, response.json()
    assert response.json()["status"] == "signed" and response.json()["targets"][0]["locked"]
    response = admin.patch(f"{URL}{pk_id}/", {"version": 6, "programs": []}, format="json")
    assert response.status_code == 400
    assert "mulailah revisi" in response.json()["non_field_errors"][0]  # Indonesian
    response = admin.post(
        f"{URL}{pk_id}/revise/", {"version": 6, "reason": "Refocusing"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["revision"], response.json()["status"]) == (1, "draft")
    assert api("opd_admin").get(f"{URL}{pk_id}/").json()["status"] == "signed"
    listed = admin.get(f"{URL}?year=2023&current=true").json()["results"]
    assert [a["revision"] for a in listed] == [1]
    assert AuditEvent.objects.filter(action__startswith="agreement.").count() == 7


def test_a_stale_version_answers_409_and_changes_nothing(pk, api):
    admin = api("opd_admin")
    pk_id = _create(pk, admin).json()["id"]
    response = admin.patch(f"{URL}{pk_id}/", {"version": 1, "target_ids": []}, format="json")
    assert response.status_code == 409
    assert "Anda melihat versi 1, sekarang versi 3" in response.json()["version"][0]
    assert Agreement.objects.get(pk=pk_id).targets.count() == 1
    response = admin.patch(f"{URL}{pk_id}/", {"target_ids": []}, format="json")
    assert response.status_code == 400 and "version" in response.json()


def test_reach_and_roles(pk, api):
    admin = api("opd_admin")
    pk_id = _create(pk, admin).json()["id"]
    assert api("leadership").get(f"{URL}{pk_id}/").status_code == 200
    assert (
        api("leadership").post(f"{URL}{pk_id}/submit/", {"version": 3}, format="json").status_code
        == 403
    )
    response = _create(pk, admin, unit=pk.world.agency_b.pk)  # out of reach: not found
    assert response.status_code == 400 and "unit" in response.json()
    response = _create(pk, api("bappeda"), unit=pk.world.agency_b.pk)
    assert response.status_code == 400 and "unit" in response.json()
    response = _create(pk, admin, target_ids=[pk.t_b.pk])
    assert response.status_code == 400  # agency B's target is out of the admin's reach
    assert Agreement.objects.count() == 1
