"""What the permission matrix is made of: the roles, the sets of roles that reach each target,
and `Row`, one (URL name, method) with who may call it and what it changes. Shared by
``test_permission_matrix.py`` and the rows each app adds from its own module
(``tests/matrix_*.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
# The evaluator reaches down the reporting lines from their own posts, not the unit of the grant;
# the world's evaluator holds no post, so reaches nobody (their reach: organisations'
# test_reporting.py, through page, API and export).
IN_A = WIDE | {"opd_head", "opd_admin", "employee"}  # reach division_a / staff_a
VIEWERS = WIDE | {"opd_head", "opd_admin", "evaluator"}  # hold a grant to view people
VIEWERS_A = VIEWERS - {"evaluator"}  # ... that reaches division_a
IMPORTERS = {"system_admin", "bkd", "opd_admin"}
WIDE_IMPORTERS = {"system_admin", "bkd"}
CHANGERS_A = {"system_admin", "bkd", "opd_admin"}
CHANGERS_WIDE = {"system_admin", "bkd"}
AUDITORS = {"system_admin", "bkd", "inspektorat", "opd_head", "opd_admin"}
MANAGERS = {"system_admin", "opd_admin"}  # manage access: accounts and role grants
WITH_RECORD = {"employee", "opd_head"}  # accounts linked to an employee record (staff_a, head_a)
# Targets of the account and grant rows: "a" inside agency A, "b" agency B, "x" another instansi.
MANAGE_SCOPED = {"a": MANAGERS, "b": {"system_admin"}, "x": set()}
SEE_B = WIDE  # roles that may see agency B's employee "Rina Wulandari"
LEAK_MARK = "Rina Wulandari"
NEW_NAME = "Nama Baru Uji"
JOB_FILE = b"nip,name,status,unit_code\n"  # the stored file of the import job in build_objs
NEW_PASSWORD = "Kopi-Tubruk-Pagi-7!"  # passes the validators (see accounts/tests/test_passwords.py)


@dataclass
class Row:
    """One (URL name, method): how to call it on a target, and which roles may, with what effect.

    ``state(objs, role)`` reads what a write changes; ``expect(objs, role)`` is its value after an
    allowed call. A row with ``state`` and no ``expect`` must leave the state alone for everyone.
    ``outside`` is the status a role that may use the route elsewhere gets on a target outside its
    reach: 404 when the target is in the URL, 400 when it is named in the payload (the scoped
    lookup answers "not found", revealing nothing).
    """

    name: str
    method: str
    allowed: dict[str, set[str]]  # target ("-" for none) -> roles allowed
    data: Callable[[dict, str], dict] | dict | None = None
    api: bool = False
    ok: tuple[int, ...] = (200,)
    state: Callable[[dict, str], Any] | None = None
    expect: Callable[[dict, str], Any] | None = None
    verify: Callable[[Any, Any, dict, str], None] | None = None  # (response, client, objs, role)
    outside: int = 404
    leak_check: bool = False  # the body must hold LEAK_MARK exactly for SEE_B
    xlsx: bool = False
    htmx: bool = False
    multipart: bool = False
    kwargs: dict[str, str] = field(default_factory=dict)  # URL kwarg -> key in objs
    body: bytes | None = None  # the exact body an allowed call answers (a download)
    job_status: str = "pending"  # the status of the import job that ``build_objs`` creates
    planning: bool = False  # the target's planning objects (``planning_objects``) are needed
    training: bool = False  # the target's training objects (``tests/matrix_training.py``)


def public(name, method="get", ok=(200,), **kw):
    return Row(name, method, {"-": set(ROLES)}, ok=ok, **kw)


# Targets: "a" inside agency A (division_a), "b" agency B, "x" another instansi, "-" none.
SCOPED = {"a": IN_A, "b": WIDE, "x": set()}
CHANGE_SCOPED = {"a": CHANGERS_A, "b": CHANGERS_WIDE, "x": set()}
