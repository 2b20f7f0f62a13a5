"""Settings for the test suite: fast hashing, tasks run in-process."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: E402, F403
from .base import DATABASES, REST_FRAMEWORK, env  # noqa: E402

DEBUG = False
KINERJA_DEMO_LOGINS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env(
    "DATABASE_URL", default=""
):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
# WhiteNoise looks a static file up when it is asked for, instead of listing every file of the
# finders when its middleware is built: the test client builds the middleware once per test,
# and that listing cost 60 ms a test.
WHITENOISE_AUTOREFRESH = True
# High enough that no other test is throttled; tests of the throttles override them.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"user": "100000/min", "anon": "100000/min"},
}
