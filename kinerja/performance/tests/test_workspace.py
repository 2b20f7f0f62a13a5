"""The working pages: My plan, My team (approve and verify inline, the role-result matrix and
its export), My agency (plan completion and realisations due), scoped and query-bounded."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisations.choices import UnitKind
from kinerja.organisations.tests.factories import (
    EmployeeFactory,
    OrgUnitFactory,
    PositionFactory,
)
from kinerja.performance.models import Plan, Realisation
from kinerja.performance.services import realisations as rs
from kinerja.performance.services import skp

from .test_skp import add_indicator, add_result, create, s  # noqa: F401 (the fixture)

ON = dt.date(2024, 4, 10)


def _siti_plan(s, text="Tersusunnya laporan kurikulum", serves=None):  # noqa: F811
    plan = create(s, s.siti, s.siti_scope, s.siti_user)
    data = {"text": text}
    if serves is not None:
        data["serves"] = serves
    result = add_result(s, plan, s.siti_scope, s.siti_user, **data)
    indicator = add_indicator(plan, result, s.siti_scope, s.siti_user)
    return plan, indicator.targets.get()


def _submitted(s, target, number=1, value="3"):  # noqa: F811
    sub = s.period.sub_periods.get(number=number)
    made = rs.realisation_create(
        actor=s.siti_user, scope=s.siti_scope, target=target, sub_period=sub,
        data={"value": value}, on=ON,
    )  # fmt: skip
    return rs.realisation_submit(
        actor=s.siti_user, scope=s.siti_scope, realisation=made, version=made.version, on=ON
    )


def test_my_plan_shows_results_targets_and_a_returned_realisation(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    made = _submitted(s, target)
    rs.realisation_return(
        actor=s.kabid_user, scope=s.kabid_scope, realisation=made, version=made.version,
        comment="Lampirkan notulen rapat",
    )  # fmt: skip
    client.force_login(s.siti_user)
    response = client.get("/plans/mine/?year=2024")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('data-testid="my-plan"') == 1
    assert text.count('data-testid="iki"') == 1
    assert "Tersusunnya laporan kurikulum" in text and "Hartono" in text
    assert "Lampirkan notulen rapat" in text
    assert text.count('data-testid="cell"') == 4  # the four quarters of 2024
    # Q1 (returned) and Q2..Q4 (open, nothing entered) take an entry inline.
    q1 = s.period.sub_periods.get(number=1)
    assert f'id="realisation-row-{target.pk}-{q1.pk}"' in text
    assert text.count('data-testid="realisation-row"') == 4
    assert response.context["deadlines"][0][1] == s.period.plans_due


def test_my_plan_inline_entry_saves_the_row(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    q2 = s.period.sub_periods.get(number=2)
    client.force_login(s.siti_user)
    url = reverse("performance:realisation_entry_row", args=[target.pk, q2.pk])
    response = client.post(url, {f"sp{q2.pk}-value": "7"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="realisation-row-{target.pk}-{q2.pk}"' in response.content.decode()
    assert Realisation.objects.get(target=target, sub_period=q2).value == 7


def test_my_plan_empty_state_links_to_starting_one(s, client):  # noqa: F811
    client.force_login(s.head_user)
    text = client.get("/plans/mine/").content.decode()
    assert 'data-testid="empty"' in text
    assert reverse("performance:plan_create") in text


def _submit_plan(s, plan):  # noqa: F811
    plan.refresh_from_db()
    return skp.plan_submit(actor=s.siti_user, scope=s.siti_scope, plan=plan, version=plan.version)


def test_my_team_lists_reports_and_approves_inline_with_a_conflict(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    plan = _submit_plan(s, plan)
    client.force_login(s.kabid_user)
    text = client.get("/plans/team/?year=2024").content.decode()
    assert text.count('data-testid="report"') == 1 and "Siti Aminah" in text
    assert text.count('data-testid="to-approve"') == 1
    url = reverse("performance:workspace_plan_approve", args=[plan.pk])
    stale = client.post(url, {"version": plan.version - 1}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 200
    assert "alert-danger" in stale.content.decode()
    assert f"versi {plan.version - 1}, sekarang versi {plan.version}" in stale.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == "submitted"
    done = client.post(url, {"version": plan.version}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert Plan.objects.get(pk=plan.pk).status == "approved"
    # Siti may not approve her own plan.
    client.force_login(s.siti_user)
    assert client.post(url, {"version": plan.version + 1}).status_code == 403


def test_my_team_verifies_and_returns_inline(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    first = _submitted(s, target, 1)
    second = _submitted(s, target, 2, value="5")
    client.force_login(s.kabid_user)
    text = client.get("/plans/team/").content.decode()
    assert text.count('data-testid="to-verify"') == 2
    url = reverse("performance:workspace_realisation_step", args=[first.pk, "verify"])
    assert client.post(url, {"version": first.version}, HTTP_HX_REQUEST="true").status_code == 200
    url = reverse("performance:workspace_realisation_step", args=[second.pk, "return"])
    response = client.post(
        url, {"version": second.version, "comment": "Angka belum sesuai"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("verified", "returned")
    assert second.return_comment == "Angka belum sesuai"
    # The head is above the verifier, not the verifier: refused.
    client.force_login(s.head_user)
    url = reverse("performance:workspace_realisation_step", args=[first.pk, "return"])
    assert client.post(url, {"version": first.version, "comment": "x"}).status_code in (403, 404)


def test_team_matrix_and_its_export(s, client):  # noqa: F811
    kabid_plan = create(s, s.kabid, s.kabid_scope, s.kabid_user)
    kabid_result = add_result(
        s, kabid_plan, s.kabid_scope, s.kabid_user, text="Meningkatnya mutu SMA"
    )
    _siti_plan(s, text="Tersusunnya kurikulum SMA", serves=kabid_result)
    client.force_login(s.kabid_user)
    response = client.get("/plans/team/?year=2024")
    matrix = response.context["matrix"]
    assert [r.text for r in matrix.rows] == ["Meningkatnya mutu SMA"]
    assert [e.pk for e in matrix.reports] == [s.siti.pk]
    assert [r.text for r in matrix.grid()[0][1][0]] == ["Tersusunnya kurikulum SMA"]
    export = client.get(reverse("performance:workspace_team_matrix_export") + "?year=2024")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Meningkatnya mutu SMA" and rows[1][3] == "Tersusunnya kurikulum SMA"


def test_my_agency_counts_plans_by_unit_and_realisations_due(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    _submit_plan(s, plan)
    _submitted(s, target, 1)
    client.force_login(s.head_user)
    response = client.get("/plans/agency/?year=2024")
    assert response.status_code == 200
    assert response.context["agency"] == s.world.agency_a
    total = response.context["total"]
    assert (total.with_plan, total.submitted, total.draft) == (1, 1, 0)
    division = next(r for r in response.context["completion"] if r.unit == s.world.division_a)
    assert (division.with_plan, division.submitted) == (1, 1)
    due = response.context["due"]
    assert len(due) == 4  # 2024 has begun and ended: every quarter
    assert (due[0].targets, due[0].submitted, due[0].missing) == (1, 1, 0)
    assert (due[1].entered, due[1].missing, due[1].late) == (0, 1, True)


def test_my_agency_counts_are_kept_until_the_next_audited_write(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    _submit_plan(s, plan)
    _submitted(s, target, 1)
    client.force_login(s.head_user)
    first = client.get("/plans/agency/?year=2024").context
    assert (first["due"][1].entered, first["total"].submitted) == (0, 1)
    with CaptureQueriesContext(connection) as kept_read:
        client.get("/plans/agency/?year=2024")
    assert not any("performance_realisation" in q["sql"] for q in kept_read.captured_queries)
    _submitted(s, target, 2)  # the service's audit event moves the instansi's data version
    second = client.get("/plans/agency/?year=2024").context
    assert (second["due"][1].entered, second["due"][1].submitted) == (1, 1)


def test_my_agency_refuses_another_agency(s, client):  # noqa: F811
    client.force_login(s.head_user)
    other = s.world.agency_b.pk
    assert client.get(f"/plans/agency/?agency={other}").status_code == 404
    client.force_login(s.siti_user)  # no planning grant
    assert client.get("/plans/agency/").status_code == 403


def _count(client, url):
    client.get(url)
    cache.clear()  # count the queries of a view that reads the page, not of a kept one
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _total_row(response) -> tuple[int, ...]:
    """The figures of My agency's total row: staff, with a plan, draft, submitted, ..."""
    row = re.search(r'data-testid="total-row">(.*?)</tr>', response.content.decode()).group(1)
    return tuple(int(n) for n in re.findall(r"<td>(\d+)</td>", row))


