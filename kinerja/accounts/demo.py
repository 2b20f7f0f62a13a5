"""Demo log-ins: one account per role on the demo province, all with one documented password.

Demo accounts carry ``is_demo=True``; the authentication backend refuses them wherever
``settings.KINERJA_DEMO_LOGINS`` is False (production). The roles are granted through
``services.role_assign``, so the audit trail shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.choices import EmployeeStatus, UnitKind
from kinerja.organisations.models import Employee, Instansi, OrgUnit, Position

from .models import RoleAssignment, User
from .roles import Role
from .services import role_assign

# Documented in the README and printed by `manage.py demo_logins`: 12+ characters with upper
# and lower case, a digit and a symbol, as the password validators want.
DEMO_PASSWORD = "Kinerja-Demo-2023!"  # noqa: S105 - a public demo password, refused in production

EDUCATION = "Dinas Pendidikan"
HEALTH = "Dinas Kesehatan"


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: its role, and where it holds it.

    ``agency`` names the agency of a unit role; ``on`` is ``"agency"`` or ``"division"`` (a
    division of that agency); ``link`` ties the account to the unit head's (``"head"``) or a
    staff member's (``"staff"``) employee record.
    """

    username: str
    role: str
    full_name: str
    agency: str = ""
    on: str = "agency"
    link: str = ""


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.SYSTEM_ADMIN, "Administrator Sistem"),
    DemoLogin("gubernur", Role.LEADERSHIP, "Gubernur Jawa Timur"),
    DemoLogin("bappeda", Role.BAPPEDA, "Bappeda Jawa Timur"),
    DemoLogin("bkd", Role.BKD, "BKD Jawa Timur"),
    DemoLogin("bpsdm", Role.BPSDM, "BPSDM Jawa Timur"),
    DemoLogin("inspektorat", Role.INSPEKTORAT, "Inspektorat Jawa Timur"),
    DemoLogin("kadis.pendidikan", Role.OPD_HEAD, "Kepala Dinas Pendidikan", EDUCATION, link="head"),
    DemoLogin("admin.pendidikan", Role.OPD_ADMIN, "Admin Dinas Pendidikan", EDUCATION),
    DemoLogin("admin.kesehatan", Role.OPD_ADMIN, "Admin Dinas Kesehatan", HEALTH),
    DemoLogin(
        "penilai.pendidikan",
        Role.EVALUATOR,
        "Penilai Dinas Pendidikan",
        EDUCATION,
        on="division",
        link="head",
    ),
    DemoLogin(
        "pegawai.pendidikan",
        Role.EMPLOYEE,
        "Pegawai Dinas Pendidikan",
        EDUCATION,
        on="division",
        link="staff",
    ),
)


def _system_scope(instansi: Instansi) -> Scope:
    return Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),))


