"""Sign-in lock-out: failures count per person (not per spelling of their name) and per address.

django-axes records every failed sign-in. Two settings make its counts mean what they should:

* ``AXES_USERNAME_CALLABLE = lockout_identity``: the name an attempt is counted under is the
  account's username case-folded, and an 18-digit NIP in any accepted spelling resolves to the
  account it belongs to. So ``bpsdm``, ``BPSDM`` and ``Bpsdm`` share one counter, and a locked
  employee stays locked when they switch to their NIP.
* ``AXES_HANDLER = LockoutHandler`` with ``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]``:
  a sign-in is refused when the identity has ``AXES_FAILURE_LIMIT`` failures, or when the client
  address has ``KINERJA_AXES_IP_FAILURE_LIMIT`` failures across any names. The address limit is
  higher because a whole office often shares one public address.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum

from kinerja.organisations.validators import NIP_RE, normalise_nip


def identity_for(raw: str | None) -> str:
    """Return the one name failures are counted under for what was typed as the username."""
    from .models import User

    text = (raw or "").strip()
    try:
        nip = normalise_nip(text)
    except ValidationError:
        nip = ""
    if NIP_RE.match(nip):
        username = User.objects.filter(employee__nip=nip).values_list("username", flat=True).first()
        return (username or nip).casefold()
    return text.casefold()


def lockout_identity(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the identity of a sign-in attempt."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get(field)
    return identity_for(raw)


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the caller's address, behind ``KINERJA_PROXY_COUNT`` proxies.

    With no proxy (the default) the socket address; behind N trusted proxies the N-th address
    from the right of X-Forwarded-For, which a client cannot forge. The API throttles use the
    same count (REST_FRAMEWORK NUM_PROXIES).
    """
    proxies = getattr(settings, "KINERJA_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Lock an identity at AXES_FAILURE_LIMIT and an address at KINERJA_AXES_IP_FAILURE_LIMIT."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        counts = self._counts(self.get_user_attempts(request, credentials), request, credentials)
        by_identity, by_address = counts.get("username", 0), counts.get("ip_address", 0)
        if by_address >= settings.KINERJA_AXES_IP_FAILURE_LIMIT:
            # Axes compares this number with AXES_FAILURE_LIMIT: report the address as locked.
            return max(by_identity, settings.AXES_FAILURE_LIMIT)
        return by_identity

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On success forget the person's failures only: the address keeps its count, so that
        one's own good password does not buy an attacker at that address fresh guesses."""
        params = [str(p) for p in get_lockout_parameters(request, credentials)]
        attempts = self.filter_user_attempts(request, credentials)
        if "username" not in params:
            return 0
        count, _ = attempts[params.index("username")].delete()
        return count

    @staticmethod
    def _counts(attempts_list, request, credentials) -> dict[str, int]:
        params = [str(p) for p in get_lockout_parameters(request, credentials)]
        return {
            param: qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for param, qs in zip(params, attempts_list, strict=True)
        }
