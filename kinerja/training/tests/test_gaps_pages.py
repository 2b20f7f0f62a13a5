"""The development-needs page: the gaps within the caller's reach, and recording one through
the page (the service's rules, its messages in the user's language, nothing half-saved)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.training.models import Competency, CompetencyGap

pytestmark = pytest.mark.django_db


@pytest.fixture
def change():
    return Competency.objects.get(code="mengelola-perubahan")


def gap(person, competency, year=2025, **kw):
    return CompetencyGap.objects.create(
        instansi=person.instansi,
        employee=person,
        competency=competency,
        year=year,
        source=kw.pop("source", "assessment"),
        **kw,
    )


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


def form(world, change, **kw):
    data = {
        "employee": world.staff_a.pk,
        "competency": change.pk,
        "year": 2026,
        "level": 2,
        "description": "",
        "source": "superior",
        "note": "",
    }
    return {**data, **kw}


def test_an_agency_sees_its_own_staffs_gaps_and_bkd_every_agencys(client, world, change):
    gap(world.staff_a, change, level=2)
    gap(world.staff_b, change, description="Belum memimpin perubahan")
    gap(world.staff_a, change, year=2024, level=1)
    url = reverse("training:gaps")
    admin = signed_in(client, world, "opd_admin").get(url)
    assert admin.status_code == 200
    assert admin.content.decode().count('data-testid="gap-row"') == 2
    assert "Belum memimpin perubahan" not in admin.content.decode()
    assert (
        signed_in(client, world, "opd_admin")
        .get(url, {"year": 2024})
        .content.decode()
        .count('data-testid="gap-row"')
        == 1
    )
    wide = signed_in(client, world, "bkd").get(url).content.decode()
    assert wide.count('data-testid="gap-row"') == 3 and "Belum memimpin perubahan" in wide
    # The employee sees their own (staff_a's) gaps, nobody else's.
    own = signed_in(client, world, "employee").get(url).content.decode()
    assert own.count('data-testid="gap-row"') == 2


def test_the_administrator_records_a_gap_with_its_audit_event(client, world, change):
    response = signed_in(client, world, "opd_admin").post(
        reverse("training:gaps"), form(world, change)
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    made = CompetencyGap.objects.get()
    assert (made.employee, made.level, made.year, made.source) == (
        world.staff_a,
        2,
        2026,
        "superior",
    )
    assert made.recorded_by == world.users["opd_admin"]
    event = AuditEvent.objects.get(action="competency_gap.record")
    assert event.changes["level"] == [None, 2]


@pytest.mark.parametrize(
    ("role", "changes", "field", "message"),
    [
        # another agency's employee is out of the administrator's reach
        ("opd_admin", {"employee": "staff_b"}, "employee", "Pilih pegawai dalam jangkauan Anda."),
        # neither a level nor a description
        (
            "opd_admin",
            {"level": ""},
            "level",
            "Sebutkan tingkat kesenjangan atau uraikan kesenjangannya.",
        ),
        # a level off the policy's scale (1 to 3)
        ("opd_admin", {"level": "4"}, "level", "Masukkan pilihan yang valid. 4 bukan salah satu"),
        # BPSDM organises training, it does not assess people
        (
            "bpsdm",
            {},
            "employee",
            "Anda tidak berwenang mencatat kebutuhan pengembangan pegawai ini.",
        ),
    ],
)
def test_a_refused_gap_says_why_in_indonesian_and_writes_nothing(
    client, world, change, role, changes, field, message
):
    data = form(world, change, **changes)
    if data["employee"] == "staff_b":
        data["employee"] = world.staff_b.pk
    response = signed_in(client, world, role).post(reverse("training:gaps"), data)
    assert response.status_code == 400
    assert message in response.content.decode(), response.context["form"].errors
    assert response.context["form"].errors[field]
    assert not CompetencyGap.objects.exists()
    assert not AuditEvent.objects.filter(action="competency_gap.record").exists()


def test_the_same_refusal_in_english_on_request(client, world, change):
    client.cookies["django_language"] = "en"
    response = signed_in(client, world, "opd_admin").post(
        reverse("training:gaps"), form(world, change, level="")
    )
    assert "Give the level of the gap or describe it." in response.content.decode()


def test_the_staff_search_finds_only_the_callers_staff(client, world):
    url = reverse("training:gap_staff_lookup")
    admin = signed_in(client, world, "opd_admin")
    names = {r["value"] for r in admin.get(url, {"q": ""}).json()["results"]}
    assert world.staff_a.pk in names and world.staff_b.pk not in names
    found = admin.get(url, {"q": world.staff_b.name[:6]}).json()["results"]
    assert world.staff_b.pk not in {r["value"] for r in found}
    page = admin.get(reverse("training:gaps"), {"staff": world.staff_a.name[:6]})
    assert f'value="{world.staff_a.pk}"' in page.content.decode()
