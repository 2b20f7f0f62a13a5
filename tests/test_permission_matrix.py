"""Every route and every method it answers, every role, objects inside and outside the role's reach.

`MATRIX` is keyed by (URL name, HTTP method). `test_every_route_and_method_is_in_the_matrix`
lists what the URL conf really serves: each Django view's implemented methods, each DRF
viewset route's method map, and the declared methods of plain function views. A new URL or a new
method on an old one fails that test until its row is written, so no endpoint escapes the matrix.
The admin (superusers only) is checked at the bottom.

For each row, target and role the test checks the status code. A write row also names the state
it changes: for an allowed role the state must change to what the request asked for, for any
other role it must stay as it was. Read rows of lists and exports check that agency B's employee
shows exactly for the roles that may see B; what each page holds for a partial-scope role is
checked with concrete numbers in ``test_scope_content.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import PASSWORD, build_world
from kinerja.accounts.models import ApiToken, RoleAssignment, User
from kinerja.accounts.roles import Role
from kinerja.corrections.models import CorrectionRequest
from kinerja.imports.models import ImportJob
from kinerja.organisations.choices import UnitKind
from kinerja.organisations.models import (
    ActingAssignment,
    Employee,
    OrgUnit,
    Position,
    Region,
    ReportingLine,
)
from kinerja.organisations.tests.factories import OrgUnitFactory, PositionFactory
from tests.matrix_base import (  # noqa: F401
    AUDITORS,
    CHANGE_SCOPED,
    CHANGERS_A,
    CHANGERS_WIDE,
    IMPORTERS,
    IN_A,
    JOB_FILE,
    LEAK_MARK,
    MANAGE_SCOPED,
    MANAGERS,
    NEW_NAME,
    NEW_PASSWORD,
    ROLES,
    SCOPED,
    SEE_B,
    SIGNED_IN,
    VIEWERS,
    VIEWERS_A,
    WIDE,
    WIDE_IMPORTERS,
    WITH_RECORD,
    Row,
    public,
)
from tests.matrix_training import training_objects, training_rows


def _signed_in_as(response, client, objs, role):
    expected = objs["users"]["bkd" if role == "anonymous" else role].pk
    assert str(client.session.get("_auth_user_id")) == str(expected)


def _session_unchanged(response, client, objs, role):
    expected = None if role == "anonymous" else str(objs["users"][role].pk)
    assert client.session.get("_auth_user_id") == expected


def _signed_out(response, client, objs, role):
    assert "_auth_user_id" not in client.session


def _language_cookie(response, client, objs, role):
    assert response.cookies["django_language"].value == "en"


def _field(model, key, attr):
    def read(objs, role):
        return getattr(model.objects.get(pk=objs[key]), attr)

    return read


def _count(model, **filters):
    def read(objs, role):
        return model.objects.filter(**filters).count()

    return read


def _const(value):
    return lambda objs, role: value


def _tokens_of(objs, role):
    if role == "anonymous":
        return 0
    return ApiToken.objects.filter(user=objs["users"][role]).count()


def _tokens_expect(objs, role):
    return 1


def _token_revoked(objs, role):
    return ApiToken.objects.get(pk=objs["token"]).revoked_at is not None


def _has_new_password(objs, role):
    user = User.objects.get(pk=objs["users"]["bkd" if role == "anonymous" else role].pk)
    return user.check_password(NEW_PASSWORD)


def _password_form(objs, role):
    return {
        "old_password": objs["password"],
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }


def _grant_form(objs, role):
    grantee = User.objects.get(pk=objs["grantee"])
    return {"user": grantee.username, "role": Role.EVALUATOR, "unit": objs["unit"], "reason": "uji"}


def _grant_post(objs, role):
    return {"user": objs["grantee"], "role": Role.EVALUATOR, "unit": objs["unit"], "reason": "uji"}


def _grantee_units(objs, role):
    return list(
        RoleAssignment.objects.filter(user_id=objs["grantee"]).values_list("unit_id", flat=True)
    )


def _yesterday(objs, role):
    """A grant ended "today" (no date given) holds up to and including yesterday."""
    return timezone.localdate() - dt.timedelta(days=1)


def _calculated(expected):
    """The calculation answers ``expected`` percent (and writes nothing: it has no state)."""

    def verify(response, client, objs, role):
        assert response.json()["achievement"] == expected, response.content

    return verify


def _lookup_shows(code, roles):
    """A lookup's answer names the object coded ``code`` exactly for ``roles``; never the
    other instansi's."""

    def verify(response, client, objs, role):
        text = response.content.decode()
        assert (code in text) == (role in roles), (code, role)
        assert "DISDIK-MLG" not in text and "MLG-01" not in text

    return verify


def _employee_form(objs, role):
    employee = Employee.objects.get(pk=objs["employee"])
    return {
        "name": NEW_NAME,
        "status": employee.status,
        "nip": employee.nip or "",
        "grade": employee.grade,
        "email": employee.email,
        "unit": employee.unit_id,
        "position": employee.position_id or "",
        "is_active": "on",
    }


def _new_employee_form(objs, role):
    return {"name": NEW_NAME, "status": "non_asn", "nip": "", "unit": objs["unit"]}


def _unit_form(objs, role):
    unit = OrgUnit.objects.get(pk=objs["unit"])
    return {
        "name": NEW_NAME,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "valid_from": unit.valid_from.isoformat(),
    }


def _new_unit_form(objs, role):
    return {"code": "UJI-BARU", "name": NEW_NAME, "kind": UnitKind.SECTION}


def _import_upload(objs, role):
    csv = f"nip,name,status,unit_code\n,{NEW_NAME},non_asn,{objs['unit_code']}\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "pegawai.csv"
    return {"kind": "employees", "file": upload}


def _unit_put(objs, role):
    unit = OrgUnit.objects.get(pk=objs["unit"])
    parent = unit.parent.code if unit.parent_id else None
    return {"code": unit.code, "name": NEW_NAME, "kind": unit.kind, "parent": parent}


def _position_put(objs, role):
    position = Position.objects.get(pk=objs["position"])
    return {
        "code": position.code,
        "title": NEW_NAME,
        "kind": position.kind,
        "unit": position.unit.code,
    }


def _employee_put(objs, role):
    employee = Employee.objects.get(pk=objs["employee"])
    return {
        "nip": employee.nip,
        "name": NEW_NAME,
        "status": employee.status,
        "unit": employee.unit.code,
    }


MATRIX: list[Row] = [
    public("healthz"),
    public("accounts:login", ok=(200, 302)),  # signed-in users are sent home
    # Django parses no PUT body: a PUT re-shows the empty form (or sends a signed-in user home).
    public("accounts:login", "put", ok=(200, 302), verify=_session_unchanged),
    public(
        "accounts:login",
        "post",
        data=lambda objs, role: {
            "username": "bkd" if role == "anonymous" else role,
            "password": objs["password"],
        },
        ok=(302,),
        verify=_signed_in_as,
    ),
    public("accounts:logout", "post", ok=(302,), verify=_signed_out),
    public("set_language", "post", data={"language": "en"}, ok=(302,), verify=_language_cookie),
    Row("core:home", "get", {"-": SIGNED_IN}),
    Row("accounts:token_list", "get", {"-": SIGNED_IN}),
    Row(
        "accounts:token_create",
        "post",
        {"-": SIGNED_IN},
        data={"name": "sinkron", "days": 30},
        state=_tokens_of,
        expect=_tokens_expect,
    ),
    Row(
        "accounts:token_revoke",
        "post",
        {"own": SIGNED_IN, "other": set()},
        ok=(302,),
        state=_token_revoked,
        expect=_const(True),
        kwargs={"pk": "token"},
    ),
    Row("accounts:password_change", "get", {"-": SIGNED_IN}),
    Row(
        "accounts:password_change",
        "post",
        {"-": SIGNED_IN},
        data=_password_form,
        ok=(302,),
        state=_has_new_password,
        expect=_const(True),
        verify=_session_unchanged,  # the caller stays signed in
    ),
    # Accounts and role grants: "account" and "grant" are a user and a grant of the target.
    Row("accounts:user_list", "get", {"-": MANAGERS}, leak_check=True),
    Row("accounts:user_detail", "get", MANAGE_SCOPED, kwargs={"pk": "account"}),
    Row(
        "accounts:user_force_password_change",
        "post",
        MANAGE_SCOPED,
        data={"temporary_password": "", "reason": "uji"},
        ok=(302,),
        state=_field(User, "account", "must_change_password"),
        expect=_const(True),
        kwargs={"pk": "account"},
    ),
    Row("accounts:grant_list", "get", {"-": MANAGERS}),
    Row("accounts:grant_create", "get", {"-": MANAGERS}),
    Row(
        "accounts:grant_create",
        "post",
        MANAGE_SCOPED,  # the target is the unit named in the form
        data=_grant_form,
        ok=(302,),
        state=_grantee_units,
        expect=lambda objs, role: [objs["unit"]],
        # A unit outside the caller's reach is not among the form's choices: the form is
        # re-shown with "select a valid choice" and 400.
        outside=400,
    ),
    Row("accounts:grant_end", "get", MANAGE_SCOPED, kwargs={"pk": "grant"}),
    Row(
        "accounts:grant_end",
        "post",
        MANAGE_SCOPED,
        data={"reason": "uji"},
        ok=(302,),
        state=_field(RoleAssignment, "grant", "valid_to"),
        expect=_yesterday,
        kwargs={"pk": "grant"},
    ),
    Row("organisations:unit_tree", "get", {"-": VIEWERS}),
    Row("organisations:unit_detail", "get", SCOPED, kwargs={"pk": "unit"}),
    Row(
        "organisations:unit_children",
        "get",
        {"a": VIEWERS_A, "b": WIDE, "x": set()},
        kwargs={"pk": "unit"},
        htmx=True,
    ),
    Row("organisations:employee_list", "get", {"-": VIEWERS}, leak_check=True),
    Row("organisations:position_vacant", "get", {"-": VIEWERS}),
    Row("organisations:employee_export", "get", {"-": VIEWERS}, xlsx=True),
    Row("organisations:employee_nominatif", "get", {"-": VIEWERS}, xlsx=True),
    Row(
        "organisations:employee_unit_lookup",
        "get",
        {"-": CHANGERS_A},
        verify=_lookup_shows("DINKES", CHANGERS_WIDE),
    ),
    Row(
        "organisations:employee_position_lookup",
        "get",
        {"-": CHANGERS_A},
        verify=_lookup_shows("DINKES-01", CHANGERS_WIDE),
    ),
    Row(
        "organisations:employee_filter_unit_lookup",
        "get",
        {"-": VIEWERS},
        verify=_lookup_shows("DINKES", SEE_B),
    ),
    Row("organisations:retirement_list", "get", {"-": VIEWERS}),
    # Its rows depend on birth dates (the fixture's agency-B staff retire in 2045): what it holds
    # per scope is checked in organisations/tests/test_retirement.py.
    Row("organisations:retirement_export", "get", {"-": VIEWERS}),
    Row("organisations:employee_me", "get", {"-": {"employee", "opd_head"}}, ok=(302,)),
    # Anyone with an employee record: their own direct reports (none in the world fixture).
    Row("organisations:my_reports", "get", {"-": {"employee", "opd_head"}}),
    Row("organisations:employee_detail", "get", SCOPED, kwargs={"pk": "employee"}),
    Row("organisations:employee_update", "get", CHANGE_SCOPED, kwargs={"pk": "employee"}),
    Row(
        "organisations:employee_update",
        "post",
        CHANGE_SCOPED,
        data=_employee_form,
        ok=(302,),
        state=_field(Employee, "employee", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "employee"},
    ),
    Row("organisations:employee_create", "get", {"-": CHANGERS_A}),
    Row(
        "organisations:employee_create",
        "post",
        CHANGE_SCOPED,  # the target is the unit named in the form
        data=_new_employee_form,
        ok=(302,),
        state=_count(Employee, name=NEW_NAME),
        expect=_const(1),
        outside=400,
    ),
    Row("organisations:unit_update", "get", CHANGE_SCOPED, kwargs={"pk": "unit"}),
    Row(
        "organisations:unit_update",
        "post",
        CHANGE_SCOPED,
        data=_unit_form,
        ok=(302,),
        state=_field(OrgUnit, "unit", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "unit"},
    ),
    Row("organisations:unit_create", "get", CHANGE_SCOPED, kwargs={"pk": "unit"}),
    Row(
        "organisations:unit_create",
        "post",
        CHANGE_SCOPED,
        data=_new_unit_form,
        ok=(302,),
        state=lambda objs, role: list(
            OrgUnit.objects.filter(code="UJI-BARU").values_list("parent_id", flat=True)
        ),
        expect=lambda objs, role: [objs["unit"]],
        kwargs={"pk": "unit"},
    ),
    Row("audit:event_list", "get", {"-": AUDITORS}),
    Row("imports:import_start", "get", {"-": IMPORTERS}),
    Row(
        "imports:import_start",
        "post",
        {"a": IMPORTERS, "b": WIDE_IMPORTERS},
        data=_import_upload,
        multipart=True,
        ok=(302,),
        state=_count(Employee, name=NEW_NAME),
        expect=_const(1),
        # The upload is accepted; the job ends "invalid" naming the unit outside the scope.
        outside=302,
    ),
    # FormView answers PUT as POST, but Django parses no PUT body: the form is re-shown, empty.
    Row(
        "imports:import_start",
        "put",
        {"-": IMPORTERS},
        state=_count(ImportJob),
    ),
    Row("imports:importjob_list", "get", {"-": IMPORTERS}),
    Row(
        "imports:importjob_detail",
        "get",
        {"own": IMPORTERS, "other": WIDE_IMPORTERS},
        kwargs={"pk": "job"},
    ),
    Row(
        "imports:importjob_errors",
        "get",
        {"own": IMPORTERS, "other": WIDE_IMPORTERS},
        kwargs={"pk": "job"},
    ),
    Row(
        "imports:importjob_file",
        "get",
        {"own": IMPORTERS, "other": WIDE_IMPORTERS},
        kwargs={"pk": "job"},
        body=JOB_FILE,
    ),
    Row(
        "imports:importjob_retry",
        "post",
        {"own": IMPORTERS, "other": WIDE_IMPORTERS},
        ok=(302,),
        state=lambda objs, role: ImportJob.objects.filter(retry_of=objs["job"]).count(),
        expect=_const(1),
        kwargs={"pk": "job"},
        job_status="failed",  # only a failed job is retried
    ),
    Row("imports:import_template", "get", {"-": IMPORTERS}, kwargs={"kind": "kind"}),
    # Correction requests: "correction" is a pending request of the target's employee.
    Row("corrections:mine", "get", {"-": WITH_RECORD}),
    Row(
        "corrections:mine",
        "post",
        {"-": WITH_RECORD},
        data={"field": "back_title", "proposed_value": "S.Kom.", "reason": "uji"},
        ok=(302,),
        state=_count(CorrectionRequest, proposed_value="S.Kom."),
        expect=_const(1),
    ),
    # Agency B's request is Rina Wulandari's: only changers of B see it in the queue.
    Row("corrections:queue", "get", {"-": CHANGERS_A}, leak_check=True),
    Row("corrections:detail", "get", SCOPED, kwargs={"pk": "correction"}),
    Row(
        "corrections:accept",
        "post",
        CHANGE_SCOPED,
        ok=(302,),
        state=_field(CorrectionRequest, "correction", "status"),
        expect=_const("accepted"),
        kwargs={"pk": "correction"},
    ),
    Row(
        "corrections:refuse",
        "post",
        CHANGE_SCOPED,
        data={"note": "uji"},
        ok=(302,),
        state=_field(CorrectionRequest, "correction", "status"),
        expect=_const("refused"),
        kwargs={"pk": "correction"},
    ),
    # API
    Row("api:api-root", "get", {"-": SIGNED_IN}, api=True),
    Row("api:me", "get", {"-": SIGNED_IN}, api=True),
    # A calculation from the numbers given: it reads no data, so every signed-in role may.
    Row(
        "api:achievement-calculate",
        "post",
        {"-": SIGNED_IN},
        api=True,
        data={
            "polarity": "lower_is_better",
            "shape": "range",
            "low": "7",
            "high": "8",
            "realisation": "9",
            "policy_version": "2023-01-01",
        },
        verify=_calculated("87.50"),
    ),
    # The schema and its docs describe the endpoints, not data: open to other systems' developers.
    public("api-schema"),
    public("api-docs"),
    Row("api:region-list", "get", {"-": SIGNED_IN}, api=True),
    Row("api:region-detail", "get", {"-": SIGNED_IN}, api=True, kwargs={"pk": "region"}),
    Row("api:unit-list", "get", {"-": SIGNED_IN}, api=True),
    Row(
        "api:unit-list",
        "post",
        CHANGE_SCOPED,  # the target is the parent named in the payload
        api=True,
        data=lambda objs, role: {
            "code": "UJI-BARU",
            "name": NEW_NAME,
            "kind": UnitKind.SECTION,
            "parent": objs["unit_code"],
        },
        ok=(201,),
        state=lambda objs, role: list(
            OrgUnit.objects.filter(code="UJI-BARU").values_list("parent_id", flat=True)
        ),
        expect=lambda objs, role: [objs["unit"]],
        outside=400,
    ),
    Row("api:unit-detail", "get", SCOPED, api=True, kwargs={"pk": "unit"}),
    Row(
        "api:unit-detail",
        "put",
        CHANGE_SCOPED,
        api=True,
        data=_unit_put,
        state=_field(OrgUnit, "unit", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "unit"},
    ),
    Row(
        "api:unit-detail",
        "patch",
        CHANGE_SCOPED,
        api=True,
        data={"name": NEW_NAME},
        state=_field(OrgUnit, "unit", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "unit"},
    ),
    Row(
        "api:unit-close",
        "post",
        CHANGE_SCOPED,
        api=True,
        data={"valid_to": "2030-01-01", "reason": "uji"},
        state=_field(OrgUnit, "empty_unit", "valid_to"),
        expect=_const(dt.date(2030, 1, 1)),
        kwargs={"pk": "empty_unit"},
    ),
    Row("api:position-list", "get", {"-": SIGNED_IN}, api=True),
    Row(
        "api:position-list",
        "post",
        CHANGE_SCOPED,
        api=True,
        data=lambda objs, role: {
            "code": "UJI-P",
            "title": NEW_NAME,
            "kind": "pelaksana",
            "unit": objs["unit_code"],
        },
        ok=(201,),
        state=lambda objs, role: list(
            Position.objects.filter(code="UJI-P").values_list("unit_id", flat=True)
        ),
        expect=lambda objs, role: [objs["unit"]],
        outside=400,
    ),
    Row("api:position-detail", "get", SCOPED, api=True, kwargs={"pk": "position"}),
    Row(
        "api:position-detail",
        "put",
        CHANGE_SCOPED,
        api=True,
        data=_position_put,
        state=_field(Position, "position", "title"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "position"},
    ),
    Row(
        "api:position-detail",
        "patch",
        CHANGE_SCOPED,
        api=True,
        data={"title": NEW_NAME},
        state=_field(Position, "position", "title"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "position"},
    ),
    Row("api:employee-list", "get", {"-": SIGNED_IN}, api=True, leak_check=True),
    Row(
        "api:employee-list",
        "post",
        CHANGE_SCOPED,
        api=True,
        data=lambda objs, role: {"name": NEW_NAME, "status": "non_asn", "unit": objs["unit_code"]},
        ok=(201,),
        state=lambda objs, role: list(
            Employee.objects.filter(name=NEW_NAME).values_list("unit_id", flat=True)
        ),
        expect=lambda objs, role: [objs["unit"]],
        outside=400,
    ),
    Row("api:employee-detail", "get", SCOPED, api=True, kwargs={"pk": "employee"}),
    Row("api:employee-reports", "get", SCOPED, api=True, kwargs={"pk": "employee"}),
    Row(
        "api:employee-detail",
        "put",
        CHANGE_SCOPED,
        api=True,
        data=_employee_put,
        state=_field(Employee, "employee", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "employee"},
    ),
    Row(
        "api:employee-detail",
        "patch",
        CHANGE_SCOPED,
        api=True,
        data={"email": "uji@jatimprov.go.id"},
        state=_field(Employee, "employee", "email"),
        expect=_const("uji@jatimprov.go.id"),
        kwargs={"pk": "employee"},
    ),
    # Agency B's account bears the name LEAK_MARK: only the system admin lists its grant.
    Row("api:role-grant-list", "get", {"-": MANAGERS}, api=True, leak_check=True),
    Row(
        "api:role-grant-list",
        "post",
        MANAGE_SCOPED,  # the target is the unit named in the payload
        api=True,
        data=_grant_post,
        ok=(201,),
        state=_grantee_units,
        expect=lambda objs, role: [objs["unit"]],
        outside=400,
    ),
    Row("api:role-grant-detail", "get", MANAGE_SCOPED, api=True, kwargs={"pk": "grant"}),
    Row(
        "api:role-grant-end",
        "post",
        MANAGE_SCOPED,
        api=True,
        data={"reason": "uji"},
        state=_field(RoleAssignment, "grant", "valid_to"),
        expect=_yesterday,
        kwargs={"pk": "grant"},
    ),
    # Agency B's request is Rina Wulandari's: listed only for those who may see B.
    Row("api:correction-request-list", "get", {"-": SIGNED_IN}, api=True, leak_check=True),
    Row(
        "api:correction-request-detail",
        "get",
        SCOPED,
        api=True,
        kwargs={"pk": "correction"},
    ),
    Row(
        "api:correction-request-accept",
        "post",
        CHANGE_SCOPED,
        api=True,
        state=_field(CorrectionRequest, "correction", "status"),
        expect=_const("accepted"),
        kwargs={"pk": "correction"},
    ),
    Row(
        "api:correction-request-refuse",
        "post",
        CHANGE_SCOPED,
        api=True,
        data={"note": "uji"},
        state=_field(CorrectionRequest, "correction", "status"),
        expect=_const("refused"),
        kwargs={"pk": "correction"},
    ),
]

