"""The one settings module; everything that differs between machines comes from the environment.

DEBUG is off unless `UTSKRIVNING_DEBUG=true` (the demo and the tests set it: then a key is
generated into `var/`). Production sets `SECRET_KEY`, `UTSKRIVNING_ALLOWED_HOSTS`,
`UTSKRIVNING_BEHIND_PROXY` and usually `DATABASE_URL`; then `manage check --deploy` reports nothing
(tests/service/test_env.py runs exactly that). Every variable is described in docs/operations.md.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from utskrivning.service.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    load_secret_key,
)

DEBUG = env_bool("UTSKRIVNING_DEBUG", default=False)
DATA_DIR = env_path("UTSKRIVNING_DATA_DIR", default=Path.cwd() / "var")
SECRET_KEY = load_secret_key(debug=DEBUG, data_dir=DATA_DIR)
ALLOWED_HOSTS = env_list("UTSKRIVNING_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("UTSKRIVNING_CSRF_TRUSTED_ORIGINS", default=[])
BEHIND_PROXY = env_bool("UTSKRIVNING_BEHIND_PROXY", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "utskrivning.organisations",
    "utskrivning.audit",
    "utskrivning.episodes",
    "utskrivning.payment",
    "utskrivning.web",
    "utskrivning.followup",
    "utskrivning.notifications",
    "utskrivning.api",
]

MIDDLEWARE = [
    "utskrivning.service.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "utskrivning.service.middleware.ContentSecurityPolicyMiddleware",
    "utskrivning.service.middleware.NoStoreMiddleware",
    "utskrivning.service.middleware.SessionMiddleware",
    "utskrivning.service.middleware.SwedishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "utskrivning.service.middleware.AuditMiddleware",
    "utskrivning.api.idempotency.IdempotencyMiddleware",
    "utskrivning.service.middleware.DataAccessMiddleware",
    "utskrivning.service.middleware.BadRequestPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "utskrivning.service.urls"
WSGI_APPLICATION = "utskrivning.service.wsgi.application"

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
            ],
        },
    },
]

# `utskrivning serve` (gunicorn): processes × threads; each thread serves one request at a time.
WEB_WORKERS = env_int("UTSKRIVNING_WEB_WORKERS", default=2, low=1, high=64)
WEB_THREADS = env_int("UTSKRIVNING_WEB_THREADS", default=4, low=1, high=64)
WEB_TIMEOUT = env_int("UTSKRIVNING_WEB_TIMEOUT", default=60, low=5, high=3600)

# Database: SQLite in the data directory unless DATABASE_URL names another (PostgreSQL).
_SQLITE_FILE = DATA_DIR / "utskrivning.sqlite3"
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{_SQLITE_FILE}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: the server and a command-line import writing at once wait for each other
    # instead of failing with "database is locked" halfway through a transaction; WAL lets
    # readers go on while one writes; a writer waits up to the timeout for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("UTSKRIVNING_SQLITE_TIMEOUT", default=20, low=1, high=600),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The tests' database in a file too, not Django's shared-cache memory database: there a
    # writer meeting a reader's table lock fails at once ("database table is locked") instead of
    # waiting, which a test with a background import thread hit now and then.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-utskrivning.sqlite3")}
else:
    # A pool per process (psycopg_pool), checked before each use: the connections are bounded
    # by processes × UTSKRIVNING_DB_POOL whatever the load, and reused instead of opened per
    # request. Django hands a thread's connection back to the pool when its request ends (with
    # CONN_HEALTH_CHECKS, the pool checks a connection before handing it out).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DB_POOL = env_int("UTSKRIVNING_DB_POOL", default=WEB_THREADS, low=1, high=100)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL,
        "timeout": env_int("UTSKRIVNING_DB_POOL_TIMEOUT", default=10, low=1, high=600),
        "max_idle": 300,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The login rate limit counts in the cache; a database cache is shared by every worker process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "utskrivning_cache",
    }
}

# Authentication
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:start"  # each role's own start page (web.start)
LOGOUT_REDIRECT_URL = "login"
# The password backend first: the one a session made by neither (a test's force_login) names.
AUTHENTICATION_BACKENDS = [
    "utskrivning.organisations.backends.PasswordBackend",
    "utskrivning.organisations.oidc.backend.ProviderBackend",
]
# Local passwords (the demo, small organisations); off, only the identity provider signs in.
PASSWORD_LOGIN = env_bool("UTSKRIVNING_PASSWORD_LOGIN", default=True)

# Sign-in through the region's identity provider (OpenID Connect, e.g. SITHS eID through the
# region's or Inera's IdP): on when an issuer is given; its endpoints come from its discovery
# document. A person is found by the HSA-id claim and never created (docs/operations.md).
OIDC_ISSUER = env_str("UTSKRIVNING_OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env_str("UTSKRIVNING_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env_str("UTSKRIVNING_OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env_str("UTSKRIVNING_OIDC_SCOPES", default="openid profile")
OIDC_RP_SIGN_ALGO = env_choice(
    "UTSKRIVNING_OIDC_SIGN_ALGORITHM",
    default="RS256",
    choices=("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"),
)
OIDC_HSA_ID_CLAIM = env_str("UTSKRIVNING_OIDC_HSA_ID_CLAIM", default="hsa_id", max_length=200)
OIDC_NAME_CLAIM = env_str("UTSKRIVNING_OIDC_NAME_CLAIM", default="name", max_length=200)
OIDC_PROVIDER_NAME = env_str(
    "UTSKRIVNING_OIDC_PROVIDER_NAME", default="SITHS eID", max_length=100, ascii=False
)
# How the client authenticates at the token endpoint: HTTP Basic (OpenID Connect's default) or
# the id and secret in the form body, for a provider that takes only that.
OIDC_TOKEN_USE_BASIC_AUTH = (
    env_choice(
        "UTSKRIVNING_OIDC_TOKEN_AUTH",
        default="CLIENT_SECRET_BASIC",
        choices=("CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST"),
    )
    == "CLIENT_SECRET_BASIC"
)
OIDC_TIMEOUT = env_int("UTSKRIVNING_OIDC_TIMEOUT", default=10, low=1, high=120)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's logout
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "UTSKRIVNING_OIDC_ISSUER needs UTSKRIVNING_OIDC_CLIENT_ID and "
        "UTSKRIVNING_OIDC_CLIENT_SECRET"
    )
if OIDC_ISSUER and not DEBUG and not OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("UTSKRIVNING_OIDC_ISSUER must be an https:// address")
if not PASSWORD_LOGIN and not OIDC_ISSUER:
    raise ImproperlyConfigured(
        "UTSKRIVNING_PASSWORD_LOGIN=false needs UTSKRIVNING_OIDC_ISSUER: nobody could sign in"
    )

# Sessions: patient data on an unattended screen, so 30 minutes of inactivity ends the session.
SESSION_COOKIE_AGE = int(timedelta(minutes=30).total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# Security headers. HSTS is only ever sent on HTTPS requests, so it is safe to set whenever DEBUG
# is off; redirecting to HTTPS needs the proxy's word that a request already came over TLS.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = 0 if DEBUG else int(timedelta(days=365).total_seconds())
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
# Preloading commits the whole domain to HTTPS in browsers' lists: the operator's decision.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# htmx and all other scripts and styles are served from our own static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Notifications (docs/operations.md): e-mail through the region's SMTP server, sent by the worker.
# No host, no e-mail: the settings page says so and nothing is queued.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("UTSKRIVNING_SMTP_HOST", default="")
EMAIL_PORT = env_int("UTSKRIVNING_SMTP_PORT", default=587, low=1, high=65535)
EMAIL_HOST_USER = env_str("UTSKRIVNING_SMTP_USER", default="")
EMAIL_HOST_PASSWORD = env_str("UTSKRIVNING_SMTP_PASSWORD", default="")  # smtplib: ASCII
_SMTP_SECURITY = env_choice(
    "UTSKRIVNING_SMTP_SECURITY", default="STARTTLS", choices=("STARTTLS", "TLS", "NONE")
)
EMAIL_USE_TLS = _SMTP_SECURITY == "STARTTLS"
EMAIL_USE_SSL = _SMTP_SECURITY == "TLS"
EMAIL_TIMEOUT = env_int("UTSKRIVNING_SMTP_TIMEOUT", default=20, low=1, high=600)
DEFAULT_FROM_EMAIL = env_str("UTSKRIVNING_SMTP_FROM", default="utskrivning@localhost", ascii=False)
# The address e-mails link to (the service as its users reach it).
BASE_URL = env_str("UTSKRIVNING_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How often every open page asks the header counter (seconds).
NOTICE_POLL_SECONDS = env_int("UTSKRIVNING_NOTICE_POLL_SECONDS", default=15, low=1, high=600)
# Webhooks to loopback, private and link-local addresses (SSRF): refused unless explicitly allowed,
# whatever DEBUG says (the tests' receivers on loopback allow it for themselves).
WEBHOOK_PRIVATE_ADDRESSES = env_bool("UTSKRIVNING_WEBHOOK_PRIVATE_ADDRESSES", default=False)

# Request size: a JSON message is a few kB, so 1 MB of body (files aside) is plenty, and Django
# answers more with RequestDataTooBig (the API: 413). Uploads above 2.5 MB stream to a temporary
# file instead of memory; the episode file's own limit (50 MB) is checked by the import.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Internationalisation: Swedish first, English available; times stored in UTC.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]  # each in its own language, for the switcher
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# Forms render on the design system (ds-field, ds-input, ds-validation-message): web/renderer.py.
FORM_RENDERER = "utskrivning.web.renderer.DesignsystemetRenderer"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Served by WhiteNoise from the process (no web server needed for them): in production the files
# `collectstatic` wrote (`utskrivning serve` runs it), with hashed names cached for a year and
# gzip/brotli copies; in DEBUG straight from the apps' directories.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "utskrivning.service.staticfiles.StaticFiles"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

LOG_LEVEL = env_choice("UTSKRIVNING_LOG_LEVEL", default="INFO", choices=_LOG_LEVELS)
# Logs: JSON lines on stdout (systemd's journal or the container's log takes them), each with
# the id of the request it belongs to (service/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "utskrivning.service.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "utskrivning.service.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "utskrivning.service.logs.StdoutHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Our own line per request replaces the development server's.
        "django.server": {"level": "WARNING"},
    },
}
