"""Reporting lines, acting officials and head posts: who is whose superior on which day.

The fixture agency (Dinas Pendidikan of the shared ``world``):

    Kepala Dinas (Budi)                                   agency A
    ├── Kepala Bidang SMA (Hartono)                       Bidang SMA
    │   ├── Analis SMA (Siti)                             Bidang SMA
    │   └── Kepala Seksi Kurikulum (Wati)                 Seksi Kurikulum (under Bidang SMA)
    │       └── Analis Kurikulum (Joko)                   Seksi Kurikulum
    └── Kepala Bidang SMK (Rudi)                          Bidang SMK
        └── Analis SMK (Tono)                             Bidang SMK

Every line runs from 1 January 2024; every holder holds their post from that day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.organisations import selectors, services
from kinerja.organisations.models import Assignment, Position, ReportingLine
from kinerja.organisations.tests.factories import PositionFactory

START = dt.date(2024, 1, 1)
D = dt.date


@pytest.fixture(autouse=True)
def indonesian():
    """The messages are checked in Indonesian, the default, whatever an earlier test left."""
    with translation.override("id"):
        yield


def boss(employee, on):
    holder = selectors.superior_of(employee, on)
    return (holder.employee.name, holder.acting) if holder else None


def test_superior_and_chain_up_to_the_head_of_agency(org):
    assert boss(org.joko, D(2025, 3, 1)) == ("Wati", "")
    chain = selectors.chain_up(org.joko, D(2025, 3, 1))
    assert [h.employee.name for h in chain] == ["Wati", "Hartono", "Budi Santoso"]
    assert selectors.superior_of(org.budi, D(2025, 3, 1)) is None  # the top of the agency
    assert boss(org.joko, D(2023, 12, 31)) is None  # before the lines and the posts began


def test_transfer_mid_year_changes_the_superior_from_its_day(org):
    services.employee_update(
        actor=org.admin,
        scope=org.scope,
        employee=org.joko,
        data={"position": org.analis_smk, "unit": org.smk},
        effective=D(2025, 7, 1),
    )
    assert boss(org.joko, D(2025, 6, 30)) == ("Wati", "")
    assert boss(org.joko, D(2025, 7, 1)) == ("Rudi", "")
    assert boss(org.joko, D(2025, 12, 31)) == ("Rudi", "")


def test_reporting_line_changed_on_a_date_keeps_last_years_chain(org):
    services.reporting_line_set(
        actor=org.admin,
        scope=org.scope,
        position=org.analis_kur,
        reports_to=org.kabid,
        valid_from=D(2025, 4, 1),
        reason="SOTK 2025",
    )
    assert boss(org.joko, D(2025, 3, 31)) == ("Wati", "")
    assert boss(org.joko, D(2025, 4, 1)) == ("Hartono", "")
    lines = list(
        ReportingLine.objects.filter(position=org.analis_kur)
        .order_by("valid_from")
        .values_list("reports_to_id", "valid_from", "valid_to")
    )
    assert lines == [(org.kasi.pk, START, D(2025, 3, 31)), (org.kabid.pk, D(2025, 4, 1), None)]
    org.analis_kur.refresh_from_db()
    assert org.analis_kur.reports_to_id == org.kabid.pk  # today's line
    event = AuditEvent.objects.filter(action="position.reporting_line").get()
    assert event.reason == "SOTK 2025" and event.target_id == str(org.analis_kur.pk)


def test_a_vacant_superior_post_passes_the_question_up(org):
    services.employee_update(
        actor=org.admin,
        scope=org.scope,
        employee=org.wati,
        data={"is_active": False},
    )
    Assignment.objects.filter(employee=org.wati).update(valid_to=D(2025, 1, 31))  # last day
    assert boss(org.joko, D(2025, 1, 31)) == ("Wati", "")
    assert boss(org.joko, D(2025, 2, 1)) == ("Hartono", "")
    names = [r.employee.name for r in selectors.direct_reports(org.hartono, D(2025, 3, 1))]
    assert names == ["Joko", "Siti Aminah"]  # Joko passes up through the vacant Kasi post


def test_plt_is_the_superior_for_its_period_then_the_question_passes_up(org):
    # Hartono leaves the Kabid post after 30 April 2025; Wati is Plt from 1 May to 31 October.
    Assignment.objects.filter(employee=org.hartono).update(valid_to=D(2025, 4, 30))
    acting = services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.wati,
        position=org.kabid,
        kind="plt",
        decree_number="800/123/101.4/2025",
        valid_from=D(2025, 5, 1),
        valid_to=D(2025, 10, 31),
    )
    assert boss(org.siti, D(2025, 4, 30)) == ("Hartono", "")
    assert boss(org.siti, D(2025, 6, 1)) == ("Wati", "plt")
    # Wati's own superior skips herself (Plt of the post above her) and goes to the Kadis.
    assert boss(org.wati, D(2025, 6, 1)) == ("Budi Santoso", "")
    assert boss(org.siti, D(2025, 11, 1)) == ("Budi Santoso", "")  # vacant again: passes up
    holders = selectors.holders_of(org.kabid, D(2025, 6, 1))
    assert [(h.employee.name, h.acting, h.decree_number) for h in holders] == [
        ("Wati", "plt", "800/123/101.4/2025")
    ]
    # The post's holders and who answers above it, read together (the parties of a target).
    own, above = selectors.holders_and_superior_of_post(org.kabid, D(2025, 6, 1))
    assert [h.employee.name for h in own] == ["Wati"] and above.employee.name == "Budi Santoso"
    own, above = selectors.holders_and_superior_of_post(org.kabid.pk, D(2025, 4, 30))
    assert [h.employee.name for h in own] == ["Hartono"] and above.employee.name == "Budi Santoso"
    own, above = selectors.holders_and_superior_of_post(org.kabid, D(2025, 11, 1))
    assert own == [] and above.employee.name == "Budi Santoso"
    services.acting_end(actor=org.admin, scope=org.scope, acting=acting, on=D(2025, 8, 31))
    assert boss(org.siti, D(2025, 9, 1)) == ("Budi Santoso", "")
    assert list(
        AuditEvent.objects.filter(action__startswith="acting.")
        .order_by("sequence")
        .values_list("action", flat=True)
    ) == ["acting.create", "acting.end"]


def test_plh_wins_over_the_definitive_holder_in_its_period(org):
    services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.rudi,
        position=org.kabid,
        kind="plh",
        decree_number="PLH-7",
        valid_from=D(2025, 3, 3),
        valid_to=D(2025, 3, 14),
    )
    assert boss(org.siti, D(2025, 3, 2)) == ("Hartono", "")
    assert boss(org.siti, D(2025, 3, 10)) == ("Rudi", "plh")
    assert selectors.direct_reports(org.hartono, D(2025, 3, 10)) == []
    assert boss(org.siti, D(2025, 3, 15)) == ("Hartono", "")


def test_acting_needs_change_people_on_the_posts_unit_and_no_overlap(org):
    opd_admin_b = scope_for(org.w.users["opd_admin"])  # agency A's administrator
    other = PositionFactory(unit=org.w.agency_b, title="Kepala Dinas Kesehatan", is_head=True)
    with pytest.raises(PermissionDenied):
        services.acting_create(
            actor=org.w.users["opd_admin"],
            scope=opd_admin_b,
            employee=org.wati,
            position=other,
            kind="plt",
            decree_number="X",
            valid_from=D(2025, 1, 1),
        )
    kwargs = dict(actor=org.admin, scope=org.scope, position=org.kabid, kind="plt")
    services.acting_create(employee=org.wati, decree_number="A", valid_from=D(2025, 1, 1), **kwargs)
    with pytest.raises(ValidationError, match="sudah menjadi Plt"):
        services.acting_create(
            employee=org.rudi, decree_number="B", valid_from=D(2025, 6, 1), **kwargs
        )


def test_a_loop_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        services.reporting_line_set(
            actor=org.admin,
            scope=org.scope,
            position=org.kabid,
            reports_to=org.analis,  # same unit, but Analis SMA reports to the Kabid
            valid_from=D(2025, 1, 1),
        )
    assert "lingkaran" in exc.value.message_dict["reports_to"][0]
    assert ReportingLine.objects.get(position=org.kabid, valid_to=None).reports_to == org.kadis


def test_a_line_to_a_unit_outside_the_ancestry_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        services.reporting_line_set(
            actor=org.admin,
            scope=org.scope,
            position=org.analis,
            reports_to=org.kabid_smk,  # a sibling division
            valid_from=D(2025, 1, 1),
        )
    assert "Bidang SMK" in exc.value.message_dict["reports_to"][0]
    with pytest.raises(ValidationError):  # nor down into a sub-unit
        services.reporting_line_set(
            actor=org.admin,
            scope=org.scope,
            position=org.kabid,
            reports_to=org.kasi,
            valid_from=D(2025, 1, 1),
        )


def test_position_update_keeps_the_dated_line_in_step(org):
    services.position_update(
        actor=org.admin, scope=org.scope, position=org.analis_kur, data={"reports_to": org.kabid}
    )
    from django.utils import timezone

    today = timezone.localdate()
    assert boss(org.joko, today) == ("Hartono", "")
    assert boss(org.joko, D(2025, 1, 1)) == ("Wati", "")
    with pytest.raises(ValidationError):
        services.position_update(
            actor=org.admin,
            scope=org.scope,
            position=org.analis_kur,
            data={"reports_to": org.analis_smk},
        )


def test_bulk_superiors_in_a_fixed_number_of_queries(org, django_assert_num_queries):
    people = [org.siti, org.joko, org.wati, org.hartono, org.tono, org.rudi, org.budi]
    with django_assert_num_queries(5):
        bosses = selectors.superiors_of(people, D(2025, 3, 1))
    assert {org.w.staff_a.pk: "Hartono", org.joko.pk: "Wati"} == {
        k: bosses[k].employee.name for k in (org.siti.pk, org.joko.pk)
    }
    assert bosses[org.tono.pk].employee == org.rudi and bosses[org.budi.pk] is None


def test_direct_reports(org):
    on = D(2025, 3, 1)
    assert [r.employee.name for r in selectors.direct_reports(org.hartono, on)] == [
        "Siti Aminah",
        "Wati",
    ]
    assert [r.employee.name for r in selectors.direct_reports(org.budi, on)] == [
        "Hartono",
        "Rudi",
    ]


# One definitive holder per head post; formation warnings --------------------------------------


def test_a_second_holder_of_a_head_post_is_refused_with_the_acting_route(org):
    with pytest.raises(ValidationError) as exc:
        services.employee_update(
            actor=org.admin, scope=org.scope, employee=org.siti, data={"position": org.kabid}
        )
    message = exc.value.message_dict["position"][0]
    assert "Hartono" in message and "Plt" in message
    with pytest.raises(ValidationError):
        services.employee_create(
            actor=org.admin,
            scope=org.scope,
            instansi=org.w.instansi,
            data={
                "name": "Baru",
                "status": "non_asn",
                "unit": org.w.division_a,
                "position": org.kabid,
            },
        )


def test_formation_warning_past_the_count(org):
    Position.objects.filter(pk=org.analis.pk).update(formation=1)
    org.analis.refresh_from_db()
    assert services.formation_warning(org.analis) is None
    services.employee_update(
        actor=org.admin, scope=org.scope, employee=org.joko, data={"position": org.analis}
    )
    assert "formasi 1" in services.formation_warning(org.analis)


# The evaluator's reach: down the reporting lines, not a unit subtree ---------------------------


@pytest.fixture
def evaluator(org, client):
    """Hartono (Kepala Bidang SMA) signs in with the evaluator role (granted on Bidang SMA)."""
    from kinerja.accounts.models import RoleAssignment, User
    from kinerja.accounts.roles import Role

    user = User.objects.create_user(
        username="hartono", password="x", instansi=org.w.instansi, employee=org.hartono
    )
    RoleAssignment.objects.create(
        user=user, role=Role.EVALUATOR, instansi=org.w.instansi, unit=org.w.division_a
    )
    client.force_login(user)
    org.user = user
    org.client = client
    return org


def _export_names(client) -> list[str]:
    import io

    import openpyxl

    response = client.get(reverse("organisations:employee_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header) if h and h.lower().startswith("nama"))
    return sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_evaluator_reaches_two_levels_down_and_not_a_peers_report(evaluator):
    from kinerja.organisations.models import Employee

    scope = scope_for(evaluator.user)
    assert not scope.can("view_people", evaluator.w.division_a.path)  # no subtree grant
    names = sorted(Employee.objects.within(scope).values_list("name", flat=True))
    assert names == ["Hartono", "Joko", "Siti Aminah", "Wati"]  # Joko is two levels down
    client = evaluator.client
    assert client.get(evaluator.joko.get_absolute_url()).status_code == 200
    assert client.get(evaluator.tono.get_absolute_url()).status_code == 404  # Rudi's report
    assert client.get(f"/api/v1/employees/{evaluator.joko.pk}/").status_code == 200
    assert client.get(f"/api/v1/employees/{evaluator.tono.pk}/").status_code == 404
    assert _export_names(client) == ["Joko", "Siti Aminah", "Wati"]


def test_after_a_line_ends_the_evaluator_no_longer_sees_them(evaluator):
    from django.utils import timezone

    services.reporting_line_set(
        actor=evaluator.admin,
        scope=evaluator.scope,
        position=evaluator.kasi,
        reports_to=evaluator.kadis,
        valid_from=timezone.localdate(),
    )
    client = evaluator.client
    assert client.get(evaluator.wati.get_absolute_url()).status_code == 404
    assert client.get(evaluator.joko.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/employees/{evaluator.joko.pk}/").status_code == 404
    assert client.get(f"/api/v1/employees/{evaluator.siti.pk}/").status_code == 200
    assert _export_names(client) == ["Siti Aminah"]


# Pages and API -------------------------------------------------------------------------------


def test_employee_page_shows_superior_and_their_superior(evaluator):
    body = evaluator.client.get(evaluator.joko.get_absolute_url()).content.decode()
    import re

    superior = re.search(r'data-testid="superior">(.*?)</div></div>', body, re.S).group(1)
    above = re.search(r'data-testid="superior-2">(.*?)</div></div>', body, re.S).group(1)
    assert "Wati" in superior and "Kepala Seksi Kurikulum" in superior
    assert "Hartono" in above and "Kepala Bidang SMA" in above


def test_my_reports_page_and_nav_link(evaluator, django_assert_max_num_queries):
    url = reverse("organisations:my_reports")
    response = evaluator.client.get(url)
    body = response.content.decode()
    assert body.count('data-testid="report-row"') == 2
    assert "Siti Aminah" in body and "Wati" in body and "Joko" not in body
    assert f'href="{url}"' in body  # the nav link: Hartono has reports
    evaluator.client.force_login(evaluator.w.users["employee"])  # Siti: nobody reports to her
    body = evaluator.client.get(reverse("organisations:employee_me"), follow=True)
    assert f'href="{url}"' not in body.content.decode()


def test_unit_page_shows_the_acting_head(org, login):
    services.acting_create(
        actor=org.admin,
        scope=org.scope,
        employee=org.wati,
        position=org.kabid,
        kind="plt",
        decree_number="800/9/2025",
        valid_from=D(2025, 1, 1),
    )
    body = login(org.admin).get(org.w.division_a.get_absolute_url()).content.decode()
    assert 'data-testid="unit-head"' in body and "Hartono" in body
    import re

    acting = re.search(r'data-testid="unit-acting-head">(.*?)</div>\s*</div>', body, re.S)
    assert "Plt" in acting.group(1) and "Wati" in acting.group(1)
    assert "800/9/2025" in acting.group(1)


def test_api_employee_shows_the_superior_and_lists_reports(org, login):
    client = login(org.admin)
    data = client.get(f"/api/v1/employees/{org.joko.pk}/").json()
    assert data["superior"] == {
        "id": org.wati.pk,
        "name": org.wati.display_name,
        "position": {"id": org.kasi.pk, "code": org.kasi.code, "title": "Kepala Seksi Kurikulum"},
        "acting": "",
    }
    assert client.get(f"/api/v1/employees/{org.budi.pk}/").json()["superior"] is None
    reports = client.get(f"/api/v1/employees/{org.hartono.pk}/reports/").json()
    assert reports["count"] == 2
    assert [r["name"] for r in reports["results"]] == ["Siti Aminah", "Wati"]


def test_api_list_superiors_in_a_fixed_number_of_queries(org, login, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.core.pagination import CappedPageNumberPagination

    client = login(org.admin)
    client.get("/api/v1/employees/")  # warm up sessions and caches
    # The queries of computing the page (a kept page is read without them: test_kept_pages).
    monkeypatch.setattr("kinerja.organisations.api.views.kept", lambda _n, compute, **_k: compute())
    monkeypatch.setattr(CappedPageNumberPagination, "page_size", 4)
    with CaptureQueriesContext(connection) as few:
        rows = client.get("/api/v1/employees/").json()["results"]
    assert len(rows) == 4 and any(r["superior"] for r in rows)  # every query of the page runs
    monkeypatch.setattr(CappedPageNumberPagination, "page_size", 50)
    with CaptureQueriesContext(connection) as many:
        data = client.get("/api/v1/employees/").json()
    assert len(data["results"]) > 5
    assert len(many) == len(few)
    assert {r["name"]: (r["superior"] or {}).get("name") for r in data["results"]}["Tono"] == "Rudi"


def test_api_reports_are_scoped(evaluator, login):
    opd_admin = login(evaluator.w.users["opd_admin"])
    assert opd_admin.get(f"/api/v1/employees/{evaluator.hartono.pk}/reports/").status_code == 200
    employee = login(evaluator.w.users["employee"])  # Siti sees only herself
    assert employee.get(f"/api/v1/employees/{evaluator.hartono.pk}/reports/").status_code == 404


def test_api_warns_past_the_formation(org, login):
    Position.objects.filter(pk=org.analis.pk).update(formation=1)
    response = login(org.admin).patch(
        f"/api/v1/employees/{org.joko.pk}/",
        {"position": org.analis.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["warnings"] == [
        "Analis SMA kini memiliki 2 pemangku, melebihi formasi 1."
    ]


def test_api_refuses_a_second_head_with_the_acting_route(org, login):
    response = login(org.admin).patch(
        f"/api/v1/employees/{org.siti.pk}/",
        {"position": org.kabid.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Plt" in response.json()["position"][0]


# Imports ---------------------------------------------------------------------------------------


def _import(user, rows, importer):
    import io

    from kinerja.imports.engine import import_run
    from kinerja.imports.readers import read_table

    from .test_excel import xlsx

    table = read_table(io.BytesIO(xlsx(rows)), "file.xlsx")
    return import_run(actor=user, scope=scope_for(user), importer=importer, table=table)


def test_the_employee_import_refuses_a_second_head_with_the_acting_route(org):
    from kinerja.organisations.importers import EmployeeImporter
    from kinerja.organisations.nip import make_nip

    from .test_excel import HEADER

    nip = make_nip(dt.date(1990, 1, 2), dt.date(2015, 3, 1), "m", 1)
    rows = [HEADER, [nip, "Andi Wijaya", "pns", org.w.division_a.code, org.kabid.code]]
    outcome = _import(org.admin, rows, EmployeeImporter)
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "position_code")]
    assert "Hartono" in outcome.errors[0].message and "Plt" in outcome.errors[0].message
    # Moving Hartono out in the same file frees the post.
    Position.objects.filter(pk=org.analis.pk).update(formation=None)
    rows.append([org.hartono.nip, "Hartono", "pns", org.w.division_a.code, org.analis.code])
    outcome = _import(org.admin, rows, EmployeeImporter)
    assert outcome.valid, [(e.row, e.column, e.message) for e in outcome.errors]


def test_the_position_import_dates_its_lines(org):
    from django.utils import timezone

    from kinerja.organisations.importers import PositionImporter

    from .test_excel import POSITION_HEADER

    code = org.analis_kur.code
    rows = [
        POSITION_HEADER,
        [code, "Analis Kurikulum", org.section.code, "pelaksana", "tidak", org.kabid.code],
    ]
    outcome = _import(org.admin, rows, PositionImporter)
    assert outcome.valid, [(e.row, e.column, e.message) for e in outcome.errors]
    today = timezone.localdate()
    lines = list(
        ReportingLine.objects.filter(position=org.analis_kur)
        .order_by("valid_from")
        .values_list("reports_to_id", "valid_to")
    )
    assert lines == [(org.kasi.pk, today - dt.timedelta(days=1)), (org.kabid.pk, None)]
    assert boss(org.joko, today) == ("Hartono", "")


# Demo ------------------------------------------------------------------------------------------


def test_the_demo_province_has_lines_and_an_acting_head(db):
    from kinerja.organisations import reference, synthetic
    from kinerja.organisations.models import ActingAssignment, Employee

    instansi, _created = reference.ensure_jatim()
    synthetic.generate_province(instansi, staff=500, seed=7)
    with_boss = Position.objects.filter(instansi=instansi, reports_to__isnull=False)
    assert ReportingLine.objects.filter(instansi=instansi).count() == with_boss.count() > 0
    plt = ActingAssignment.objects.get(instansi=instansi)
    assert plt.kind == "plt" and plt.position.is_head and plt.position.unit.depth == 1
    staff = Employee.objects.filter(position__unit=plt.position.unit, position__is_head=False)
    on = D(2024, 6, 1)
    assert boss(staff.first(), on) == (plt.employee.name, "plt")
    agency_head = selectors.chain_up(staff.first(), on)[-1]
    assert agency_head.employee.position.unit.depth == 0
    assert synthetic.wipe_province(instansi)["positions"] > 0  # lines and acting go too


def test_the_reports_endpoint_is_documented_and_paginated(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/employees/{id}/reports/"]["get"]
    assert operation["operationId"] == "employees_reports"
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PaginatedReportList"}
    superior = schema["components"]["schemas"]["Employee"]["properties"]["superior"]
    assert superior["nullable"] and superior["readOnly"]
    assert set(schema["components"]["schemas"]["Superior"]["properties"]) == {
        "id",
        "name",
        "position",
        "acting",
    }


def test_an_instansi_wide_role_with_an_employee_record_still_sees_the_instansi(world):
    """Q() (the whole instansi) OR-ed with the caller's own record used to narrow to that
    record alone: Django drops an empty Q from an OR."""
    from kinerja.organisations.models import Employee, OrgUnit

    bkd = world.users["bkd"]
    bkd.employee = world.staff_b
    bkd.save()
    scope = scope_for(bkd)
    assert Employee.objects.within(scope).count() == 4
    assert OrgUnit.objects.within(scope).count() == 3


def _form(employee, **changes):
    data = {
        "name": employee.name,
        "status": employee.status,
        "nip": employee.nip or "",
        "grade": employee.grade,
        "email": employee.email,
        "unit": employee.unit_id,
        "position": employee.position_id or "",
        "is_active": "on",
    }
    return {**data, **changes}


def test_the_form_page_warns_past_the_formation_and_refuses_a_second_head(org, login):
    client = login(org.admin)
    url = reverse("organisations:employee_update", args=[org.joko.pk])
    Position.objects.filter(pk=org.analis.pk).update(formation=1)
    data = _form(org.joko, unit=org.w.division_a.pk, position=org.analis.pk)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == ["Analis SMA kini memiliki 2 pemangku, melebihi formasi 1."]
    url = reverse("organisations:employee_update", args=[org.siti.pk])
    response = client.post(url, _form(org.siti, position=org.kabid.pk))
    assert response.status_code == 400
    assert "Plt atau Plh" in response.content.decode()
    org.siti.refresh_from_db()
    assert org.siti.position == org.analis


def test_caller_instansi_is_the_scopes_and_none_refuses(world):
    from django.core.exceptions import PermissionDenied

    from kinerja.accounts.scope import scope_for
    from kinerja.core.scope import Scope

    assert selectors.caller_instansi(scope_for(world.users["bkd"])) == world.instansi
    with pytest.raises(PermissionDenied, match="tidak terhubung ke instansi"):
        selectors.caller_instansi(Scope(user_id=1))  # Indonesian by default
