"""What each role may do. Roles are assigned on a unit (its subtree) or across the instansi."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.core.scope import Action as A


class Role(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership (governor, regional secretary)")
    BAPPEDA = "bappeda", _("Bappeda (planning)")
    BKD = "bkd", _("BKD (personnel)")
    BPSDM = "bpsdm", _("BPSDM (training)")
    INSPEKTORAT = "inspektorat", _("Inspektorat (audit)")
    OPD_HEAD = "opd_head", _("Head of agency")
    OPD_ADMIN = "opd_admin", _("Agency administrator")
    EVALUATOR = "evaluator", _("Evaluator (superior)")
    EMPLOYEE = "employee", _("Employee")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


READ = frozenset({A.VIEW_ORG, A.VIEW_PEOPLE, A.EXPORT, A.VIEW_PLANNING})
# Planning: Bappeda keeps the regional plan and the indicator library; the periods are set by
# the system administrator, BKD or Bappeda; an agency administrator keeps its agency's Renstra,
# indicators and targets (a grant on the agency).
PLANNING = frozenset({A.MANAGE_PERIODS, A.MANAGE_GOALS, A.MANAGE_PLANS})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: A.ALL,
    Role.LEADERSHIP: READ,
    Role.BAPPEDA: READ | PLANNING,
    Role.BKD: READ | {A.CHANGE_PEOPLE, A.CHANGE_ORG, A.IMPORT, A.VIEW_AUDIT, A.MANAGE_PERIODS},
    Role.BPSDM: READ | {A.MANAGE_TRAINING},
    Role.INSPEKTORAT: READ | {A.VIEW_AUDIT},
    Role.OPD_HEAD: READ | {A.VIEW_AUDIT, A.NOMINATE},
    Role.OPD_ADMIN: READ
    | {
        A.CHANGE_PEOPLE,
        A.CHANGE_ORG,
        A.IMPORT,
        A.VIEW_AUDIT,
        A.MANAGE_ACCESS,
        A.MANAGE_PLANS,
        A.NOMINATE,
    },
    Role.EVALUATOR: READ,
    # An employee's own record is reached through Scope.employee_id, not a grant.
    Role.EMPLOYEE: frozenset(),
}

# Roles that act across the whole instansi; the others need a unit.
INSTANSI_WIDE_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.LEADERSHIP, Role.BAPPEDA, Role.BKD, Role.BPSDM, Role.INSPEKTORAT}
)
UNIT_ROLES = frozenset({Role.OPD_HEAD, Role.OPD_ADMIN, Role.EVALUATOR})
# Roles whose reach is not their unit's subtree but the posts below the holder's own posts,
# down the reporting lines. Their unit says where the role was granted (who may revoke it).
POST_ROLES = frozenset({Role.EVALUATOR})

# Who outranks whom when granting. An access manager grants only roles ranked at or below one
# of its own grants that covers the place: an agency administrator grants evaluator or agency
# administrator inside its agency, never head of agency, an instansi-wide role or system admin.
ROLE_RANK: dict[str, int] = {
    Role.SYSTEM_ADMIN: 100,
    Role.LEADERSHIP: 80,
    Role.BAPPEDA: 70,
    Role.BKD: 70,
    Role.BPSDM: 70,
    Role.INSPEKTORAT: 70,
    Role.OPD_HEAD: 50,
    Role.OPD_ADMIN: 40,
    Role.EVALUATOR: 20,
    Role.EMPLOYEE: 0,
}
# The employee role comes from the user's employee record, not from a grant.
GRANTABLE_ROLES = tuple(r for r in Role if r != Role.EMPLOYEE)

# Roles whose work is the API (connecting other systems): their menus link to the API tokens
# page. Anyone else sees the link once they hold a token (kinerja.accounts.context_processors).
API_ROLES = frozenset({Role.SYSTEM_ADMIN})
