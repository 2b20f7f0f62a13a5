import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .scope import request_scope


class ScopeMiddleware:
    """Put the caller's Scope on ``request.scope``, read at most once per request (and kept
    between requests until the next audited write of the caller's instansi: ``request_scope``).

    It is lazy, so an API request authenticated by token (after this middleware runs) still gets
    the scope of the token's user: DRF sets ``request.user`` before the view reads the scope.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: request_scope(request))
        return self.get_response(request)


SESSION_REFRESHED = "_kinerja_refreshed"  # when the session's expiry last moved (epoch seconds)


def _now() -> int:
    return int(time.time())


class SessionRefreshMiddleware:
    """Slide a signed-in session's expiry (``SESSION_COOKIE_AGE`` after the last activity) by
    saving it at most once every ``KINERJA_SESSION_REFRESH_SECONDS``.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) made every page view,
    even a read, a database write: on SQLite the writes of all workers queue on one lock. With
    this, a session ends between ``SESSION_COOKIE_AGE`` minus the refresh interval and
    ``SESSION_COOKIE_AGE`` after the last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.KINERJA_SESSION_REFRESH_SECONDS

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and session.session_key and user and user.is_authenticated:
            now = _now()
            last = session.get(SESSION_REFRESHED)
            if not isinstance(last, int) or not 0 <= now - last < self.interval:
                session[SESSION_REFRESHED] = now  # marks the session modified: it is saved
        return self.get_response(request)


def stamp_session_on_login(sender, request, user, **kwargs) -> None:
    """A new session starts with its refresh stamp, so the requests right after a log-in do
    not write it again (connected to ``user_logged_in`` in the app's ``ready``)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_REFRESHED] = _now()


class PasswordChangeRequiredMiddleware:
    """Send a user whose password an administrator reset to the password page until they
    change it. The API answers their session calls with 403; API tokens are not affected
    (they are not the password, and their owner revokes them on the token page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._allowed(request.path_info)
        ):
            message = _("Your administrator asked you to choose a new password first.")
            if request.path_info.startswith("/api/"):
                if request.META.get("HTTP_AUTHORIZATION"):
                    return self.get_response(request)  # a token call: its own authentication
                return JsonResponse({"detail": str(message)}, status=403)
            messages.warning(request, message)
            return redirect_to_login(
                request.get_full_path(),
                reverse("accounts:password_change"),
                "next",
            )
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            "/i18n/",
            "/healthz",
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return path.startswith(allowed)