# Posts' reporting lines and acting officials: "boss" is a post above the target's post (same
# agency), "acting" an open acting assignment (from 2025) of the target's post.
ACTING_VIEWERS = {"a": VIEWERS_A, "b": WIDE, "x": set()}


def _line_from_2030(objs, role):
    return list(
        ReportingLine.objects.filter(
            position_id=objs["position"], valid_from=dt.date(2030, 1, 1)
        ).values_list("reports_to_id", flat=True)
    )


def _line_form(objs, role):
    return {"reports_to": objs["boss"], "valid_from": "2030-01-01", "reason": "uji"}


def _line_post(objs, role):
    return {**_line_form(objs, role), "position": objs["position"]}


def _appointed(objs, role):
    return ActingAssignment.objects.filter(decree_number="UJI-MATRIX").count()


def _acting_form(objs, role):
    return {
        "employee": objs["employee"],
        "position": objs["boss"],
        "kind": "plh",
        "decree_number": "UJI-MATRIX",
        "valid_from": "2030-01-01",
    }


MATRIX += [
    Row("organisations:position_detail", "get", SCOPED, kwargs={"pk": "position"}),
    Row("organisations:position_line_set", "get", CHANGE_SCOPED, kwargs={"pk": "position"}),
    Row(
        "organisations:position_line_set",
        "post",
        CHANGE_SCOPED,
        data=_line_form,
        ok=(302,),
        state=_line_from_2030,
        expect=lambda objs, role: [objs["boss"]],
        kwargs={"pk": "position"},
    ),
    Row("organisations:position_superior_lookup", "get", {"-": CHANGERS_A}),
    Row("organisations:acting_list", "get", {"-": VIEWERS}, leak_check=True),
    Row("organisations:acting_create", "get", {"-": CHANGERS_A}),
    Row(
        "organisations:acting_create",
        "post",
        CHANGE_SCOPED,  # the target is the post and the employee named in the form
        data=_acting_form,
        ok=(302,),
        state=_appointed,
        expect=_const(1),
        outside=400,
    ),
    Row("organisations:acting_end", "get", CHANGE_SCOPED, kwargs={"pk": "acting"}),
    Row(
        "organisations:acting_end",
        "post",
        CHANGE_SCOPED,
        data={"valid_to": "2031-12-31", "reason": "uji"},
        ok=(302,),
        state=_field(ActingAssignment, "acting", "valid_to"),
        expect=_const(dt.date(2031, 12, 31)),
        kwargs={"pk": "acting"},
    ),
    Row(
        "organisations:acting_employee_lookup",
        "get",
        {"-": CHANGERS_A},
        verify=_lookup_shows(LEAK_MARK, CHANGERS_WIDE),
    ),
    Row("api:reporting-line-list", "get", {"-": SIGNED_IN}, api=True),
    Row(
        "api:reporting-line-list",
        "post",
        CHANGE_SCOPED,
        api=True,
        data=_line_post,
        ok=(201,),
        state=_line_from_2030,
        expect=lambda objs, role: [objs["boss"]],
        outside=400,
    ),
    Row("api:acting-assignment-list", "get", {"-": SIGNED_IN}, api=True, leak_check=True),
    Row(
        "api:acting-assignment-list",
        "post",
        CHANGE_SCOPED,
        api=True,
        data=_acting_form,
        ok=(201,),
        state=_appointed,
        expect=_const(1),
        outside=400,
    ),
    Row("api:acting-assignment-detail", "get", ACTING_VIEWERS, api=True, kwargs={"pk": "acting"}),
    Row(
        "api:acting-assignment-end",
        "post",
        CHANGE_SCOPED,
        api=True,
        data={"valid_to": "2031-12-31", "reason": "uji"},
        state=_field(ActingAssignment, "acting", "valid_to"),
        expect=_const(dt.date(2031, 12, 31)),
        kwargs={"pk": "acting"},
    ),
]


# Performance planning. Targets: "a" agency A's Renstra goal, indicator and target, "b" agency
# B's, "x" another instansi's; periods, sub-periods and the library are the instansi's ("-").
PLAN_VIEWERS = VIEWERS  # view_planning: every role with a grant
PERIODERS = {"system_admin", "bkd", "bappeda"}  # manage_periods
GOALERS = {"system_admin", "bappeda"}  # manage_goals, and manage_plans across the instansi
PLANNERS_SCOPED = {"a": GOALERS | {"opd_admin"}, "b": GOALERS, "x": set()}
PLAN_SEEN = {"a": VIEWERS_A, "b": WIDE, "x": set()}


def _plan(**kw):
    return {"planning": True, "api": True, **kw}


def _goal_post(objs, role):
    return {
        "code": "UJI-G",
        "name": NEW_NAME,
        "level": "agency_target",
        "parent": objs["goal"],
        "unit": objs["agency"],
    }


def _indicator_post(objs, role):
    return {
        "code": "UJI-I",
        "name": NEW_NAME,
        "goal": objs["goal"],
        "measure_unit": "persen",
        "control_level": "output",
    }


def _goal_codes(objs, role):
    from kinerja.performance.models import Goal

    return list(Goal.objects.filter(code="UJI-G").values_list("parent_id", flat=True))


def _indicator_codes(objs, role):
    from kinerja.performance.models import Indicator

    return list(Indicator.objects.filter(code="UJI-I").values_list("goal_id", flat=True))


def _plan_field(model_name, key, attr):
    def read(objs, role):
        from django.apps import apps

        return getattr(apps.get_model("performance", model_name).objects.get(pk=objs[key]), attr)

    return read


def _targets_2030(objs, role):
    from kinerja.performance.models import Target

    return Target.objects.filter(indicator_id=objs["indicator"], year=2030).count()


def _target_values(objs, role):
    from kinerja.performance.models import TargetValue

    return TargetValue.objects.filter(target_id=objs["target"]).count()


def _periods_2031(objs, role):
    from kinerja.performance.models import Period

    return Period.objects.filter(year=2031).count()


def _windows(objs, role):
    from kinerja.performance.models import LateEntryWindow

    return LateEntryWindow.objects.filter(reason="uji-matrix").count()


