"""Writes on accounts: role grants, passwords and API tokens, each audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, Instansi, OrgUnit

from .models import ApiToken, RoleAssignment, User, hash_token
from .roles import GRANTABLE_ROLES, INSTANSI_WIDE_ROLES, ROLE_RANK, UNIT_ROLES, Role

MAX_TOKEN_DAYS = 366


@transaction.atomic
def role_assign(
    *, actor, scope: Scope, user: User, role: str, unit: OrgUnit | None = None
) -> RoleAssignment:
    """Give ``user`` a role on ``unit`` (its subtree) or, for cross-agency roles, the instansi.

    For loaders acting with a system scope (the demo); people grant through `role_grant`,
    which also applies the rank rule.
    """
    if not scope.can(Action.MANAGE_ACCESS, unit.path if unit else None):
        raise PermissionDenied(_("You may not grant roles here."))
    if role in UNIT_ROLES and unit is None:
        raise ValidationError({"unit": _("This role is held on a unit.")})
    if role in INSTANSI_WIDE_ROLES and unit is not None:
        raise ValidationError({"unit": _("This role covers the whole instansi.")})
    instansi_id = scope.instansi_id
    if unit is not None and unit.instansi_id != instansi_id:
        raise ValidationError({"unit": _("The unit belongs to another instansi.")})
    ra, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"instansi_id": instansi_id}
    )
    record(
        actor=actor,
        action="role.assign",
        target=user,
        instansi_id=instansi_id,
        unit=unit,
        changes={"role": [None, role], "unit": [None, getattr(unit, "pk", None)]},
    )
    return ra


def may_grant(scope: Scope, role: str, unit: OrgUnit | None) -> bool:
    """Return whether the caller may grant or end ``role`` on ``unit`` (None: the instansi).

    One of the caller's access-managing grants must cover the place (the instansi, or a subtree
    holding the unit) and rank at or above the role.
    """
    if role not in GRANTABLE_ROLES:
        return False
    rank = ROLE_RANK.get(role, 1000)
    for grant in scope.grants:
        if Action.MANAGE_ACCESS not in grant.actions:
            continue
        if grant.unit_path is not None and (
            unit is None or not unit.path.startswith(grant.unit_path)
        ):
            continue
        if ROLE_RANK.get(grant.role, -1) >= rank:
            return True
    return False


def grantable_roles(scope: Scope) -> list[str]:
    """Return the roles the caller may grant somewhere, highest first."""
    best = max(
        (ROLE_RANK.get(g.role, -1) for g in scope.grants if Action.MANAGE_ACCESS in g.actions),
        default=-1,
    )
    wide = any(g.unit_path is None for g in scope.grants if Action.MANAGE_ACCESS in g.actions)
    return [
        r
        for r in sorted(GRANTABLE_ROLES, key=lambda r: -ROLE_RANK[r])
        if ROLE_RANK[r] <= best and (wide or r in UNIT_ROLES)
    ]


def _grant_repr(assignment: RoleAssignment) -> str:
    return f"{assignment.user} — {assignment}"[:300]


@transaction.atomic
def role_grant(
    *,
    actor,
    scope: Scope,
    user: User,
    role: str,
    unit: OrgUnit | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Grant ``role`` to ``user`` on ``unit``'s subtree, or across the instansi for an
    instansi-wide role, from ``valid_from`` (today) to ``valid_to`` (open)."""
    if role not in GRANTABLE_ROLES:
        raise ValidationError({"role": _("This role cannot be granted.")})
    if role in UNIT_ROLES and unit is None:
        raise ValidationError({"unit": _("This role is held on a unit.")})
    if role in INSTANSI_WIDE_ROLES and unit is not None:
        raise ValidationError({"unit": _("This role covers the whole instansi.")})
    if unit is not None and unit.instansi_id != scope.instansi_id:
        raise PermissionDenied(_("You may not grant roles here."))
    if not may_grant(scope, role, unit):
        raise PermissionDenied(
            _("You may grant only roles at or below your own, inside your own area.")
        )
    if getattr(actor, "pk", None) == user.pk:
        raise PermissionDenied(_("You may not grant roles to yourself."))
    if not user.is_active:
        raise ValidationError({"user": _("This account is deactivated.")})
    if user.instansi_id not in (None, scope.instansi_id):
        raise ValidationError({"user": _("The user belongs to another instansi.")})
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end comes before the start.")})
    existing = (
        RoleAssignment.objects.select_for_update()
        .filter(user=user, role=role, unit=unit, instansi_id=scope.instansi_id)
        .first()
    )
    today = timezone.localdate()
    if existing is not None and (existing.valid_to is None or existing.valid_to >= today):
        raise ValidationError(
            {"role": _("%(user)s already holds this role here.") % {"user": user}}
        )
    before = {}
    if existing is None:
        ra = RoleAssignment(user=user, role=role, unit=unit, instansi_id=scope.instansi_id)
    else:  # one row per user, role and unit: an ended grant is granted again
        ra = existing
        before = {"valid_from": existing.valid_from, "valid_to": existing.valid_to}
    ra.valid_from, ra.valid_to = valid_from, valid_to
    ra.save()
    record(
        actor=actor,
        action="role.grant",
        target=ra,
        target_repr=_grant_repr(ra),
        changes={
            "user": [None, user.pk],
            "role": [None, role],
            "unit": [None, getattr(unit, "pk", None)],
            "valid_from": [before.get("valid_from"), valid_from],
            "valid_to": [before.get("valid_to"), valid_to],
        },
        reason=reason,
    )
    return ra


