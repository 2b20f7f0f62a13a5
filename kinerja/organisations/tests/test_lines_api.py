"""/api/v1/reporting-lines/ and /api/v1/acting-assignments/ on the fixture agency of lines.py:
scoped reads, writes through the services (audited), 400 with a message for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.organisations import services
from kinerja.organisations.models import ActingAssignment, ReportingLine
from kinerja.organisations.tests.factories import PositionFactory

LINES = "/api/v1/reporting-lines/"
ACTING = "/api/v1/acting-assignments/"
D = dt.date


@pytest.fixture
def api(org):
    def _api(role: str) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
        client.force_login(org.w.users[role])
        return client

    return _api


def _lines(position):
    return list(
        ReportingLine.objects.filter(position=position)
        .order_by("valid_from")
        .values_list("reports_to_id", "valid_from", "valid_to")
    )


def test_list_lines_by_post_and_day(org, api):
    client = api("opd_admin")
    services.reporting_line_set(
        actor=org.admin,
        scope=org.scope,
        position=org.analis_kur,
        reports_to=org.kabid,
        valid_from=D(2025, 4, 1),
        reason="SOTK",
    )
    data = client.get(LINES, {"position": org.analis_kur.pk}).json()
    assert [
        (r["reports_to"]["title"], r["valid_from"], r["valid_to"]) for r in data["results"]
    ] == [
        ("Kepala Bidang SMA", "2025-04-01", None),
        ("Kepala Seksi Kurikulum", "2024-01-01", "2025-03-31"),
    ]
    on = client.get(LINES, {"position": org.analis_kur.pk, "on": "2025-03-31"}).json()
    assert [r["reports_to"]["id"] for r in on["results"]] == [org.kasi.pk]
    assert client.get(LINES, {"on": "2023-12-31"}).json()["count"] == 0
    assert client.get(LINES, {"reports_to": org.kabid.pk, "on": "2025-04-01"}).json()["count"] == 3
    bad = client.get(LINES, {"on": "2025-31-12"})
    assert bad.status_code == 400 and "on" in bad.json()
    assert client.get(LINES, {"position": "2" * 30}).status_code == 400


def test_set_a_line_through_the_api(org, api):
    response = api("opd_admin").post(
        LINES,
        {
            "position": org.analis_kur.code,
            "reports_to": org.kabid.pk,
            "valid_from": "2025-04-01",
            "reason": "SOTK 2025",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["position"]["id"] == org.analis_kur.pk
    assert [(r["reports_to"]["id"], r["valid_from"], r["valid_to"]) for r in body["lines"]] == [
        (org.kabid.pk, "2025-04-01", None),
        (org.kasi.pk, "2024-01-01", "2025-03-31"),
    ]
    event = AuditEvent.objects.get(action="position.reporting_line")
    assert event.reason == "SOTK 2025" and event.actor_id == org.w.users["opd_admin"].pk
    # Null ends the line.
    response = api("opd_admin").post(
        LINES,
        {
            "position": org.analis_kur.pk,
            "reports_to": None,
            "valid_from": "2026-01-01",
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 201
    assert _lines(org.analis_kur)[-1] == (org.kabid.pk, D(2025, 4, 1), D(2025, 12, 31))


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"valid_from": "2025-13-01"}, "valid_from", "Format"),
        ({"valid_from": "0001-01-01"}, "valid_from", "1 Januari 1900 sampai 31 Desember 2999"),
        ({"reason": ""}, "reason", ""),
        ({"reason": None}, "reason", ""),
        ({"position": "TIDAK-ADA"}, "position", "tidak ditemukan"),
        ({"position": True}, "position", "id (angka) atau kode"),
        ({"position": 2**70}, "position", "tidak ditemukan"),
        ({"reports_to": "x\x00"}, "detail", ""),  # the JSON parser refuses a NUL
        ({"reports_to": "KABID-SMK"}, "reports_to", "Bidang SMK"),  # not above
        ({"reports_to": "DIKBUD-SMA-01"}, "reports_to", "lingkaran"),  # its own Analis
    ],
)
def test_bad_line_input_answers_400_with_a_message(org, api, payload, field, message):
    from kinerja.organisations.models import Position

    Position.objects.filter(pk=org.kabid_smk.pk).update(code="KABID-SMK")
    Position.objects.filter(pk=org.analis_kur.pk).update(code="KASI-STAF")
    Position.objects.filter(pk=org.kasi.pk).update(code="KASI")
    data = {
        "position": org.kabid.pk,
        "reports_to": org.kadis.pk,
        "valid_from": "2025-01-01",
        "reason": "uji",
        **payload,
    }
    if field == "reports_to" and payload["reports_to"] == "KABID-SMK":
        data["position"] = org.analis.pk
    before = list(ReportingLine.objects.values_list("pk", "valid_to"))
    response = api("opd_admin").post(LINES, data, format="json")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert list(ReportingLine.objects.values_list("pk", "valid_to")) == before
    assert not AuditEvent.objects.filter(action="position.reporting_line").exists()


def test_only_changers_set_lines_and_never_with_another_agencys_post(org, api):
    dinkes = PositionFactory(unit=org.w.agency_b, code="DINKES-KADIS", title="Kepala Dinkes")
    data = {"position": org.kabid.pk, "reports_to": None, "valid_from": "2025-01-01", "reason": "x"}
    assert api("opd_head").post(LINES, data, format="json").status_code == 403
    assert api("evaluator").post(LINES, data, format="json").status_code == 403
    client = api("opd_admin")
    response = client.post(LINES, {**data, "reports_to": dinkes.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["reports_to"] == [f'jabatan "{dinkes.pk}" tidak ditemukan.']
    response = client.post(LINES, {**data, "position": "DINKES-KADIS"}, format="json")
    assert response.status_code == 400 and "position" in response.json()
    assert client.get(LINES, {"position": dinkes.pk}).json()["count"] == 0
    assert _lines(org.kabid) == [(org.kadis.pk, D(2024, 1, 1), None)]


# Acting assignments ------------------------------------------------------------------------------


def _appoint(client, org, **changes):
    data = {
        "employee": org.wati.pk,
        "position": org.kabid.code,
        "kind": "plt",
        "decree_number": "800/7/2025",
        "valid_from": "2025-01-01",
        **changes,
    }
    return client.post(ACTING, data, format="json")


def test_appoint_read_list_and_end(org, api):
    client = api("opd_admin")
    response = _appoint(client, org, employee=org.wati.nip, reason="Kabid cuti")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["employee"] == {"id": org.wati.pk, "nip": org.wati.nip, "name": "Wati"}
    assert (body["position"]["id"], body["unit"]["id"], body["kind"]) == (
        org.kabid.pk,
        org.w.division_a.pk,
        "plt",
    )
    assert (body["valid_from"], body["valid_to"]) == ("2025-01-01", None)
    assert AuditEvent.objects.get(action="acting.create").reason == "Kabid cuti"
    pk = body["id"]
    assert client.get(f"{ACTING}{pk}/").json()["decree_number"] == "800/7/2025"
    assert client.get(ACTING, {"status": "current"}).json()["count"] == 1
    assert client.get(ACTING, {"status": "ended"}).json()["count"] == 0
    assert client.get(ACTING, {"unit": org.smk.pk}).json()["count"] == 0
    assert client.get(ACTING, {"employee": org.wati.pk}).json()["count"] == 1
    assert client.get(ACTING, {"status": "someday"}).status_code == 400

    response = client.post(f"{ACTING}{pk}/end/", {"valid_to": "2024-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json()["valid_to"] == [
        "Penugasan Plt/Plh tidak dapat berakhir sebelum dimulai."
    ]
    response = client.post(
        f"{ACTING}{pk}/end/", {"valid_to": "2025-06-30", "reason": "kembali"}, format="json"
    )
    assert response.status_code == 200 and response.json()["valid_to"] == "2025-06-30"
    assert AuditEvent.objects.get(action="acting.end").reason == "kembali"
    assert client.get(ACTING, {"status": "ended"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "pjs"}, "kind"),
        ({"decree_number": ""}, "decree_number"),
        ({"decree_number": "x" * 101}, "decree_number"),
        ({"valid_from": "2025-02-30"}, "valid_from"),
        ({"valid_to": "2024-12-31"}, "valid_to"),
        ({"valid_to": "9999-12-31"}, "valid_to"),
        ({"employee": "bukan nip"}, "employee"),
        ({"employee": "1" * 5000}, "employee"),
        ({"employee": 1.5}, "employee"),
        ({"employee": None}, "employee"),
        ({"position": []}, "position"),
    ],
)
def test_bad_acting_input_answers_400(org, api, changes, field):
    response = _appoint(api("opd_admin"), org, **changes)
    assert response.status_code == 400, response.content
    assert response.json()[field]
    assert not ActingAssignment.objects.exists()


def test_a_clash_is_refused_and_another_agency_is_unreachable(org, api):
    client = api("opd_admin")
    assert _appoint(client, org).status_code == 201
    response = _appoint(client, org, employee=org.rudi.pk, valid_from="2025-05-01")
    assert response.status_code == 400
    assert "sudah menjadi Plt" in response.json()["non_field_errors"][0]
    response = _appoint(client, org, employee=org.w.staff_b.pk)
    assert response.status_code == 400 and "employee" in response.json()
    dinkes = PositionFactory(unit=org.w.agency_b, code="DINKES-KADIS", title="Kepala Dinkes")
    assert _appoint(client, org, position="DINKES-KADIS").status_code == 400
    other = services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.w.staff_b,
        position=dinkes,
        kind="plh",
        decree_number="B",
        valid_from=D(2025, 1, 1),
    )
    assert client.get(f"{ACTING}{other.pk}/").status_code == 404
    end = client.post(f"{ACTING}{other.pk}/end/", {"valid_to": "2025-02-01"}, format="json")
    assert end.status_code == 404
    assert client.get(ACTING).json()["count"] == 1
    assert ActingAssignment.objects.get(pk=other.pk).valid_to is None
    # A viewer may read, not appoint or end.
    head = api("opd_head")
    assert head.get(ACTING).json()["count"] == 1
    assert _appoint(head, org, employee=org.rudi.pk, valid_from="2026-01-01").status_code == 403
    mine = ActingAssignment.objects.get(position=org.kabid)
    assert (
        head.post(f"{ACTING}{mine.pk}/end/", {"valid_to": "2025-02-01"}, format="json").status_code
        == 403
    )
    assert ActingAssignment.objects.get(pk=mine.pk).valid_to is None


def test_the_schema_documents_the_new_operations(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ids = {
        op["operationId"]
        for path, ops in schema["paths"].items()
        if "reporting-lines" in path or "acting-assignments" in path
        for op in ops.values()
    }
    assert ids == {
        "reporting_lines_list",
        "reporting_lines_create",
        "acting_assignments_list",
        "acting_assignments_retrieve",
        "acting_assignments_create",
        "acting_assignments_end",
    }
    created = schema["paths"]["/api/v1/reporting-lines/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PositionLines"
    }
    assert schema["components"]["schemas"]["ActingKind"]["enum"] == ["plt", "plh"]
