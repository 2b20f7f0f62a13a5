"""The action-plan pages: the plan with weights, budget and progress; an action and its
schedule in one form (bad weights refused on the form, nothing saved); progress entered in
place with HTMX; the workbook download."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from kinerja.performance.models import Action, SubPeriod

from . import test_actions as base

ap = base.ap  # the fixture
HX = {"HX-Request": "true"}


@pytest.fixture
def admin(client, world):
    client.force_login(world.users["opd_admin"])
    return client


def _form(ap, **extra):
    return {
        "code": "1",
        "position": 0,
        "text": "Sosialisasi PPDB",
        "unit": ap.world.division_a.pk,
        "program_code": "1.01.02",
        "budget": "2500000",
        "spending": "0",
        "funding_source": "apbd",
        "weight_1": "40",
        "weight_2": "25",
        "weight_3": "25",
        "weight_4": "10",
        "output_1": "Persiapan",
        **extra,
    }


def test_the_form_saves_an_action_with_its_schedule_and_refuses_bad_weights(ap, admin):
    url = reverse("performance:action_create", args=[ap.row.pk])
    response = admin.post(url, _form(ap, weight_4="9"))
    assert response.status_code == 400
    assert "bobot ini berjumlah 99" in response.content.decode()
    assert Action.objects.count() == 0
    response = admin.post(url, _form(ap))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.schedule.get(sub_period__number=1).planned_output == "Persiapan"
    page = admin.get(reverse("performance:action_plan", args=[ap.agreement.pk])).content.decode()
    assert "Sosialisasi PPDB" in page and "2500000" in page
    detail = admin.get(ap.agreement.get_absolute_url()).content.decode()
    assert reverse("performance:action_plan", args=[ap.agreement.pk]) in detail


def test_progress_in_place_with_htmx(ap, admin):
    admin.post(reverse("performance:action_create", args=[ap.row.pk]), _form(ap))
    action = Action.objects.get()
    url = reverse("performance:action_progress", args=[action.pk])
    form = admin.get(url + "?sub_period=1", headers=HX).content.decode()
    assert 'name="progress"' in form
    cells = admin.post(url, {"sub_period": 1, "progress": "50"}, headers=HX).content.decode()
    assert "20,00 %" in cells  # 50 % of a 40-weight quarter
    cells = admin.post(url, {"sub_period": 2, "progress": "100"}, headers=HX).content.decode()
    assert "45,00 %" in cells
    again = admin.post(url, {"sub_period": 2, "progress": "150"}, headers=HX).content.decode()
    assert "progress-form" in again
    assert action.progress.get(sub_period=SubPeriod.objects.get(number=2)).progress == 100


def test_the_workbook_holds_the_plan(ap, admin):
    admin.post(reverse("performance:action_create", args=[ap.row.pk]), _form(ap))
    response = admin.get(reverse("performance:action_plan_export", args=[ap.agreement.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ID PK", "Kode Indikator", "Kode Aksi")
    assert rows[1][2] == "1" and rows[1][6] == ap.world.division_a.code
    assert rows[1][rows[0].index("Bobot 1")] == 40
