"""API rate limits: per API token (or per signed-in user on a session), and per address for
anonymous callers. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (scopes "user" and
"anon"), read when each request is checked, so settings overrides take effect at once."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class _LiveRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_LiveRateMixin, SimpleRateThrottle):
    """One budget per API token; a session caller's budget is their user's."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        from .models import ApiToken

        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        else:
            ident = f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonIpRateThrottle(_LiveRateMixin, AnonRateThrottle):
    """One budget per client address for callers who are not signed in."""


class FailedTokenThrottle(_LiveRateMixin, SimpleRateThrottle):
    """Counts requests with an unknown, expired or revoked token against the address's
    anonymous budget. They fail authentication before the view's throttles run, so without
    this a guesser would never be slowed down."""

    scope = "anon"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