@transaction.atomic
def role_grant_end(
    *,
    actor,
    scope: Scope,
    assignment: RoleAssignment,
    on: dt.date | None = None,
    reason: str,
) -> RoleAssignment:
    """End a grant: from ``on`` (today, taking effect at once) the user no longer holds it."""
    ra = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .get(pk=assignment.pk)
    )
    if ra.instansi_id != scope.instansi_id or not may_grant(scope, ra.role, ra.unit):
        raise PermissionDenied(
            _("You may end only roles at or below your own, inside your own area.")
        )
    if ra.user_id == getattr(actor, "pk", None):
        # Nobody locks themselves out by accident: another administrator ends it.
        raise PermissionDenied(_("You cannot end your own role; ask another administrator."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the role ends.")})
    on = on or timezone.localdate()
    if on < ra.valid_from:
        raise ValidationError(
            {"on": _("The grant starts only on %(date)s.") % {"date": ra.valid_from}}
        )
    last_day = on - dt.timedelta(days=1)
    if ra.valid_to is not None and ra.valid_to <= last_day:
        raise ValidationError({"on": _("This grant has already ended.")})
    before = ra.valid_to
    ra.valid_to = last_day
    ra.save(update_fields=["valid_to"])
    record(
        actor=actor,
        action="role.end",
        target=ra,
        target_repr=_grant_repr(ra),
        changes={"valid_to": [before, last_day]},
        reason=reason.strip(),
    )
    return ra


def may_manage_user(scope: Scope, user: User) -> bool:
    """Return whether the caller reaches ``user`` and outranks or equals each of their roles."""
    if not User.objects.within(scope).filter(pk=user.pk).exists():
        return False
    today = timezone.localdate()
    roles = set(user.role_assignments.active_on(today).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    mine = max(
        (ROLE_RANK.get(g.role, -1) for g in scope.grants if Action.MANAGE_ACCESS in g.actions),
        default=-1,
    )
    return all(ROLE_RANK.get(r, 0) <= mine for r in roles)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    instansi: Instansi,
    employee: Employee | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """Create an account (no roles: grant them with `role_grant`). By default the password is
    a temporary one that the user must change at the first sign-in."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Give a username.")})
    # Sign-in and lock-out ignore case, so two accounts may not differ by case alone.
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    if employee is not None:
        if employee.instansi_id != instansi.pk:
            raise ValidationError({"employee": _("The employee belongs to another instansi.")})
        if User.objects.filter(employee=employee).exists():
            raise ValidationError({"employee": _("This employee already has an account.")})
    user = User(
        username=username,
        instansi=instansi,
        employee=employee,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=must_change_password,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    record(
        actor=actor,
        action="user.create",
        target=user,
        instansi_id=instansi.pk,
        unit=employee.unit if employee is not None else None,
        changes={
            "username": [None, username],
            "employee": [None, getattr(employee, "pk", None)],
            "must_change_password": [None, must_change_password],
        },
    )
    return user


@transaction.atomic
def password_change(*, actor, user: User, old_password: str, new_password: str) -> User:
    """Change one's own password, given the old one; clears a forced change."""
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("You may change only your own password."))
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your old password was entered incorrectly.")})
    if new_password == old_password:
        raise ValidationError({"new_password1": _("Choose a password different from the old one.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    was_forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(
        actor=actor,
        action="password.change",
        target=user,
        instansi_id=user.instansi_id,
        changes={"must_change_password": [was_forced, False]} if was_forced else {},
    )
    return user


@transaction.atomic
def password_force_change(
    *, actor, scope: Scope, user: User, temporary_password: str = "", reason: str = ""
) -> User:
    """Make ``user`` choose a new password at their next sign-in, optionally setting a
    temporary one to give them (for a forgotten password)."""
    if not may_manage_user(scope, user):
        raise PermissionDenied(_("You may not manage this account."))
    fields = ["must_change_password"]
    if temporary_password:
        try:
            validate_password(temporary_password, user)
        except ValidationError as exc:
            raise ValidationError({"temporary_password": exc.messages}) from None
        user.set_password(temporary_password)
        fields.append("password")
    before = user.must_change_password
    user.must_change_password = True
    user.save(update_fields=fields)
    record(
        actor=actor,
        action="password.force_change",
        target=user,
        instansi_id=user.instansi_id,
        changes={
            "must_change_password": [before, True],
            "temporary_password_set": [None, bool(temporary_password)],
        },
        reason=reason,
    )
    return user


@transaction.atomic
def token_create(*, actor, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; return it and the raw key, which is never stored."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You may only create tokens for yourself."))
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(n)d days.") % {"n": MAX_TOKEN_DAYS}}
        )
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[4:12],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record(
        actor=actor,
        action="token.create",
        target=user,
        instansi_id=user.instansi_id,
        target_repr=f"{user} / {token.name}",
        changes={"expires_at": [None, token.expires_at]},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="token.revoke",
        target=token.user,
        instansi_id=token.user.instansi_id,
        target_repr=f"{token.user} / {token.name}",
    )
    return token
