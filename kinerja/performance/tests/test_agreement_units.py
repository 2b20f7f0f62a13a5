"""The agreement start form's unit: a searchable select (JSON lookup within manage_plans,
the search round trip without JavaScript), validated against the caller's reach."""

from __future__ import annotations

from django.urls import reverse

from kinerja.performance.models import Agreement

LOOKUP = "performance:agreement_unit_lookup"


def _texts(client, **query):
    response = client.get(reverse(LOOKUP), query)
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_the_lookup_offers_the_units_within_manage_plans(pk, login, world):
    admin = login(world.users["opd_admin"])
    assert _texts(admin) == ["Dinas Pendidikan (DIKBUD)", "Bidang SMA (DIKBUD-SMA)"]
    assert _texts(admin, q="sma") == ["Bidang SMA (DIKBUD-SMA)"]
    assert _texts(admin, q="Kesehatan") == []
    bappeda = login(world.users["bappeda"])
    assert _texts(bappeda, q="dinas") == ["Dinas Pendidikan (DIKBUD)", "Dinas Kesehatan (DINKES)"]
    assert login(world.users["opd_head"]).get(reverse(LOOKUP)).status_code == 403


def test_the_start_form_searches_without_javascript_and_refuses_a_unit_out_of_reach(
    pk, login, world
):
    admin = login(world.users["opd_admin"])
    url = reverse("performance:agreement_create")
    data = {"year": "2023", "agreement_date": "2023-01-05", **pk.governor}
    found = admin.post(url, {**data, "_lookup": "unit", "unit_q": "pendidikan"})
    html = found.content.decode()
    assert found.status_code == 200 and f'value="{world.agency_a.pk}"' in html
    assert "Dinas Kesehatan" not in html and Agreement.objects.count() == 0
    refused = admin.post(url, {**data, "unit": world.agency_b.pk})
    assert refused.status_code == 400 and Agreement.objects.count() == 0
    done = admin.post(url, {**data, "unit": world.agency_a.pk})
    assert done.status_code == 302 and Agreement.objects.get().unit == world.agency_a
