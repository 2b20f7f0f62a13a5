"""Settings for a developer's machine and `make demo`."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The demo prints its log-ins; production refuses them (see accounts.backends).
KINERJA_DEMO_LOGINS = True