MATRIX += [
    Row("api:period-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:period-list",
        "post",
        {"-": PERIODERS},
        data={"year": 2031},
        ok=(201,),
        state=_periods_2031,
        expect=_const(1),
        **_plan(),
    ),
    Row("api:period-detail", "get", {"-": PLAN_VIEWERS}, kwargs={"pk": "period"}, **_plan()),
    Row(
        "api:period-detail",
        "patch",
        {"-": PERIODERS},
        data={"periodic_evaluation_days": 15},
        state=_plan_field("Period", "period", "periodic_evaluation_days"),
        expect=_const(15),
        kwargs={"pk": "period"},
        **_plan(),
    ),
    Row("api:sub-period-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:sub-period-detail", "get", {"-": PLAN_VIEWERS}, kwargs={"pk": "sub_period"}, **_plan()
    ),
    Row(
        "api:sub-period-status",
        "post",
        {"-": PERIODERS},
        data={"status": "closed"},
        state=_plan_field("SubPeriod", "sub_period", "status"),
        expect=_const("closed"),
        kwargs={"pk": "sub_period"},
        **_plan(),
    ),
    Row("api:late-entry-window-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:late-entry-window-list",
        "post",
        {"a": PERIODERS, "b": PERIODERS, "x": set()},  # the target is the unit in the payload
        data=lambda objs, role: {
            "unit": objs["unit"],
            "sub_period": objs["sub_period"],
            "opens": "2026-04-05",
            "closes": "2026-04-10",
            "reason": "uji-matrix",
        },
        ok=(201,),
        state=_windows,
        expect=_const(1),
        outside=400,
        **_plan(),
    ),
    Row(
        "api:late-entry-window-detail", "get", {"a": VIEWERS_A}, kwargs={"pk": "window"}, **_plan()
    ),
    Row("api:goal-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:goal-list",
        "post",
        PLANNERS_SCOPED,
        data=_goal_post,
        ok=(201,),
        state=_goal_codes,
        expect=lambda objs, role: [objs["goal"]],
        outside=400,
        **_plan(),
    ),
    Row("api:goal-detail", "get", PLAN_SEEN, kwargs={"pk": "goal"}, **_plan()),
    Row(
        "api:goal-detail",
        "patch",
        PLANNERS_SCOPED,
        data={"name": NEW_NAME},
        state=_plan_field("Goal", "goal", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "goal"},
        **_plan(),
    ),
    Row("api:indicator-template-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:indicator-template-list",
        "post",
        {"-": GOALERS},
        data={
            "name": NEW_NAME,
            "position_kind": "pelaksana",
            "measure_unit": "dokumen",
            "control_level": "output",
        },
        ok=(201,),
        state=lambda objs, role: (
            __import__("kinerja.performance.models", fromlist=["IndicatorTemplate"])
            .IndicatorTemplate.objects.filter(name=NEW_NAME)
            .count()
        ),
        expect=_const(1),
        **_plan(),
    ),
    Row(
        "api:indicator-template-detail",
        "get",
        {"-": PLAN_VIEWERS},
        kwargs={"pk": "template"},
        **_plan(),
    ),
    Row(
        "api:indicator-template-detail",
        "patch",
        {"-": GOALERS},
        data={"name": NEW_NAME},
        state=_plan_field("IndicatorTemplate", "template", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "template"},
        **_plan(),
    ),
    Row("api:indicator-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row("api:indicator-similar", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:indicator-list",
        "post",
        PLANNERS_SCOPED,
        data=_indicator_post,
        ok=(201,),
        state=_indicator_codes,
        expect=lambda objs, role: [objs["goal"]],
        outside=400,
        **_plan(),
    ),
    Row("api:indicator-detail", "get", PLAN_SEEN, kwargs={"pk": "indicator"}, **_plan()),
    Row(
        "api:indicator-detail",
        "patch",
        PLANNERS_SCOPED,
        data={"name": NEW_NAME},
        state=_plan_field("Indicator", "indicator", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "indicator"},
        **_plan(),
    ),
    Row("api:target-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:target-list",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {"indicator": objs["indicator"], "year": 2030, "value": 10},
        ok=(201,),
        state=_targets_2030,
        expect=_const(1),
        outside=400,
        **_plan(),
    ),
    Row("api:target-detail", "get", PLAN_SEEN, kwargs={"pk": "target"}, **_plan()),
    Row(
        "api:target-values",
        "post",
        PLANNERS_SCOPED,
        data={"values": [{"number": n, "value": 25 * n} for n in (1, 2, 3, 4)]},
        state=_target_values,
        expect=_const(4),
        kwargs={"pk": "target"},
        **_plan(),
    ),
]

MATRIX += [
    Row("performance:goal_tree", "get", {"-": PLAN_VIEWERS}, planning=True),
    Row("performance:template_list", "get", {"-": PLAN_VIEWERS}, planning=True),
    Row("performance:period_list", "get", {"-": PLAN_VIEWERS}, planning=True),
    Row(
        "performance:period_list",
        "post",
        {"-": PERIODERS},
        data={"year": 2031},
        ok=(302,),
        state=_periods_2031,
        expect=_const(1),
        planning=True,
    ),
    Row(
        "performance:period_detail",
        "get",
        {"-": PLAN_VIEWERS},
        kwargs={"pk": "period"},
        planning=True,
    ),
    Row(
        "performance:sub_period_status",
        "post",
        {"-": PERIODERS},
        data={"status": "closed"},
        ok=(302,),
        state=_plan_field("SubPeriod", "sub_period", "status"),
        expect=_const("closed"),
        kwargs={"pk": "sub_period"},
        planning=True,
    ),
    Row(
        "performance:late_entry_create",
        "post",
        {"a": PERIODERS, "b": PERIODERS, "x": set()},  # the target is the unit in the form
        data=lambda objs, role: {
            "unit": objs["unit"],
            "sub_period": objs["sub_period"],
            "opens": "2026-04-05",
            "closes": "2026-04-10",
            "reason": "uji-matrix",
        },
        ok=(302,),
        state=_windows,
        expect=_const(1),
        # A unit out of reach is no choice of the form: back to the page, nothing opened.
        outside=302,
        kwargs={"pk": "period"},
        planning=True,
    ),
]


def _key_items(objs, role):
    from kinerja.performance.models import KeyIndicatorSetItem

    return KeyIndicatorSetItem.objects.filter(key_set_id=objs["key_set"]).count()


def _key_sets_named(objs, role):
    from kinerja.performance.models import KeyIndicatorSet

    return KeyIndicatorSet.objects.filter(name=NEW_NAME).count()


def _templates_named(objs, role):
    from kinerja.performance.models import IndicatorTemplate

    return IndicatorTemplate.objects.filter(name=NEW_NAME).count()


def _code_of(model_name, key):
    from django.apps import apps

    return apps.get_model("performance", model_name).objects.get(pk=key).code


MANUAL_FORM = {
    "measure_unit": "persen",
    "data_type": "decimal",
    "polarity": "higher_is_better",
    "control_level": "output",
    "reporting_frequency": "quarterly",
    "aggregation": "last_value",
}


def _page(**kw):
    return {"planning": True, **kw}


