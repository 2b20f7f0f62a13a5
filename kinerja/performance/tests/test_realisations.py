"""Realisations: entry by the holder, the verifier's steps, windows, evidence, idempotent
API writes and optimistic locking."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.core.models import IdempotencyKey
from kinerja.performance import parties
from kinerja.performance.models import Realisation
from kinerja.performance.services import (
    late_entry_open,
    period_create,
    sub_period_set_status,
    target_set,
)
from kinerja.performance.services import realisations as rs

from .realisation_fixtures import PDF, PNG, rl_fixture  # noqa: F401 - the rl fixture

URL = "/api/v1/realisations/"


def _client(user):
    client = APIClient()
    client.force_login(user)
    return client


def _enter(rl, value="80", **extra):
    return rs.realisation_create(
        actor=rl.holder_user,
        scope=scope_for(rl.holder_user),
        target=rl.t_a,
        sub_period=rl.q1,
        data={"value": value, **extra},
    )


def test_parties_of_a_unit_target_and_a_registered_resolver(rl):
    assert parties.target_parties(rl.t_a, dt.date(2024, 2, 1)) == (
        rl.world.head_a.pk,
        rl.adhy.pk,
    )

    def skp(target, on):
        return (rl.adhy.pk, None) if target.pk == rl.t_b.pk else None

    parties.register_target_parties(skp)
    try:
        assert parties.target_parties(rl.t_b) == (rl.adhy.pk, None)
        assert parties.target_parties(rl.t_a)[0] == rl.world.head_a.pk
    finally:
        parties._resolvers.remove(skp)


def test_the_api_flow_holder_submits_verifier_returns_then_verifies(rl):
    holder, verifier = _client(rl.holder_user), _client(rl.verifier_user)
    response = holder.post(
        URL,
        {"target": rl.t_a.pk, "sub_period": rl.q1.pk, "value": "80.5", "note": "Triwulan I"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["value"], body["version"]) == ("draft", "80.5000", 1)
    assert (body["holder"], body["verifier"]) == (rl.world.head_a.pk, rl.adhy.pk)
    rid = body["id"]
    # The verifier cannot verify a draft; the holder cannot verify at all.
    assert verifier.post(f"{URL}{rid}/verify/", {"version": 1}, format="json").status_code == 400
    response = holder.post(f"{URL}{rid}/submit/", {"version": 1}, format="json")
    assert response.json()["status"] == "submitted"
    assert holder.post(f"{URL}{rid}/verify/", {"version": 2}, format="json").status_code == 403
    response = verifier.post(f"{URL}{rid}/return/", {"version": 2, "comment": ""}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    response = verifier.post(
        f"{URL}{rid}/return/", {"version": 2, "comment": "Lampirkan laporan"}, format="json"
    )
    assert response.json()["status"] == "returned"
    assert response.json()["return_comment"] == "Lampirkan laporan"
    response = holder.patch(f"{URL}{rid}/", {"version": 3, "value": "82"}, format="json")
    assert response.status_code == 200 and response.json()["value"] == "82.0000"
    response = holder.post(f"{URL}{rid}/submit/", {"version": 4}, format="json")
    assert response.json()["status"] == "resubmitted"
    response = verifier.post(f"{URL}{rid}/verify/", {"version": 5}, format="json")
    assert response.json()["status"] == "verified"
    # Verified: no more edits, in Indonesian.
    response = holder.patch(f"{URL}{rid}/", {"version": 6, "value": "90"}, format="json")
    assert response.status_code == 400
    assert "terverifikasi" in response.json()["non_field_errors"][0]
    actions = list(
        AuditEvent.objects.filter(action__startswith="realisation.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "realisation.create",
        "realisation.submit",
        "realisation.return",
        "realisation.update",
        "realisation.resubmit",
        "realisation.verify",
    ]
    # Both parties see it in the list; the verifier's queue is empty once verified.
    assert [r["id"] for r in verifier.get(f"{URL}?status=verified").json()["results"]] == [rid]
    assert holder.get(f"{URL}?status=draft").json()["results"] == []


def test_the_verification_queue_lists_what_waits_for_the_verifier(rl, client):
    realisation = _enter(rl)
    rs.realisation_submit(
        actor=rl.holder_user,
        scope=scope_for(rl.holder_user),
        realisation=realisation,
        version=1,
    )
    client.force_login(rl.verifier_user)
    response = client.get("/plans/realisations/verify/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="realisation"') == 1
    client.force_login(rl.holder_user)
    assert (
        'data-testid="realisation"'
        not in client.get("/plans/realisations/verify/").content.decode()
    )


def test_the_verification_queue_pages_through_every_waiting_row(rl, client, monkeypatch):
    from kinerja.performance.views import realisations as views

    monkeypatch.setattr(views, "QUEUE_PER_PAGE", 1)  # two waiting rows: two pages of one
    holder = {"actor": rl.holder_user, "scope": scope_for(rl.holder_user)}
    for sub in (rl.q1, rl.q2):
        made = rs.realisation_create(**holder, target=rl.t_a, sub_period=sub, data={"value": "5"})
        rs.realisation_submit(**holder, realisation=made, version=made.version)
    client.force_login(rl.verifier_user)
    first = client.get("/plans/realisations/verify/")
    second = client.get("/plans/realisations/verify/?page=2")
    assert [r.sub_period_id for r in first.context["rows"]] == [rl.q1.pk]
    assert [r.sub_period_id for r in second.context["rows"]] == [rl.q2.pk]
    assert first.context["page_obj"].paginator.count == 2
    assert 'rel="next"' in first.content.decode()


def test_a_stale_version_answers_409(rl):
    realisation = _enter(rl)
    holder = _client(rl.holder_user)
    assert (
        holder.patch(f"{URL}{realisation.pk}/", {"version": 1, "value": "81"}, format="json")
    ).status_code == 200
    response = holder.patch(f"{URL}{realisation.pk}/", {"version": 1, "value": "70"}, format="json")
    assert response.status_code == 409
    assert Realisation.objects.get().value == 81


def test_a_retried_submission_is_carried_out_once(rl):
    realisation = _enter(rl)
    holder = _client(rl.holder_user)
    url = f"{URL}{realisation.pk}/submit/"
    first = holder.post(url, {"version": 1}, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = holder.post(url, {"version": 1}, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Realisation.objects.get().version == 2
    assert AuditEvent.objects.filter(action="realisation.submit").count() == 1
    # The same key with another body: 422, nothing written.
    other = holder.post(url, {"version": 2}, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert IdempotencyKey.objects.count() == 1


def test_a_retried_creation_makes_one_row(rl):
    holder = _client(rl.holder_user)
    body = {"target": rl.t_a.pk, "sub_period": rl.q1.pk, "value": "75"}
    responses = [
        holder.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="new-1") for _ in range(2)
    ]
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Realisation.objects.count() == 1
    assert AuditEvent.objects.filter(action="realisation.create").count() == 1
    # A failed request keeps no key: it may be retried.
    bad = holder.post(
        URL,
        {**body, "sub_period": rl.q2.pk, "value": "-1"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="new-2",
    )
    assert bad.status_code == 400 and "value" in bad.json()
    assert not IdempotencyKey.objects.filter(key="new-2").exists()


def test_the_schema_documents_the_idempotency_key(world):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = response.json()["paths"]["/api/v1/realisations/{id}/submit/"]["post"]
    names = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
    assert names == ["Idempotency-Key"] and "422" in operation["responses"]


def test_windows_open_closed_and_late(rl, scopes):
    bkd = rl.world.users["bkd"]
    sub_period_set_status(actor=bkd, scope=scopes["bkd"], sub_period=rl.q1, status="closed")
    with pytest.raises(ValidationError) as refused:
        _enter(rl)
    assert "sub_period" in refused.value.message_dict
    late_entry_open(
        actor=bkd,
        scope=scopes["bkd"],
        unit=rl.world.agency_a,
        sub_period=rl.q1,
        opens=dt.date(2024, 1, 5),
        closes=dt.date(2024, 1, 15),
        reason="Server down",
    )
    common = {
        "actor": rl.holder_user,
        "scope": scope_for(rl.holder_user),
        "target": rl.t_a,
        "sub_period": rl.q1,
        "data": {"value": "60"},
    }
    with pytest.raises(ValidationError):
        rs.realisation_create(**common, on=dt.date(2024, 1, 16))
    realisation = rs.realisation_create(**common, on=dt.date(2024, 1, 15))
    assert realisation.value == 60
    with pytest.raises(ValidationError) as refused:
        rs.realisation_submit(
            actor=rl.holder_user,
            scope=scope_for(rl.holder_user),
            realisation=realisation,
            version=1,
            on=dt.date(2024, 1, 20),
        )
    assert "sub_period" in refused.value.message_dict


def test_the_rules_of_the_numbers_the_year_and_who(rl, scopes):
    with pytest.raises(ValidationError) as refused:
        _enter(rl, value="-3")  # percent allows no negative
    assert "value" in refused.value.message_dict
    period_2024 = period_create(
        actor=rl.world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=rl.world.instansi,
        year=2024,
    )
    with pytest.raises(ValidationError) as refused:
        rs.realisation_create(
            actor=rl.holder_user,
            scope=scope_for(rl.holder_user),
            target=rl.t_a,
            sub_period=period_2024.sub_periods.get(number=1),
            data={"value": "1"},
        )
    assert "sub_period" in refused.value.message_dict
    # The staff of agency A is no holder; agency A's administrator enters on their behalf.
    with pytest.raises(PermissionDenied):
        rs.realisation_create(
            actor=rl.world.users["employee"],
            scope=scopes["employee"],
            target=rl.t_a,
            sub_period=rl.q1,
            data={"value": "1"},
        )
    admin = rl.world.users["opd_admin"]
    done = rs.realisation_create(
        actor=admin, scope=scopes["opd_admin"], target=rl.t_a, sub_period=rl.q1, data={"value": "1"}
    )
    assert AuditEvent.objects.get(action="realisation.create").actor_id == admin.pk
    assert done.holder_id == rl.world.head_a.pk


def test_a_qualitative_target_takes_a_described_outcome(rl, scopes, plan):
    indicator = plan.indicator(plan.target_a, "DIK-Q", "Kualitas layanan", data_type="qualitative")
    target = target_set(
        actor=rl.world.users["bappeda"],
        scope=scopes["bappeda"],
        indicator=indicator,
        year=2023,
        data={"expectation": "Layanan prima"},
    )
    call = {
        "actor": rl.holder_user,
        "scope": scope_for(rl.holder_user),
        "target": target,
        "sub_period": rl.q1,
    }
    with pytest.raises(ValidationError) as refused:
        rs.realisation_create(**call, data={"value": "3"})
    assert "value" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        rs.realisation_create(**call, data={"outcome": " "})
    assert "outcome" in refused.value.message_dict
    done = rs.realisation_create(**call, data={"outcome": "Survei kepuasan 4,2 dari 5"})
    assert done.value is None and done.display == "Survei kepuasan 4,2 dari 5"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_evidence_files_are_checked_by_content_and_downloaded_within_reach(rl, client):
    realisation = _enter(rl)
    holder = _client(rl.holder_user)
    url = f"{URL}{realisation.pk}/evidence/"
    fake = SimpleUploadedFile("laporan.pdf", PNG, content_type="application/pdf")
    response = holder.post(url, {"file": fake, "label": "Laporan"}, format="multipart")
    assert response.status_code == 400
    assert "jenis yang salah" in response.json()["file"][0]
    exe = SimpleUploadedFile("notulen.docx", b"MZ\x90\x00" + b"\x00" * 40)
    assert holder.post(url, {"file": exe}, format="multipart").status_code == 400
    docx = SimpleUploadedFile("notulen.docx", _docx())
    assert holder.post(url, {"file": docx}, format="multipart").json()["file_type"] == "docx"
    pdf = SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf")
    response = holder.post(url, {"file": pdf, "label": "Laporan TW I"}, format="multipart")
    assert response.status_code == 201, response.json()
    assert (response.json()["file_type"], response.json()["size"]) == ("pdf", len(PDF))
    download = response.json()["download"]
    response = holder.post(url, {"url": "ftp://x.example/a", "label": "L"}, format="multipart")
    assert response.status_code == 400 and "url" in response.json()
    response = holder.post(
        url, {"url": "https://data.jatimprov.go.id/tw1", "label": "Data"}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["kind"] == "link"
    assert AuditEvent.objects.filter(action="realisation.evidence_add").count() == 3
    client.force_login(rl.holder_user)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(rl.world.users["bkd"])  # view_planning across the instansi
    assert client.get(download).status_code == 200
    client.force_login(rl.world.users["employee"])  # agency A's staff, not a party
    assert client.get(download).status_code == 404


def test_a_copy_that_raced_past_the_lookup_is_rolled_back(rl, monkeypatch):
    """Two copies of one request at once both miss the kept key and both write; the unique
    key refuses the second copy's, which is rolled back and answers the first's answer."""
    from kinerja.core import idempotency

    realisation = _enter(rl)
    holder = _client(rl.holder_user)
    url = f"{URL}{realisation.pk}/evidence/"
    body = {"url": "https://data.jatimprov.go.id/a", "label": "Data"}
    first = holder.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="race")
    assert first.status_code == 201
    real_first = idempotency.IdempotencyKey.objects.filter

    class Missing:  # the lookup of ``initial`` sees no key, as if the first were not committed
        def first(self):
            return None

    calls = {"n": 0}

    def filter_once(*args, **kwargs):
        calls["n"] += 1
        return Missing() if calls["n"] == 1 else real_first(*args, **kwargs)

    monkeypatch.setattr(idempotency.IdempotencyKey.objects, "filter", filter_once)
    second = holder.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="race")
    assert second.status_code == 201 and second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert realisation.evidence.count() == 1
    assert AuditEvent.objects.filter(action="realisation.evidence_add").count() == 1
