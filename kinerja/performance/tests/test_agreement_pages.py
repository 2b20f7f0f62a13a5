"""The agreement pages: the list within reach, the agreement page with its steps and
revisions, the draft's forms (a stale form is refused, nothing saved)."""

from __future__ import annotations

from django.urls import reverse

from kinerja.performance.models import Agreement


def _create(pk, client, **extra):
    data = {"unit": pk.world.agency_a.pk, "year": "2023", "agreement_date": "2023-01-05"}
    data.update({**pk.governor, **extra})
    return client.post(reverse("performance:agreement_create"), data)


def test_start_edit_and_sign_through_the_pages(pk, login):
    client = login(pk.world.users["opd_admin"])
    page = client.get(reverse("performance:agreement_create"))
    assert page.status_code == 200
    # The unit is a searchable select: no unit is listed until searched.
    html = page.content.decode()
    assert reverse("performance:agreement_unit_lookup") in html and "Bidang SMA" not in html
    response = _create(pk, client)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response.url == agreement.get_absolute_url()
    edit = reverse("performance:agreement_update", args=[agreement.pk])
    assert "DIK-01" in client.get(edit).content.decode()
    data = {
        "agreement_date": "2023-01-05",
        **pk.governor,
        "targets": [pk.t_a.pk],
        "programs": "Program Pengelolaan Pendidikan | 1.01.02 | 1.250.000.000,50 | APBD",
        "version": 1,
    }
    assert client.post(edit, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.version == 4
    assert str(agreement.programs.get().budget) == "1250000000.50"
    stale = client.post(edit, {**data, "programs": ""})  # version 1 again
    assert stale.status_code == 400
    assert "versi" in stale.content.decode()
    assert agreement.programs.count() == 1
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert "Program Pengelolaan Pendidikan" in detail and 'data-testid="step-submit"' in detail
    step = reverse("performance:agreement_step", args=[agreement.pk, "submit"])
    assert client.post(step, {"version": 4}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "submitted"
    for name, version in [("approve", 5), ("sign", 6)]:
        client.post(
            reverse("performance:agreement_step", args=[agreement.pk, name]), {"version": version}
        )
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    revise = reverse("performance:agreement_step", args=[agreement.pk, "revise"])
    response = client.post(revise, {"version": 7, "reason": "Refocusing"})
    new = Agreement.objects.get(is_current=True)
    assert response.url == new.get_absolute_url() and new.revision == 1
    detail = client.get(new.get_absolute_url()).content.decode()
    assert detail.count('data-testid="revision"') == 2


def test_the_list_keeps_to_reach_and_filters(pk, login, world):
    bappeda = login(world.users["bappeda"])
    _create(pk, bappeda)
    url = reverse("performance:agreement_list")
    assert bappeda.get(url).content.decode().count('data-testid="agreement"') == 1
    assert (
        bappeda.get(url + "?status=signed").content.decode().count('data-testid="agreement"') == 0
    )
    assert bappeda.get(url + "?year=abc").status_code == 200
    agreement = Agreement.objects.get()
    head = login(world.users["opd_head"])  # reads agency A's plans, changes none
    assert head.get(agreement.get_absolute_url()).status_code == 200
    assert head.get(reverse("performance:agreement_create")).status_code == 403
    step = reverse("performance:agreement_step", args=[agreement.pk, "submit"])
    assert head.post(step, {"version": 1}).status_code == 403
    evaluator = login(world.users["evaluator"])  # reaches posts below, not the agency's plans
    assert evaluator.get(agreement.get_absolute_url()).status_code == 404
    assert login(world.users["employee"]).get(url).status_code == 403
