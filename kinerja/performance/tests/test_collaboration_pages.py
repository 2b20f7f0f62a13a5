"""The collaboration pages: the list an agency sees, sharing a target, the consent buttons
(HTMX), the weights, and the role-result matrix with its Excel export."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from kinerja.performance.models import Collaboration, CollaborationMember
from kinerja.performance.services import collaboration as svc

LIST = "/plans/collaborations/"


@pytest.fixture
def shared(world, scopes, pk):
    """Bappeda shares agency B's 2023 target and invites agency A with 40 percent."""
    bappeda = world.users["bappeda"]
    collab = svc.collaboration_create(
        actor=bappeda,
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={"target": pk.t_b, "title": "Sekolah sehat"},
    )
    member = svc.collaboration_invite(
        actor=bappeda,
        scope=scopes["bappeda"],
        collaboration=collab,
        version=1,
        unit=world.agency_a,
        weight="40",
    )
    return collab, member


def test_the_list_shows_what_an_agency_leads_or_is_invited_to(shared, client, world, pk):
    client.force_login(world.users["opd_admin"])
    body = client.get(LIST).content.decode()
    assert body.count('data-testid="collaboration"') == 1
    assert "Sekolah sehat" in body
    assert (
        client.get(LIST, {"status": "closed"}).content.decode().count('data-testid="collaboration"')
        == 0
    )
    assert (
        client.get(LIST, {"year": "2024"}).content.decode().count('data-testid="collaboration"')
        == 0
    )
    client.force_login(world.users["evaluator"])
    assert 'data-testid="collaboration"' not in client.get(LIST).content.decode()


def test_an_agency_shares_its_target(client, world, pk):
    client.force_login(world.users["opd_admin"])
    page = client.get(f"{LIST}add/").content.decode()
    assert "DIK-01" in page and "KES-01" not in page  # only targets it may lead
    response = client.post(f"{LIST}add/", {"target": pk.t_a.pk, "title": "Wajib belajar"})
    collab = Collaboration.objects.get()
    assert response.status_code == 302 and response["Location"] == collab.get_absolute_url()
    assert (collab.lead_unit, collab.title) == (world.agency_a, "Wajib belajar")
    client.force_login(world.users["leadership"])
    assert client.get(f"{LIST}add/").status_code == 403


def test_the_invited_agency_accepts_with_htmx(shared, client, world, pk):
    collab, member = shared
    client.force_login(world.users["opd_admin"])
    page = client.get(collab.get_absolute_url()).content.decode()
    assert 'data-testid="accept"' in page and 'data-testid="decline"' in page
    assert "/invite/" not in page  # agency A does not lead
    url = f"{collab.get_absolute_url()}members/{member.pk}/accept/"
    prefix = f"accept-{member.pk}"
    data = {
        f"{prefix}-version": 2,
        f"{prefix}-goal": pk.plan.objective_a.pk,
        f"{prefix}-code": "DIK-K1",
        f"{prefix}-name": "Sekolah dengan UKS aktif",
    }
    wrong = client.post(url, {**data, f"{prefix}-version": 1}, headers={"HX-Request": "true"})
    assert wrong.status_code == 200
    assert 'id="member-' in wrong.content.decode() and "versi" in wrong.content.decode()
    done = client.post(url, data, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Redirect"] == collab.get_absolute_url()
    member.refresh_from_db()
    assert member.status == "accepted"
    assert member.supporting_target.value == Decimal(70)  # the shared target's value
    collab.refresh_from_db()
    assert collab.lead_weight == Decimal(60)


def test_declining_without_htmx_and_a_stranger_is_refused(shared, client, world):
    collab, member = shared
    url = f"{collab.get_absolute_url()}members/{member.pk}/decline/"
    prefix = f"decline-{member.pk}"
    client.force_login(world.users["leadership"])
    assert client.post(url, {f"{prefix}-version": 2, f"{prefix}-reason": "x"}).status_code == 403
    client.force_login(world.users["opd_admin"])
    response = client.post(url, {f"{prefix}-version": 2, f"{prefix}-reason": "Bukan tugas kami"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.reason) == ("declined", "Bukan tugas kami")


def test_weights_page_refuses_60_30(shared, client, world, scopes, pk):
    collab, member = shared
    svc.collaboration_accept(
        actor=world.users["opd_admin"],
        scope=scopes["opd_admin"],
        member=member,
        version=2,
        data={"goal": pk.plan.objective_a, "code": "DIK-K1", "name": "UKS"},
    )
    client.force_login(world.users["bappeda"])
    url = f"{collab.get_absolute_url()}weights/"
    field = f"weight_{world.agency_a.pk}"
    response = client.post(url, {"version": 3, "lead_weight": "60", field: "30"})
    assert response.status_code == 400
    assert "90" in response.content.decode()
    stale = client.post(url, {"version": 2, "lead_weight": "55", field: "45"})
    assert stale.status_code == 400
    assert "sekarang versi 3" in stale.content.decode()  # above the form, not hidden
    assert client.post(url, {"version": 3, "lead_weight": "55", field: "45"}).status_code == 302
    assert CollaborationMember.objects.get().weight == Decimal(45)
    client.force_login(world.users["opd_admin"])
    assert client.get(url).status_code == 403


def test_the_role_result_matrix_and_its_export(shared, client, world):
    collab, _member = shared
    client.force_login(world.users["opd_admin"])
    page = client.get(f"{collab.get_absolute_url()}matrix/").content.decode()
    assert page.count('data-testid="matrix-row"') == 2
    response = client.get(f"{collab.get_absolute_url()}matrix/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[:3] for r in rows[1:]] == [
        ("Dinas Kesehatan", "Pengampu", 100),
        ("Dinas Pendidikan", "Anggota", 40),
    ]
    assert rows[1][4] == "KES-01" and rows[2][4] is None
