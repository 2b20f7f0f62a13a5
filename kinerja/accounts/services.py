"""Writes on accounts: role assignments and API tokens, each audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import OrgUnit

from .models import ApiToken, RoleAssignment, User, hash_token
from .roles import INSTANSI_WIDE_ROLES, UNIT_ROLES

MAX_TOKEN_DAYS = 366


@transaction.atomic
def role_assign(
    *, actor, scope: Scope, user: User, role: str, unit: OrgUnit | None = None
) -> RoleAssignment:
    """Give ``user`` a role on ``unit`` (its subtree) or, for cross-agency roles, the instansi."""
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
