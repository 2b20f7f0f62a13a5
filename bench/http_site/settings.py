"""Production settings as served, with what only the HTTP benchmark needs on top.

- the demo log-ins are accepted (production refuses them; the benchmark signs in as them);
- no HTTPS redirect (the benchmark talks plain HTTP to 127.0.0.1);
- the URLconf adds ``/bench/hello``, a hello-world JSON view, the floor every page is compared to.
"""

from config.settings.production import *  # noqa: F403

KINERJA_DEMO_LOGINS = True
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "bench.http_site.urls"
