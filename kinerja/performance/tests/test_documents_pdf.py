"""The performance agreement as a PDF: the official layout in Indonesian, the signed
revision's own snapshot, scoped like the agreement page (page and API)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from kinerja.accounts.models import RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.core.templatetags.kinerja_documents import angka, rupiah
from kinerja.performance import services


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response) if response.streaming else response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def signed(pk, scopes, world):
    """Agency A's 2023 agreement, with one target (85 %) and two programs, signed."""
    bappeda, scope = world.users["bappeda"], scopes["bappeda"]
    call = {"actor": bappeda, "scope": scope}
    a = services.agreement_create(
        **call,
        instansi=world.instansi,
        data={"unit": world.agency_a, "year": 2023, "agreement_date": pk.day, **pk.governor},
    )
    a = services.agreement_set_targets(**call, agreement=a, version=a.version, targets=[pk.t_a])
    programs = [
        {"name": "Program Pengelolaan Pendidikan", "sipd_code": "1.01.02", "budget": "1250000000"},
        {"name": "Program Pendidik dan Tenaga Kependidikan", "budget": "750000000.50"},
    ]
    a = services.agreement_set_programs(**call, agreement=a, version=a.version, programs=programs)
    for step in (services.agreement_submit, services.agreement_approve, services.agreement_sign):
        a = step(**call, agreement=a, version=a.version)
    return a


def test_indonesian_numbers():
    assert rupiah("2000000000.50") == "Rp 2.000.000.000,50"
    assert rupiah("1250000000.00") == "Rp 1.250.000.000"
    assert angka("85.50") == "85,5" and angka("1234.5") == "1.234,5"


def test_the_agreement_pdf_in_its_official_layout(pk, signed, login, world, scopes):
    client = login(world.users["opd_admin"])
    response = client.get(reverse("performance:agreement_pdf", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="PK-2023-dikbud-rev0.pdf"'
    text = _text(response)
    assert "PERJANJIAN KINERJA TAHUN 2023" in text and "DINAS PENDIDIKAN" in text
    assert "Budi Santoso" in text and "Khofifah Indar Parawansa" in text
    assert "Kepala Dinas Pendidikan" in text and "Gubernur Jawa Timur" in text
    assert "5 Januari 2023" in text  # the agreement's date, in Indonesian
    assert "pihak pertama" in text and "pihak kedua" in text
    assert "Meningkatnya APK SMA" in text and "Angka partisipasi kasar SMA" in text
    assert "85 persen" in text
    assert "Rp 1.250.000.000" in text and "Rp 750.000.000,50" in text
    assert "Jumlah Rp 2.000.000.000,50" in text
    assert "DRAF" not in text

    # A later change of the target: the signed revision keeps its snapshot, the revision
    # (a draft) reads the live target.
    bappeda, scope = world.users["bappeda"], scopes["bappeda"]
    services.target_set(
        actor=bappeda,
        scope=scope,
        indicator=pk.plan.ind_a,
        year=2023,
        data={"shape": "value", "value": "87.5"},
    )
    assert "85 persen" in _text(client.get(reverse("performance:agreement_pdf", args=[signed.pk])))
    new = services.agreement_revise(
        actor=bappeda, scope=scope, agreement=signed, version=signed.version, reason="Refocusing"
    )
    text = _text(client.get(reverse("performance:agreement_pdf", args=[new.pk])))
    assert "87,5 persen" in text and "DRAF" in text and "revisi ke-1: Refocusing" in text


def test_the_pdf_is_scoped_like_the_agreement(signed, login, world):
    other = User.objects.create_user(username="admin.b", instansi=world.instansi)
    RoleAssignment.objects.create(
        user=other, role=Role.OPD_ADMIN, instansi=world.instansi, unit=world.agency_b
    )
    page = reverse("performance:agreement_pdf", args=[signed.pk])
    assert login(other).get(page).status_code == 404
    assert login(world.users["employee"]).get(page).status_code == 403
    api = APIClient()
    api.force_login(other)
    url = f"/api/v1/agreements/{signed.pk}/pdf/"
    assert api.get(url).status_code == 404
    api.force_login(world.users["bappeda"])
    response = api.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and "Budi Santoso" in _text(response)
    missing = api.get("/api/v1/agreements/999999/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert "detail" in missing.json()
