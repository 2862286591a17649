"""Settings shared by every environment; everything that differs comes from environment variables.

Database: ``DATABASE_URL`` names it. Without it Raksa uses an embedded SQLite file (WAL journal,
IMMEDIATE transactions) so that ``make run`` needs nothing else. With a ``postgres://`` URL it uses
PostgreSQL through Django's psycopg connection pool (a new connection per request costs ~9x).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("RAKSA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "raksa-development-only-secret-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves its own Swagger UI files: no CDN (nothing outside is reachable)
    "raksa.core",
    "raksa.audit",
    "raksa.units",
    "raksa.people",
    "raksa.eligibility",
    "raksa.booking",
    "raksa.messaging",
    "raksa.verification",
    "raksa.claims",
    "raksa.demo",
    "interfaces.line",
    "interfaces.portal",
    "interfaces.backoffice",
]

MIDDLEWARE = [
    "raksa.core.middleware.RequestIdMiddleware",
    "interfaces.api.middleware.ApiJsonErrorsMiddleware",  # every answer under /api/ is JSON with a code
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "raksa.core.db_outage_middleware.DatabaseOutageMiddleware",  # 503 at once while the database is down
    "interfaces.nul_guard.DropNulCookiesMiddleware",  # before the session reads its cookie
    "django.contrib.sessions.middleware.SessionMiddleware",
    "raksa.core.middleware.ThaiFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "interfaces.nul_guard.RefuseNulMiddleware",  # 422 for NUL in path, query or body, before any view
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Flash messages may name a citizen ("Booked for …"): keep them on the server, in the session, never in a
# cookie (Django's default stores them in the browser, signed but readable).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "interfaces.csrf_failure.csrf_failure"  # Thai and English, with what to do next
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "raksa.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
                # with "database is locked" half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, answering at once while the database is down (raksa/core/db_outage.py).
        config["ENGINE"] = "raksa.core.postgresql"
        config["OPTIONS"] = {
            # Never reached, so nothing is prepared automatically; raksa.core.db prepares the hot statements.
            # (A pooler in transaction mode must support prepared statements: PgBouncer 1.21 or later.)
            "prepare_threshold": 2**31 - 1,
            # A server that does not answer at all (host down, packets dropped) fails a connection attempt
            # after 2 s (libpq's minimum) instead of the TCP timeout (minutes); a stopped server refuses at once.
            "connect_timeout": 2,
            # A connection whose server vanished (a failover, a dead host) fails in seconds, not when TCP
            # gives up (~15 min): unacknowledged data after 10 s, an idle connection after ~10 s of silence.
            # Otherwise a query, or the outage probe's check of the pool, could hang on it for minutes.
            "tcp_user_timeout": 10_000,
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
        }
        if env_bool("DATABASE_POOL", True):
            config["OPTIONS"]["pool"] = {
                "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
                "max_size": int(os.environ.get("DATABASE_POOL_MAX", "16")),
                # How long a request waits for a free connection from a busy pool (a surge), not for a
                # database that is down: the breaker (raksa.core.db_outage) answers those in <= 0.25 s.
                "timeout": 10,
                # The pool stops retrying a lost connection in the background after 2 s. Its retries back
                # off (1, 2, 4, 8 s ...), and a connection being retried counts against max_size, so with a
                # longer value a pool could wait for a retry seconds after PostgreSQL is back; given up,
                # the connection is made again the moment a request needs it.
                "reconnect_timeout": 2,
            }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

# Thai is the default language; English is offered. Dates are shown with the Buddhist year by
# raksa.core.thaidate (Django's own formats print the Christian year).
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"  # instants are stored in UTC (USE_TZ); the service day is a Bangkok date
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # collectstatic writes here (make run does it)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Raksa -------------------------------------------------------------------------------------
# Keys for citizens' national IDs (PDPA personal data). Base64 of 32 random bytes each. Without them
# (development and tests only) keys are derived from SECRET_KEY; production settings refuse that.
RAKSA_PII_ENCRYPTION_KEY = os.environ.get("RAKSA_PII_ENCRYPTION_KEY", "")
RAKSA_PII_HMAC_KEY = os.environ.get("RAKSA_PII_HMAC_KEY", "")
# Where staff of a unit whose registration is not verified are sent ("link back to Web OSS").
RAKSA_REGISTRATION_URL = os.environ.get("RAKSA_REGISTRATION_URL", "https://oss.example.go.th/register")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "raksa.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "raksa.request": {"handlers": ["console"], "level": os.environ.get("RAKSA_REQUEST_LOG_LEVEL", "INFO"),
                          "propagate": False},
        "raksa": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # psycopg's pool: lost connections and failed attempts (warnings), as JSON lines like the rest.
        "psycopg": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Booking (minutes). A unit's booking for a citizen waits this long for the citizen's confirmation;
# a seat offered from the waiting list is held this long; a confirmed booking becomes a no-show this
# long after its slot ends.
# How long a process trusts an API key it found live (see raksa.units.selectors.unit_api_key_authenticate).
RAKSA_API_KEY_CACHE_SECONDS = float(os.environ.get("RAKSA_API_KEY_CACHE_SECONDS", "5"))
RAKSA_BOOKING_CONFIRM_MINUTES = int(os.environ.get("RAKSA_BOOKING_CONFIRM_MINUTES", "120"))
RAKSA_WAITLIST_OFFER_MINUTES = int(os.environ.get("RAKSA_WAITLIST_OFFER_MINUTES", "30"))
RAKSA_NO_SHOW_GRACE_MINUTES = int(os.environ.get("RAKSA_NO_SHOW_GRACE_MINUTES", "30"))

# --- LINE -------------------------------------------------------------------------------------
# Every address, channel ID and secret of LINE comes from here. The defaults point at the local LINE
# stand-in (line_standin/, started by `make run` on port 8100): no machine here reaches LINE. Production
# sets them all (config/settings/production.py refuses the demo values); README "LINE in production".
LINE_STANDIN_URL = os.environ.get("LINE_STANDIN_URL", "http://127.0.0.1:8100")
# Messaging API channel: the bot. The secret signs webhook bodies (X-Line-Signature); the token sends.
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "raksa-demo-channel-secret")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "raksa-demo-channel-access-token")
LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL", LINE_STANDIN_URL)  # https://api.line.me
LINE_API_DATA_BASE_URL = os.environ.get("LINE_API_DATA_BASE_URL", LINE_STANDIN_URL)  # https://api-data.line.me
# LINE Login channel that holds the LIFF app: ID tokens carry its ID as `aud`, LINE as `iss`.
LINE_LOGIN_CHANNEL_ID = os.environ.get("LINE_LOGIN_CHANNEL_ID", "1650000001")
LINE_ID_TOKEN_ISSUER = os.environ.get("LINE_ID_TOKEN_ISSUER", "https://access.line.me")
LINE_JWKS_URL = os.environ.get("LINE_JWKS_URL", f"{LINE_STANDIN_URL}/oauth2/v2.1/certs")
LINE_LIFF_ID = os.environ.get("LINE_LIFF_ID", "1650000001-raksa")
# LINE's LIFF SDK in production (https://static.line-scdn.net/liff/edge/2/sdk.js); the stand-in's shim here.
LINE_LIFF_SDK_URL = os.environ.get("LINE_LIFF_SDK_URL", f"{LINE_STANDIN_URL}/static/liff-shim.js")
# A push that fails is retried with the same X-Line-Retry-Key (delivered once) this many times, then
# recorded as failed (visible to staff in the back office).
LINE_PUSH_MAX_ATTEMPTS = int(os.environ.get("LINE_PUSH_MAX_ATTEMPTS", "8"))
# --- Civil registry ----------------------------------------------------------------------------
# Citizens' reference photos (raksa/integrations/civil_registry: POST {URL}/v1/photo with a bearer token; the
# protocol is Raksa's assumption, docs/architecture.md "Civil registry"). The defaults point at the local
# stand-in (civil_registry_standin/, started by `make run` on port 8101); production requires the URL and token.
RAKSA_CIVIL_REGISTRY_URL = os.environ.get("RAKSA_CIVIL_REGISTRY_URL", "http://127.0.0.1:8101")
RAKSA_CIVIL_REGISTRY_TOKEN = os.environ.get("RAKSA_CIVIL_REGISTRY_TOKEN", "raksa-demo-civil-registry-token")
# Seconds to connect, and again to read the answer: staff wait at the counter.
RAKSA_CIVIL_REGISTRY_TIMEOUT = float(os.environ.get("RAKSA_CIVIL_REGISTRY_TIMEOUT", "5"))

# The LIFF pages' own sign-in, made from a verified ID token (seconds).
RAKSA_LIFF_SESSION_SECONDS = int(os.environ.get("RAKSA_LIFF_SESSION_SECONDS", "1800"))
# Linking a LINE account to a national ID: after this many failures for one LINE user or one national ID,
# that key is locked for RAKSA_LINK_LOCK_MINUTES.
RAKSA_LINK_MAX_FAILURES = int(os.environ.get("RAKSA_LINK_MAX_FAILURES", "5"))
RAKSA_LINK_LOCK_MINUTES = int(os.environ.get("RAKSA_LINK_LOCK_MINUTES", "30"))
# A rights QR code on the citizen's screen is good for this long (seconds) and once.
RAKSA_RIGHTS_QR_SECONDS = int(os.environ.get("RAKSA_RIGHTS_QR_SECONDS", "120"))

# Verification at the unit (raksa/verification; docs/verification.md).
# The LINE confirmation QR the portal shows (fallback and "I received the service") is good this long, once.
RAKSA_LINE_CONFIRM_SECONDS = int(os.environ.get("RAKSA_LINE_CONFIRM_SECONDS", "180"))
# After this many failed face tries (same person, unit and day) the portal offers the LINE fallback; people
# under RAKSA_FACE_EXEMPT_UNDER or aged RAKSA_FACE_EXEMPT_FROM and over may use it at once.
RAKSA_FACE_MAX_TRIES = int(os.environ.get("RAKSA_FACE_MAX_TRIES", "3"))
RAKSA_FACE_EXEMPT_UNDER = int(os.environ.get("RAKSA_FACE_EXEMPT_UNDER", "15"))
RAKSA_FACE_EXEMPT_FROM = int(os.environ.get("RAKSA_FACE_EXEMPT_FROM", "60"))
# Frames per face check, and the size of each (bytes and pixels: a decompression bomb is refused).
RAKSA_FACE_MAX_FRAMES = int(os.environ.get("RAKSA_FACE_MAX_FRAMES", "8"))
RAKSA_FACE_MAX_FRAME_BYTES = int(os.environ.get("RAKSA_FACE_MAX_FRAME_BYTES", str(2 * 1024 * 1024)))
RAKSA_FACE_MAX_FRAME_PIXELS = int(os.environ.get("RAKSA_FACE_MAX_FRAME_PIXELS", str(4096 * 4096)))
# The face engine (a dotted path to a class with analyse/distance: raksa/integrations/face/engine.py) and the match
# threshold (docs/face-verification.md says how 0.45 was chosen; recalibrate on consented pilot data).
RAKSA_FACE_ENGINE = os.environ.get("RAKSA_FACE_ENGINE", "raksa.integrations.face.engine.DlibFaceEngine")
RAKSA_FACE_MATCH_THRESHOLD = float(os.environ.get("RAKSA_FACE_MATCH_THRESHOLD", "0.45"))
# Face images are never stored unless this names a directory (e.g. for a dispute process the unit runs).
RAKSA_FACE_KEEP_IMAGES_DIR = os.environ.get("RAKSA_FACE_KEEP_IMAGES_DIR", "")

# Background jobs (LINE pushes, webhook events, reminders): Django's Tasks framework (django-tasks
# backport) on the database, so the demo runs them on SQLite and production on PostgreSQL. A job is a row
# written in the transaction of the change that asked for it: rolled back with it, never lost after it.
# `make run` starts a worker (manage.py db_worker); tests run the jobs (raksa.testing.tasks).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Claims (raksa/claims). A claim sent after its Bangkok service day is late: "flag" sends it to an officer's
# review, "reject" denies it (the unit then talks to the payer). Flag by default: a unit that forgot until the
# next morning should not lose the visit, and an officer sees every late claim.
RAKSA_CLAIMS_LATE_POLICY = os.environ.get("RAKSA_CLAIMS_LATE_POLICY", "flag")
if RAKSA_CLAIMS_LATE_POLICY not in ("flag", "reject"):
    raise ImproperlyConfigured("RAKSA_CLAIMS_LATE_POLICY must be 'flag' or 'reject'")
# How long a process keeps the fee schedule in memory before reading it again (seconds).
RAKSA_RATE_BOOK_SECONDS = float(os.environ.get("RAKSA_RATE_BOOK_SECONDS", "30"))
