"""Production: every secret comes from the environment; nothing falls back to a development value."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
RAKSA_PII_ENCRYPTION_KEY = required("RAKSA_PII_ENCRYPTION_KEY")
RAKSA_PII_HMAC_KEY = required("RAKSA_PII_HMAC_KEY")
# LINE: the real channels and endpoints (README, "LINE in production"); never the stand-in's demo values.
LINE_CHANNEL_SECRET = required("LINE_CHANNEL_SECRET")
LINE_CHANNEL_ACCESS_TOKEN = required("LINE_CHANNEL_ACCESS_TOKEN")
LINE_LOGIN_CHANNEL_ID = required("LINE_LOGIN_CHANNEL_ID")
LINE_LIFF_ID = required("LINE_LIFF_ID")
LINE_STANDIN_URL = ""
LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL", "https://api.line.me")
LINE_API_DATA_BASE_URL = os.environ.get("LINE_API_DATA_BASE_URL", "https://api-data.line.me")
LINE_JWKS_URL = os.environ.get("LINE_JWKS_URL", "https://api.line.me/oauth2/v2.1/certs")
LINE_LIFF_SDK_URL = os.environ.get("LINE_LIFF_SDK_URL", "https://static.line-scdn.net/liff/edge/2/sdk.js")
# The civil registry's photo service (README, "Settings"); never the stand-in.
RAKSA_CIVIL_REGISTRY_URL = required("RAKSA_CIVIL_REGISTRY_URL")
RAKSA_CIVIL_REGISTRY_TOKEN = required("RAKSA_CIVIL_REGISTRY_TOKEN")
if not RAKSA_CIVIL_REGISTRY_URL.startswith("https://"):
    raise ImproperlyConfigured("RAKSA_CIVIL_REGISTRY_URL must be https:// in production")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must name PostgreSQL in production")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
