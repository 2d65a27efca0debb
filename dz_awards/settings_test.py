"""Test settings: the production module with fast, deterministic parts swapped in.

The database still comes from DATABASE_URL, so the same suite runs on SQLite
and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from dz_awards.settings import *  # noqa: F403

HTTPS = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run the moment they are enqueued (after commit), so a test sees the
# delivered email; the database backend and worker are tested on their own.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405 from the main settings
    }
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# OCR takes about a second a page: off (a budget of no pages) unless a test that
# reads pictures raises it with the `settings` fixture.
OCR_MAX_PAGES = 0

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Every browser and live-server test comes from 127.0.0.1: limits high enough that
# the suite never meets them (but still counts). The tests of the limits set small
# ones themselves. Open data is off: its query-count guards measure the library's
# own queries, and the few cache queries of a count would add to them.
RATE_LIMITS = {
    **dict.fromkeys(RATE_LIMITS, "10000/h"),  # noqa: F405 from the main settings
    "open_data": "off",
}
