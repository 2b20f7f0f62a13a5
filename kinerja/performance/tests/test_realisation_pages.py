"""The realisation pages: inline entry with HTMX, the detail with its evidence and the
verifier's steps."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.performance.models import Realisation

from .realisation_fixtures import PDF, PNG, rl_fixture  # noqa: F401 - the rl fixture

pytestmark = pytest.mark.usefixtures("rl")
HX = {"HX-Request": "true"}


def _row_url(rl, sub):
    return f"/plans/realisations/target/{rl.t_a.pk}/{sub.pk}/"


def test_the_holder_enters_and_submits_inline(rl, client):
    client.force_login(rl.holder_user)
    page = client.get(f"/plans/realisations/target/{rl.t_a.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="realisation-row"') == 4
    prefix = f"sp{rl.q1.pk}"
    response = client.post(_row_url(rl, rl.q1), {f"{prefix}-value": "-5"}, headers=HX)
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not Realisation.objects.exists()
    response = client.post(
        _row_url(rl, rl.q1),
        {f"{prefix}-value": "84,5".replace(",", "."), "submit": "1"},
        headers=HX,
    )
    assert response.status_code == 200
    assert 'id="realisation-row-' in response.content.decode()
    realisation = Realisation.objects.get()
    assert (realisation.value, realisation.status) == (84.5, "submitted")
    # Submitted: the row shows the number, no form.
    assert "<form" not in response.content.decode()


def test_the_verifier_returns_then_verifies_on_the_detail_page(rl, client):
    client.force_login(rl.holder_user)
    prefix = f"sp{rl.q1.pk}"
    client.post(_row_url(rl, rl.q1), {f"{prefix}-value": "70"})
    realisation = Realisation.objects.get()
    detail = f"/plans/realisations/{realisation.pk}/"
    fake = SimpleUploadedFile("bukti.pdf", PNG)
    client.post(f"{detail}evidence/", {"file": fake, "label": "Bukti"})
    assert realisation.evidence.count() == 0
    client.post(f"{detail}evidence/", {"file": SimpleUploadedFile("bukti.pdf", PDF)})
    assert realisation.evidence.count() == 1
    client.post(f"{detail}submit/", {"version": 1})
    client.force_login(rl.verifier_user)
    page = client.get(detail).content.decode()
    assert 'data-testid="evidence"' in page and "bukti.pdf" in page
    client.post(f"{detail}return/", {"version": 2, "comment": "Tambahkan notulen"})
    realisation.refresh_from_db()
    assert (realisation.status, realisation.return_comment) == ("returned", "Tambahkan notulen")
    client.force_login(rl.holder_user)
    client.post(
        _row_url(rl, rl.q1), {f"{prefix}-value": "72", f"{prefix}-version": "3", "submit": "1"}
    )
    realisation.refresh_from_db()
    assert (realisation.value, realisation.status) == (72, "resubmitted")
    client.force_login(rl.verifier_user)
    client.post(f"{detail}verify/", {"version": 5})
    realisation.refresh_from_db()
    assert realisation.status == "verified"


def test_another_agency_reaches_neither_the_page_nor_the_file(rl, client):
    client.force_login(rl.world.users["employee"])  # staff of agency A: no planning role
    assert client.get(f"/plans/realisations/target/{rl.t_a.pk}/").status_code == 404
    client.force_login(rl.world.users["opd_admin"])  # agency A's administrator
    assert client.get(f"/plans/realisations/target/{rl.t_b.pk}/").status_code == 404
    assert client.get(f"/plans/realisations/target/{rl.t_a.pk}/").status_code == 200
