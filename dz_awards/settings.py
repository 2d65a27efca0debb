"""Settings, read from the environment with safe defaults.

Production is this module with DEBUG off and SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL set; `manage.py check --deploy` passes with no warnings then.
Every variable is listed in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from dz_awards.core.logging import logging_config
from dz_awards.core.storage import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while debugging; production must set one.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Public address of the site, used to build absolute links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, on a site that records every change in the audit trail.
    "dz_awards.core.admin_app.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dz_awards.core",
    "dz_awards.accounts",
    "dz_awards.agencies",
    "dz_awards.cycles",
    "dz_awards.nominations",
    "reviews",
    "dz_awards.profiles",
    "dz_awards.mailings",
    "dz_awards.recognition",
    "dz_awards.portal",
    "dz_awards.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once the second factor is given (two-factor sign-in).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle past its person's limit (SESSION_IDLE_TIMEOUT*).
    "dz_awards.accounts.idle.IdleTimeoutMiddleware",
    # Responses to signed-in people are never cached: `Cache-Control: private, no-store`.
    "dz_awards.core.cache_control.PrivateCacheControlMiddleware",
    # Program staff (and the admin) must have given the second factor: see accounts.middleware.
    "dz_awards.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Axes last, as its documentation asks: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dz_awards.urls"
WSGI_APPLICATION = "dz_awards.wsgi.application"
ASGI_APPLICATION = "dz_awards.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "dz_awards.portal.context_processors.navigation",
                "dz_awards.portal.context_processors.contact",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-style) by URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker write the same file: WAL lets readers
    # carry on during a write, IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Persistent connections: without them a cheap page loses most of its throughput.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every server process shares: a table in the database above
# (`manage.py createcachetable`, which `make run` and `make serve` run), so rate
# limits count across processes and servers with no extra service. Django's
# database cache with an increment that cannot lose a count (see core.cache).
CACHES = {
    "default": {
        "BACKEND": "dz_awards.core.cache.DatabaseCache",
        "LOCATION": "dz_cache",
        # Cached library pages (one per page and filter) need room: the table is
        # culled past this many rows.
        "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=20000)},
    },
}
# With REDIS_URL (redis://host:6379/0), Redis instead: faster, and what many servers
# share best. Same atomic increment for rate limits (see core.cache).
if env.str("REDIS_URL", default=""):
    CACHES["default"] = {
        "BACKEND": "dz_awards.core.cache.RedisCache",
        "LOCATION": env.str("REDIS_URL"),
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:after-login"
LOGOUT_REDIRECT_URL = "portal:home"
# Links that set a password (registration and reset) stay valid for two days.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 2

# Login throttling: lock a username *from one address* only, so nobody can
# lock a real user out from elsewhere; the address is the socket peer unless
# that is one of TRUSTED_PROXIES (see core.net).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "dz_awards.accounts.auth.axes_username"
AXES_CLIENT_IP_CALLABLE = "dz_awards.core.net.throttle_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/public/locked_out.html"
AXES_VERBOSE = False
# Networks (CIDR) of our own proxies, whose X-Forwarded-For is believed; empty:
# the socket peer is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Rate limits per client address (an IPv6 /64 counts as one), shared by every
# process through the cache: "count/period", the period in s, m, h or d with an
# optional multiple ("100/10m"); "off" turns one off. See core.limits.
RATE_LIMITS = {
    "registration": env.str("RATE_LIMIT_REGISTRATION", default="10/h"),
    "password_reset": env.str("RATE_LIMIT_PASSWORD_RESET", default="10/h"),
    "join_request": env.str("RATE_LIMIT_JOIN_REQUEST", default="10/h"),
    "invitation": env.str("RATE_LIMIT_INVITATION", default="50/h"),
    "message": env.str("RATE_LIMIT_MESSAGE", default="20/h"),
    "upload": env.str("RATE_LIMIT_UPLOAD", default="100/h"),
    # Wrong passwords from one address, whatever the username (password spraying).
    "login": env.str("RATE_LIMIT_LOGIN", default="20/h"),
    "open_data": env.str("RATE_LIMIT_OPEN_DATA", default="300/h"),
}
# For django-ratelimit's own "ip" key, should anything use it: the same address.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "dz_awards.core.net.client_ip"
RATELIMIT_IPV6_MASK = 64

# Two-factor sign-in (TOTP) for reviewers and program staff: the name
# authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Destination Zero Awards"

LANGUAGE_CODE = "en-us"
# Stored in UTC; shown in US Eastern, the time zone of the deadline.
USE_TZ = True
TIME_ZONE = "America/New_York"
USE_I18N = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    # Private by default: uploads are served only through permission-checked views.
    # The filesystem under MEDIA_ROOT, or with AWS_STORAGE_BUCKET_NAME an S3-compatible
    # store shared by every server (AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
    # AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): dz_awards/core/storage.py.
    "default": default_storage_config(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Evidence uploads: shown to the agency before it picks a file, enforced on the server.
# The web server in front must accept request bodies of at least the largest file.
EVIDENCE_MAX_IMAGE_BYTES = env.int("EVIDENCE_MAX_IMAGE_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_DOCUMENT_BYTES = env.int("EVIDENCE_MAX_DOCUMENT_BYTES", default=20 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=20)
# The PDF summary of a profile must render within this many seconds.
PDF_RENDER_SECONDS = env.int("PDF_RENDER_SECONDS", default=30)
# A reviewer invitation link works once, for this many days.
REVIEWER_INVITATION_DAYS = env.int("REVIEWER_INVITATION_DAYS", default=14)
EVIDENCE_QUOTA_BYTES = env.int("EVIDENCE_QUOTA_BYTES", default=100 * 1024 * 1024)
# All of one agency's nominations together, over the years (ASVS 5.2.4).
EVIDENCE_AGENCY_QUOTA_BYTES = env.int("EVIDENCE_AGENCY_QUOTA_BYTES", default=1024 * 1024 * 1024)
# Below Pillow's own warning level (~89 Mpx): a 40 Mpx photo is already 8000 by 5000.
EVIDENCE_MAX_IMAGE_PIXELS = env.int("EVIDENCE_MAX_IMAGE_PIXELS", default=40_000_000)
# OCR of each evidence file's clean copy (scanned pages, pictures), for the identity
# check: at most this many pages and seconds per file; staff see where it stopped.
OCR_MAX_PAGES = env.int("OCR_MAX_PAGES", default=20)
OCR_MAX_SECONDS = env.int("OCR_MAX_SECONDS", default=60)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console unless EMAIL_URL says otherwise (smtp+tls://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": 20,
}
_email_backend = _email["EMAIL_BACKEND"]
if DEBUG and _email_backend == "django.core.mail.backends.console.EmailBackend":
    # Readable links in the terminal. Only while debugging, so that
    # `check --deploy` still flags a production site left on the console.
    _email_backend = "dz_awards.core.mail.ReadableConsoleBackend"
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": (
            {k: v for k, v in _smtp_options.items() if v not in (None, "")}
            if _email_backend.endswith("smtp.EmailBackend")
            else {}
        ),
    },
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Destination Zero Awards <awards@destinationzero.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to program staff: shown on the site, in data.json and in the API's
# description (the sender address above may not take replies).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="destinationzero@example.org")
# An outbox row is retried this many times, with growing back-off, before it is marked failed.
OUTBOX_MAX_ATTEMPTS = 6

# Background work (email, PDFs, images) runs in `manage.py db_worker`.
# Uploads have their own queue and worker, so that checking a large image never
# holds up an email.
TASK_QUEUES = ["default", "uploads"]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES},
}

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap draws its form and toggler icons as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends SESSION_COOKIE_AGE after sign-in, and earlier after
# this long without activity (seconds): people of agencies, then program staff
# and reviewers (`accounts.idle`).
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
CSRF_COOKIE_HTTPONLY = True

# HTTPS is on in production. `make serve` turns it off only because it serves
# plain HTTP on loopback for benchmarking; behind a TLS proxy set
# PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto from that proxy.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe the app servers directly over plain HTTP: a redirect there
# would read as "down". The two answer the same to anyone and carry nothing secret.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ADMIN_URL = env.str("ADMIN_URL", default="admin/")

# Plain lines, or with LOG_FORMAT=json one JSON object per line (time, level,
# logger, message, request method/path/id and status, exception): core.logging.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = logging_config(LOG_FORMAT, env.str("LOG_LEVEL", default="INFO"))

# /readyz (core.health): a worker must have been seen within this many seconds for
# every task queue; each process reuses its last answer for READYZ_CACHE_SECONDS
# (load balancers ask often); a request with header X-Readyz-Token equal to
# READYZ_TOKEN (when set) gets each check's status as JSON.
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=120)
READYZ_CACHE_SECONDS = env.float("READYZ_CACHE_SECONDS", default=2.0)
READYZ_TOKEN = env.str("READYZ_TOKEN", default="")