def _staff_with_plans(s, start, end):  # noqa: F811
    for i in range(start, end):
        unit = OrgUnitFactory(
            instansi=s.world.instansi, parent=s.world.agency_a, code=f"WS-{i}",
            name=f"Seksi Uji {i}", kind=UnitKind.SECTION,
        )  # fmt: skip
        post = PositionFactory(unit=unit, code=f"WS-P{i}", title=f"Analis {i}")
        employee = EmployeeFactory(unit=unit, position=post, name=f"Pegawai {i:03d}")
        Plan.objects.create(
            instansi=s.world.instansi, employee=employee, position=post, position_title="A",
            position_kind=post.kind, unit=unit, period=s.period,
            starts=dt.date(2024, 1, 1), ends=dt.date(2024, 12, 31),
        )  # fmt: skip


@pytest.mark.parametrize("url", ["/plans/agency/?year=2024", "/plans/team/?year=2024"])
def test_pages_stay_at_the_same_query_count_when_staff_grow(s, client, url):  # noqa: F811
    client.force_login(s.head_user)
    _staff_with_plans(s, 0, 3)
    few, first = _count(client, url)
    _staff_with_plans(s, 3, 60)
    cache.clear()  # written without the services (no audit event): as a write would
    many, second = _count(client, url)
    assert many == few
    if "agency" in url:
        assert _total_row(first)[1] == 3  # with a plan
        assert _total_row(second)[1] == 60
        assert second.content.decode().count('data-testid="unit-row"') == 50  # a page


