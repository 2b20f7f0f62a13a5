"""Results kept between requests until the next audited write: the home figures, the tree's
head-counts.

Every write of the product appends an event to its instansi's audit chain in the write's own
transaction, and the append advances the chain head's ``last_sequence`` under a row lock held
to the commit. So the head's sequence, read in one indexed query, names the state of the
instansi's data exactly: a reader that sees sequence n sees every write up to n, and no write
of the instansi commits without moving it. A kept result is filed under that sequence (and the
system chain's, which holds the writes without an instansi, such as grants of instansi-less
users), the day (effective dates turn at midnight) and the caller's scope, so:

- a write makes every kept result of its instansi stale at once, on every server, with no
  invalidation code next to the writes;
- two callers with the same grants share one result; callers with different reach never do.

The cache is Django's default (``CACHE_URL``; per process by default, shared when it points to
a shared cache). ``KINERJA_FIGURES_CACHE_SECONDS`` only bounds how long an unused result stays
in memory; correctness never depends on it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from .models import AuditChain

T = TypeVar("T")
_MEMO = "_kinerja_data_versions"  # per-request memo of the versions read, on the request


# The apps whose writes never change who reaches what: a caller's scope reads the grants
# (accounts) and the organisation (units, posts, reporting lines, acting posts), none of these.
# An event of any other app, or without a target type, counts as one that may.
ACCESS_NEUTRAL_APPS = frozenset({"performance", "training", "regional", "risks", "akip"})


def moves_access(target_type: str) -> bool:
    """Whether an audited write of ``target_type`` (``app_label.model``) may change a scope."""
    return target_type.partition(".")[0] not in ACCESS_NEUTRAL_APPS


def data_version(instansi_id: int | None, request=None) -> str:
    """Return the state of ``instansi_id``'s data: its chain head and the system chain's.

    One query, read once per request when ``request`` is given.
    """
    return _versions(instansi_id, request)[0]


def access_version(instansi_id: int | None, request=None) -> str:
    """Return the state of what decides who reaches what in ``instansi_id`` (grants, the
    organisation, accounts): the chain heads' last events that may change a scope
    (`moves_access`). Read in the same query as `data_version`."""
    return _versions(instansi_id, request)[1]


def _versions(instansi_id: int | None, request) -> tuple[str, str]:
    memo = getattr(request, _MEMO, None) if request is not None else None
    if memo is not None and instansi_id in memo:
        return memo[instansi_id]
    heads = {owner: (last, access) for owner, last, access in _chain_heads(instansi_id)}
    mine, system = heads.get(instansi_id, (0, 0)), heads.get(None, (0, 0))
    versions = (f"{mine[0]}.{system[0]}", f"{mine[1]}.{system[1]}")
    if request is not None:
        if memo is None:
            memo = {}
            setattr(request, _MEMO, memo)
        memo[instansi_id] = versions
    return versions


_HEADS: dict[tuple[str, bool], str] = {}


def _chain_heads(instansi_id: int | None) -> list[tuple[int | None, int, int]]:
    """The (instansi, last sequence, access sequence) of the instansi's chain head and the
    system chain's.

    Read on every signed-in request, so the statement is built once per database and kind,
    not compiled by the ORM each time (the names come from the model, quoted; the value is a
    parameter)."""
    connection = connections[router.db_for_read(AuditChain)]
    key = (connection.alias, instansi_id is None)
    sql = _HEADS.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        names = [
            qn(AuditChain._meta.get_field(name).column)
            for name in ("instansi_id", "last_sequence", "access_sequence")
        ]
        owner = names[0]
        where = f"{owner} IS NULL" if instansi_id is None else f"{owner} = %s OR {owner} IS NULL"
        table = qn(AuditChain._meta.db_table)
        sql = _HEADS[key] = f"SELECT {', '.join(names)} FROM {table} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if instansi_id is None else [instansi_id])
        return cursor.fetchall()


def scope_key(scope) -> str:
    """A short digest of what ``scope`` reaches: its instansi, grants and own employee.

    A page asks it for each kept part: worked out once per distinct scope (a Scope is an
    immutable value), not on every call."""
    if isinstance(scope, LazyObject):
        if scope._wrapped is empty:
            scope._setup()
        scope = scope._wrapped
    try:
        return _kept_scope_key(scope)
    except TypeError:  # a scope built by hand with a plain set: not hashable, not kept
        return _scope_key(scope)


@functools.lru_cache(maxsize=4096)
def _kept_scope_key(scope) -> str:
    return _scope_key(scope)


def _scope_key(scope) -> str:
    grants = sorted(
        (
            sorted(g.actions),
            g.unit_path or "",
            g.role,
            sorted(g.position_ids) if g.position_ids is not None else None,
        )
        for g in scope.grants
    )
    text = repr((scope.instansi_id, scope.employee_id, grants))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def kept(
    name: str,
    compute: Callable[[], T],
    *,
    scope,
    request=None,
    parts: tuple[Any, ...] = (),
    on: dt.date | None = None,
) -> T:
    """Return ``compute()``, kept until the next audited write of the scope's instansi.

    ``name`` and ``parts`` tell results apart (a card, its options); the scope, the day and the
    data's version are added to the key here. ``compute`` must return a picklable value that
    depends only on those.
    """
    version = data_version(scope.instansi_id, request)
    day = (on or timezone.localdate()).isoformat()
    # The parts digested: a query string or a search may be long or hold what a shared cache
    # refuses in a key (spaces, control characters).
    told = hashlib.blake2b(repr(tuple(map(str, parts))).encode(), digest_size=12).hexdigest()
    key = ":".join(["kinerja", name, told, scope_key(scope), day, version])
    missing = object()
    value = cache.get(key, missing)
    if value is missing:
        value = compute()
        cache.set(key, value, getattr(settings, "KINERJA_FIGURES_CACHE_SECONDS", 600))
    return value
