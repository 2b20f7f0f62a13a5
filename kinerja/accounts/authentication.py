import functools

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from kinerja.core.prepared import JoinedRow

from .models import ApiToken, hash_token
from .throttling import FailedTokenThrottle


@functools.cache
def _token_with_user() -> JoinedRow:
    """The token by its hash with its user (and the user's instansi, employee and post, as a
    signed-in page has them): one statement built once (`kinerja.core.prepared`)."""
    return JoinedRow(
        ApiToken,
        ("user", "user__instansi", "user__employee", "user__employee__position"),
        by="key_hash",
    )


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer kin_...` with a hashed, expiring, revocable token."""

    keyword = "Bearer"
    keywords = ("bearer", "token")  # the scheme name is case-insensitive (RFC 9110)

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        parts = header.split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        token = _token_with_user().get(hash_token(parts[1]))
        if token is None or not token.is_valid or not self._user_may_sign_in(token.user):
            throttle = FailedTokenThrottle()
            if not throttle.allow_request(request, None):
                raise exceptions.Throttled(
                    wait=throttle.wait(),
                    detail=str(_("Too many requests with an invalid token from this address.")),
                )
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword

    @staticmethod
    def _user_may_sign_in(user) -> bool:
        # The same refusal as the sign-in backend: demo accounts only where settings allow.
        return user.is_active and (settings.KINERJA_DEMO_LOGINS or not user.is_demo)
