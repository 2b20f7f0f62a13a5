from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrNipBackend(ModelBackend):
    """Sign in with a username or an 18-digit NIP. Demo accounts only where settings allow."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        username = username.strip()
        user = None
        if username.isdigit() and len(username) == 18:
            user = User.objects.filter(employee__nip=username).first()
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
        user = super().get_user(user_id)
        if user is not None and user.is_demo and not settings.KINERJA_DEMO_LOGINS:
            return None
        return user
