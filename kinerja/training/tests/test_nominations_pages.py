"""Nominations through the pages and the API: an agency never sees or nominates another
agency's staff, the organiser's page and its writes, and the demo step."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.organisations.choices import PositionKind, UnitKind
from kinerja.organisations.models import ActingAssignment
from kinerja.organisations.tests.factories import EmployeeFactory, OrgUnitFactory, PositionFactory
from kinerja.training.demo_nominations import (
    EVENT_TITLE,
    demo_nominations_run,
    demo_nominations_wipe,
)
from kinerja.training.models import CompetencyGap, EventQuota, Participant
from kinerja.training.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    e = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        status="nomination",
        audience_kinds=[],
    )
    for agency in (world.agency_a, world.agency_b):
        EventQuota.objects.create(instansi=world.instansi, event=e, agency=agency, seats=2)
    return e


def api(world, role):
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def test_the_api_nominates_for_an_agency_and_invites_for_the_organiser(world, event):
    url = reverse("api:training-participant-list")
    admin = api(world, "opd_admin")
    refused = admin.post(url, {"event": event.pk, "employee": world.staff_b.pk}, format="json")
    assert refused.status_code == 400 and "employee" in refused.json()
    made = admin.post(url, {"event": event.pk, "employee": world.staff_a.pk}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["route"], made.json()["status"]) == ("agency", "nominated")
    invited = api(world, "bpsdm").post(
        url,
        {"event": event.pk, "employee": world.staff_b.pk, "reason": "Undangan"},
        format="json",
    )
    assert (invited.status_code, invited.json()["route"]) == (201, "invitation")
    assert (
        api(world, "employee")
        .post(url, {"event": event.pk, "employee": world.staff_a.pk}, format="json")
        .status_code
        == 403
    )
    names = [r["employee_name"] for r in admin.get(url, {"event": event.pk}).json()["results"]]
    assert names == ["Siti Aminah"]  # agency B's invitee is not seen by agency A
    listed = api(world, "bpsdm").get(url, {"event": event.pk, "status": "confirmed"}).json()
    assert [r["employee_name"] for r in listed["results"]] == ["Rina Wulandari"]
    # Withdraw with a replacement from another agency: not found for agency A.
    pk = made.json()["id"]
    withdraw = reverse("api:training-participant-withdraw", args=[pk])
    out = admin.post(withdraw, {"reason": "Sakit", "replacement": world.staff_b.pk}, format="json")
    assert out.status_code == 400 and "replacement" in out.json()
    assert Participant.objects.get(pk=pk).status == "nominated"
    out = admin.post(withdraw, {"reason": "Sakit", "replacement": world.head_a.pk}, format="json")
    assert out.status_code == 200, out.content
    assert out.json()["replaces"] == pk
    confirm = reverse("api:training-participant-confirm", args=[out.json()["id"]])
    assert admin.post(confirm).status_code == 403
    assert api(world, "bpsdm").post(confirm).json()["status"] == "confirmed"


def test_suggestions_and_gaps_through_the_api(world, event):
    url = reverse("api:training-event-suggestions", args=[event.pk])
    assert api(world, "employee").get(url).status_code == 403
    assert api(world, "opd_admin").get(url).json() == []
    gaps = reverse("api:training-competency-gap-list")
    body = {
        "employee": world.staff_a.pk,
        "competency": "mengelola-perubahan",
        "year": 2022,
        "level": 2,
        "source": "assessment",
    }
    assert api(world, "opd_admin").post(gaps, body, format="json").status_code == 201
    out_of_reach = api(world, "opd_admin").post(
        gaps, {**body, "employee": world.staff_b.pk}, format="json"
    )
    assert out_of_reach.status_code == 400
    assert CompetencyGap.objects.count() == 1
    assert [r["competency"] for r in api(world, "employee").get(gaps).json()["results"]] == [
        "mengelola-perubahan"
    ]


def test_an_agency_page_offers_only_its_own_staff(world, event, client):
    client.force_login(world.users["opd_admin"])
    page = client.get(reverse("training:our_nominees"), {"event": event.pk, "q": ""})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Siti Aminah" in body and "Rina Wulandari" not in body
    found = client.get(reverse("training:staff_lookup", args=[event.pk]), {"q": "a"}).json()
    names = {r["text"] for r in found["results"]}
    assert "Siti Aminah" in names and "Rina Wulandari" not in names
    forged = client.post(
        reverse("training:nominate", args=[event.pk]), {"employee": world.staff_b.pk}
    )
    assert forged.status_code == 404
    client.post(reverse("training:nominate", args=[event.pk]), {"employee": world.staff_a.pk})
    assert Participant.objects.get().employee == world.staff_a
    assert client.get(reverse("training:event_nominations", args=[event.pk])).status_code == 403


def test_the_organisers_page_sets_quotas_invites_and_confirms(world, event, client):
    client.force_login(world.users["bpsdm"])
    url = reverse("training:event_nominations", args=[event.pk])
    client.post(
        reverse("training:nominations_quota", args=[event.pk]),
        {"agency": world.agency_a.pk, "seats": "3"},
    )
    assert EventQuota.objects.get(event=event, agency=world.agency_a).seats == 3
    client.post(
        reverse("training:nominations_invite", args=[event.pk]), {"employee": world.staff_b.pk}
    )
    part = Participant.objects.get(employee=world.staff_b)
    assert part.status == "confirmed"
    page = client.get(url).content.decode()
    assert "Rina Wulandari" in page and "Dinas Kesehatan" in page
    withdraw = reverse("training:participant_withdraw", args=[part.pk])
    assert client.get(withdraw).status_code == 200
    client.post(withdraw, {"reason": ""})
    part.refresh_from_db()
    assert part.status == "confirmed"  # no reason: refused
    client.post(withdraw, {"reason": "Tugas lain"})
    part.refresh_from_db()
    assert part.status == "withdrawn"


def test_the_demo_step_enrols_the_heads_and_replaces_one_by_a_plt(world):
    world.agency_b.kind = UnitKind.BADAN
    world.agency_b.save()
    head_pos_b = PositionFactory(
        unit=world.agency_b,
        code="DINKES-KADIS",
        title="Kepala Dinas Kesehatan",
        kind=PositionKind.JPT_PRATAMA,
        eselon="II.b",
        is_head=True,
    )
    head_b = EmployeeFactory(unit=world.agency_b, position=head_pos_b, name="Hadi Kusuma")
    secretariat = OrgUnitFactory(
        instansi=world.instansi,
        parent=world.agency_b,
        code="DINKES-SEKR",
        name="Sekretariat Dinas Kesehatan",
        kind=UnitKind.SECRETARIAT,
    )
    sek_pos = PositionFactory(
        unit=secretariat,
        code="DINKES-SEKR-1",
        title="Sekretaris Dinas Kesehatan",
        kind=PositionKind.ADMINISTRATOR,
        eselon="III.a",
        is_head=True,
    )
    secretary = EmployeeFactory(unit=secretariat, position=sek_pos, name="Wahyu Pratama")
    event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        title=EVENT_TITLE,
        status="finished",
        audience_kinds=["jpt_pratama"],
        audience_eselons=["II.a", "II.b"],
    )
    ctx = SimpleNamespace(instansi=world.instansi)
    summary = demo_nominations_run(ctx)
    assert summary.startswith("2 ")
    event.refresh_from_db()
    assert event.status == "finished"
    rows = {p.employee: p for p in Participant.objects.filter(event=event)}
    assert rows[world.head_a].status == "confirmed"
    assert (rows[head_b].status, rows[head_b].withdrawal_reason[:25]) == (
        "withdrawn",
        "Menjalani perawatan medis",
    )
    plt = rows[secretary]
    assert (plt.status, plt.acting, plt.position_title, plt.replaces) == (
        "confirmed",
        "plt",
        "Kepala Dinas Kesehatan",
        rows[head_b],
    )
    assert ActingAssignment.objects.get(employee=secretary).valid_to == dt.date(2023, 3, 31)
    assert set(EventQuota.objects.filter(event=event).values_list("seats", flat=True)) == {1}
    assert CompetencyGap.objects.count() == 1
    demo_nominations_run(ctx)  # again: keeps what is there
    assert Participant.objects.filter(event=event).count() == 3
    demo_nominations_wipe(ctx)
    assert not Participant.objects.filter(event=event).exists()
    assert not ActingAssignment.objects.exists() and not CompetencyGap.objects.exists()


def test_the_demo_step_without_the_event_does_nothing(world):
    summary = demo_nominations_run(SimpleNamespace(instansi=world.instansi))
    assert EVENT_TITLE in summary
    assert not Participant.objects.exists()


def test_their_progress_lists_the_agencys_own_participants(world, client):
    from kinerja.training.tests.factories import ParticipantFactory

    running = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    ParticipantFactory(event=running, employee=world.staff_a)
    ParticipantFactory(event=running, employee=world.staff_b)
    client.force_login(world.users["opd_admin"])
    body = client.get(reverse("training:our_progress")).content.decode()
    assert "Siti Aminah" in body and "Rina Wulandari" not in body
    client.force_login(world.users["employee"])
    assert client.get(reverse("training:our_progress")).status_code == 403
