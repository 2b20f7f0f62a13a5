"""The planning editing pages: each renders, writes through its service with an audit event,
shows a refusal on the form and writes nothing, and keeps another agency's plan out of reach."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from kinerja.audit.models import AuditEvent
from kinerja.performance import services
from kinerja.performance.models import (
    Goal,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    Target,
    TargetValue,
)


def audited(action: str, obj) -> bool:
    return AuditEvent.objects.filter(action=action, target_id=str(obj.pk)).exists()


# Goals -------------------------------------------------------------------------------------


def test_adding_a_strategic_objective_under_an_rpjmd_target(plan, world, login):
    client = login(world.users["bappeda"])
    url = reverse("performance:goal_add_child", args=[plan.target.pk])
    body = client.get(url).content.decode()
    assert 'value="agency_objective"' in body and 'value="mission"' not in body
    assert world.agency_a.name in body and world.agency_b.name in body

    response = client.post(
        url,
        {
            "level": "agency_objective",
            "code": "DIK.T2",
            "name": "Mutu SMA meningkat",
            "unit": world.agency_a.pk,
            "rb_themes": ["kemiskinan"],
        },
    )
    goal = Goal.objects.get(code="DIK.T2")
    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url()
    assert (goal.parent, goal.unit, goal.level) == (plan.target, world.agency_a, "agency_objective")
    assert list(goal.tags.values_list("code", flat=True)) == ["kemiskinan"]
    assert audited("goal.create", goal)


def test_a_refused_goal_shows_the_message_and_writes_nothing(plan, world, login):
    client = login(world.users["opd_admin"])
    url = reverse("performance:goal_add_child", args=[plan.objective_a.pk])
    assert client.get(url).status_code == 200
    count, events = Goal.objects.count(), AuditEvent.objects.count()
    response = client.post(url, {"level": "agency_target", "code": "DIK.T1", "name": "Dobel"})
    assert response.status_code == 400
    assert "Tujuan/sasaran dengan kode ini sudah ada." in response.content.decode()
    assert (Goal.objects.count(), AuditEvent.objects.count()) == (count, events)

    response = client.post(url, {"level": "agency_target", "code": "DIK.T1.S2", "name": "APM"})
    goal = Goal.objects.get(code="DIK.T1.S2")
    assert (goal.parent, goal.unit) == (plan.objective_a, world.agency_a)  # the objective's
    assert audited("goal.create", goal)


def test_goal_pages_keep_to_the_callers_reach(plan, world, login):
    client = login(world.users["opd_admin"])
    assert (
        client.get(reverse("performance:goal_add_child", args=[plan.objective_b.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("performance:goal_update", args=[plan.objective_b.pk])).status_code
        == 404
    )
    assert client.get(reverse("performance:goal_create")).status_code == 403  # a mission
    response = client.post(
        reverse("performance:goal_update", args=[plan.objective_b.pk]), {"name": "x"}
    )
    assert response.status_code == 404
    assert Goal.objects.get(pk=plan.objective_b.pk).name == "Layanan kesehatan merata"
    reader = login(world.users["leadership"])
    assert (
        reader.get(reverse("performance:goal_update", args=[plan.objective_a.pk])).status_code
        == 403
    )


def test_editing_a_goal(plan, world, login):
    client = login(world.users["opd_admin"])
    url = reverse("performance:goal_update", args=[plan.target_a.pk])
    assert "Meningkatnya APK SMA" in client.get(url).content.decode()
    response = client.post(
        url, {"level": "agency_target", "code": "DIK.T1.S1", "name": "APK SMA 95 persen"}
    )
    assert response.status_code == 302
    plan.target_a.refresh_from_db()
    assert plan.target_a.name == "APK SMA 95 persen"
    assert audited("goal.update", plan.target_a)


def test_goal_tree_links_to_the_editing_pages_within_reach(plan, world, login):
    body = login(world.users["opd_admin"]).get(reverse("performance:goal_tree")).content.decode()
    assert reverse("performance:goal_update", args=[plan.objective_a.pk]) in body
    assert reverse("performance:goal_update", args=[plan.target.pk]) not in body  # RPJMD
    assert reverse("performance:indicator_update", args=[plan.ind_a.pk]) in body
    body = login(world.users["leadership"]).get(reverse("performance:goal_tree")).content.decode()
    assert "/edit/" not in body


# Indicators --------------------------------------------------------------------------------

INDICATOR = {
    "code": "DIK-02",
    "name": "Angka partisipasi murni SMA",
    "measure_unit": "persen",
    "data_type": "decimal",
    "polarity": "higher_is_better",
    "control_level": "outcome",
    "reporting_frequency": "quarterly",
    "aggregation": "last_value",
    "baseline": "80.5",
    "baseline_year": "2025",
}


def test_adding_an_indicator_with_its_manual(plan, world, login):
    client = login(world.users["opd_admin"])
    url = reverse("performance:indicator_create", args=[plan.target_a.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {**INDICATOR, "cap_percent": "90"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Batas atas capaian tidak boleh di bawah 100 persen" in body
    # The closest existing names are shown with the refused form.
    assert 'data-testid="similar"' in body and "Angka partisipasi kasar SMA" in body
    assert not Indicator.objects.filter(code="DIK-02").exists()

    response = client.post(url, INDICATOR)
    indicator = Indicator.objects.get(code="DIK-02")
    assert response.status_code == 302
    assert (indicator.goal, indicator.unit, indicator.baseline) == (
        plan.target_a,
        world.agency_a,
        Decimal("80.5"),
    )
    assert audited("indicator.create", indicator)


def test_checking_similar_names_without_saving(plan, world, login):
    client = login(world.users["opd_admin"])
    url = reverse("performance:indicator_create", args=[plan.target_a.pk])
    response = client.post(url, {**INDICATOR, "_similar": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Angka partisipasi kasar SMA" in body
    assert 'value="Angka partisipasi murni SMA"' in body and "is-invalid" not in body
    assert not Indicator.objects.filter(code="DIK-02").exists()

    similar = reverse("performance:indicator_similar")
    body = client.get(similar, {"name": "partisipasi kasar"}).content.decode()
    assert "DIK-01" in body and "KES-01" not in body
    assert 'data-testid="similar"' not in client.get(similar, {"name": ""}).content.decode()


def test_editing_an_indicator_and_its_reach(plan, world, login):
    client = login(world.users["opd_admin"])
    url = reverse("performance:indicator_update", args=[plan.ind_a.pk])
    assert "Angka partisipasi kasar SMA" in client.get(url).content.decode()
    data = {**INDICATOR, "code": "DIK-01", "name": "APK SMA/SMK", "reason": "Ganti nama"}
    assert client.post(url, data).status_code == 302
    plan.ind_a.refresh_from_db()
    assert plan.ind_a.name == "APK SMA/SMK"
    assert audited("indicator.update", plan.ind_a)
    assert (
        client.get(reverse("performance:indicator_update", args=[plan.ind_b.pk])).status_code == 404
    )
    assert (
        client.get(reverse("performance:indicator_update", args=[plan.iku.pk])).status_code == 403
    )


# Library -----------------------------------------------------------------------------------

TEMPLATE = {
    "name": "Persentase dokumen perencanaan tepat waktu",
    "position_kind": "jpt_pratama",
    "measure_unit": "persen",
    "data_type": "decimal",
    "polarity": "higher_is_better",
    "control_level": "output",
    "reporting_frequency": "quarterly",
    "aggregation": "last_value",
}


def test_library_entry_pages(plan, world, login):
    client = login(world.users["bappeda"])
    assert (
        reverse("performance:template_create")
        in client.get(reverse("performance:template_list")).content.decode()
    )
    url = reverse("performance:template_create")
    assert client.get(url).status_code == 200
    assert client.post(url, TEMPLATE).status_code == 302
    entry = IndicatorTemplate.objects.get(name=TEMPLATE["name"])
    assert audited("indicator_template.create", entry)

    response = client.post(url, TEMPLATE)  # the same name for the same kind of post
    assert response.status_code == 400
    assert IndicatorTemplate.objects.count() == 1

    edit = reverse("performance:template_update", args=[entry.pk])
    assert client.post(edit, {**TEMPLATE, "measure_unit": "dokumen"}).status_code == 302
    entry.refresh_from_db()
    assert entry.measure_unit == "dokumen"
    assert audited("indicator_template.update", entry)

    admin = login(world.users["opd_admin"])
    assert admin.get(url).status_code == 403
    assert admin.post(edit, {**TEMPLATE, "name": "x"}).status_code == 403
    assert IndicatorTemplate.objects.get().name == TEMPLATE["name"]


# Targets -----------------------------------------------------------------------------------


@pytest.fixture
def year(world, scopes):
    return services.period_create(
        actor=world.users["bappeda"], scope=scopes["bappeda"], instansi=world.instansi, year=2026
    )


def target_url(indicator, year=2026):
    return reverse("performance:target_edit", args=[indicator.pk, year])


def test_setting_a_target_with_its_quarters(plan, year, world, login):
    client = login(world.users["opd_admin"])
    url = target_url(plan.ind_a)
    body = client.get(url).content.decode()
    assert 'name="value_4"' in body and 'name="value_5"' not in body
    response = client.post(
        url,
        {
            "shape": "value",
            "value": "90",
            "value_1": "60",
            "value_2": "70",
            "value_3": "80",
            "value_4": "90",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(indicator=plan.ind_a, year=2026)
    assert target.value == Decimal("90")
    assert list(target.values.order_by("sub_period__number").values_list("value", flat=True)) == [
        Decimal("60"),
        Decimal("70"),
        Decimal("80"),
        Decimal("90"),
    ]
    assert audited("target.create", target) and audited("target.values", target)

    # A range with bounds per quarter.
    data = {"shape": "range", "low": "85", "high": "95"}
    for n in range(1, 5):
        data |= {f"low_{n}": "85", f"high_{n}": "95"}
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.shape, target.low, target.high, target.value) == ("range", 85, 95, None)
    assert TargetValue.objects.filter(target=target, low=85, high=95).count() == 4


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"shape": "value"}, "value", "Target kuantitatif memerlukan nilai."),
        ({"shape": "range", "low": "120", "high": "100"}, "low", "(120)"),
        ({"shape": "value", "value": "-5"}, "value", "tidak mengenal nilai negatif"),
        (
            {
                "shape": "value",
                "value": "90",
                "value_1": "60",
                "value_2": "70",
                "value_3": "80",
                "value_4": "85",
            },
            "values",
            "85",
        ),
        ({"shape": "value", "value": "90", "value_1": "60"}, "values", "(1 sampai 4)"),
    ],
)
def test_a_refused_target_shows_the_message_and_writes_nothing(
    plan, year, world, login, data, field, message
):
    client = login(world.users["opd_admin"])
    events = AuditEvent.objects.count()
    response = client.post(target_url(plan.ind_a), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    if field == "values":
        assert 'data-testid="values-errors"' in body
    else:
        assert f'id="id_{field}_error"' in body
    # Nothing half-saved: not even the year's target when only its quarters were wrong.
    assert not Target.objects.filter(indicator=plan.ind_a).exists()
    assert AuditEvent.objects.count() == events


def test_target_page_keeps_to_the_callers_reach(plan, year, world, login):
    client = login(world.users["opd_admin"])
    assert client.get(target_url(plan.ind_b)).status_code == 404
    assert client.post(target_url(plan.ind_b), {"shape": "value", "value": "5"}).status_code == 404
    assert client.get(target_url(plan.iku)).status_code == 403  # the RPJMD's: Bappeda's
    assert client.get(target_url(plan.ind_a, 1999)).status_code == 404
    assert not Target.objects.exists()


# Key-indicator sets ------------------------------------------------------------------------


@pytest.fixture
def key_set(plan, world, scopes):
    return services.key_set_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "unit": world.agency_a,
            "name": "IKU Dinas Pendidikan",
            "first_year": 2025,
            "last_year": 2026,
        },
    )


def test_key_set_page_adds_and_removes_indicators(plan, key_set, world, login, scopes):
    services.target_set(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        indicator=plan.ind_a,
        year=2026,
        data={"value": 92},
    )
    client = login(world.users["opd_admin"])
    add = reverse("performance:key_set_add", args=[key_set.pk])
    response = client.post(add, {"indicator": plan.ind_a.pk})
    assert response.status_code == 302
    assert list(key_set.indicators.all()) == [plan.ind_a]
    assert AuditEvent.objects.filter(action="key_set.add", target_id=str(key_set.pk)).exists()

    body = client.get(reverse("performance:key_set_list")).content.decode()
    assert "IKU Dinas Pendidikan" in body and "DIK-01" in body and ">92<" in body
    assert body.count('data-testid="key-indicator"') == 1

    # Not a key indicator: refused with the service's message, nothing added.
    other = plan.indicator(plan.target_a, "DIK-09", "Bukan IKU")
    body = client.post(add, {"indicator": other.pk}, follow=True).content.decode()
    assert "DIK-09 bukan indikator kinerja utama (IKU)." in body
    assert key_set.items.count() == 1

    remove = reverse("performance:key_set_remove", args=[key_set.pk])
    assert client.post(remove, {"indicator": plan.ind_a.pk}).status_code == 302
    assert key_set.items.count() == 0
    assert AuditEvent.objects.filter(action="key_set.remove", target_id=str(key_set.pk)).exists()


def test_key_sets_of_another_agency_stay_out_of_reach(plan, key_set, world, login, scopes):
    b_set = services.key_set_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={
            "unit": world.agency_b,
            "name": "IKU Dinas Kesehatan",
            "first_year": 2025,
            "last_year": 2026,
        },
    )
    client = login(world.users["opd_admin"])
    body = client.get(reverse("performance:key_set_list")).content.decode()
    assert "IKU Dinas Pendidikan" in body and "IKU Dinas Kesehatan" not in body
    response = client.post(
        reverse("performance:key_set_add", args=[b_set.pk]), {"indicator": plan.ind_b.pk}
    )
    assert response.status_code == 404
    assert b_set.items.count() == 0


def test_key_set_page_costs_the_same_for_more_sets(plan, key_set, world, login, scopes):
    bappeda, scope = world.users["bappeda"], scopes["bappeda"]
    services.key_set_add(actor=bappeda, scope=scope, key_set=key_set, indicator=plan.ind_a)
    client = login(bappeda)
    url = reverse("performance:key_set_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    province = services.key_set_create(
        actor=bappeda,
        scope=scope,
        instansi=world.instansi,
        data={"unit": None, "name": "IKU Provinsi", "first_year": 2025, "last_year": 2029},
    )
    services.key_set_add(actor=bappeda, scope=scope, key_set=province, indicator=plan.iku)
    for year in (2025, 2026):
        services.target_set(
            actor=bappeda, scope=scope, indicator=plan.iku, year=year, data={"value": 9}
        )
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert body.count('data-testid="key-indicator"') == 2
    assert len(large.captured_queries) == len(small.captured_queries)


# Key-indicator sets API --------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_key_set_api_create_patch_finalise(plan, world, scopes):
    client = api(world.users["opd_admin"])
    response = client.post(
        "/api/v1/key-indicator-sets/",
        {
            "unit": world.agency_a.pk,
            "name": "IKU Dindik",
            "first_year": 2026,
            "last_year": 2027,
            "indicators": [plan.ind_a.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    key_set = KeyIndicatorSet.objects.get(pk=response.json()["id"])
    assert [i["indicator"]["code"] for i in response.json()["items"]] == ["DIK-01"]
    assert AuditEvent.objects.filter(action="key_set.create", target_id=str(key_set.pk)).exists()

    url = f"/api/v1/key-indicator-sets/{key_set.pk}/"
    response = client.patch(url, {"name": "IKU Dinas Pendidikan", "last_year": 2026}, format="json")
    assert response.status_code == 200, response.content
    key_set.refresh_from_db()
    assert (key_set.name, key_set.last_year) == ("IKU Dinas Pendidikan", 2026)

    response = client.post(url + "finalise/", {"decree_number": "SK-1"}, format="json")
    assert response.status_code == 400
    assert "DIK-01 2026" in response.content.decode()
    services.target_set(
        actor=world.users["opd_admin"],
        scope=scopes["opd_admin"],
        indicator=plan.ind_a,
        year=2026,
        data={"value": 90},
    )
    response = client.post(url + "finalise/", {"decree_number": "SK-1"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decree_number"]) == ("set", "SK-1")
    response = client.patch(url, {"indicators": []}, format="json")
    assert response.status_code == 400
    assert key_set.items.count() == 1


def test_key_set_api_keeps_to_the_callers_reach(plan, world):
    client = api(world.users["opd_admin"])
    response = client.post(
        "/api/v1/key-indicator-sets/",
        {"unit": world.agency_b.pk, "name": "IKU Dinkes", "first_year": 2026, "last_year": 2027},
        format="json",
    )
    assert response.status_code == 400
    assert not KeyIndicatorSet.objects.exists()
    response = client.post(
        "/api/v1/key-indicator-sets/",
        {"name": "IKU Provinsi", "first_year": 2026, "last_year": 2027},
        format="json",
    )
    assert response.status_code == 403
    assert not KeyIndicatorSet.objects.exists()


def test_an_indicator_from_a_library_entry(plan, world, login, scopes):
    entry = services.template_create(
        actor=world.users["bappeda"],
        scope=scopes["bappeda"],
        instansi=world.instansi,
        data={**TEMPLATE, "measure_unit": "dokumen", "definition": "Dokumen tepat waktu"},
    )
    client = login(world.users["opd_admin"])
    lookup = client.get(reverse("performance:template_lookup"), {"q": "dokumen perencanaan"})
    assert [r["value"] for r in lookup.json()["results"]] == [entry.pk]
    assert client.get(reverse("performance:template_lookup"), {"q": "zzz"}).json()["results"] == []

    url = reverse("performance:indicator_create", args=[plan.target_a.pk])
    # Without JavaScript: the search round trip offers the entry and saves nothing.
    body = client.post(url, {"_lookup": "template", "template_q": "dokumen"}).content.decode()
    assert f'<option value="{entry.pk}">' in body
    assert not Indicator.objects.filter(code="DIK-03").exists()

    blank = {
        "name": "",
        "measure_unit": "",
        "control_level": "",
        "baseline": "",
        "baseline_year": "",
    }
    response = client.post(url, {**INDICATOR, **blank, "code": "DIK-03", "template": entry.pk})
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="DIK-03")
    assert (
        indicator.name,
        indicator.measure_unit,
        indicator.control_level,
        indicator.template,
    ) == (
        TEMPLATE["name"],
        "dokumen",
        "output",
        entry,
    )
    assert indicator.definition == "Dokumen tepat waktu"

    # Without an entry the empty name is the service's refusal, on the field.
    response = client.post(url, {**INDICATOR, **blank, "code": "DIK-04"})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not Indicator.objects.filter(code="DIK-04").exists()