def _agency(instansi: Instansi, name: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(instansi=instansi, parent__isnull=True, name=name).first()


def _division(agency: OrgUnit) -> OrgUnit | None:
    """Return the agency's first division (a bidang before the secretariat) that has staff."""
    return (
        OrgUnit.objects.filter(
            parent=agency,
            kind__in=[UnitKind.DIVISION, UnitKind.SECRETARIAT],
            employees__position__is_head=False,
        )
        .annotate(
            first=Case(
                When(kind=UnitKind.DIVISION, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("first", "code")
        .first()
    )


def _head_post(unit: OrgUnit) -> Position | None:
    return Position.objects.filter(unit=unit, is_head=True, is_active=True).first()


def _free(employees):
    """Keep employees no account is linked to yet, in a stable order."""
    return employees.filter(user__isnull=True).order_by("nip", "pk")


def _employee(login: DemoLogin, unit: OrgUnit, user: User) -> Employee | None:
    head = _head_post(unit)
    current = user.employee if user.employee_id else None
    if (
        current is not None
        and current.unit_id == unit.pk
        and ((current.position_id == getattr(head, "pk", None)) == (login.link == "head"))
    ):
        return current  # keep the link made on an earlier run
    if login.link == "head":
        return _free(Employee.objects.filter(position=head)).first() if head else None
    staff = Employee.objects.filter(unit=unit, position__is_head=False)
    return (
        _free(staff.filter(position__reports_to=head, status=EmployeeStatus.PNS)).first()
        or _free(staff).first()
    )


def _where(login: DemoLogin, instansi: Instansi) -> OrgUnit | None:
    """Return the unit the login is held on (None: instansi-wide); raise LookupError if absent."""
    if not login.agency:
        return None
    agency = _agency(instansi, login.agency)
    unit = _division(agency) if agency and login.on == "division" else agency
    if unit is None:
        raise LookupError(login.agency)
    return unit


@transaction.atomic
def create_demo_users(instansi: Instansi) -> tuple[list[User], list[str]]:
    """Create or refresh the demo accounts of ``instansi``; return them and notes on skips.

    Raise ValueError rather than turn an existing real account into a demo one.
    """
    users, notes = [], []
    scope = _system_scope(instansi)
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is not None and not user.is_demo:
            raise ValueError(
                _("A real account is called %(username)r: the demo will not take it over.")
                % {"username": login.username}
            )
        try:
            unit = _where(login, instansi)
        except LookupError:
            notes.append(
                _("No %(agency)s with a division in %(instansi)s: %(username)s skipped.")
                % {"agency": login.agency, "instansi": instansi, "username": login.username}
            )
            continue
        user = user or User(username=login.username)
        employee = _employee(login, unit, user) if login.link else None
        if login.link and employee is None:
            notes.append(
                _("No employee to link to %(username)s: skipped.") % {"username": login.username}
            )
            continue
        user.instansi = instansi
        user.is_demo = True
        user.is_active = True
        user.is_staff = user.is_superuser = login.role == Role.SYSTEM_ADMIN
        user.first_name = (employee.name if employee else login.full_name)[:150]
        user.last_name = ""
        user.employee = employee
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        # The employee role is reached through the employee link; it needs no unit.
        role_unit = None if login.role == Role.EMPLOYEE else unit
        stale = user.role_assignments.exclude(role=login.role, unit=role_unit)
        stale.delete()
        if not user.role_assignments.exists():
            role_assign(actor=None, scope=scope, user=user, role=login.role, unit=role_unit)
        users.append(user)
    return users, notes


@transaction.atomic
def wipe_demo_users(instansi: Instansi) -> int:
    """Drop the roles and employee links of the instansi's demo accounts; return how many.

    The accounts themselves stay (the audit trail may name them as actors); loading the demo
    again gives them their roles back.
    """
    users = User.objects.filter(is_demo=True, instansi=instansi)
    RoleAssignment.objects.filter(user__in=users).delete()
    return users.update(employee=None)


def describe_scope(user: User) -> str:
    """Return where the user's roles reach, for the demo table."""
    parts = []
    for ra in user.role_assignments.select_related("unit", "unit__agency", "instansi"):
        if ra.role == Role.EMPLOYEE:
            parts.append(_("own record: %(name)s") % {"name": user.employee or "-"})
        elif ra.unit is None:
            parts.append(_("all agencies of %(instansi)s") % {"instansi": ra.instansi})
        elif ra.unit.parent_id:
            parts.append(f"{ra.unit.name} ({ra.unit.agency.name})")
        else:
            parts.append(ra.unit.name)
    return "; ".join(parts) or "-"


def demo_login_rows() -> list[tuple[str, str, str, str]]:
    """Return (username, role, scope, password) for each demo account, in the documented order."""
    order = {login.username: i for i, login in enumerate(DEMO_LOGINS)}
    users = sorted(
        User.objects.filter(is_demo=True)
        .select_related("employee")
        .prefetch_related("role_assignments"),
        key=lambda u: (order.get(u.username, len(order)), u.username),
    )
    rows = []
    for user in users:
        roles = ", ".join(str(Role(ra.role).label) for ra in user.role_assignments.all())
        rows.append((user.username, roles or "-", describe_scope(user), DEMO_PASSWORD))
    return rows


def demo_step_run(ctx) -> str:
    """The load_demo step: the demo accounts, unless these settings refuse demo log-ins."""
    if not settings.KINERJA_DEMO_LOGINS:
        return _("skipped: these settings refuse demo log-ins (KINERJA_DEMO_LOGINS=False)")
    users, notes = create_demo_users(ctx.instansi)
    ctx.notes.extend(notes)
    return _("%(n)d demo accounts, password %(password)s (manage.py demo_logins lists them)") % {
        "n": len(users),
        "password": DEMO_PASSWORD,
    }


def demo_step_wipe(ctx) -> str:
    n = wipe_demo_users(ctx.instansi)
    return _("roles of %(n)d demo accounts removed") % {"n": n}
