"""Tests: PostgreSQL from DATABASE_URL (``make test`` starts a throwaway cluster)."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["loggers"]["raksa.request"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = None  # tests serve static files from the apps (finders); nothing is collected
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
RAKSA_RATE_BOOK_SECONDS = 0  # tests change rates and expect them at once
