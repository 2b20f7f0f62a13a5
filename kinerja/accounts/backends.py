import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from kinerja.core.prepared import JoinedRow
from kinerja.organisations.validators import NIP_RE, normalise_nip


@functools.cache
def _signed_in_user() -> JoinedRow:
    return JoinedRow(get_user_model(), ("instansi", "employee", "employee__position"))


class UsernameOrNipBackend(ModelBackend):
    """Sign in with a username (any case) or an 18-digit NIP (spaced, dotted or plain).

    Demo accounts only where settings allow. Lock-out counts the same identities: see lockout.py.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        username = username.strip()
        user = None
        try:
            nip = normalise_nip(username)
        except ValidationError:
            nip = ""
        if NIP_RE.match(nip):
            user = User.objects.filter(employee__nip=nip).first()
        if user is None:
            user = User.objects.filter(username__iexact=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.is_demo and not settings.KINERJA_DEMO_LOGINS:
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # With the instansi, and the employee's record and post: every page's header names
        # them, so they would be three more queries. One statement built once per process
        # (`kinerja.core.prepared`): the ORM compiled this four-table query on every request.
        try:
            user = _signed_in_user().get(int(user_id))
        except (TypeError, ValueError):
            return None
        if user is None:
            return None
        if not self.user_can_authenticate(user):
            return None
        if user.is_demo and not settings.KINERJA_DEMO_LOGINS:
            return None
        return user
