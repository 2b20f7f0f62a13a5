from kinerja.audit.freshness import kept
from kinerja.core.context_processors import allowed_nav, nav_items
from kinerja.core.scope import Action

from .roles import API_ROLES


def access(request) -> dict:
    """Whether the user menu offers the accounts and role-grant pages, and the API tokens page."""
    scope = getattr(request, "scope", None)

    def can_use_api() -> bool:
        # Read only when a page asks (a callable in the context).
        return request_uses_api(request)

    return {
        "can_manage_access": bool(scope and scope.can_anywhere(Action.MANAGE_ACCESS)),
        "can_use_api": can_use_api,
    }


def navigation(request) -> dict:
    """The menu's entries the caller may open (``kinerja.core.registry``).

    Which entries a scope allows is kept until the next audited write of its instansi: some
    entries ask the data (whether the caller has a team, is a participant, reads the gaps), and
    the menu is on every page.
    """
    scope = getattr(request, "scope", None)
    user = getattr(request, "user", None)
    if scope is None or user is None or not user.is_authenticated:
        return {"nav_items": []}
    allowed = kept("nav", lambda: allowed_nav(request), scope=scope, request=request)
    return {"nav_items": nav_items(allowed)}


def request_uses_api(request) -> bool:
    """`uses_api` for the request's user, worked out once per request (one query at most)."""
    cached = getattr(request, "_kinerja_uses_api", None)
    if cached is None:
        cached = uses_api(
            getattr(request, "user", None), getattr(request, "scope", None), request=request
        )
        request._kinerja_uses_api = cached
    return cached


def uses_api(user, scope, request=None) -> bool:
    """Links to the API (its documentation, the tokens page) show to those who use it: a role
    whose work is the API (``API_ROLES``), or a user who holds a token that is not revoked. The
    pages themselves stay open to every signed-in user, for the one told to make a first token."""
    if user is None or not user.is_authenticated:
        return False
    if scope is not None and API_ROLES & set(scope.roles):
        return True
    holds = lambda: user.api_tokens.filter(revoked_at__isnull=True).exists()  # noqa: E731
    if scope is None:
        return holds()
    # Kept until the next audited write (a token made or revoked is one): no query per page.
    return kept("uses_api", holds, scope=scope, parts=(user.pk,), request=request)
