"""The pages of reporting lines and acting officials, on the fixture agency of lines.py, used by
agency A's administrator (opd_admin: change_org and change_people in Dinas Pendidikan), its head
(opd_head: may look, not change) and a system administrator."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from kinerja.audit.models import AuditEvent
from kinerja.organisations import services
from kinerja.organisations.models import ActingAssignment, Position, ReportingLine
from kinerja.organisations.tests.factories import PositionFactory

D = dt.date


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def _lines(position):
    return list(
        ReportingLine.objects.filter(position=position)
        .order_by("valid_from")
        .values_list("reports_to_id", "valid_from", "valid_to")
    )


def _errors(response) -> str:
    body = response.content.decode()
    return " ".join(
        re.findall(
            r'class="(?:invalid-feedback|alert alert-danger)[^"]*"[^>]*>(.*?)</div>', body, re.S
        )
    )


# Reporting lines -----------------------------------------------------------------------------


def test_the_agency_admin_sets_a_line_from_a_date_and_the_post_page_shows_its_history(org, login):
    client = login(org.w.users["opd_admin"])
    page = client.get(org.analis_kur.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="set-line"' in page.content.decode()
    url = reverse("organisations:position_line_set", args=[org.analis_kur.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reports_to": org.kabid.pk, "valid_from": "2025-04-01", "reason": "SOTK 2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == org.analis_kur.get_absolute_url()
    assert _lines(org.analis_kur) == [
        (org.kasi.pk, D(2024, 1, 1), D(2025, 3, 31)),
        (org.kabid.pk, D(2025, 4, 1), None),
    ]
    event = AuditEvent.objects.get(action="position.reporting_line")
    assert (event.actor_id, event.reason) == (org.w.users["opd_admin"].pk, "SOTK 2025")
    body = client.get(org.analis_kur.get_absolute_url()).content.decode()
    rows = re.findall(r'data-testid="line-row">(.*?)</tr>', body, re.S)
    assert len(rows) == 2
    assert (
        "Kepala Bidang SMA" in rows[0] and "1 April 2025" in rows[0] and "masih berlaku" in rows[0]
    )
    assert "Kepala Seksi Kurikulum" in rows[1] and "31 Maret 2025" in rows[1]
    assert "1 Januari 2024" in rows[1]


def test_the_services_refusal_shows_on_the_form_and_nothing_is_written(org, login):
    client = login(org.w.users["opd_admin"])
    url = reverse("organisations:position_line_set", args=[org.analis.pk])
    before = _lines(org.analis)
    response = client.post(
        url, {"reports_to": org.kabid_smk.pk, "valid_from": "2025-01-01", "reason": "uji"}
    )
    assert response.status_code == 400
    assert "Kepala Bidang SMK berada di Bidang SMK" in _errors(response)
    # A loop: the Kabid SMA to its own Analis.
    url = reverse("organisations:position_line_set", args=[org.kabid.pk])
    response = client.post(
        url, {"reports_to": org.analis.pk, "valid_from": "2025-01-01", "reason": "uji"}
    )
    assert response.status_code == 400 and "lingkaran" in _errors(response)
    # The reason is required.
    response = client.post(url, {"reports_to": org.kadis.pk, "valid_from": "2025-01-01"})
    assert response.status_code == 400
    assert _lines(org.analis) == before
    assert not AuditEvent.objects.filter(action="position.reporting_line").exists()


def test_a_viewer_sees_no_button_and_may_not_set_a_line(org, login):
    client = login(org.w.users["opd_head"])  # head of agency A: reads, does not change
    body = client.get(org.analis_kur.get_absolute_url()).content.decode()
    assert 'data-testid="set-line"' not in body and 'data-testid="appoint-acting"' not in body
    url = reverse("organisations:position_line_set", args=[org.analis_kur.pk])
    assert client.get(url).status_code == 403
    data = {"reports_to": org.kabid.pk, "valid_from": "2025-04-01", "reason": "uji"}
    assert client.post(url, data).status_code == 403
    assert _lines(org.analis_kur) == [(org.kasi.pk, D(2024, 1, 1), None)]


def test_another_agencys_post_is_unreachable(org, login):
    dinkes = PositionFactory(unit=org.w.agency_b, code="DINKES-KADIS", title="Kepala Dinkes")
    client = login(org.w.users["opd_admin"])
    assert client.get(dinkes.get_absolute_url()).status_code == 404
    url = reverse("organisations:position_line_set", args=[dinkes.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"valid_from": "2025-01-01", "reason": "x"}).status_code == 404
    # Nor may it be chosen as the superior of one of agency A's posts.
    url = reverse("organisations:position_line_set", args=[org.kabid.pk])
    response = client.post(
        url, {"reports_to": dinkes.pk, "valid_from": "2025-01-01", "reason": "uji"}
    )
    assert response.status_code == 400
    assert 'id="id_reports_to_error"' in response.content.decode()
    assert ReportingLine.objects.filter(reports_to=dinkes).count() == 0
    lookup = reverse("organisations:position_superior_lookup")
    assert client.get(lookup, {"position": dinkes.pk}).json() == {"results": [], "more": False}


def test_the_superior_lookup_offers_the_unit_and_the_units_above(org, login):
    client = login(org.w.users["opd_admin"])
    lookup = reverse("organisations:position_superior_lookup")
    titles = [r["text"] for r in client.get(lookup, {"position": org.kasi.pk}).json()["results"]]
    assert titles == [
        "Kepala Dinas Pendidikan · Dinas Pendidikan",
        "Kepala Bidang SMA · Bidang SMA",
        "Analis SMA · Bidang SMA",
        "Analis Kurikulum · Seksi Kurikulum",
    ]
    found = client.get(lookup, {"position": org.kasi.pk, "q": "kepala"}).json()["results"]
    assert [r["value"] for r in found] == [org.kadis.pk, org.kabid.pk]
    assert client.get(lookup, {"position": "x"}).json()["results"] == []
    assert login(org.w.users["opd_head"]).get(lookup, {"position": org.kasi.pk}).status_code == 403


def test_the_line_form_searches_without_javascript(org, login):
    client = login(org.w.users["opd_admin"])
    url = reverse("organisations:position_line_set", args=[org.kasi.pk])
    response = client.post(
        url,
        {"valid_from": "2025-01-01", "reason": "", "_lookup": "reports_to", "reports_to_q": "SMK"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tidak ada yang cocok." in body  # Bidang SMK is not above Seksi Kurikulum
    response = client.post(url, {"_lookup": "reports_to", "reports_to_q": "Kepala Dinas"})
    assert f'<option value="{org.kadis.pk}">Kepala Dinas Pendidikan' in response.content.decode()
    assert _lines(org.kasi) == [(org.kabid.pk, D(2024, 1, 1), None)]


# Acting officials ------------------------------------------------------------------------------


def _appoint(client, **changes):
    data = {
        "employee": "",
        "position": "",
        "kind": "plt",
        "decree_number": "800/12/101.4/2025",
        "valid_from": "2025-01-01",
        "valid_to": "",
        "reason": "Kabid cuti panjang",
        **changes,
    }
    return client.post(reverse("organisations:acting_create"), data)


def test_appoint_list_and_end_an_acting_official(org, login):
    client = login(org.w.users["opd_admin"])
    form = client.get(reverse("organisations:acting_create"), {"position": org.kabid.pk})
    assert form.status_code == 200
    assert f'<option value="{org.kabid.pk}" selected>Kepala Bidang SMA' in form.content.decode()
    response = _appoint(client, employee=org.wati.pk, position=org.kabid.pk)
    assert response.status_code == 302 and response["Location"] == org.kabid.get_absolute_url()
    acting = ActingAssignment.objects.get()
    assert (acting.employee, acting.position, acting.kind) == (org.wati, org.kabid, "plt")
    assert (acting.valid_from, acting.valid_to) == (D(2025, 1, 1), None)
    event = AuditEvent.objects.get(action="acting.create")
    assert event.reason == "Kabid cuti panjang" and event.unit_path == org.w.division_a.path

    listing = reverse("organisations:acting_list")
    body = client.get(listing).content.decode()  # current by default
    assert body.count('data-testid="acting-row"') == 1 and "Wati" in body
    assert "800/12/101.4/2025" in body and "1 Januari 2025" in body
    assert client.get(listing, {"status": "ended"}).content.decode().count("acting-row") == 0
    # The unit page links to the list and to appointing an acting head; the employee page
    # shows that Wati acts as Kabid.
    unit_page = client.get(org.w.division_a.get_absolute_url()).content.decode()
    assert f"{listing}?unit={org.w.division_a.pk}" in unit_page
    assert f"?position={org.kabid.pk}" in unit_page
    wati = client.get(org.wati.get_absolute_url()).content.decode()
    now = re.search(r'data-testid="acting-now">(.*?)</div></div>', wati, re.S).group(1)
    assert "Plt" in now and "Kepala Bidang SMA" in now
    assert 'data-testid="acting-history"' in wati

    end = reverse("organisations:acting_end", args=[acting.pk])
    assert client.get(end).status_code == 200
    response = client.post(end, {"valid_to": "2025-06-30", "reason": "Kabid kembali"})
    assert response.status_code == 302
    acting.refresh_from_db()
    assert acting.valid_to == D(2025, 6, 30)
    assert AuditEvent.objects.get(action="acting.end").changes == {"valid_to": [None, "2025-06-30"]}
    assert client.get(listing).content.decode().count('data-testid="acting-row"') == 0
    ended = client.get(listing, {"status": "ended"}).content.decode()
    assert ended.count('data-testid="acting-row"') == 1 and "30 Juni 2025" in ended
    unit_list = client.get(listing, {"status": "", "unit": org.smk.pk}).content.decode()
    assert unit_list.count('data-testid="acting-row"') == 0  # Bidang SMK has none


def test_the_acting_form_shows_the_services_refusals(org, login):
    client = login(org.w.users["opd_admin"])
    assert _appoint(client, employee=org.wati.pk, position=org.kabid.pk).status_code == 302
    response = _appoint(
        client, employee=org.rudi.pk, position=org.kabid.pk, valid_from="2025-03-01"
    )
    assert response.status_code == 400 and "sudah menjadi Plt" in _errors(response)
    response = _appoint(client, employee=org.hartono.pk, position=org.kabid.pk, kind="plh")
    assert response.status_code == 400  # he holds the post already
    response = _appoint(
        client, employee=org.rudi.pk, position=org.kabid_smk.pk, valid_to="2024-12-31"
    )
    assert response.status_code == 400  # ends before it starts (and he holds the post)
    assert ActingAssignment.objects.count() == 1
    assert AuditEvent.objects.filter(action="acting.create").count() == 1


def test_acting_needs_change_people_and_stays_in_the_agency(org, login):
    admin_a = login(org.w.users["opd_admin"])
    # Agency B's employee and post cannot be chosen by agency A's administrator.
    response = _appoint(admin_a, employee=org.w.staff_b.pk, position=org.kabid.pk)
    assert response.status_code == 400 and 'id="id_employee_error"' in response.content.decode()
    dinkes = PositionFactory(unit=org.w.agency_b, code="DINKES-KADIS", title="Kepala Dinkes")
    response = _appoint(admin_a, employee=org.wati.pk, position=dinkes.pk)
    assert response.status_code == 400 and 'id="id_position_error"' in response.content.decode()
    other = services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.w.staff_b,
        position=dinkes,
        kind="plt",
        decree_number="B-1",
        valid_from=D(2025, 1, 1),
    )
    end = reverse("organisations:acting_end", args=[other.pk])
    assert admin_a.get(end).status_code == 404
    assert admin_a.post(end, {"valid_to": "2025-02-01"}).status_code == 404
    assert "Kepala Dinkes" not in admin_a.get(reverse("organisations:acting_list")).content.decode()
    # The head of agency A may look but not appoint or end.
    head = login(org.w.users["opd_head"])
    assert head.get(reverse("organisations:acting_list")).status_code == 200
    assert head.get(reverse("organisations:acting_create")).status_code == 403
    assert _appoint(head, employee=org.wati.pk, position=org.kabid.pk).status_code == 403
    mine = services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.wati,
        position=org.kabid,
        kind="plt",
        decree_number="A-1",
        valid_from=D(2025, 1, 1),
    )
    end = reverse("organisations:acting_end", args=[mine.pk])
    assert head.post(end, {"valid_to": "2025-02-01"}).status_code == 403
    assert ActingAssignment.objects.get(pk=mine.pk).valid_to is None
    unit_page = head.get(org.w.division_a.get_absolute_url()).content.decode()
    assert 'data-testid="unit-acting-list"' in unit_page
    assert 'data-testid="unit-appoint-acting"' not in unit_page


def test_the_employee_lookup_finds_by_name_or_nip_within_reach(org, login):
    client = login(org.w.users["opd_admin"])
    lookup = reverse("organisations:acting_employee_lookup")
    found = client.get(lookup, {"q": "wati"}).json()["results"]
    assert [r["value"] for r in found] == [org.wati.pk]
    assert "Kepala Seksi Kurikulum" in found[0]["hint"]
    nip = org.w.staff_b.nip
    assert client.get(lookup, {"q": nip}).json()["results"] == []  # agency B: out of reach
    found = client.get(lookup, {"q": org.siti.nip}).json()["results"]
    assert [r["value"] for r in found] == [org.siti.pk]


def test_an_end_moved_into_the_next_acting_official_is_refused(org):
    first = services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.wati,
        position=org.kabid,
        kind="plh",
        decree_number="PLH-1",
        valid_from=D(2025, 3, 3),
        valid_to=D(2025, 3, 14),
    )
    services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.rudi,
        position=org.kabid,
        kind="plh",
        decree_number="PLH-2",
        valid_from=D(2025, 3, 17),
        valid_to=D(2025, 3, 21),
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Rudi sudah menjadi Plh .* sejak 17 Maret 2025"):
        services.acting_end(actor=org.admin, scope=org.scope, acting=first, on=D(2025, 3, 18))
    services.acting_end(actor=org.admin, scope=org.scope, acting=first, on=D(2025, 3, 16))
    assert ActingAssignment.objects.get(pk=first.pk).valid_to == D(2025, 3, 16)


def test_no_acting_in_a_post_closed_on_the_day(org):
    from django.core.exceptions import ValidationError

    Position.objects.filter(pk=org.kabid_smk.pk).update(valid_to=D(2024, 12, 31))
    org.kabid_smk.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.acting_create(
            actor=org.admin,
            scope=org.scope,
            employee=org.wati,
            position=org.kabid_smk,
            kind="plt",
            decree_number="X",
            valid_from=D(2025, 1, 1),
        )
    assert exc.value.message_dict["position"] == ["Kepala Bidang SMK tidak aktif pada tanggal itu."]
