"""Production settings: every secret comes from the environment, no defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
KINERJA_AUDIT_KEY = env("KINERJA_AUDIT_KEY")  # no default: see .env.example
if len(KINERJA_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("KINERJA_AUDIT_KEY must hold at least 32 characters.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
KINERJA_DEMO_LOGINS = False
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
WHITENOISE_USE_FINDERS = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Mail goes out through the instansi's server: no console default in production.
vars().update(env.email_url("EMAIL_URL"))