def test_my_agency_counts_a_revised_plans_targets_once(s, client):  # noqa: F811
    plan, target = _siti_plan(s)
    plan = _submit_plan(s, plan)
    call = {"actor": s.kabid_user, "scope": s.kabid_scope}
    plan = skp.plan_approve(**call, plan=plan, version=plan.version)
    plan = skp.plan_sign(**call, plan=plan, version=plan.version)
    skp.plan_revise(
        actor=s.siti_user, scope=s.siti_scope, plan=plan, version=plan.version, reason="Mutasi"
    )
    client.force_login(s.head_user)
    response = client.get("/plans/agency/?year=2024")
    assert response.context["due"][0].targets == 1  # the revision's copy, not the signed one
    total = response.context["total"]
    assert (total.with_plan, total.draft, total.signed) == (1, 1, 0)


def test_the_plan_list_pages_past_its_kept_keys(s, client, settings, monkeypatch):  # noqa: F811
    from kinerja.performance.views import skp as views

    settings.KINERJA_LIST_COUNT_CAP = 2  # two keys kept; pages past them read the database
    monkeypatch.setattr(views, "PLANS_PER_PAGE", 1)
    _staff_with_plans(s, 0, 4)
    client.force_login(s.world.users["opd_admin"])
    expected = list(
        Plan.objects.filter(unit__path__startswith=s.world.agency_a.path)
        .order_by("unit__sort_key", "employee__name", "starts", "pk")
        .values_list("pk", flat=True)
    )
    seen, pages = [], []
    for number in range(1, len(expected) + 1):
        page = client.get(reverse("performance:plan_list"), {"page": number}).context["page_obj"]
        seen += [p.pk for p in page.object_list]
        pages.append((page.has_next(), page.paginator.capped))
    assert len(expected) == 4 and seen == expected
    assert pages[0] == (True, True)  # from the kept keys: "more than 2"
    assert [has_next for has_next, _capped in pages] == [True, True, True, False]


def test_my_team_shows_the_oldest_to_verify_and_links_to_the_queue(s, client, monkeypatch):  # noqa: F811
    from kinerja.performance.views import workspace as views

    monkeypatch.setattr(views, "VERIFY_PREVIEW", 1)
    plan, target = _siti_plan(s)
    _submit_plan(s, plan)
    first, second = _submitted(s, target, 1), _submitted(s, target, 2)
    client.force_login(s.kabid_user)
    response = client.get("/plans/team/?year=2024")
    assert [r.pk for r in response.context["to_verify"]] == [first.pk]
    assert response.context["verify_total"] == 2 and second.pk != first.pk
    text = response.content.decode()
    assert 'data-testid="verify-more"' in text and "Semua 2 di antrean verifikasi" in text
