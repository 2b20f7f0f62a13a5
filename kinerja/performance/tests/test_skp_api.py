"""The employee plan API: create, nested result writes, steps, 409 on a stale version."""

from __future__ import annotations

from rest_framework.test import APIClient

from kinerja.performance.models import Indicator, Plan

from .test_skp import s  # noqa: F401 (the fixture)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_plan_lifecycle_through_the_api(s):  # noqa: F811
    siti, kabid = api(s.siti_user), api(s.kabid_user)
    made = siti.post(
        "/api/v1/plans/",
        {"employee": s.siti.pk, "period": s.period.pk, "resources": "Laptop"},
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["evaluator"] == s.kabid.pk and body["evaluator_title"] == "Kepala Bidang SMA"
    assert body["resources"] == "Laptop" and body["version"] == 1
    plan_id = body["id"]
    added = siti.post(
        "/api/v1/plan-results/",
        {
            "plan": plan_id,
            "version": 1,
            "kind": "main",
            "text": "Terlaksananya sosialisasi kurikulum",
            "indicators": [
                {
                    "name": "Jumlah sosialisasi",
                    "aspect": "quantity",
                    "measure_unit": "kegiatan",
                    "target": {"value": "4"},
                }
            ],
            "actions": {"1": "Menyusun bahan", "2": "Sosialisasi di 2 cabang dinas"},
        },
        format="json",
    )
    assert added.status_code == 201, added.content
    plan = added.json()
    result = plan["results"][0]
    assert result["indicators"][0]["code"] == f"SKP{plan_id}-1"
    assert result["indicators"][0]["target"]["value"] == "4.0000"
    assert result["actions"] == {"1": "Menyusun bahan", "2": "Sosialisasi di 2 cabang dinas"}
    assert plan["version"] == 4  # result, indicator, actions
    stale = siti.post(
        f"/api/v1/plans/{plan_id}/step/", {"step": "submit", "version": 3}, format="json"
    )
    assert stale.status_code == 409 and "version" in stale.json()
    bad = siti.post(
        f"/api/v1/plan-results/{result['id']}/indicators/",
        {"version": 4, "name": "Mutu", "aspect": "quality", "measure_unit": "indeks"},
        format="json",
    )
    assert bad.status_code == 400 and "target.value" in bad.json()
    assert Indicator.objects.filter(result__plan_id=plan_id).count() == 1
    done = siti.post(
        f"/api/v1/plans/{plan_id}/step/", {"step": "submit", "version": 4}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    refused = siti.post(
        f"/api/v1/plans/{plan_id}/step/", {"step": "approve", "version": 5}, format="json"
    )
    assert refused.status_code == 403
    for step, version in (("approve", 5), ("sign", 6)):
        ok = kabid.post(
            f"/api/v1/plans/{plan_id}/step/", {"step": step, "version": version}, format="json"
        )
        assert ok.status_code == 200, ok.content
    revised = siti.post(
        f"/api/v1/plans/{plan_id}/step/",
        {"step": "revise", "version": 7, "reason": "Tambahan tugas"},
        format="json",
    )
    assert revised.status_code == 200
    new = revised.json()
    assert (new["revision"], new["status"], new["previous"]) == (1, "draft", plan_id)
    listed = kabid.get("/api/v1/plans/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [new["id"]]
    assert Plan.objects.get(pk=plan_id).is_current is False


def test_patch_behaviours_and_remove_a_result(s):  # noqa: F811
    siti = api(s.siti_user)
    plan_id = siti.post(
        "/api/v1/plans/", {"employee": s.siti.pk, "period": s.period.pk}, format="json"
    ).json()["id"]
    patched = siti.patch(
        f"/api/v1/plans/{plan_id}/",
        {"version": 1, "behaviours": {"loyal": "Menjaga rahasia jabatan"}},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["behaviours"] == {
        "loyal": "Menjaga rahasia jabatan"
    }
    unknown = siti.patch(
        f"/api/v1/plans/{plan_id}/", {"version": 2, "behaviours": {"jujur": "x"}}, format="json"
    )
    assert unknown.status_code == 400 and "behaviours.jujur" in unknown.json()
    added = siti.post(
        "/api/v1/plan-results/",
        {"plan": plan_id, "version": 2, "kind": "additional", "text": "Tugas tambahan"},
        format="json",
    ).json()
    result_id = added["results"][0]["id"]
    gone = siti.delete(f"/api/v1/plan-results/{result_id}/?version=3")
    assert gone.status_code == 200 and gone.json()["results"] == []
    other = api(s.world.users["leadership"])  # reads plans, does not write them
    assert other.get(f"/api/v1/plans/{plan_id}/").status_code == 200
    assert (
        other.patch(f"/api/v1/plans/{plan_id}/", {"version": 4}, format="json").status_code == 403
    )
