"""The employee plan pages: the list, a plan, its forms and steps."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kinerja.performance.models import Indicator, Plan
from kinerja.performance.services import skp

from .test_skp import add_indicator, add_result, create, s  # noqa: F401 (the fixture)


def test_employee_starts_a_plan_adds_a_result_and_submits(s, client):  # noqa: F811
    client.force_login(s.siti_user)
    page = client.get(reverse("performance:plan_create"))
    assert page.status_code == 200
    response = client.post(
        reverse("performance:plan_create"),
        {"employee": s.siti.pk, "period": s.period.pk, "approach": "quantitative"},
    )
    plan = Plan.objects.get(employee=s.siti)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    response = client.post(
        reverse("performance:plan_result_add", args=[plan.pk]),
        {
            "version": plan.version,
            "kind": "main",
            "text": "Tersusunnya laporan kurikulum",
            "serves_directly": "on",
            "name": "Jumlah laporan",
            "aspect": "quantity",
            "measure_unit": "dokumen",
            "shape": "value",
            "value": "4",
        },
    )
    assert response.status_code == 302
    iki = Indicator.objects.get(result__plan=plan)
    assert iki.targets.get().value == 4
    detail = client.get(plan.get_absolute_url())
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "Tersusunnya laporan kurikulum" in body and f"SKP{plan.pk}-1" in body
    assert 'data-testid="step-submit"' in body
    assert body.count('data-testid="behaviour"') == 7
    plan.refresh_from_db()
    stale = client.post(
        reverse("performance:plan_step", args=[plan.pk, "submit"]), {"version": plan.version - 1}
    )
    assert stale.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "draft"
    client.post(
        reverse("performance:plan_step", args=[plan.pk, "submit"]), {"version": plan.version}
    )
    plan.refresh_from_db()
    assert plan.status == "submitted"
    listing = client.get(reverse("performance:plan_list"), {"status": "submitted"})
    assert listing.content.decode().count('data-testid="plan"') == 1


def test_evaluator_approves_from_the_page_and_others_do_not_see_it(s, client, scopes):  # noqa: F811
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    result = add_result(s, plan, s.siti_scope, s.siti_user)
    add_indicator(plan, result, s.siti_scope, s.siti_user)
    plan.refresh_from_db()
    plan = skp.plan_submit(actor=s.siti_user, scope=s.siti_scope, plan=plan, version=plan.version)
    client.force_login(s.kabid_user)
    page = client.get(plan.get_absolute_url())
    assert 'data-testid="step-approve"' in page.content.decode()
    client.post(
        reverse("performance:plan_step", args=[plan.pk, "approve"]), {"version": plan.version}
    )
    plan.refresh_from_db()
    assert plan.status == "approved"
    client.force_login(s.world.users["opd_admin"])  # agency A's administrator sees it
    assert client.get(plan.get_absolute_url()).status_code == 200
    other = s.world.staff_b
    from kinerja.accounts.models import User

    stranger = User.objects.create_user(
        username="rina", password="x-Uji-2024!", instansi=s.world.instansi, employee=other
    )
    client.force_login(stranger)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("performance:plan_list")).content.decode().count('data-testid="plan"')
        == 0
    )


def test_behaviours_page_saves_the_expectations(s, client):  # noqa: F811
    plan = create(s, s.siti, s.siti_scope, s.siti_user, starts=dt.date(2024, 1, 1))
    client.force_login(s.kabid_user)
    url = reverse("performance:plan_behaviours", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": plan.version, "b_kolaboratif": "Aktif di tim kerja"})
    assert response.status_code == 302
    assert dict(plan.behaviours.values_list("value", "expectation")) == {
        "kolaboratif": "Aktif di tim kerja"
    }
