"""Every URL pattern, every role, objects inside and outside the role's scope.

`MATRIX` must name every URL of the project (the admin aside, which is for superusers only and
checked below): a new URL fails `test_every_url_is_in_the_matrix` until its row is written, so no
endpoint can escape the matrix. For each row and role the test checks the status code, and for
lists and exports that the other agency's employee does not leak into the body.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kinerja.imports.models import ImportJob

ROLES = [
    "anonymous",
    "system_admin",
    "leadership",
    "bappeda",
    "bkd",
    "bpsdm",
    "inspektorat",
    "opd_head",
    "opd_admin",
    "evaluator",
    "employee",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
WIDE = {"system_admin", "leadership", "bappeda", "bkd", "bpsdm", "inspektorat"}
IN_A = WIDE | {"opd_head", "opd_admin", "evaluator", "employee"}  # reach division_a / staff_a
VIEWERS = WIDE | {"opd_head", "opd_admin", "evaluator"}  # hold a grant to view people
IMPORTERS = {"system_admin", "bkd", "opd_admin"}
CHANGERS_A = {"system_admin", "bkd", "opd_admin"}
CHANGERS_WIDE = {"system_admin", "bkd"}
AUDITORS = {"system_admin", "bkd", "inspektorat", "opd_head", "opd_admin"}
SEE_B = WIDE  # roles that may see agency B's employee "Rina Wulandari"
LEAK_MARK = "Rina Wulandari"


@dataclass
class Row:
    """One URL: how to build it for a target, and which roles may use it there."""

    name: str
    allowed: dict[str, set[str]]  # target ("-" for none) -> roles allowed
    method: str = "get"
    data: dict | None = None
    api: bool = False
    ok: tuple[int, ...] = (200,)
    leak_check: bool = False  # the body must hold LEAK_MARK exactly for SEE_B
    xlsx: bool = False
    htmx: bool = False
    kwargs: dict[str, str] = field(default_factory=dict)  # kwarg -> world attribute per target


def public(name, ok=(200,), **kw):
    return Row(name, {"-": set(ROLES)}, ok=ok, **kw)


MATRIX: list[Row] = [
    public("healthz"),
    public("accounts:login", ok=(200, 302)),  # signed-in users are sent home
    public("set_language", method="post", data={"language": "en"}, ok=(302,)),
    public("accounts:logout", method="post", ok=(302,)),
    Row("core:home", {"-": SIGNED_IN}),
    Row("accounts:token_list", {"-": SIGNED_IN}),
    Row(
        "accounts:token_create",
        {"-": SIGNED_IN},
        method="post",
        data={"name": "sinkron", "days": 30},
        ok=(200, 302),
    ),
    Row(
        "accounts:token_revoke",
        {"own": SIGNED_IN, "other": set()},
        method="post",
        ok=(200, 302),
        kwargs={"pk": "token"},
    ),
    Row("organisations:unit_tree", {"-": VIEWERS}, leak_check=False),
    Row("organisations:unit_detail", {"a": IN_A, "b": WIDE, "x": set()}, kwargs={"pk": "unit"}),
    Row(
        "organisations:unit_children",
        {"a": VIEWERS, "b": WIDE, "x": set()},
        kwargs={"pk": "unit"},
        htmx=True,
    ),
    Row("organisations:employee_list", {"-": VIEWERS}, leak_check=True),
    Row("organisations:employee_export", {"-": VIEWERS}, xlsx=True),
    Row("organisations:employee_me", {"-": {"employee", "opd_head"}}, ok=(302,)),
    Row(
        "organisations:employee_detail",
        {"a": IN_A, "b": WIDE, "x": set()},
        kwargs={"pk": "employee"},
    ),
    Row(
        "organisations:employee_update",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        kwargs={"pk": "employee"},
    ),
    Row("organisations:employee_create", {"-": CHANGERS_A}),
    Row(
        "organisations:unit_update",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        kwargs={"pk": "unit"},
    ),
    Row(
        "organisations:unit_create",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        kwargs={"pk": "unit"},
    ),
    Row("audit:event_list", {"-": AUDITORS}),
    Row("imports:import_start", {"-": IMPORTERS}),
    Row("imports:importjob_list", {"-": IMPORTERS}),
    Row(
        "imports:importjob_detail",
        {"own": IMPORTERS - {"opd_admin"} | {"opd_admin"}},
        kwargs={"pk": "job"},
    ),
    Row("imports:importjob_errors", {"own": IMPORTERS}, kwargs={"pk": "job"}),
    # The job is still waiting, so the retry is refused with a message and a redirect.
    Row(
        "imports:importjob_retry",
        {"own": IMPORTERS},
        method="post",
        ok=(302,),
        kwargs={"pk": "job"},
    ),
    Row("imports:importjob_file", {"own": IMPORTERS}, kwargs={"pk": "job"}),
    Row("imports:import_template", {"-": IMPORTERS}, kwargs={"kind": "kind"}),
    # API
    Row("api:api-root", {"-": SIGNED_IN}, api=True),
    Row("api:me", {"-": SIGNED_IN}, api=True),
    # The schema and its docs describe the endpoints, not data: open to other systems' developers.
    public("api-schema"),
    public("api-docs"),
    Row("api:region-list", {"-": SIGNED_IN}, api=True),
    Row("api:region-detail", {"-": SIGNED_IN}, api=True, kwargs={"pk": "region"}),
    Row("api:unit-list", {"-": SIGNED_IN - {"employee"} | {"employee"}}, api=True),
    Row("api:unit-detail", {"a": IN_A, "b": WIDE, "x": set()}, api=True, kwargs={"pk": "unit"}),
    Row(
        "api:unit-close",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        api=True,
        method="post",
        data={"valid_to": "2030-01-01", "reason": "uji"},
        ok=(200, 400),
        kwargs={"pk": "unit"},
    ),
    Row("api:position-list", {"-": SIGNED_IN}, api=True),
    Row(
        "api:position-detail",
        {"a": IN_A, "b": WIDE, "x": set()},
        api=True,
        kwargs={"pk": "position"},
    ),
    Row("api:employee-list", {"-": SIGNED_IN}, api=True, leak_check=True),
    Row(
        "api:employee-detail",
        {"a": IN_A, "b": WIDE, "x": set()},
        api=True,
        kwargs={"pk": "employee"},
    ),
    Row(
        "api:employee-detail",
        {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()},
        api=True,
        method="patch",
        data={"email": "uji@jatimprov.go.id"},
        kwargs={"pk": "employee"},
    ),
]

# Format-suffix twins of the API routes are the same views; the matrix covers them by name.
IGNORED_NAMES = {"admin"}


def all_url_names() -> set[str]:
    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in IGNORED_NAMES:
                    continue
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_url_is_in_the_matrix():
    missing = all_url_names() - {row.name for row in MATRIX}
    assert not missing, f"URLs without a permission-matrix row: {sorted(missing)}"


@pytest.fixture
def targets(world):
    """Objects per target: a = inside agency A, b = agency B, x = another instansi."""
    from kinerja.accounts.services import token_create
    from kinerja.organisations.models import Region
    from kinerja.organisations.tests.factories import PositionFactory

    pos_b = PositionFactory(unit=world.agency_b, code="DINKES-01")
    pos_x = PositionFactory(unit=world.agency_x, code="MLG-01")
    region = Region.objects.get(code="35")
    return {
        "a": {
            "unit": world.division_a.pk,
            "employee": world.staff_a.pk,
            "position": world.staff_pos_a.pk,
        },
        "b": {"unit": world.agency_b.pk, "employee": world.staff_b.pk, "position": pos_b.pk},
        "x": {"unit": world.agency_x.pk, "employee": world.staff_x.pk, "position": pos_x.pk},
        "-": {"region": region.pk, "kind": "employees"},
        "_token_create": token_create,
    }


def build_kwargs(row, target, objects, world, role):
    kwargs = {}
    for kwarg, key in row.kwargs.items():
        if key == "token":
            if target == "own" and role != "anonymous":
                owner = world.users[role]
            else:
                owner = world.users["bappeda" if role == "bkd" else "bkd"]
            token, _raw = objects["_token_create"](actor=owner, user=owner, name="t")
            kwargs[kwarg] = token.pk
        elif key == "job":
            owner = world.users[role] if role in IMPORTERS else world.users["opd_admin"]
            job = ImportJob.objects.create(
                instansi=world.instansi,
                created_by=owner,
                kind="employees",
                original_name="x.csv",
                file=ContentFile(b"nip\n", name="x.csv"),
            )
            kwargs[kwarg] = job.pk
        else:
            source = objects.get(target) or objects["-"]
            kwargs[kwarg] = source[key] if key in source else objects["-"][key]
    return kwargs


def request(client, row, url):
    fn = getattr(client, row.method)
    if row.htmx:
        return fn(url, headers={"HX-Request": "true"})
    if row.api and row.method in ("post", "patch"):
        return fn(url, row.data or {}, content_type="application/json")
    if row.method == "post":
        return fn(url, row.data or {})
    return fn(url, HTTP_ACCEPT="application/json") if row.api else fn(url)


def cases():
    for row in MATRIX:
        for target in row.allowed:
            for role in ROLES:
                yield pytest.param(row, target, role, id=f"{row.method}-{row.name}-{target}-{role}")


@pytest.mark.parametrize(("row", "target", "role"), list(cases()))
def test_matrix(row, target, role, world, targets, client):
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(row.name, kwargs=build_kwargs(row, target, targets, world, role))
    response = request(client, row, url)
    allowed = role in row.allowed[target]
    if allowed:
        assert response.status_code in row.ok, (url, role, response.status_code)
    elif role == "anonymous":
        if row.api:
            assert response.status_code in (401, 403), (url, response.status_code)
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert "/accounts/login/" in response["Location"]
    else:
        # Outside the caller's reach an object does not exist (404); a page the role has no
        # business with is forbidden (403).
        assert response.status_code in (403, 404), (url, role, response.status_code)
        could_elsewhere = any(role in roles for roles in row.allowed.values())
        if target in ("b", "x") and could_elsewhere:
            assert response.status_code == 404, (url, role, response.status_code)
    if allowed and row.leak_check:
        body = response.content.decode()
        assert (LEAK_MARK in body) == (role in SEE_B), (url, role)
    if allowed and row.xlsx:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        names = {cell for r in sheet.iter_rows(values_only=True) for cell in r}
        assert (LEAK_MARK in names) == (role in SEE_B), role


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_admin_site_is_for_superusers_only(role, world, client):
    client.force_login(world.users[role])
    response = client.get("/admin/organisations/employee/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
