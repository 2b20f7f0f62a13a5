"""Settings shared by every environment. Values that differ come from the environment."""

import hashlib
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kinerja.core",
    "kinerja.audit",
    "kinerja.imports",
    "kinerja.organisations",
    "kinerja.accounts",
    "kinerja.corrections",
    "kinerja.performance",
    "kinerja.training",
    "kinerja.regional",
    "kinerja.akip",
    "kinerja.risks",
    "kinerja.analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kinerja.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.core.middleware.LocaleMiddleware",
    "kinerja.core.middleware.ApiJsonErrorsMiddleware",
    "kinerja.core.middleware.BadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kinerja.accounts.middleware.SessionRefreshMiddleware",
    "kinerja.accounts.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kinerja.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kinerja" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.accounts.context_processors.navigation",
                "kinerja.accounts.context_processors.access",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production and CI.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep each worker's connection between requests (a new PostgreSQL connection costs a few
# milliseconds, more than a page's queries), checked before reuse so a dropped one is replaced.
# SQLite's pragmas below are per connection: Django runs init_command on each new one.
DATABASE_CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# WAL lets the task worker write progress while the web process reads it.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ (it is not in git)
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
# PostgreSQL's JIT compiles a query before running it when the planner's cost estimate is high.
# Kinerja's pages are short queries over large tables: on the hours shortfall at 80,330 staff
# compiling took 1.8 s of a 2.1 s request whose plan ran in 0.24 s. JIT is off for the app's
# connections (POSTGRES_JIT=true turns it back on, e.g. for a reporting replica).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "POSTGRES_JIT", default=False
):
    pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    pg_options["options"] = f"{pg_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kinerja.accounts.backends.UsernameOrNipBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# BSSN 4/2021: at least 12 characters mixing upper case, lower case, digits and symbols.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kinerja.accounts.validators.CharacterClassValidator"},
    # Common passwords, words, dates and keyboard rows, however decorated (zxcvbn estimate).
    {
        "NAME": "kinerja.accounts.validators.GuessabilityValidator",
        "OPTIONS": {"min_guesses_log10": env.float("PASSWORD_MIN_GUESSES_LOG10", default=10.0)},
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Django's database sessions, read with a statement built once (kinerja/accounts/sessions.py).
SESSION_ENGINE = "kinerja.accounts.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The 8 hours run from the last activity: kinerja.accounts.middleware.SessionRefreshMiddleware
# moves the expiry at most once per interval instead of writing the session on every request.
KINERJA_SESSION_REFRESH_SECONDS = env.int("KINERJA_SESSION_REFRESH_SECONDS", default=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Lock-out (kinerja.accounts.lockout): failures count per person, whatever the spelling of their
# username or NIP, and separately per client address, whose limit is higher because an office
# shares one address. Either count reaching its limit refuses the sign-in for the cool-off time.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
KINERJA_AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "kinerja.accounts.lockout.lockout_identity"
AXES_HANDLER = "kinerja.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "kinerja.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies in front of the app add X-Forwarded-For (0: clients connect directly).
# Lock-out and API throttles take the client address from it; a wrong count lets clients forge it.
KINERJA_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The government named on the sign-in page. Empty: the name of the one Instansi in the database,
# or no name when there are several (a shared deployment must not pick one of them).
KINERJA_INSTANSI_NAME = env("KINERJA_INSTANSI_NAME", default="")
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kinerja" / "locale"]
# Dates read "1 Januari 2017" / "1 January 2017" on every page (kinerja/formats/).
FORMAT_MODULE_PATH = ["kinerja.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Set in production (collectstatic); elsewhere whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "kinerja" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KINERJA_IMPORT_MAX_BYTES = env.int("KINERJA_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# Files with more rows than this are imported by the background worker, with a progress bar.
KINERJA_IMPORT_BACKGROUND_ROWS = env.int("KINERJA_IMPORT_BACKGROUND_ROWS", default=2000)
# The largest sheet an import reads; a file past either is refused with the size found. The
# Excel reader holds a sheet's grid (about 32 bytes a cell, empty ones too), so a sheet of the
# largest size costs about 460 MiB in the worker.
KINERJA_IMPORT_MAX_ROWS = env.int("KINERJA_IMPORT_MAX_ROWS", default=500_000)
KINERJA_IMPORT_MAX_COLUMNS = env.int("KINERJA_IMPORT_MAX_COLUMNS", default=30)
KINERJA_DEMO_LOGINS = False
# The HMAC key that seals the audit chains. It lives outside the database, so that write access
# to the database alone cannot rebuild a chain. Production requires it; elsewhere it defaults to
# a key derived from SECRET_KEY. Changing it makes every stored event fail audit_verify.
KINERJA_AUDIT_KEY = (
    env("KINERJA_AUDIT_KEY", default="")
    or hashlib.sha256(f"kinerja.audit:{SECRET_KEY}".encode()).hexdigest()
)

# Throttle counters. Local memory counts per process: with several worker processes set
# CACHE_URL to a shared cache (e.g. dbcache://kinerja_cache after `manage.py createcachetable`).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Lists (pages and API) count their rows only this far (beyond the page asked for): past it they
# say "more than N" instead of counting a whole province on every page.
KINERJA_LIST_COUNT_CAP = env.int("KINERJA_LIST_COUNT_CAP", default=10000)
# A search (``q``) counts its matches only this far ("more than 1,000"): see core.pagination.
KINERJA_SEARCH_COUNT_CAP = env.int("KINERJA_SEARCH_COUNT_CAP", default=1000)
# How long an unused home figure or tree head-count stays in the cache. A write makes it stale
# at once whatever this says (kinerja.audit.freshness): this only bounds the memory it holds.
KINERJA_FIGURES_CACHE_SECONDS = env.int("KINERJA_FIGURES_CACHE_SECONDS", default=600)
# An import that writes at least this many rows refreshes the planner's statistics (ANALYZE).
KINERJA_ANALYZE_AFTER_ROWS = env.int("KINERJA_ANALYZE_AFTER_ROWS", default=5000)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running import whose worker has not signalled for this many seconds is failed by the reaper
# (job pages, each new task and `manage.py import_reap`); it can then be retried.
KINERJA_IMPORT_HEARTBEAT_TIMEOUT = env.int("KINERJA_IMPORT_HEARTBEAT_TIMEOUT", default=60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kinerja.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "kinerja.core.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "kinerja.core.api.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "kinerja.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "kinerja.core.api.exception_handler",
    # Per API token (a session caller: per user) and per address for anonymous callers; over
    # the rate the API answers 429 with Retry-After. Counters live in the default cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "kinerja.accounts.throttling.TokenRateThrottle",
        "kinerja.accounts.throttling.AnonIpRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_RATE_PER_TOKEN", default="300/min"),
        "anon": env("API_RATE_ANON", default="30/min"),
    },
    "NUM_PROXIES": KINERJA_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinerja API",
    "DESCRIPTION": "Performance management for Indonesian regional government.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a "status" with different choices: each set keeps its own name.
    "ENUM_NAME_OVERRIDES": {
        "EmployeeStatusEnum": "kinerja.organisations.choices.EmployeeStatus",
        "FeedbackFormStatusEnum": "kinerja.training.models.feedback.FeedbackFormStatus",
        "AkipGradeEnum": "kinerja.akip.choices.GRADE_CHOICES",
        "AkipEvaluationStatusEnum": "kinerja.akip.choices.EvaluationStatus",
        "AkipRecommendationStatusEnum": "kinerja.akip.choices.RecommendationStatus",
        "RiskStatusEnum": "kinerja.risks.choices.RiskStatus",
        "MitigationStatusEnum": "kinerja.risks.choices.MitigationStatus",
        "ProjectStatusEnum": "kinerja.regional.choices.ProjectStatus",
        "CandidateStatusEnum": "kinerja.performance.models.finder.CandidateStatus",
        "WarningStatusEnum": "kinerja.analytics.models.WarningStatus",
        "WarningRowStatusEnum": "kinerja.analytics.api.warning.STATUSES",
        "WarningKindEnum": "kinerja.analytics.api.warning.KINDS",
        "ProjectionMethodEnum": "kinerja.analytics.api.warning.METHODS",
        "ProjectCategoryEnum": "kinerja.regional.api.views.CATEGORY_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Certificates (training): which signer signs ("local": PAdES with a test certificate under
# var/signing/, for the demo and tests; "national_ca": the national certificate authority's
# signing service at KINERJA_NATIONAL_CA_URL), and that service's account and timeouts (s).
KINERJA_CERTIFICATE_SIGNER = env("KINERJA_CERTIFICATE_SIGNER", default="local")
KINERJA_CERTIFICATE_KEY_DIR = env("KINERJA_CERTIFICATE_KEY_DIR", default=str(VAR_DIR / "signing"))
KINERJA_NATIONAL_CA_URL = env("KINERJA_NATIONAL_CA_URL", default="")
KINERJA_NATIONAL_CA_USER = env("KINERJA_NATIONAL_CA_USER", default="")
KINERJA_NATIONAL_CA_PASSWORD = env("KINERJA_NATIONAL_CA_PASSWORD", default="")
KINERJA_NATIONAL_CA_CONNECT_TIMEOUT = env.float("KINERJA_NATIONAL_CA_CONNECT_TIMEOUT", default=5.0)
KINERJA_NATIONAL_CA_READ_TIMEOUT = env.float("KINERJA_NATIONAL_CA_READ_TIMEOUT", default=60.0)
# Mail (the early-warning digest): EMAIL_URL as django-environ reads it, e.g.
# smtp+tls://user:password@mail.jatimprov.go.id:587; the console by default (the demo prints the
# mails). Links in mails are absolute when KINERJA_SITE_URL is set (https://kinerja.example).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kinerja <kinerja@localhost>")
KINERJA_SITE_URL = env("KINERJA_SITE_URL", default="")
