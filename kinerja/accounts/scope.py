"""Compute a user's Scope from their role assignments, once per request."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from kinerja.audit.freshness import access_version
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.selectors import has_reports, reachable_posts

from .roles import POST_ROLES, ROLE_ACTIONS, Role


def scope_for(user) -> Scope:
    """Return the Scope of ``user``: one grant per valid role assignment."""
    if user is None or not user.is_authenticated:
        return Scope.empty()
    today = timezone.localdate()
    assignments = user.role_assignments.active_on(today).select_related("unit")
    grants = []
    roles = set()
    reach = None
    instansi_id = user.instansi_id
    for ra in assignments:
        if instansi_id is None:
            instansi_id = ra.instansi_id
        if ra.instansi_id != instansi_id:
            continue
        roles.add(ra.role)
        actions = ROLE_ACTIONS.get(ra.role, frozenset())
        if not actions:
            continue
        if ra.role in POST_ROLES:
            # An evaluator reaches the holders of the posts below theirs down the reporting
            # lines, computed once here: scoping is then one IN on an indexed post id.
            if reach is None:
                reach = (
                    reachable_posts(user.employee_id, today) if user.employee_id else frozenset()
                )
            grants.append(Grant(actions=actions, role=ra.role, position_ids=reach))
            continue
        path = ra.unit.path if ra.unit_id else None
        grants.append(Grant(actions=actions, unit_path=path, role=ra.role))
    if user.is_superuser:
        grants.append(Grant(actions=Action.ALL, unit_path=None, role=Role.SYSTEM_ADMIN))
        roles.add(Role.SYSTEM_ADMIN)
    if user.employee_id:
        roles.add(Role.EMPLOYEE)
    if reach is not None:
        reports = bool(reach)
    else:
        reports = bool(user.employee_id) and has_reports(user.employee_id, today)
    return Scope(
        has_reports=reports,
        instansi_id=instansi_id,
        grants=tuple(grants),
        employee_id=user.employee_id,
        user_id=user.pk,
        roles=frozenset(roles),
    )


def request_scope(request) -> Scope:
    """The Scope of the request's user, kept until the next audited write of their instansi
    that may change who reaches what.

    A role granted or ended, a reporting line or a post changed: each is an audited write of the
    instansi, and the chain head keeps the sequence of the last such write
    (``kinerja.audit.freshness.access_version``), which names the state the scope was computed
    from; the day names the effective dates. A realisation, a plan or a training record written
    leaves the scope standing (the page's own kept figures move with every write). Both are read
    in one query. A user without an instansi (the system administrator) is
    computed each time: grants in any instansi would reach them.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.instansi_id is None:
        return scope_for(user)
    version = access_version(user.instansi_id, request)
    key = ":".join(
        (
            "kinerja:scope",
            str(user.pk),
            str(user.employee_id or ""),
            "s" if user.is_superuser else "",
            timezone.localdate().isoformat(),
            version,
        )
    )
    scope = cache.get(key)
    if scope is None:
        scope = scope_for(user)
        cache.set(key, scope, getattr(settings, "KINERJA_FIGURES_CACHE_SECONDS", 600))
    return scope
