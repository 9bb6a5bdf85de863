"""Django settings for Jaring.

Configuration comes from the environment (see README): DATABASE_URL, JARING_SECRET_KEY,
JARING_DEBUG, JARING_ALLOWED_HOSTS. Defaults are safe for local use on one laptop.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


# --- debug and secret key (hardening, issue 15) -------------------------------------------------
# Debug pages (tracebacks) only when JARING_DEBUG=1 is set on purpose. With JARING_DEBUG=0 set
# explicitly (production) JARING_SECRET_KEY is required and must be at least 32 characters. With
# JARING_DEBUG unset (a laptop, `make run`) a random key is generated once into var/secret_key.
DEBUG = _flag("JARING_DEBUG", "0")
SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY = os.environ.get("JARING_SECRET_KEY", "")
if SECRET_KEY and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH and not DEBUG:
    raise ImproperlyConfigured(
        f"JARING_SECRET_KEY terlalu pendek ({len(SECRET_KEY)} karakter): minimal {SECRET_KEY_MIN_LENGTH} "
        "karakter acak (contoh: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
    )
if not SECRET_KEY:
    if "JARING_DEBUG" in os.environ and not DEBUG:
        raise ImproperlyConfigured(
            "JARING_SECRET_KEY wajib diisi bila JARING_DEBUG=0: minimal 32 karakter acak "
            "(contoh: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    from jaring.core.secretfile import local_secret_key  # why: settings load before Django; only when no key is set

    SECRET_KEY = local_secret_key(Path(os.environ.get("JARING_VAR_DIR", "var")) / "secret_key")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("JARING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JARING_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jaring.core",
    "jaring.accounts",
    "jaring.regions",
    "jaring.members",
    "jaring.contributions",
    "jaring.sponsors",
    "jaring.agents",
    "jaring.field",
    "jaring.outreach",
    "jaring.claims",
    "jaring.savings",
    "jaring.ledger",
    "jaring.insights",
    "jaring.communities",
    "jaring.partners",
    "jaring.snap",
    "jaring.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jaring.web.middleware.DefaultIndonesianLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
MIDDLEWARE[1:1] = ["jaring.core.guard.RequestGuardMiddleware", "jaring.core.guard.SecurityHeadersMiddleware"]

ROOT_URLCONF = "jaring.urls"
WSGI_APPLICATION = "jaring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jaring.web.context.navigation",
                "jaring.ledger.context.trial_balance_alert",
                "jaring.core.guard.csp_nonce",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///var/jaring.sqlite3")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker write while pages read; IMMEDIATE avoids "database is locked" upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }
    name = DATABASES["default"]["NAME"]
    if name and name != ":memory:" and not name.startswith("file:"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- read replica (issue 20; jaring.core.replica) ----------------------------------------------
# DATABASE_REPLICA_URL: a streaming replica of the primary; dashboards, the stats API, exports and
# report queries read from it (never writes). Without a database name, the primary's is used.
# JARING_REPLICA_MAX_LAG: seconds behind after which those reads go to the primary instead.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["NAME"] = DATABASES["replica"]["NAME"] or DATABASES["default"]["NAME"]
    # a replica that is down must fail fast (the lag guard then reads from the primary)
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # tests: the replica reads the primary's test database (streamed to it), never creates its own
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["jaring.core.replica.ReplicaRouter"]
if _flag("JARING_PGBOUNCER", "0"):  # transaction pooling: no cursor outlives its transaction (docs/operations.md)
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
JARING_READ_REPLICA = "pytest" not in sys.modules  # tests turn it on where they test it
JARING_REPLICA_MAX_LAG = float(os.environ.get("JARING_REPLICA_MAX_LAG", "30"))
JARING_REPLICA_CHECK_SECONDS = float(os.environ.get("JARING_REPLICA_CHECK_SECONDS", "2"))
# contribution schedule cache per process (jaring.contributions.rates): rows re-checked every N seconds
JARING_SCHEDULE_CHECK_SECONDS = 0.0 if "pytest" in sys.modules else float(
    os.environ.get("JARING_SCHEDULE_CHECK_SECONDS", "10"))

# --- auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "calculator"
AXES_FAILURE_LIMIT = int(os.environ.get("JARING_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Lock by username only: agents in one market share one mobile IP, locking the IP would lock them all.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("JARING_STATIC_ROOT", "var/static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names + gzip + brotli, a year's cache for hashed files (jaring/web/storage.py)
    "staticfiles": {"BACKEND": "jaring.web.storage.HashedCompressedStorage"},
}
WHITENOISE_USE_FINDERS = True
if "pytest" in sys.modules:  # test servers serve app folders (no collectstatic): plain names, never a stale manifest
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def _static_cache_headers(headers, path, url):
    """A hashed file (``name.<12 hex>.ext``) never changes: cache it a year."""
    import re

    if re.search(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$", url or path):
        headers["Cache-Control"] = "max-age=31536000, public, immutable"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_cache_headers
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("JARING_MEDIA_ROOT", "var/media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if "pytest" in sys.modules:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and _flag("JARING_HTTPS", "0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("JARING_LOG_LEVEL", "WARNING")},
    # every line once: Django's own console handler would print what the root handler prints again
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Public base URL used in QR codes on membership cards (verification links).
JARING_PUBLIC_URL = os.environ.get("JARING_PUBLIC_URL", "http://127.0.0.1:8000")

# --- hardening (issue 15): limits, HSTS, CSP --------------------------------------------------
# Requests: bodies above JARING_MAX_REQUEST_BYTES get 413 before anything reads them; spreadsheet
# uploads above JARING_MAX_UPLOAD_BYTES get 413; spreadsheets over JARING_MAX_IMPORT_ROWS rows get 422.
JARING_MAX_REQUEST_BYTES = int(os.environ.get("JARING_MAX_REQUEST_BYTES", str(20 * 1024 * 1024)))
JARING_MAX_UPLOAD_BYTES = int(os.environ.get("JARING_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
JARING_MAX_IMPORT_ROWS = int(os.environ.get("JARING_MAX_IMPORT_ROWS", "50000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = JARING_MAX_REQUEST_BYTES
# HSTS on HTTPS answers (Django's SecurityMiddleware sends it only on secure requests).
SECURE_HSTS_SECONDS = int(os.environ.get("JARING_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _flag("JARING_HTTPS", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Scripts only from our origin or an inline block carrying the request's nonce ({{ csp_nonce }}).
JARING_CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
              "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
CSRF_FAILURE_VIEW = "jaring.core.guard.csrf_failure"