# The planning editing pages and the key-indicator sets (page and API).
MATRIX += [
    Row("performance:goal_create", "get", {"-": GOALERS}, **_page()),
    Row(
        "performance:goal_create",
        "post",
        {"-": GOALERS},
        data={"level": "mission", "code": "UJI-G", "name": NEW_NAME},
        ok=(302,),
        state=_goal_codes,
        expect=_const([None]),
        **_page(),
    ),
    Row("performance:goal_add_child", "get", PLANNERS_SCOPED, kwargs={"pk": "goal"}, **_page()),
    Row(
        "performance:goal_add_child",
        "post",
        PLANNERS_SCOPED,
        data={"level": "agency_target", "code": "UJI-G", "name": NEW_NAME},
        ok=(302,),
        state=_goal_codes,
        expect=lambda objs, role: [objs["goal"]],
        kwargs={"pk": "goal"},
        **_page(),
    ),
    Row("performance:goal_update", "get", PLANNERS_SCOPED, kwargs={"pk": "goal"}, **_page()),
    Row(
        "performance:goal_update",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {
            "level": "agency_objective",
            "code": _code_of("Goal", objs["goal"]),
            "name": NEW_NAME,
            "unit": objs["agency"],
        },
        ok=(302,),
        state=_plan_field("Goal", "goal", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "goal"},
        **_page(),
    ),
    Row("performance:indicator_create", "get", PLANNERS_SCOPED, kwargs={"pk": "goal"}, **_page()),
    Row(
        "performance:indicator_create",
        "post",
        PLANNERS_SCOPED,
        data={"code": "UJI-I", "name": NEW_NAME, **MANUAL_FORM},
        ok=(302,),
        state=_indicator_codes,
        expect=lambda objs, role: [objs["goal"]],
        kwargs={"pk": "goal"},
        **_page(),
    ),
    Row(
        "performance:indicator_update",
        "get",
        PLANNERS_SCOPED,
        kwargs={"pk": "indicator"},
        **_page(),
    ),
    Row(
        "performance:indicator_update",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {
            "code": _code_of("Indicator", objs["indicator"]),
            "name": NEW_NAME,
            **MANUAL_FORM,
            "control_level": "outcome",
        },
        ok=(302,),
        state=_plan_field("Indicator", "indicator", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "indicator"},
        **_page(),
    ),
    Row("performance:indicator_similar", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row("performance:template_lookup", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row(
        "performance:target_edit",
        "get",
        PLANNERS_SCOPED,
        kwargs={"pk": "indicator", "year": "target_year"},
        **_page(),
    ),
    Row(
        "performance:target_edit",
        "post",
        PLANNERS_SCOPED,
        data={"shape": "value", "value": "10"},
        ok=(302,),
        state=_targets_2030,
        expect=_const(1),
        kwargs={"pk": "indicator", "year": "target_year"},
        **_page(),
    ),
    Row("performance:template_create", "get", {"-": GOALERS}, **_page()),
    Row(
        "performance:template_create",
        "post",
        {"-": GOALERS},
        data={"name": NEW_NAME, "position_kind": "pelaksana", **MANUAL_FORM},
        ok=(302,),
        state=_templates_named,
        expect=_const(1),
        **_page(),
    ),
    Row("performance:template_update", "get", {"-": GOALERS}, kwargs={"pk": "template"}, **_page()),
    Row(
        "performance:template_update",
        "post",
        {"-": GOALERS},
        data={"name": NEW_NAME, "position_kind": "pelaksana", **MANUAL_FORM},
        ok=(302,),
        state=_plan_field("IndicatorTemplate", "template", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "template"},
        **_page(),
    ),
    Row("performance:key_set_list", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row(
        "performance:key_set_add",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {"indicator": objs["spare_key_indicator"]},
        ok=(302,),
        state=_key_items,
        expect=_const(2),
        kwargs={"pk": "key_set"},
        **_page(),
    ),
    Row(
        "performance:key_set_remove",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {"indicator": objs["key_indicator"]},
        ok=(302,),
        state=_key_items,
        expect=_const(0),
        kwargs={"pk": "key_set"},
        **_page(),
    ),
    Row("api:key-indicator-set-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:key-indicator-set-list",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {
            "unit": objs["agency"],
            "name": NEW_NAME,
            "first_year": 2030,
            "last_year": 2031,
        },
        ok=(201,),
        state=_key_sets_named,
        expect=_const(1),
        outside=400,
        **_plan(),
    ),
    Row("api:key-indicator-set-detail", "get", PLAN_SEEN, kwargs={"pk": "key_set"}, **_plan()),
    Row(
        "api:key-indicator-set-detail",
        "patch",
        PLANNERS_SCOPED,
        data={"name": NEW_NAME},
        state=_plan_field("KeyIndicatorSet", "key_set", "name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "key_set"},
        **_plan(),
    ),
    Row(
        "api:key-indicator-set-finalise",
        "post",
        PLANNERS_SCOPED,
        data={"decree_number": "SK-IKU-1"},
        state=_plan_field("KeyIndicatorSet", "key_set", "status"),
        expect=_const("set"),
        kwargs={"pk": "key_set"},
        **_plan(),
    ),
]


# Performance agreements (page and API). Targets: each agency's agreements of 2026 (draft,
# with the agency's target), 2027 (submitted), 2028 (approved) and 2029 (signed); the
# province's are started anew ("-").
AGREEMENT_STARTERS = GOALERS | {"opd_admin"}  # manage_plans somewhere, or the province's


def _agreements_named(objs, role):
    from kinerja.performance.models import Agreement

    return Agreement.objects.filter(first_party_name=NEW_NAME).count()


def _province_agreement(objs, role):
    return {
        "unit": "",
        "year": 2030,
        "agreement_date": "2030-01-02",
        "first_party_name": NEW_NAME,
        "first_party_title": "Gubernur",
    }


def _current_revision(key):
    def read(objs, role):
        from kinerja.performance.models import Agreement

        return Agreement.objects.get(pk=objs[key]).is_current

    return read


MATRIX += [
    Row("performance:agreement_list", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row("performance:agreement_create", "get", {"-": AGREEMENT_STARTERS}, **_page()),
    Row(
        "performance:agreement_create",
        "post",
        {"-": GOALERS},
        data=_province_agreement,
        ok=(302,),
        state=_agreements_named,
        expect=_const(1),
        **_page(),
    ),
    Row("performance:agreement_detail", "get", PLAN_SEEN, kwargs={"pk": "agreement"}, **_page()),
    Row(
        "performance:agreement_update",
        "get",
        PLANNERS_SCOPED,
        kwargs={"pk": "agreement"},
        **_page(),
    ),
    Row(
        "performance:agreement_update",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {
            "agreement_date": "2026-01-05",
            "second_party_name": NEW_NAME,
            "second_party_title": "Gubernur",
            "targets": [objs["target"]],
            "programs": "Program | 1.01 | 1.000,00",
            "version": 1,
        },
        ok=(302,),
        state=_plan_field("Agreement", "agreement", "second_party_name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "agreement"},
        **_page(),
    ),
    Row(
        "performance:agreement_step",
        "post",
        PLANNERS_SCOPED,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("Agreement", "agreement", "status"),
        expect=_const("submitted"),
        kwargs={"pk": "agreement", "step": "submit_step"},
        **_page(),
    ),
    Row("api:agreement-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:agreement-list",
        "post",
        {"-": GOALERS},
        data=lambda objs, role: {**_province_agreement(objs, role), "unit": None},
        ok=(201,),
        state=_agreements_named,
        expect=_const(1),
        **_plan(),
    ),
    Row("api:agreement-detail", "get", PLAN_SEEN, kwargs={"pk": "agreement"}, **_plan()),
    Row(
        "api:agreement-detail",
        "patch",
        PLANNERS_SCOPED,
        data={"version": 1, "second_party_name": NEW_NAME},
        state=_plan_field("Agreement", "agreement", "second_party_name"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "agreement"},
        **_plan(),
    ),
    Row(
        "api:agreement-submit",
        "post",
        PLANNERS_SCOPED,
        data={"version": 1},
        state=_plan_field("Agreement", "agreement", "status"),
        expect=_const("submitted"),
        kwargs={"pk": "agreement"},
        **_plan(),
    ),
    Row(
        "api:agreement-approve",
        "post",
        PLANNERS_SCOPED,
        data={"version": 1},
        state=_plan_field("Agreement", "submitted_agreement", "status"),
        expect=_const("approved"),
        kwargs={"pk": "submitted_agreement"},
        **_plan(),
    ),
    Row(
        "api:agreement-sign",
        "post",
        PLANNERS_SCOPED,
        data={"version": 1},
        state=_plan_field("Agreement", "approved_agreement", "status"),
        expect=_const("signed"),
        kwargs={"pk": "approved_agreement"},
        **_plan(),
    ),
    Row(
        "api:agreement-revise",
        "post",
        PLANNERS_SCOPED,
        data={"version": 1, "reason": "uji"},
        state=_current_revision("signed_agreement"),
        expect=_const(False),
        kwargs={"pk": "signed_agreement"},
        **_plan(),
    ),
]


# Realisations (API, the verification queue, the evidence download). Targets: each agency's
# draft realisation of its 2026 target (quarter 1, with a file and agency A's head as its
# holder, the employee staff_a its verifier) and a submitted one (quarter 2; agency A's
# verified by staff_a, agency B's by nobody, so by who keeps the plans across the instansi).
REALISATION_ENTERERS = GOALERS | {"opd_admin", "opd_head"}  # manage_plans over A, A's head
ENTER_SCOPED = {"a": REALISATION_ENTERERS, "b": GOALERS}
VERIFY_SCOPED = {"a": {"employee"}, "b": GOALERS}
REALISATION_SEEN = {"a": VIEWERS_A | {"employee"}, "b": WIDE, "x": set()}
EVIDENCE_BODY = b"%PDF-1.4 uji"


def _export_codes(response, client, objs, role):
    """Agency A's realisations reach who reads A's plans, agency B's the instansi-wide."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes.count("I-a") == (2 if role in VIEWERS_A else 0), (role, codes)
    assert codes.count("I-b") == (2 if role in WIDE else 0), (role, codes)
    assert "I-x" not in codes


def _realisations_q3(objs, role):
    from kinerja.performance.models import Realisation

    return Realisation.objects.filter(target_id=objs["target"], sub_period__number=3).count()


def _evidence_named(objs, role):
    from kinerja.performance.models import Evidence

    return Evidence.objects.filter(label=NEW_NAME, realisation_id=objs["realisation"]).count()


MATRIX += [
    Row("api:realisation-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:realisation-list",
        "post",
        ENTER_SCOPED,
        data=lambda objs, role: {
            "target": objs["target"],
            "sub_period": objs["sub_period_3"],
            "value": "50",
        },
        ok=(201,),
        state=_realisations_q3,
        expect=_const(1),
        outside=403,  # a target of the instansi: the service refuses who may not enter it
        **_plan(),
    ),
    Row("api:realisation-detail", "get", REALISATION_SEEN, kwargs={"pk": "realisation"}, **_plan()),
    Row(
        "api:realisation-detail",
        "patch",
        ENTER_SCOPED,
        data={"version": 1, "note": NEW_NAME},
        state=_plan_field("Realisation", "realisation", "note"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "realisation"},
        **_plan(),
    ),
    Row(
        "api:realisation-submit",
        "post",
        ENTER_SCOPED,
        data={"version": 1},
        state=_plan_field("Realisation", "realisation", "status"),
        expect=_const("submitted"),
        kwargs={"pk": "realisation"},
        **_plan(),
    ),
    Row(
        "api:realisation-verify",
        "post",
        VERIFY_SCOPED,
        data={"version": 1},
        state=_plan_field("Realisation", "submitted_realisation", "status"),
        expect=_const("verified"),
        kwargs={"pk": "submitted_realisation"},
        **_plan(),
    ),
    Row(
        "api:realisation-return",
        "post",
        VERIFY_SCOPED,
        data={"version": 1, "comment": "uji"},
        state=_plan_field("Realisation", "submitted_realisation", "status"),
        expect=_const("returned"),
        kwargs={"pk": "submitted_realisation"},
        **_plan(),
    ),
    Row(
        "api:realisation-evidence",
        "post",
        ENTER_SCOPED,
        data={"url": "https://data.jatimprov.go.id/bukti", "label": NEW_NAME},
        ok=(201,),
        state=_evidence_named,
        expect=_const(1),
        kwargs={"pk": "realisation"},
        **_plan(),
    ),
    Row("performance:realisation_verify_queue", "get", {"-": SIGNED_IN}, **_page()),
    Row(
        "performance:realisation_export",
        "get",
        {"-": VIEWERS},  # export: every role with a grant
        verify=_export_codes,
        **_page(),
    ),
    Row("performance:realisation_entry", "get", PLAN_SEEN, kwargs={"pk": "target"}, **_page()),
    Row(
        "performance:realisation_entry_row",
        "post",
        ENTER_SCOPED,
        data=lambda objs, role: {f"sp{objs['sub_period_3']}-value": "50"},
        ok=(302,),
        state=_realisations_q3,
        expect=_const(1),
        kwargs={"pk": "target", "sub_period": "sub_period_3"},
        **_page(),
    ),
    Row(
        "performance:realisation_detail",
        "get",
        REALISATION_SEEN,
        kwargs={"pk": "realisation"},
        **_page(),
    ),
    Row(
        "performance:realisation_evidence",
        "post",
        ENTER_SCOPED,
        data={"url": "https://data.jatimprov.go.id/bukti", "label": NEW_NAME},
        ok=(302,),
        state=_evidence_named,
        expect=_const(1),
        kwargs={"pk": "realisation"},
        **_page(),
    ),
    Row(
        "performance:realisation_step",
        "post",
        VERIFY_SCOPED,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("Realisation", "submitted_realisation", "status"),
        expect=_const("verified"),
        kwargs={"pk": "submitted_realisation", "step": "verify_step"},
        **_page(),
    ),
    Row(
        "performance:evidence_download",
        "get",
        REALISATION_SEEN,
        kwargs={"pk": "evidence_file"},
        body=EVIDENCE_BODY,
        **_page(),
    ),
]


def _realisations(world, key, target, period) -> dict[str, Any]:
    """A draft realisation of ``target`` (quarter 1, with a file) and a submitted one (quarter
    2); agency A's held by its head and verified by staff_a. Written straight."""
    from kinerja.performance.models import Evidence, Realisation

    parties = {"holder": world.head_a, "verifier": world.staff_a} if key == "a" else {}
    out = {}
    for name, number, status in (
        ("realisation", 1, "draft"),
        ("submitted_realisation", 2, "submitted"),
    ):
        out[name] = Realisation.objects.create(
            instansi=target.instansi,
            target=target,
            sub_period=period.sub_periods.get(number=number),
            value=10,
            status=status,
            **parties,
        ).pk
    out["evidence_file"] = Evidence.objects.create(
        instansi=target.instansi,
        realisation_id=out["realisation"],
        kind="file",
        label="Bukti",
        file=ContentFile(EVIDENCE_BODY, name="bukti.pdf"),
        file_name="bukti.pdf",
        file_type="pdf",
        size=len(EVIDENCE_BODY),
    ).pk
    out["sub_period_3"] = period.sub_periods.get(number=3).pk
    out["verify_step"] = "verify"
    return out


# The action plan under a PK (page and API). Targets: an action (code A1, the agency as its
# unit, all its weight in the first quarter of 2026) under each agency's 2026 draft.
def _actions_named(objs, role):
    from kinerja.performance.models import Action

    return Action.objects.filter(text=NEW_NAME).count()


def _action_rows(model_name):
    def read(objs, role):
        from django.apps import apps

        return (
            apps.get_model("performance", model_name)
            .objects.filter(action_id=objs["action"])
            .count()
        )

    return read


def _action_post(objs, role):
    return {
        "code": "UJI",
        "position": 0,
        "text": NEW_NAME,
        "unit": objs["agency"],
        "budget": "0",
        "spending": "0",
        "version": 1,
    }


MATRIX += [
    Row("performance:action_plan", "get", PLAN_SEEN, kwargs={"pk": "agreement"}, **_page()),
    Row(
        "performance:action_plan_export",
        "get",
        PLAN_SEEN,
        kwargs={"pk": "agreement"},
        **_page(),
    ),
    Row(
        "performance:action_create",
        "get",
        PLANNERS_SCOPED,
        kwargs={"pk": "agreement_target"},
        **_page(),
    ),
    Row(
        "performance:action_create",
        "post",
        PLANNERS_SCOPED,
        data=_action_post,
        ok=(302,),
        state=_actions_named,
        expect=_const(1),
        kwargs={"pk": "agreement_target"},
        **_page(),
    ),
    Row("performance:action_update", "get", PLANNERS_SCOPED, kwargs={"pk": "action"}, **_page()),
    Row(
        "performance:action_update",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {**_action_post(objs, role), "code": "A1"},
        ok=(302,),
        state=_plan_field("Action", "action", "text"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "action"},
        **_page(),
    ),
    Row(
        "performance:action_progress",
        "get",
        PLANNERS_SCOPED,
        htmx=True,
        kwargs={"pk": "action"},
        **_page(),
    ),
    Row(
        "performance:action_progress",
        "post",
        PLANNERS_SCOPED,
        data={"sub_period": 1, "progress": "50"},
        ok=(302,),
        state=_action_rows("ActionProgress"),
        expect=_const(1),
        kwargs={"pk": "action"},
        **_page(),
    ),
    Row("api:action-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:action-list",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {
            **_action_post(objs, role),
            "agreement_target": objs["agreement_target"],
            "schedule": [{"sub_period": 1, "weight": "100"}],
        },
        ok=(201,),
        outside=400,
        state=_actions_named,
        expect=_const(1),
        **_plan(),
    ),
    Row("api:action-detail", "get", PLAN_SEEN, kwargs={"pk": "action"}, **_plan()),
    Row(
        "api:action-detail",
        "patch",
        PLANNERS_SCOPED,
        data={"version": 1, "text": NEW_NAME},
        state=_plan_field("Action", "action", "text"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "action"},
        **_plan(),
    ),
    Row(
        "api:action-schedule",
        "post",
        PLANNERS_SCOPED,
        data={
            "version": 1,
            "schedule": [{"sub_period": 1, "weight": "60"}, {"sub_period": 2, "weight": "40"}],
        },
        state=_action_rows("ActionSchedule"),
        expect=_const(2),
        kwargs={"pk": "action"},
        **_plan(),
    ),
    Row(
        "api:action-progress",
        "post",
        PLANNERS_SCOPED,
        data={"sub_period": 1, "progress": "50"},
        state=_action_rows("ActionProgress"),
        expect=_const(1),
        kwargs={"pk": "action"},
        **_plan(),
    ),
]


def _sheet_shows(code):
    """A planning export holds agency B's row (coded ``code``) exactly for the roles that see
    B's plans; never the other instansi's."""

    def verify(response, client, objs, role):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = {cell for r in sheet.iter_rows(values_only=True) for cell in r}
        assert (code in cells) == (role in PLAN_SEEN["b"]), (code, role)
        assert "I-x" not in cells and "G-x" not in cells

    return verify


# Planning documents: the agreement's PDF (page and API), scoped like the agreement; the
# start form's unit lookup; the planning exports.
MATRIX += [
    Row("performance:agreement_pdf", "get", PLAN_SEEN, kwargs={"pk": "agreement"}, **_page()),
    Row("api:agreement-pdf", "get", PLAN_SEEN, kwargs={"pk": "agreement"}, **_plan()),
    Row(
        "performance:agreement_unit_lookup",
        "get",
        {"-": AGREEMENT_STARTERS},
        verify=_lookup_shows("DINKES", GOALERS),
        **_page(),
    ),
    Row(
        "performance:goal_export", "get", {"-": PLAN_VIEWERS}, verify=_sheet_shows("G-b"), **_page()
    ),
    Row(
        "performance:indicator_export",
        "get",
        {"-": PLAN_VIEWERS},
        verify=_sheet_shows("I-b"),
        **_page(),
    ),
    Row(
        "performance:target_export",
        "get",
        {"-": PLAN_VIEWERS},
        verify=_sheet_shows("I-b"),
        **_page(),
    ),
    Row("performance:template_export", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row("performance:agreement_export", "get", {"-": PLAN_VIEWERS}, **_page()),
]


# Collaborations (page and API). Targets: per agency, "collaboration": the agency shares its
# 2026 target with a partner agency invited (10 %); "invitation": the partner leads a
# province target and invites the agency (10 %); "spare_target" is not shared yet.
COLLAB_LEADERS = GOALERS | {"opd_admin"}  # manage_plans somewhere
COLLAB_SCOPED = {"a": PLANNERS_SCOPED["a"], "b": PLANNERS_SCOPED["b"]}


def _collab_members(objs, role):
    from kinerja.performance.models import CollaborationMember

    return CollaborationMember.objects.filter(collaboration_id=objs["collaboration"]).count()


def _collab_partner_weight(objs, role):
    from kinerja.performance.models import CollaborationMember

    return CollaborationMember.objects.get(collaboration_id=objs["collaboration"]).weight


def _invitation_status(objs, role):
    from kinerja.performance.models import CollaborationMember

    return CollaborationMember.objects.get(pk=objs["invitation_member"]).status


def _spare_shared(objs, role):
    from kinerja.performance.models import Collaboration

    return Collaboration.objects.filter(target_id=objs["spare_target"]).count()


def _collab_accept_page(objs, role):
    prefix = f"accept-{objs['invitation_member']}"
    return {
        f"{prefix}-version": 1,
        f"{prefix}-goal": objs["goal"],
        f"{prefix}-code": "UJI-KOL",
        f"{prefix}-name": NEW_NAME,
    }


MATRIX += [
    Row("performance:collaboration_list", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row("performance:collaboration_create", "get", {"-": COLLAB_LEADERS}, **_page()),
    Row(
        "performance:collaboration_create",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {"target": objs["spare_target"], "title": NEW_NAME},
        ok=(302,),
        state=_spare_shared,
        expect=_const(1),
        outside=400,  # a target out of reach is no choice of the form
        **_page(),
    ),
    Row(
        "performance:collaboration_detail",
        "get",
        PLAN_SEEN,
        kwargs={"pk": "collaboration"},
        **_page(),
    ),
    Row(
        "performance:collaboration_matrix",
        "get",
        {"a": VIEWERS_A, "b": WIDE},
        kwargs={"pk": "collaboration"},
        **_page(),
    ),
    Row(
        "performance:collaboration_invite",
        "get",
        COLLAB_SCOPED,
        kwargs={"pk": "collaboration"},
        **_page(),
    ),
    Row(
        "performance:collaboration_invite",
        "post",
        COLLAB_SCOPED,
        data=lambda objs, role: {"version": 1, "unit": objs["other_agency"], "weight": "5"},
        ok=(302,),
        state=_collab_members,
        expect=_const(2),
        kwargs={"pk": "collaboration"},
        **_page(),
    ),
    Row(
        "performance:collaboration_weights",
        "get",
        COLLAB_SCOPED,
        kwargs={"pk": "collaboration"},
        **_page(),
    ),
    Row(
        "performance:collaboration_weights",
        "post",
        COLLAB_SCOPED,
        data=lambda objs, role: {
            "version": 1,
            "lead_weight": "100",
            f"weight_{objs['partner']}": "20",
        },
        ok=(302,),
        state=_collab_partner_weight,
        expect=_const(20),
        kwargs={"pk": "collaboration"},
        **_page(),
    ),
    Row(
        "performance:collaboration_answer",
        "post",
        COLLAB_SCOPED,
        data=_collab_accept_page,
        ok=(302,),
        state=_invitation_status,
        expect=_const("accepted"),
        kwargs={"pk": "invitation", "member": "invitation_member", "answer": "accept_answer"},
        **_page(),
    ),
    Row("api:collaboration-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:collaboration-list",
        "post",
        PLANNERS_SCOPED,
        data=lambda objs, role: {"target": objs["spare_target"], "title": NEW_NAME},
        ok=(201,),
        state=_spare_shared,
        expect=_const(1),
        outside=400,
        **_plan(),
    ),
    Row("api:collaboration-detail", "get", PLAN_SEEN, kwargs={"pk": "collaboration"}, **_plan()),
    Row(
        "api:collaboration-invite",
        "post",
        COLLAB_SCOPED,
        data=lambda objs, role: {"version": 1, "unit": objs["other_agency"], "weight": "5"},
        state=_collab_members,
        expect=_const(2),
        kwargs={"pk": "collaboration"},
        **_plan(),
    ),
    Row(
        "api:collaboration-weights",
        "post",
        COLLAB_SCOPED,
        data=lambda objs, role: {
            "version": 1,
            "lead_weight": "100",
            "weights": [{"unit": objs["partner"], "weight": "20"}],
        },
        state=_collab_partner_weight,
        expect=_const(20),
        kwargs={"pk": "collaboration"},
        **_plan(),
    ),
    Row(
        "api:collaboration-accept",
        "post",
        COLLAB_SCOPED,
        data=lambda objs, role: {
            "version": 1,
            "unit": objs["agency"],
            "goal": objs["goal"],
            "code": "UJI-KOL",
            "name": NEW_NAME,
        },
        state=_invitation_status,
        expect=_const("accepted"),
        kwargs={"pk": "invitation"},
        **_plan(),
    ),
    Row(
        "api:collaboration-decline",
        "post",
        COLLAB_SCOPED,
        data=lambda objs, role: {"version": 1, "unit": objs["agency"], "reason": "uji"},
        state=_invitation_status,
        expect=_const("declined"),
        kwargs={"pk": "invitation"},
        **_plan(),
    ),
]


def _collaborations(world, key, agency, target, key_indicator, regional_target) -> dict[str, Any]:
    """A partner agency; the agency's 2026 target shared with the partner invited (10 %); a
    province target led by the partner with the agency invited (10 %). Written straight."""
    from kinerja.performance.models import (
        Collaboration,
        CollaborationMember,
        Indicator,
        Target,
    )

    instansi = agency.instansi
    partner = OrgUnitFactory(instansi=instansi, code=f"MITRA-{key}", name=f"Mitra {key}")
    shared = Collaboration.objects.create(
        instansi=instansi, target=target, lead_unit=agency, title="Kolaborasi"
    )
    CollaborationMember.objects.create(collaboration=shared, unit=partner, weight=10)
    indicator = Indicator.objects.create(
        instansi=instansi,
        goal=regional_target,
        code=f"P-{key}",
        name="P",
        measure_unit="persen",
        control_level="outcome",
    )
    province = Target.objects.create(
        instansi=instansi, indicator=indicator, year=2026, shape="value", value=50
    )
    invitation = Collaboration.objects.create(
        instansi=instansi, target=province, lead_unit=partner, title="Undangan"
    )
    member = CollaborationMember.objects.create(collaboration=invitation, unit=agency, weight=10)
    other = world.agency_b if key == "a" else world.agency_a
    return {
        "collaboration": shared.pk,
        "invitation": invitation.pk,
        "invitation_member": member.pk,
        "accept_answer": "accept",
        "partner": partner.pk,
        "other_agency": other.pk,
        "spare_target": Target.objects.get(indicator=key_indicator).pk,
    }


# Employee plans (SKP; page and API). Targets: a draft plan of each agency's employee for
# January to June 2026 (agency A's: staff_a, the "employee" account) with a main result, its
# indicator and target; a new plan is started for staff_a from July ("-" or "a").
SKP_WRITERS_A = GOALERS | {"bkd", "opd_admin", "employee"}  # own, manage_plans, BKD
SKP_WRITERS = {"a": SKP_WRITERS_A, "b": GOALERS | {"bkd"}, "x": set()}
SKP_SEEN = {"a": IN_A, "b": WIDE, "x": set()}
SKP_STARTERS = GOALERS | {"bkd", "opd_admin", "opd_head", "employee"}  # a record or a reach


def _skp_plans_named(objs, role):
    from kinerja.performance.models import Plan

    return Plan.objects.filter(evaluator_name=NEW_NAME).count()


def _skp_new_plan(objs, role):
    return {
        "employee": objs["skp_employee"],
        "period": objs["period"],
        "starts": "2026-07-01",
        "approach": "quantitative",
        "evaluator_name": NEW_NAME,
        "evaluator_title": "Kepala",
    }


def _skp_results_named(objs, role):
    from kinerja.performance.models import PlanResult

    return PlanResult.objects.filter(plan_id=objs["skp_plan"], text=NEW_NAME).count()


def _skp_indicators(objs, role):
    from kinerja.performance.models import Indicator

    return Indicator.objects.filter(result_id=objs["skp_result"]).count()


def _skp_result_exists(objs, role):
    from kinerja.performance.models import PlanResult

    return PlanResult.objects.filter(pk=objs["skp_result"]).exists()


def _skp_behaviours(objs, role):
    from kinerja.performance.models import PlanBehaviour

    return list(
        PlanBehaviour.objects.filter(plan_id=objs["skp_plan"]).values_list("value", "expectation")
    )


SKP_INDICATOR = {"name": "Jumlah dokumen", "aspect": "quantity", "measure_unit": "dokumen"}

MATRIX += [
    Row("performance:plan_list", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:plan_create", "get", {"-": SKP_STARTERS}, **_page()),
    Row(
        "performance:plan_create",
        "post",
        {"-": SKP_WRITERS_A},
        data=_skp_new_plan,
        ok=(302,),
        state=_skp_plans_named,
        expect=_const(1),
        **_page(),
    ),
    Row("performance:plan_detail", "get", SKP_SEEN, kwargs={"pk": "skp_plan"}, **_page()),
    Row("performance:plan_update", "get", SKP_WRITERS, kwargs={"pk": "skp_plan"}, **_page()),
    Row(
        "performance:plan_update",
        "post",
        SKP_WRITERS,
        data={"version": 1, "approach": "quantitative", "resources": NEW_NAME},
        ok=(302,),
        state=_plan_field("Plan", "skp_plan", "resources"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "skp_plan"},
        **_page(),
    ),
    Row(
        "performance:plan_step",
        "post",
        SKP_WRITERS,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("Plan", "skp_plan", "status"),
        expect=_const("submitted"),
        kwargs={"pk": "skp_plan", "step": "submit_step"},
        **_page(),
    ),
    Row(
        "performance:plan_result_add",
        "get",
        {"a": SKP_WRITERS_A},
        kwargs={"pk": "skp_plan"},
        **_page(),
    ),
    Row(
        "performance:plan_result_add",
        "post",
        {"a": SKP_WRITERS_A},
        data={
            "version": 1,
            "kind": "main",
            "text": NEW_NAME,
            **SKP_INDICATOR,
            "shape": "value",
            "value": "5",
        },
        ok=(302,),
        state=_skp_results_named,
        expect=_const(1),
        kwargs={"pk": "skp_plan"},
        **_page(),
    ),
    Row(
        "performance:plan_indicator_add",
        "get",
        {"a": SKP_WRITERS_A},
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row(
        "performance:plan_indicator_add",
        "post",
        {"a": SKP_WRITERS_A},
        data={"version": 1, **SKP_INDICATOR, "shape": "value", "value": "3"},
        ok=(302,),
        state=_skp_indicators,
        expect=_const(2),
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row(
        "performance:plan_behaviours",
        "get",
        {"a": SKP_WRITERS_A},
        kwargs={"pk": "skp_plan"},
        **_page(),
    ),
    Row(
        "performance:plan_behaviours",
        "post",
        {"a": SKP_WRITERS_A},
        data={"version": 1, "b_adaptif": NEW_NAME},
        ok=(302,),
        state=_skp_behaviours,
        expect=_const([("adaptif", NEW_NAME)]),
        kwargs={"pk": "skp_plan"},
        **_page(),
    ),
    Row("api:plan-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:plan-list",
        "post",
        {"-": SKP_WRITERS_A},
        data=_skp_new_plan,
        ok=(201,),
        state=_skp_plans_named,
        expect=_const(1),
        **_plan(),
    ),
    Row("api:plan-detail", "get", SKP_SEEN, kwargs={"pk": "skp_plan"}, **_plan()),
    Row(
        "api:plan-detail",
        "patch",
        SKP_WRITERS,
        data={"version": 1, "resources": NEW_NAME},
        state=_plan_field("Plan", "skp_plan", "resources"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "skp_plan"},
        **_plan(),
    ),
    Row(
        "api:plan-step",
        "post",
        SKP_WRITERS,
        data={"step": "submit", "version": 1},
        state=_plan_field("Plan", "skp_plan", "status"),
        expect=_const("submitted"),
        kwargs={"pk": "skp_plan"},
        **_plan(),
    ),
    Row(
        "api:plan-result-list",
        "post",
        {"a": SKP_WRITERS_A},
        data=lambda objs, role: {
            "plan": objs["skp_plan"],
            "version": 1,
            "kind": "main",
            "text": NEW_NAME,
        },
        ok=(201,),
        state=_skp_results_named,
        expect=_const(1),
        outside=400,  # the plan is named in the payload
        **_plan(),
    ),
    Row(
        "api:plan-result-detail",
        "patch",
        {"a": SKP_WRITERS_A},
        data={"version": 1, "text": NEW_NAME},
        state=_plan_field("PlanResult", "skp_result", "text"),
        expect=_const(NEW_NAME),
        kwargs={"pk": "skp_result"},
        **_plan(),
    ),
    Row(
        "api:plan-result-detail",
        "delete",
        {"a": SKP_WRITERS_A},
        data={"version": 1},
        state=_skp_result_exists,
        expect=_const(False),
        kwargs={"pk": "skp_result"},
        **_plan(),
    ),
    Row(
        "api:plan-result-indicators",
        "post",
        {"a": SKP_WRITERS_A},
        data={"version": 1, **SKP_INDICATOR, "target": {"value": "3"}},
        ok=(201,),
        state=_skp_indicators,
        expect=_const(2),
        kwargs={"pk": "skp_result"},
        **_plan(),
    ),
]


# The working pages (My plan, My team, My agency). The team's inline steps act on the SKP
# plan (a draft: the approval is refused, nothing changes) and on the submitted realisation.
SKP_EVALUATORS = {"a": GOALERS | {"bkd", "opd_admin"}, "b": GOALERS | {"bkd"}, "x": set()}

MATRIX += [
    Row("performance:workspace_plan", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:workspace_team", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:workspace_team_matrix_export", "get", {"-": WITH_RECORD}, **_page()),
    Row("performance:workspace_agency", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row("performance:workspace_cascade", "get", {"-": PLAN_VIEWERS}, **_page()),
    Row("performance:workspace_cascade_goal", "get", PLAN_SEEN, kwargs={"pk": "goal"}, **_page()),
    Row(
        "performance:workspace_cascade_result",
        "get",
        {"a": IN_A & PLAN_VIEWERS, "b": WIDE, "x": set()},
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row(
        "performance:workspace_plan_approve",
        "post",
        SKP_EVALUATORS,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("Plan", "skp_plan", "status"),
        kwargs={"pk": "skp_plan"},
        **_page(),
    ),
    Row(
        "performance:workspace_realisation_step",
        "post",
        VERIFY_SCOPED,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("Realisation", "submitted_realisation", "status"),
        expect=_const("verified"),
        kwargs={"pk": "submitted_realisation", "step": "verify_step"},
        **_page(),
    ),
]


# Employee evaluations (API). Targets: an approved plan of each agency's head for July to
# December 2026 (the evaluator named by hand, so who acts for the agency rates) with one
# result and a draft evaluation of the third quarter, both ratings as expected.
# Agency A's head is the opd_head account: their own; staff_a (employee) does not see it.
EVAL_SEEN = {"a": IN_A - {"employee"}, "b": WIDE, "x": set()}


def _evaluation_count(kind):
    def read(objs, role):
        from kinerja.performance.models import Evaluation

        return Evaluation.objects.filter(plan_id=objs["eval_plan"], kind=kind).count()

    return read


def _evaluation_feedback(objs, role):
    from kinerja.performance.models import EvaluationResultFeedback

    return EvaluationResultFeedback.objects.filter(evaluation_id=objs["evaluation"]).count()


MATRIX += [
    Row("api:evaluation-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:evaluation-list",
        "post",
        SKP_EVALUATORS,
        data=lambda objs, role: {"plan": objs["eval_plan"], "kind": "annual"},
        ok=(201,),
        state=_evaluation_count("annual"),
        expect=_const(1),
        outside=400,  # the plan is named in the payload
        **_plan(),
    ),
    Row("api:evaluation-detail", "get", EVAL_SEEN, kwargs={"pk": "evaluation"}, **_plan()),
    Row(
        "api:evaluation-rate",
        "post",
        SKP_EVALUATORS,
        data={"version": 1, "rating": "above_expectation"},
        state=_plan_field("Evaluation", "evaluation", "results_rating"),
        expect=_const("above_expectation"),
        kwargs={"pk": "evaluation"},
        **_plan(),
    ),
    Row(
        "api:evaluation-behaviour",
        "post",
        SKP_EVALUATORS,
        data={"version": 1, "rating": "below_expectation"},
        state=_plan_field("Evaluation", "evaluation", "behaviour_rating"),
        expect=_const("below_expectation"),
        kwargs={"pk": "evaluation"},
        **_plan(),
    ),
    Row(
        "api:evaluation-feedback",
        "post",
        SKP_EVALUATORS,
        data=lambda objs, role: {"version": 1, "feedback": {str(objs["eval_result"]): NEW_NAME}},
        state=_evaluation_feedback,
        expect=_const(1),
        kwargs={"pk": "evaluation"},
        **_plan(),
    ),
    Row(
        "api:evaluation-finalise",
        "post",
        SKP_EVALUATORS,
        data={"version": 1},
        state=_plan_field("Evaluation", "evaluation", "status"),
        expect=_const("final"),
        kwargs={"pk": "evaluation"},
        **_plan(),
    ),
]

# The evaluation pages (as the evaluation API above, same targets): My evaluation and Team
# evaluations for everyone signed in (each shows the caller's own rows), the overrides across
# agencies for BKD, Inspektorat, leadership and the system administrator; the steps for who
# rates the plan (POST with the version shown: 302, then the state changed).
OVERSIGHT = {"system_admin", "leadership", "bkd", "inspektorat"}

MATRIX += [
    Row("performance:evaluation_mine", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:evaluation_mine_export", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:evaluation_team", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:evaluation_team_export", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:evaluation_overrides", "get", {"-": OVERSIGHT}, **_page()),
    Row("performance:evaluation_overrides_export", "get", {"-": OVERSIGHT}, **_page()),
    Row("performance:evaluation_detail", "get", EVAL_SEEN, kwargs={"pk": "evaluation"}, **_page()),
    Row(
        "performance:evaluation_open",
        "post",
        SKP_EVALUATORS,
        data={"when": "annual"},
        ok=(302,),
        state=_evaluation_count("annual"),
        expect=_const(1),
        kwargs={"pk": "eval_plan"},
        **_page(),
    ),
    Row(
        "performance:evaluation_rate",
        "post",
        SKP_EVALUATORS,
        data={"version": 1, "rating": "above_expectation"},
        ok=(302,),
        state=_plan_field("Evaluation", "evaluation", "results_rating"),
        expect=_const("above_expectation"),
        kwargs={"pk": "evaluation"},
        **_page(),
    ),
    Row(
        "performance:evaluation_behaviour",
        "post",
        SKP_EVALUATORS,
        data={"version": 1, "rating": "below_expectation"},
        ok=(302,),
        state=_plan_field("Evaluation", "evaluation", "behaviour_rating"),
        expect=_const("below_expectation"),
        kwargs={"pk": "evaluation"},
        **_page(),
    ),
    Row(
        "performance:evaluation_feedback",
        "post",
        SKP_EVALUATORS,
        data=lambda objs, role: {"version": 1, f"result_{objs['eval_result']}": NEW_NAME},
        ok=(302,),
        state=_evaluation_feedback,
        expect=_const(1),
        kwargs={"pk": "evaluation"},
        **_page(),
    ),
    Row(
        "performance:evaluation_finalise",
        "post",
        SKP_EVALUATORS,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("Evaluation", "evaluation", "status"),
        expect=_const("final"),
        kwargs={"pk": "evaluation"},
        **_page(),
    ),
]

# The unit's predikat and its distribution curve (API). Targets: the 2026 second-quarter
# predikat, set to baik, of division A (its leader one level up is agency A's head, the
# opd_head account), of agency B (at the top: the leadership role sets it) and of the other
# instansi's agency; nobody is rated in them, so finalising keeps the curve.
UP_OPENERS = {"a": GOALERS | {"opd_admin", "opd_head"}, "b": GOALERS | {"leadership"}, "x": set()}
UP_ADVISERS = {"bappeda", "bkd", "inspektorat"}
UP_SETTERS = {"a": {"opd_head"}, "b": {"leadership"}, "x": set()}


def _unit_predikat_count(objs, role):
    from kinerja.performance.models import UnitPredikat

    return UnitPredikat.objects.filter(unit_id=objs["up_unit"], sub_period=1).count()


def _recommendation_count(objs, role):
    from kinerja.performance.models import UnitPredikatRecommendation

    return UnitPredikatRecommendation.objects.filter(unit_predikat_id=objs["unit_predikat"]).count()


MATRIX += [
    Row("api:unit-predikat-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:unit-predikat-list",
        "post",
        UP_OPENERS,
        data=lambda objs, role: {"unit": objs["up_unit"], "year": 2026, "sub_period": 1},
        ok=(201,),
        state=_unit_predikat_count,
        expect=_const(1),
        outside=400,  # the unit is named in the payload
        **_plan(),
    ),
    Row("api:unit-predikat-detail", "get", PLAN_SEEN, kwargs={"pk": "unit_predikat"}, **_plan()),
    Row(
        "api:unit-predikat-distribution",
        "get",
        PLAN_SEEN,
        kwargs={"pk": "unit_predikat"},
        **_plan(),
    ),
    Row(
        "api:unit-predikat-recommend",
        "post",
        {"a": UP_ADVISERS, "b": UP_ADVISERS, "x": set()},
        data={"version": 1, "predikat": "kurang", "note": NEW_NAME},
        state=_recommendation_count,
        expect=_const(1),
        kwargs={"pk": "unit_predikat"},
        **_plan(),
    ),
    Row(
        "api:unit-predikat-set-predikat",
        "post",
        UP_SETTERS,
        data={"version": 1, "predikat": "kurang"},
        state=_plan_field("UnitPredikat", "unit_predikat", "predikat"),
        expect=_const("kurang"),
        kwargs={"pk": "unit_predikat"},
        **_plan(),
    ),
    Row(
        "api:unit-predikat-finalise",
        "post",
        SKP_EVALUATORS,
        data={"version": 1},
        state=_plan_field("UnitPredikat", "unit_predikat", "status"),
        expect=_const("final"),
        kwargs={"pk": "unit_predikat"},
        **_plan(),
    ),
]

# Objections, the reopening and the input of others (API). Targets (``_objection_objects``):
# the head's plan's fourth quarter, final (filed against, reopened), and a colleague's plan
# whose first quarter is final with an open objection (decided). The
# plans record no evaluator's superior, so the personnel office (change_people across the
# instansi) decides and reopens; only the plan's employee (agency A's head: opd_head) files.
# An input on the third quarter's draft is asked of agency A's employee (the employee role).
OBJECTION_FILERS = {"a": {"opd_head"}, "b": set(), "x": set()}
PERSONNEL = {"a": {"system_admin", "bkd"}, "b": {"system_admin", "bkd"}, "x": set()}
INPUT_SEEN = {
    "a": SKP_EVALUATORS["a"] | {"employee"},
    "b": SKP_EVALUATORS["b"],
    "x": set(),
}
INPUT_GIVERS = {"a": {"employee"}, "b": set(), "x": set()}


def _objections_on(key):
    def read(objs, role):
        from kinerja.performance.models import Objection

        return Objection.objects.filter(evaluation_id=objs[key]).count()

    return read


def _inputs_of_author(objs, role):
    from kinerja.performance.models import EvaluationInput

    return EvaluationInput.objects.filter(
        evaluation_id=objs["evaluation"], author_id=objs["input_author"]
    ).count()


MATRIX += [
    Row("api:objection-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:objection-list",
        "post",
        OBJECTION_FILERS,
        data=lambda objs, role: {"evaluation": objs["final_evaluation"], "reasons": NEW_NAME},
        ok=(201,),
        state=_objections_on("final_evaluation"),
        expect=_const(1),
        outside=400,  # the evaluation is named in the payload
        **_plan(),
    ),
    Row("api:objection-detail", "get", EVAL_SEEN, kwargs={"pk": "objection"}, **_plan()),
    Row(
        "api:objection-decide",
        "post",
        PERSONNEL,
        data={"version": 1, "decision": "uphold", "reason": NEW_NAME},
        state=_plan_field("Objection", "objection", "status"),
        expect=_const("upheld"),
        kwargs={"pk": "objection"},
        **_plan(),
    ),
    Row(
        "api:evaluation-reopen",
        "post",
        PERSONNEL,
        data={"version": 1, "reason": NEW_NAME},
        state=_plan_field("Evaluation", "final_evaluation", "status"),
        expect=_const("draft"),
        kwargs={"pk": "final_evaluation"},
        **_plan(),
    ),
    Row("api:evaluation-input-list", "get", {"-": SIGNED_IN}, **_plan()),
    Row(
        "api:evaluation-input-list",
        "post",
        SKP_EVALUATORS,
        data=lambda objs, role: {
            "evaluation": objs["evaluation"],
            "author": objs["input_author"],
            "relation": "peer",
        },
        ok=(201,),
        state=_inputs_of_author,
        expect=_const(1),
        outside=400,  # the evaluation is named in the payload
        **_plan(),
    ),
    Row("api:evaluation-input-detail", "get", INPUT_SEEN, kwargs={"pk": "input"}, **_plan()),
    Row(
        "api:evaluation-input-give",
        "post",
        INPUT_GIVERS,
        data={"version": 1, "text": NEW_NAME},
        state=_plan_field("EvaluationInput", "input", "status"),
        expect=_const("given"),
        kwargs={"pk": "input"},
        **_plan(),
    ),
    Row(
        "api:evaluation-input-withdraw",
        "post",
        SKP_EVALUATORS,
        data={"version": 1},
        state=_plan_field("EvaluationInput", "input", "status"),
        expect=_const("withdrawn"),
        kwargs={"pk": "input"},
        **_plan(),
    ),
]


# The evaluation's documents (PDF) and the public check page of their codes. Targets: the draft
# evaluation above (a preview, no code) and a final second quarter of the same plan (its
# document issued, its code reused); the unit predikat's decision (set, not final: a preview).
# The check page answers every caller, signed in or not.
def _document_checks(objs, role):
    from kinerja.performance.models import DocumentCheck

    return DocumentCheck.objects.filter(object_id=objs["document_evaluation"]).count()


MATRIX += [
    Row("performance:evaluation_pdf", "get", EVAL_SEEN, kwargs={"pk": "evaluation"}, **_page()),
    Row(
        "performance:evaluation_document_pdf",
        "get",
        EVAL_SEEN,
        kwargs={"pk": "document_evaluation"},
        state=_document_checks,  # issued once, when the objects were made: reused, not new
        **_page(),
    ),
    Row("api:evaluation-pdf", "get", EVAL_SEEN, kwargs={"pk": "evaluation"}, **_plan()),
    Row(
        "api:evaluation-document-pdf",
        "get",
        EVAL_SEEN,
        kwargs={"pk": "document_evaluation"},
        state=_document_checks,
        **_plan(),
    ),
    Row(
        "performance:unit_predikat_pdf", "get", PLAN_SEEN, kwargs={"pk": "unit_predikat"}, **_page()
    ),
    Row("api:unit-predikat-pdf", "get", PLAN_SEEN, kwargs={"pk": "unit_predikat"}, **_plan()),
    Row(
        "document_check",
        "get",
        {"a": set(ROLES), "b": set(ROLES), "x": set(ROLES)},
        kwargs={"code": "check_code"},
        **_page(),
    ),
    Row(
        "api:document-check",
        "get",
        {"a": set(ROLES), "b": set(ROLES), "x": set(ROLES)},
        kwargs={"code": "check_code"},
        **_plan(),
    ),
]


def _document_objects(world, key, evaluation_id) -> dict[str, Any]:
    """A final evaluation of the matrix plan's second quarter (both ratings as expected),
    with its Dokumen Evaluasi issued (written straight). Not the annual one: the rows that open
    the plan's annual evaluation need it absent."""
    from kinerja.performance.document_codes import new_code
    from kinerja.performance.evaluation_documents import evaluation_digest
    from kinerja.performance.models import DocumentCheck, Evaluation

    draft = Evaluation.objects.get(pk=evaluation_id)
    final = Evaluation.objects.create(
        instansi_id=draft.instansi_id,
        plan_id=draft.plan_id,
        kind="periodic",
        sub_period=2,
        source="agency",
        results_rating="as_expected",
        behaviour_rating="as_expected",
        predikat="baik",
        status="final",
        finalised_at=dt.datetime(2027, 1, 15, 9, tzinfo=dt.UTC),
    )
    check = DocumentCheck.objects.create(
        instansi_id=final.instansi_id,
        code=new_code(),
        kind="evaluation_document",
        object_id=final.pk,
        digest=evaluation_digest(final, "evaluation_document"),
        subject="Uji",
        period_label="Triwulan II 2026",
        predikat="baik",
        issued_at=final.finalised_at,
    )
    return {"document_evaluation": final.pk, "check_code": check.printed_code}


# The evaluation pages wired to the unit predikat and the objections (as the API rows above,
# same targets): the lists for everyone signed in (each shows what the caller reaches), the
# objections' export for the oversight roles; every step a POST with the version shown (302,
# then the state changed); a role within reach but not allowed gets 403, out of reach 404, a
# unit named in the open form but out of reach comes back with "No such unit." (302).
MATRIX += [
    Row("performance:unit_predikat_list", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:unit_predikat_export", "get", {"-": SIGNED_IN}, **_page()),
    Row(
        "performance:unit_predikat_open",
        "post",
        UP_OPENERS,
        data=lambda objs, role: {"unit": objs["up_unit"], "year": 2026, "sub_period": 1},
        ok=(302,),
        state=_unit_predikat_count,
        expect=_const(1),
        outside=302,  # the unit is named in the form: "No such unit."
        **_page(),
    ),
    Row(
        "performance:unit_predikat_detail",
        "get",
        PLAN_SEEN,
        kwargs={"pk": "unit_predikat"},
        **_page(),
    ),
    Row(
        "performance:unit_predikat_recommend",
        "post",
        {"a": UP_ADVISERS, "b": UP_ADVISERS, "x": set()},
        data=lambda objs, role: {
            "version": 1,
            "predikat": "kurang",
            "note": NEW_NAME,
            "source": {"bappeda": "planning", "bkd": "staffing"}.get(role, "oversight"),
        },
        ok=(302,),
        state=_recommendation_count,
        expect=_const(1),
        kwargs={"pk": "unit_predikat"},
        **_page(),
    ),
    Row(
        "performance:unit_predikat_set",
        "post",
        UP_SETTERS,
        data={"version": 1, "predikat": "kurang"},
        ok=(302,),
        state=_plan_field("UnitPredikat", "unit_predikat", "predikat"),
        expect=_const("kurang"),
        kwargs={"pk": "unit_predikat"},
        **_page(),
    ),
    Row(
        "performance:unit_predikat_finalise",
        "post",
        SKP_EVALUATORS,
        data={"version": 1},
        ok=(302,),
        state=_plan_field("UnitPredikat", "unit_predikat", "status"),
        expect=_const("final"),
        kwargs={"pk": "unit_predikat"},
        **_page(),
    ),
    Row(
        "performance:objection_file",
        "post",
        OBJECTION_FILERS,
        data={"reasons": NEW_NAME},
        ok=(302,),
        state=_objections_on("final_evaluation"),
        expect=_const(1),
        kwargs={"pk": "final_evaluation"},
        **_page(),
    ),
    Row("performance:objection_decide_list", "get", {"-": SIGNED_IN}, **_page()),
    Row("performance:objection_export", "get", {"-": OVERSIGHT}, **_page()),
    Row(
        "performance:objection_decide",
        "post",
        PERSONNEL,
        data={"version": 1, "decision": "uphold", "reason": NEW_NAME},
        ok=(302,),
        state=_plan_field("Objection", "objection", "status"),
        expect=_const("upheld"),
        kwargs={"pk": "objection"},
        **_page(),
    ),
    Row(
        "performance:evaluation_reopen",
        "post",
        PERSONNEL,
        data={"version": 1, "reason": NEW_NAME},
        ok=(302,),
        state=_plan_field("Evaluation", "final_evaluation", "status"),
        expect=_const("draft"),
        kwargs={"pk": "final_evaluation"},
        **_page(),
    ),
]

# Around the plans: bulk cascade, cascade tree, dialogue (the plan's employee and evaluator;
# the matrix plans' evaluator is named by hand), work log (off in 2026: a write is refused),
# its setting, the SKP document and workbook.
SKP_TALKERS = {"a": {"employee"}, "b": set(), "x": set()}


def _skp_dialogue(objs, role):
    from kinerja.performance.models import PlanDialogue

    return PlanDialogue.objects.filter(result_id=objs["skp_result"], text=NEW_NAME).count()


def _skp_work_log(objs, role):
    from kinerja.performance.models import WorkLogEntry

    return WorkLogEntry.objects.filter(result_id=objs["skp_result"]).count()


def _work_log_on(objs, role):
    from kinerja.performance.models import WorkLogSetting

    return WorkLogSetting.objects.filter(period_id=objs["period"], enabled=True).count()


def _skp_served(objs, role):
    from kinerja.performance.models import PlanResult

    return PlanResult.objects.filter(serves_id=objs["skp_result"]).count()


def _cascade_page_skipped(response, client, objs, role):
    assert b'data-testid="cascade-skipped"' in response.content


def _cascade_api_skipped(response, client, objs, role):
    assert [s["reason"] for s in response.json()["skipped"]] == ["no_plan"]


SKP_LOG = {"on": "2026-03-02", "description": NEW_NAME}
MATRIX += [
    Row("performance:plan_pdf", "get", SKP_SEEN, kwargs={"pk": "skp_plan"}, **_page()),
    Row("performance:plan_export", "get", SKP_SEEN, kwargs={"pk": "skp_plan"}, **_page()),
    Row("performance:plan_cascade", "get", SKP_WRITERS, kwargs={"pk": "skp_result"}, **_page()),
    Row(
        "performance:plan_cascade",
        "post",
        SKP_WRITERS,
        data={"employees": [999999], "kind": "main"},
        state=_skp_served,
        verify=_cascade_page_skipped,
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row(
        "performance:plan_result_tree",
        "get",
        SKP_SEEN,
        htmx=True,
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row("performance:plan_dialogue", "get", SKP_TALKERS, kwargs={"pk": "skp_result"}, **_page()),
    Row(
        "performance:plan_dialogue",
        "post",
        SKP_TALKERS,
        data={"kind": "feedback", "text": NEW_NAME},
        state=_skp_dialogue,
        expect=_const(1),
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row("performance:plan_work_log", "get", SKP_SEEN, kwargs={"pk": "skp_result"}, **_page()),
    Row(
        "performance:plan_work_log",
        "post",
        SKP_WRITERS,
        data=SKP_LOG,
        state=_skp_work_log,
        kwargs={"pk": "skp_result"},
        **_page(),
    ),
    Row(
        "performance:work_log_setting",
        "post",
        {"-": PERIODERS},
        data={"enabled": "1"},
        ok=(302,),
        state=_work_log_on,
        expect=_const(1),
        kwargs={"pk": "period"},
        **_page(),
    ),
    Row("api:plan-pdf", "get", SKP_SEEN, kwargs={"pk": "skp_plan"}, **_plan()),
    Row("api:plan-ekinerja", "get", SKP_SEEN, kwargs={"pk": "skp_plan"}, **_plan()),
    Row(
        "api:plan-result-cascade",
        "post",
        SKP_WRITERS,
        data={"employees": [999999]},
        state=_skp_served,
        verify=_cascade_api_skipped,
        kwargs={"pk": "skp_result"},
        **_plan(),
    ),
    Row("api:plan-result-tree", "get", SKP_SEEN, kwargs={"pk": "skp_result"}, **_plan()),
    Row("api:plan-result-dialogue", "get", SKP_TALKERS, kwargs={"pk": "skp_result"}, **_plan()),
    Row(
        "api:plan-result-dialogue",
        "post",
        SKP_TALKERS,
        data={"kind": "feedback", "text": NEW_NAME},
        ok=(201,),
        state=_skp_dialogue,
        expect=_const(1),
        kwargs={"pk": "skp_result"},
        **_plan(),
    ),
    Row("api:plan-result-work-log", "get", SKP_SEEN, kwargs={"pk": "skp_result"}, **_plan()),
    Row(
        "api:plan-result-work-log",
        "post",
        SKP_WRITERS,
        data=SKP_LOG,
        ok=(400,),
        state=_skp_work_log,
        kwargs={"pk": "skp_result"},
        **_plan(),
    ),
    Row(
        "api:period-work-log",
        "post",
        {"-": PERIODERS},
        data={"enabled": True},
        state=_work_log_on,
        expect=_const(1),
        kwargs={"pk": "period"},
        **_plan(),
    ),
]

# The TPP performance component (personnel data): the API and the workbook of the current
# month. Agency A's roles read A's staff; agency B's Rina (listed without a plan) shows for the
# instansi-wide roles only (the leak check). An evaluator's reach down the reporting lines and
# an employee's own record read none (403).
TPP_READERS = WIDE | {"opd_head", "opd_admin"}

MATRIX += [
    Row("api:tpp", "get", {"-": TPP_READERS}, leak_check=True, **_plan()),
    Row("performance:tpp_export", "get", {"-": TPP_READERS}, xlsx=True, **_page()),
]


def _skp_objects(world, key, agency) -> dict[str, Any]:
    """A draft plan of the agency's employee for January to June 2026 (the evaluator named by
    hand), one main result with an indicator and its 2026 target; the employee holds a post
    from 2025. Written straight."""
    from kinerja.organisations.models import Assignment
    from kinerja.performance.models import Indicator, Period, Plan, PlanResult, Target

    employee = {"a": world.staff_a, "b": world.staff_b, "x": world.staff_x}[key]
    held = Assignment.objects.filter(employee=employee, valid_to__isnull=True).first()
    if held is not None:  # agency B's employee heads it for the agreements
        post = held.position
    else:
        post = world.staff_pos_a if key == "a" else PositionFactory(unit=agency, code=f"SKP-{key}")
        Assignment.objects.create(
            instansi=agency.instansi,
            employee=employee,
            position=post,
            unit=post.unit,
            valid_from=dt.date(2025, 1, 1),
        )
    plan = Plan.objects.create(
        instansi=agency.instansi,
        employee=employee,
        position=post,
        position_title=post.title,
        position_kind=post.kind,
        unit=post.unit,
        period=Period.objects.get(instansi=agency.instansi, year=2026),
        starts=dt.date(2026, 1, 1),
        ends=dt.date(2026, 6, 30),
        evaluator_name="Atasan",
        evaluator_title="Kepala",
    )
    result = PlanResult.objects.create(plan=plan, text="Hasil", position=1)
    indicator = Indicator.objects.create(
        instansi=agency.instansi,
        result=result,
        unit=post.unit,
        code=f"SKP{plan.pk}-1",
        name="Dokumen",
        aspect="quantity",
        measure_unit="dokumen",
        control_level="output",
    )
    Target.objects.create(
        instansi=agency.instansi, indicator=indicator, year=2026, shape="value", value=4
    )
    return {"skp_plan": plan.pk, "skp_result": result.pk}


def _evaluation_objects(world, key, agency) -> dict[str, Any]:
    """An approved plan of the agency's head (as in ``_agreements``) for July to December 2026
    with one result, and a draft evaluation of its third quarter rated as expected on both
    counts (predikat baik). Written straight."""
    from kinerja.organisations.models import Employee
    from kinerja.performance.models import Evaluation, Period, Plan, PlanResult

    if key == "a":
        post, head = world.head_pos_a, world.head_a
    else:
        post = Position.objects.filter(unit=agency, is_head=True, is_active=True).first()
        head = Employee.objects.filter(unit=agency).order_by("pk").first()
    plan = Plan.objects.create(
        instansi=agency.instansi,
        employee=head,
        position=post,
        position_title=post.title,
        position_kind=post.kind,
        unit=agency,
        period=Period.objects.get(instansi=agency.instansi, year=2026),
        starts=dt.date(2026, 7, 1),
        ends=dt.date(2026, 12, 31),
        status="approved",
        evaluator_name="Sekretaris Daerah",
        evaluator_title="Sekretaris Daerah",
    )
    result = PlanResult.objects.create(plan=plan, text="Hasil", position=1)
    evaluation = Evaluation.objects.create(
        instansi=agency.instansi,
        plan=plan,
        kind="periodic",
        sub_period=3,
        source="agency",
        results_rating="as_expected",
        behaviour_rating="as_expected",
        predikat="baik",
    )
    return {"eval_plan": plan.pk, "eval_result": result.pk, "evaluation": evaluation.pk}


def _unit_predikat_objects(world, key, agency) -> dict[str, Any]:
    """The 2026 second-quarter predikat of division A (for "a"), agency B or the other
    instansi's agency, set to baik. Written straight."""
    from kinerja.performance.models import Period, UnitPredikat

    unit = world.division_a if key == "a" else agency
    row = UnitPredikat.objects.create(
        instansi=unit.instansi,
        unit=unit,
        period=Period.objects.get(instansi=unit.instansi, year=2026),
        sub_period=2,
        status="set",
        predikat="baik",
    )
    return {"unit_predikat": row.pk, "up_unit": unit.pk}


def _objection_objects(world, key, agency, made) -> dict[str, Any]:
    """For the objection rows: the fourth quarter of the head's plan (``made["eval_plan"]``)
    final today; a colleague of the target (no account) with an approved plan for 2026 (the
    evaluator named by hand) whose first quarter is final today with an open objection; an
    input on the head's third-quarter draft asked of the target's employee. Written straight."""
    from kinerja.organisations.tests.factories import EmployeeFactory
    from kinerja.performance.models import Evaluation, EvaluationInput, Objection, Plan

    now = timezone.now()
    final = {
        "instansi": agency.instansi,
        "kind": "periodic",
        "source": "plan",
        "results_rating": "as_expected",
        "behaviour_rating": "as_expected",
        "predikat": "baik",
        "status": "final",
        "finalised_at": now,
    }
    fourth = Evaluation.objects.create(plan_id=made["eval_plan"], sub_period=4, **final)
    colleague = EmployeeFactory(unit=agency, name=f"Rekan {key.upper()}")
    post = PositionFactory(unit=agency, code=f"REKAN-{key}")
    plan = Plan.objects.create(
        instansi=agency.instansi,
        employee=colleague,
        position=post,
        position_title=post.title,
        position_kind=post.kind,
        unit=agency,
        period_id=Plan.objects.get(pk=made["eval_plan"]).period_id,
        starts=dt.date(2026, 1, 1),
        ends=dt.date(2026, 12, 31),
        status="approved",
        evaluator_name="Kepala Dinas",
        evaluator_title="Kepala Dinas",
    )
    first = Evaluation.objects.create(plan=plan, sub_period=1, **final)
    objection = Objection.objects.create(
        instansi=agency.instansi,
        evaluation=first,
        filed_at=now,
        reasons="Keberatan",
        results_before="as_expected",
        behaviour_before="as_expected",
        predikat_before="baik",
    )
    staff = {"a": world.staff_a, "b": world.staff_b, "x": world.staff_x}[key]
    item = EvaluationInput.objects.create(
        instansi=agency.instansi,
        evaluation_id=made["evaluation"],
        author=staff,
        relation="peer",
        requested_at=now,
    )
    return {
        "final_evaluation": fourth.pk,
        "objection": objection.pk,
        "input": item.pk,
        "input_author": colleague.pk,
    }


def _agreements(world, key, agency, target) -> dict[str, Any]:
    """The agency's head post held from 2025 (agency A's by Budi) and its agreements: 2026
    draft (with ``target``), 2027 submitted, 2028 approved, 2029 signed; the governor is the
    second party. Written straight."""
    from kinerja.organisations.models import Assignment, Employee
    from kinerja.performance.models import Agreement, AgreementTarget

    if key == "a":
        post, head = world.head_pos_a, world.head_a
    else:
        post = Position.objects.filter(unit=agency, is_head=True, is_active=True).first()
        post = post or PositionFactory(
            unit=agency, code=f"HEAD-{key}", title="Kepala", is_head=True
        )
        head = Employee.objects.filter(unit=agency).order_by("pk").first()
    Assignment.objects.create(
        instansi=agency.instansi,
        employee=head,
        position=post,
        unit=agency,
        valid_from=dt.date(2025, 1, 1),
    )
    out: dict[str, Any] = {"submit_step": "submit"}
    for name, year, status in (
        ("agreement", 2026, "draft"),
        ("submitted_agreement", 2027, "submitted"),
        ("approved_agreement", 2028, "approved"),
        ("signed_agreement", 2029, "signed"),
    ):
        agreement = Agreement.objects.create(
            instansi=agency.instansi,
            unit=agency,
            year=year,
            status=status,
            agreement_date=dt.date(year, 1, 5),
            head_post=post,
            first_party=head,
            first_party_name=head.name,
            first_party_title=post.title,
            second_party_name="Gubernur",
            second_party_title="Gubernur",
            signed_at=timezone.now() if status == "signed" else None,
        )
        AgreementTarget.objects.create(
            agreement=agreement, target=target, goal_id=target.indicator.goal_id, position=1
        )
        out[name] = agreement.pk
    return out


def _action_of(agency, agreement_id) -> dict[str, Any]:
    """An action of the agency's 2026 draft: code A1, all its weight in the first quarter."""
    from kinerja.performance.models import Action, ActionSchedule, AgreementTarget, SubPeriod

    row = AgreementTarget.objects.get(agreement_id=agreement_id)
    action = Action.objects.create(
        instansi=agency.instansi,
        agreement_id=agreement_id,
        agreement_target=row,
        code="A1",
        text="Aksi",
        unit=agency,
    )
    ActionSchedule.objects.create(
        action=action,
        sub_period=SubPeriod.objects.get(instansi=agency.instansi, period__year=2026, number=1),
        weight=100,
    )
    return {"agreement_target": row.pk, "action": action.pk}


def planning_objects(world) -> dict[str, dict[str, Any]]:
    """Per target: a Renstra objective of the agency, an indicator of it and its 2026 target
    (agreements: see ``_agreements``)
    (100, last value); the instansi's 2026 period (quarterly), its first quarter, a late-entry
    window of division A and a library entry. Written straight: the rules are not under test."""
    from kinerja.performance.models import (
        Goal,
        Indicator,
        IndicatorTemplate,
        KeyIndicatorSet,
        KeyIndicatorSetItem,
        LateEntryWindow,
        Period,
        SubPeriod,
        Target,
    )

    def period(instansi):
        p = Period.objects.create(
            instansi=instansi,
            year=2026,
            plans_due=dt.date(2026, 1, 31),
            periodic_evaluation_days=10,
            annual_evaluation_due=dt.date(2027, 1, 31),
        )
        for n in range(1, 5):
            SubPeriod.objects.create(
                instansi=instansi,
                period=p,
                number=n,
                starts=dt.date(2026, 3 * n - 2, 1),
                ends=dt.date(2026, 3 * n, 28),
            )
        return p

    jatim = period(world.instansi)
    jatim_x = period(world.other_instansi)

    def regional(instansi):
        goal = None
        for level in ("mission", "objective", "target"):
            goal = Goal.objects.create(
                instansi=instansi, level=level, code=f"R-{level}", name=level, parent=goal
            )
        return goal

    mission, mission_x = regional(world.instansi), regional(world.other_instansi)
    out = {}
    for key, agency, top in (
        ("a", world.agency_a, mission),
        ("b", world.agency_b, mission),
        ("x", world.agency_x, mission_x),
    ):
        objective = Goal.objects.create(
            instansi=agency.instansi,
            level="agency_objective",
            code=f"G-{key}",
            name="T",
            parent=top,
            unit=agency,
        )
        indicator = Indicator.objects.create(
            instansi=agency.instansi,
            goal=objective,
            unit=agency,
            code=f"I-{key}",
            name="I",
            measure_unit="persen",
            control_level="outcome",
        )
        target = Target.objects.create(
            instansi=agency.instansi, indicator=indicator, year=2026, shape="value", value=100
        )
        # The agency's key-indicator set for 2026: one key indicator in it (with its 2026
        # target, so the set can be set) and a spare one to add.
        key_indicator, spare = (
            Indicator.objects.create(
                instansi=agency.instansi,
                goal=objective,
                unit=agency,
                code=f"{prefix}-{key}",
                name=prefix,
                measure_unit="persen",
                control_level="outcome",
                is_key=True,
            )
            for prefix in ("K", "L")
        )
        Target.objects.create(
            instansi=agency.instansi, indicator=key_indicator, year=2026, shape="value", value=90
        )
        key_set = KeyIndicatorSet.objects.create(
            instansi=agency.instansi, unit=agency, name="IKU", first_year=2026, last_year=2026
        )
        KeyIndicatorSetItem.objects.create(key_set=key_set, indicator=key_indicator, position=1)
        agreements = _agreements(world, key, agency, target)
        realisations = _realisations(world, key, target, jatim_x if key == "x" else jatim)
        agreements.update(_action_of(agency, agreements["agreement"]))
        agreements.update(_evaluation_objects(world, key, agency))
        agreements.update(_unit_predikat_objects(world, key, agency))
        agreements.update(_objection_objects(world, key, agency, agreements))
        agreements.update(_document_objects(world, key, agreements["evaluation"]))
        collaborations = _collaborations(world, key, agency, target, key_indicator, top)
        out[key] = {
            **agreements,
            **realisations,
            **collaborations,
            **_skp_objects(world, key, agency),
            "agency": agency.pk,
            "goal": objective.pk,
            "indicator": indicator.pk,
            "target": target.pk,
            "key_set": key_set.pk,
            "key_indicator": key_indicator.pk,
            "spare_key_indicator": spare.pk,
        }
    sub_period = jatim.sub_periods.get(number=1)
    window = LateEntryWindow.objects.create(
        instansi=world.instansi,
        unit=world.division_a,
        sub_period=sub_period,
        opens=dt.date(2026, 4, 1),
        closes=dt.date(2026, 4, 3),
        reason="uji",
    )
    template = IndicatorTemplate.objects.create(
        instansi=world.instansi,
        position_kind="pelaksana",
        name="Dokumen",
        measure_unit="dokumen",
        control_level="output",
    )
    common = {
        "period": jatim.pk,
        "sub_period": sub_period.pk,
        "window": window.pk,
        "template": template.pk,
        "target_year": 2030,
        "skp_employee": world.staff_a.pk,
    }
    return {key: {**common, **out.get(key, {})} for key in ("a", "b", "x", "-")}


# Function views declare no methods that can be read back; their methods are stated here.
FUNCTION_VIEW_METHODS = {"healthz": {"get"}, "set_language": {"post"}}
IGNORED_NAMESPACES = {"admin"}
AUTOMATIC_METHODS = {"head", "options"}  # answered by Django and DRF for every view


def view_methods(name: str, callback) -> set[str]:
    """Return the methods a resolved view answers with code of its own."""
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a DRF viewset route: the router's method map
        # DRF adds "head" to the map on the route's first GET.
        return set(actions) - AUTOMATIC_METHODS
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if cls is not None:
        return {m for m in cls.http_method_names if m not in AUTOMATIC_METHODS and hasattr(cls, m)}
    assert name in FUNCTION_VIEW_METHODS, f"say which methods the function view {name} answers"
    return FUNCTION_VIEW_METHODS[name]


def all_routes() -> set[tuple[str, str]]:
    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in IGNORED_NAMESPACES:
                    continue
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                for method in view_methods(name, p.callback):
                    yield name, method

    return set(walk(get_resolver().url_patterns, None))


# Each app's rows from its own module (tests/matrix_training*.py): the training app's.
MATRIX += training_rows()


def test_every_route_and_method_is_in_the_matrix():
    listed = [(row.name, row.method) for row in MATRIX]
    missing = all_routes() - set(listed)
    assert not missing, f"(route, method) pairs without a permission-matrix row: {sorted(missing)}"
    stale = set(listed) - all_routes()
    assert not stale, f"matrix rows for routes or methods that do not exist: {sorted(stale)}"
    assert len(listed) == len(set(listed)), "a (route, method) pair is listed twice"


def test_the_route_listing_sees_methods():
    """The listing itself must find writes, or the test above could pass on an empty set."""
    routes = all_routes()
    assert {("api:unit-list", "post"), ("api:unit-detail", "patch")} <= routes
    assert {("api:unit-detail", "put"), ("organisations:employee_create", "post")} <= routes
    assert ("api:region-detail", "patch") not in routes
    assert ("accounts:logout", "get") not in routes


def test_every_write_row_states_its_effect():
    for row in MATRIX:
        if row.method != "get":
            assert row.state or row.verify, f"{row.method} {row.name} has no effect to check"


@pytest.fixture(scope="module")
def shared(module_transaction):
    """The world, the objects per target and the planning objects, written once for the module
    (3,900 cases; each runs in a savepoint rolled back after it, so each starts from these rows)."""
    world = build_world()
    objects = build_objects(world)
    planning = planning_objects(world)
    training = training_objects(world)
    # One session per role, signed in once: a case sends its cookie (its own changes to the
    # session, a sign-out included, roll back with the rest).
    sessions = {}
    for role, user in world.users.items():
        signer = Client()
        signer.force_login(user)
        sessions[role] = signer.cookies[settings.SESSION_COOKIE_NAME].value
    return world, objects, (planning, training), sessions


@pytest.fixture
def world(shared, db):
    return shared[0]


@pytest.fixture
def objects(shared, db):
    return shared[1]


def build_objects(world):
    """Objects per target: a = inside agency A, b = agency B, x = another instansi."""
    pos_b = PositionFactory(unit=world.agency_b, code="DINKES-01")
    pos_x = PositionFactory(unit=world.agency_x, code="MLG-01")
    region = Region.objects.get(code="35")
    # Accounts: agency B's employee (named as her record, LEAK_MARK) and one of the other
    # instansi, each holding an evaluator grant there; and a grantee with no role, who is
    # nobody's own account, for the grant rows.
    user_b = User.objects.create_user(
        username="rina",
        password=PASSWORD,
        instansi=world.instansi,
        employee=world.staff_b,
        first_name="Rina",
        last_name="Wulandari",
    )
    grant_b = RoleAssignment.objects.create(
        user=user_b, role=Role.EVALUATOR, instansi=world.instansi, unit=world.agency_b
    )
    user_x = User.objects.create_user(
        username="dewi", password=PASSWORD, instansi=world.other_instansi, employee=world.staff_x
    )
    grant_x = RoleAssignment.objects.create(
        user=user_x, role=Role.EVALUATOR, instansi=world.other_instansi, unit=world.agency_x
    )
    grantee = User.objects.create_user(
        username="penerima", password=PASSWORD, instansi=world.instansi
    )

    def empty_under(parent, code):
        return OrgUnitFactory(
            instansi=parent.instansi, parent=parent, code=code, kind=UnitKind.SECTION
        ).pk

    def correction(employee):
        return CorrectionRequest.objects.create(
            instansi_id=employee.instansi_id,
            employee=employee,
            field="email",
            current_value=employee.email,
            proposed_value="koreksi@jatimprov.go.id",
            reason="uji",
        ).pk

    boss_b = PositionFactory(unit=world.agency_b, code="DINKES-KADIS", is_head=True)
    boss_x = PositionFactory(unit=world.agency_x, code="MLG-KADIS", is_head=True)

    def acting(employee, position):
        return ActingAssignment.objects.create(
            instansi_id=position.instansi_id,
            employee=employee,
            position=position,
            kind="plt",
            decree_number="SK-1",
            valid_from=dt.date(2025, 1, 1),
        ).pk

    common = {
        "users": world.users,
        "password": PASSWORD,
        "region": region.pk,
        "kind": "employees",
        "grantee": grantee.pk,
    }
    return {
        "a": {
            **common,
            "unit": world.division_a.pk,
            "unit_code": world.division_a.code,
            "empty_unit": empty_under(world.division_a, "DIKBUD-SMA-KOSONG"),
            "employee": world.staff_a.pk,
            "correction": correction(world.staff_a),
            "position": world.staff_pos_a.pk,
            "boss": world.head_pos_a.pk,
            "acting": acting(world.head_a, world.staff_pos_a),
            "account": world.users["employee"].pk,  # staff_a's account, no role of its own
            "grant": RoleAssignment.objects.get(user=world.users["evaluator"]).pk,  # division_a
        },
        "b": {
            **common,
            "unit": world.agency_b.pk,
            "unit_code": world.agency_b.code,
            "empty_unit": empty_under(world.agency_b, "DINKES-KOSONG"),
            "employee": world.staff_b.pk,
            "correction": correction(world.staff_b),
            "position": pos_b.pk,
            "boss": boss_b.pk,
            "acting": acting(world.staff_b, pos_b),
            "account": user_b.pk,
            "grant": grant_b.pk,
        },
        "x": {
            **common,
            "unit": world.agency_x.pk,
            "unit_code": world.agency_x.code,
            "empty_unit": empty_under(world.agency_x, "MLG-KOSONG"),
            "employee": world.staff_x.pk,
            "correction": correction(world.staff_x),
            "position": pos_x.pk,
            "boss": boss_x.pk,
            "acting": acting(world.staff_x, pos_x),
            "account": user_x.pk,
            "grant": grant_x.pk,
        },
        "-": {**common, "unit": world.division_a.pk, "unit_code": world.division_a.code},
    }


def build_objs(row, target, objects, world, role, planning, training=None) -> dict:
    """The target's objects, plus a token or an import job owned as the target says."""
    from kinerja.accounts.services import token_create

    objs = dict(objects.get(target) or objects["-"])
    if row.planning:
        objs.update(planning[target])
    if row.training:
        objs.update(training[target])
    if "token" in row.kwargs.values():
        if target == "own" and role != "anonymous":
            owner = world.users[role]
        else:
            owner = world.users["bappeda" if role == "bkd" else "bkd"]
        token, _raw = token_create(actor=owner, user=owner, name="t")
        objs["token"] = token.pk
    if "job" in row.kwargs.values():
        if target == "own" and role in IMPORTERS:
            owner = world.users[role]
        elif target == "own":
            owner = world.users["opd_admin"]
        else:  # another importer's job
            owner = world.users["system_admin" if role == "bkd" else "bkd"]
        job = ImportJob.objects.create(
            instansi=world.instansi,
            created_by=owner,
            kind="employees",
            status=row.job_status,
            original_name="x.csv",
            # A stored file, so that its download (and a retry) finds it.
            file=ContentFile(JOB_FILE, name="x.csv"),
        )
        objs["job"] = job.pk
    return objs


def request(client, row, url, objs, role):
    data = row.data(objs, role) if callable(row.data) else row.data
    fn = getattr(client, row.method)
    if row.htmx:
        return fn(url, headers={"HX-Request": "true"})
    if row.api and row.method != "get":
        return fn(url, data or {}, content_type="application/json")
    if row.method == "post":
        return fn(url, data or {})
    if row.method == "put":
        return fn(url, "", content_type="application/x-www-form-urlencoded")
    return fn(url, HTTP_ACCEPT="application/json") if row.api else fn(url)


# Every case runs by default (``make test``). CI runs each row with a twelfth of the roles on
# SQLite (KINERJA_MATRIX_EVERY=12) and with a 96th on PostgreSQL (EVERY=96, OFFSET=1), the roles
# rotating from row to row, so every role runs on both databases (the rows are many more).
EVERY = max(1, int(os.environ.get("KINERJA_MATRIX_EVERY", "1")))
# Which of the EVERY roles of a row run: CI gives its two passes different offsets, so the
# roles a row runs with on PostgreSQL are not those it ran with on SQLite.
OFFSET = int(os.environ.get("KINERJA_MATRIX_OFFSET", "0"))


def cases():
    for r, row in enumerate(MATRIX):
        for target in row.allowed:
            for k, role in enumerate(ROLES):
                if (r + k + OFFSET) % EVERY:
                    continue
                yield pytest.param(row, target, role, id=f"{row.method}-{row.name}-{target}-{role}")


@pytest.mark.parametrize(("row", "target", "role"), list(cases()))
def test_matrix(row, target, role, shared, world, objects, client):
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = shared[3][role]
    objs = build_objs(row, target, objects, world, role, *shared[2])
    url = reverse(row.name, kwargs={k: objs[key] for k, key in row.kwargs.items()})
    before = row.state(objs, role) if row.state else None
    response = request(client, row, url, objs, role)
    allowed = role in row.allowed[target]
    could_elsewhere = any(role in roles for roles in row.allowed.values())
    body = b"".join(response.streaming_content) if response.streaming else response.content
    detail = (row.method, url, role, response.status_code, body[:300])
    if allowed:
        assert response.status_code in row.ok, detail
    elif role == "anonymous":
        if row.api:
            assert response.status_code in (401, 403), detail
        else:
            assert response.status_code == 302, detail
            assert "/accounts/login/" in response["Location"]
    elif could_elsewhere and target in ("b", "x", "other"):
        # Outside the caller's reach an object does not exist: 404, or "not found" in the
        # payload (400) when the payload names it.
        assert response.status_code == row.outside, detail
    else:
        # A route the role has no business with is forbidden (403); an object out of reach 404,
        # or 400 where the payload names it (``outside``).
        assert response.status_code in (403, 404, row.outside), detail
    if row.state is not None:
        after = row.state(objs, role)
        if allowed and row.expect is not None:
            assert before != row.expect(objs, role), "the case cannot show a change"
            assert after == row.expect(objs, role), detail
        else:
            assert after == before, detail
    if allowed and row.verify:
        row.verify(response, client, objs, role)
    if allowed and row.body is not None:
        assert body == row.body, detail
    if allowed and row.leak_check:
        assert (LEAK_MARK in body.decode()) == (role in SEE_B), (url, role)
    if allowed and row.xlsx:
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        names = {cell for r in sheet.iter_rows(values_only=True) for cell in r}
        assert (LEAK_MARK in names) == (role in SEE_B), role


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_admin_site_is_for_superusers_only(role, world, client):
    client.force_login(world.users[role])
    response = client.get("/admin/organisations/employee/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
