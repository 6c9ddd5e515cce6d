"""Settings, read from the environment (see .env.example).

The embedded default (no variables set) is a development site on SQLite
with no Redis. Production sets DJANGO_DEBUG=0, and then every value that
has no safe default must be given, so a missing one fails at start.
"""

import json
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG=0 (see .env.example)")
    return value


DEBUG = env_bool("DJANGO_DEBUG", True)
TESTING = env_bool("FEEDBACK_TESTING", False)

if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or required("DJANGO_ALLOWED_HOSTS").split(",")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A refused form gets a page in the reader's language that says to reload
# and send again, not Django's English debug page.
CSRF_FAILURE_VIEW = "feedback.views_errors.csrf_failure"
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") if DEBUG else required("SITE_URL")).rstrip("/")

# daphne's app makes `manage.py runserver` serve ASGI (the live updates'
# WebSockets in development). Importing it loads Twisted, about 40 MB, into
# every process, so only runserver gets it: production serves WebSockets
# with the daphne command (docker-compose.yml), which needs no app entry,
# and gunicorn and the Celery workers have no use for it.
RUNSERVER = len(sys.argv) > 1 and sys.argv[1] == "runserver"
INSTALLED_APPS = [
    *(["daphne"] if RUNSERVER else []),
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "captcha",
    "django_ratelimit",
    "feedback",
    "api",
    "workers",
    # The demo site's data (manage.py load_demo); no models of its own.
    "demo",
]

MIDDLEWARE = [
    # First: it times everything below it (feedback/metrics.py).
    "feedback.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # /api/ and /open311/ answer errors in their own format and log the client.
    "api.middleware.MachineErrors",
    # Inside MachineErrors (whose shape the API's 413 takes), before anything
    # reads the body (the CSRF check reads the form).
    "feedback.limits.RequestBodyLimit",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# --- Database -----------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_SUPPORTED_DB_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
_DB_SCHEME = DATABASE_URL.split(":", 1)[0]
if _DB_SCHEME not in _SUPPORTED_DB_SCHEMES:
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres:// (got {_DB_SCHEME!r})"
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# How many PostgreSQL connections one process may hold. 0 (the default):
# one persistent connection per thread, reused for CONN_MAX_AGE seconds,
# which is right for a process that serves one request at a time on the
# same thread (gunicorn's sync workers, a Celery pool process). An ASGI
# server runs every request on a new thread, so there a persistent
# connection is never reused and connections pile up until PostgreSQL
# refuses more: such a process sets DATABASE_POOL_SIZE and takes its
# connections from Django's psycopg pool, at most that many at once.
DATABASE_POOL_SIZE = int(env("DATABASE_POOL_SIZE", "0"))
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        # A request waits this long for a free connection, then fails
        # (500) instead of queueing without end.
        "timeout": float(env("DATABASE_POOL_TIMEOUT", "10")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A single-file database shared by the web process and the in-process
    # workers: WAL lets readers go on while a writer commits; a 64 MiB page
    # cache halves the time to load the demo year (measured: 59 -> 29 ms a
    # ticket).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Celery, Channels, cache ------------------------------------------
REDIS_URL = env("REDIS_URL")
# Without Redis (the embedded default) tasks run in the web process right
# after the transaction that queued them commits, and the periodic sweeps
# run on a thread there (workers/inline.py).
TASKS_INLINE = REDIS_URL is None

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Tasks report through the database, not through results; a backend is only
# set where someone waits on a result (the integration tests, the benchmark).
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND")
CELERY_TASK_ALWAYS_EAGER = TASKS_INLINE
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish to a dead broker must fail fast: the ticket is already stored
# and the sweep will queue it again (feedback/sweeps.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task taken by a worker that dies without acking goes back to the
    # queue after this many seconds. Longer than CELERY_TASK_TIME_LIMIT, or a
    # slow task would be handed to a second worker while the first still runs.
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "600")),
    # How often a worker looks for such tasks (kombu's default is about
    # every 100 s); the check is one indexed Redis range query.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # The lock around that look; a worker killed while holding it would
    # otherwise stop every restore for kombu's default of 300 s.
    "unacked_mutex_expire": 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
# Celery's Django fixup closes the database connection before and after
# every task unless told to reuse it, so each task paid for a new
# PostgreSQL connection (a backend started, authenticated, its caches
# warmed): three per routed ticket. Reuse it, and apply Django's own rule
# around each task instead (CONN_MAX_AGE; a broken connection is closed),
# as for a request: workers/apps.py.
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# One queue per kind of task, so each kind gets workers of its own where
# the load calls for it (docker-compose.yml, docs/operations.md): routing
# is what a citizen waits for and must not queue behind a slow mail
# server. A worker started without -Q consumes every queue listed here.
CELERY_TASK_QUEUES = {name: {} for name in ("celery", "routing", "delivery", "sweeps")}
CELERY_TASK_ROUTES = {
    "workers.tasks.route_ticket": {"queue": "routing"},
    "workers.tasks.deliver_event": {"queue": "delivery"},
    # Partners' webhooks and media wait on other people's servers, like mail.
    "workers.tasks.deliver_webhook": {"queue": "delivery"},
    "workers.tasks.fetch_media": {"queue": "delivery"},
    "workers.tasks.sweep_*": {"queue": "sweeps"},
    "workers.tasks.freeze_figures": {"queue": "sweeps"},
    "workers.tasks.refresh_live_figures": {"queue": "sweeps"},
}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# Periodic sweeps (feedback/sweeps.py). Celery beat runs them in production;
# the embedded default runs the same functions on a thread (workers/inline.py).
FEEDBACK_SWEEP_SECONDS = int(env("FEEDBACK_SWEEP_SECONDS", "60"))
# The current month's summary of the figures (feedback.snapshots.refresh_live,
# LiveFigures) is recomputed this often by a task, and read while it is at
# most FEEDBACK_LIVE_FIGURES_MAX_AGE seconds old; older, the figures are
# computed from the tickets (slow at a city's scale, never wrong).
FEEDBACK_LIVE_FIGURES_SECONDS = int(env("FEEDBACK_LIVE_FIGURES_SECONDS", "60"))
FEEDBACK_LIVE_FIGURES_MAX_AGE = int(
    env("FEEDBACK_LIVE_FIGURES_MAX_AGE", str(3 * FEEDBACK_LIVE_FIGURES_SECONDS))
)
# A ticket still "received", or an event still undelivered, this long after
# it was written is queued again (the broker was down, or a worker died).
FEEDBACK_REQUEUE_AFTER_SECONDS = int(env("FEEDBACK_REQUEUE_AFTER_SECONDS", "60"))
# How long a worker's claim on an event's notifications lasts
# (feedback/notifications.py). Longer than CELERY_TASK_TIME_LIMIT, so a live
# worker's claim never runs out under it; when the worker dies, the sweep
# takes the event again after this.
FEEDBACK_DELIVERY_CLAIM_SECONDS = int(
    env("FEEDBACK_DELIVERY_CLAIM_SECONDS", str(CELERY_TASK_TIME_LIMIT + 60))
)
# The most rows one run of one sweep touches; the next run takes the rest.
FEEDBACK_SWEEP_BATCH = int(env("FEEDBACK_SWEEP_BATCH", "500"))
# Embedded mode: run the sweeps on a thread of the web process. "auto" turns
# them on for `manage.py runserver` and daphne only (never for tests,
# migrate or other commands).
FEEDBACK_INLINE_SWEEPS = env("FEEDBACK_INLINE_SWEEPS", "auto")


def _every(seconds: int) -> dict:
    # A sweep that could not run in its slot is dropped, not stacked up
    # behind a dead worker: the next slot does the same work.
    return {"schedule": float(seconds), "options": {"expires": max(seconds - 1, 1)}}


CELERY_BEAT_SCHEDULE = {
    "requeue-unrouted": {"task": "workers.tasks.sweep_unrouted", **_every(FEEDBACK_SWEEP_SECONDS)},
    "requeue-undelivered": {
        "task": "workers.tasks.sweep_undelivered",
        **_every(FEEDBACK_SWEEP_SECONDS),
    },
    "warn-before-deadline": {
        "task": "workers.tasks.sweep_warnings",
        **_every(FEEDBACK_SWEEP_SECONDS),
    },
    "requeue-webhooks": {
        "task": "workers.tasks.sweep_webhooks",
        **_every(FEEDBACK_SWEEP_SECONDS),
    },
    "mark-breaches": {"task": "workers.tasks.sweep_breaches", **_every(FEEDBACK_SWEEP_SECONDS)},
    "escalate-breaches": {
        "task": "workers.tasks.sweep_escalations",
        **_every(FEEDBACK_SWEEP_SECONDS),
    },
    "close-quiet-answers": {
        "task": "workers.tasks.sweep_closures",
        **_every(max(FEEDBACK_SWEEP_SECONDS, 600)),
    },
    # The public form's expired challenges (feedback.captcha).
    "remove-expired-captchas": {
        "task": "workers.tasks.sweep_captchas",
        **_every(max(FEEDBACK_SWEEP_SECONDS, 300)),
    },
    # The current month's summary of the figures (feedback.snapshots).
    "refresh-live-figures": {
        "task": "workers.tasks.refresh_live_figures",
        **_every(FEEDBACK_LIVE_FIGURES_SECONDS),
    },
    # Monthly snapshots of the figures (feedback.snapshots): on the 1st at
    # 00:30 in TIME_ZONE last month is frozen; the other days the same task
    # finds nothing to do in two queries, or freezes a month a stopped beat
    # missed.
    "freeze-figures": {
        "task": "workers.tasks.freeze_figures",
        "schedule": crontab(minute=30, hour=0),
        "options": {"expires": 6 * 3600},
    },
    # The weekly digest to heads and leaders (feedback.digest): Monday
    # 07:00 in TIME_ZONE; dropped if it could not start within two hours.
    "weekly-digest": {
        "task": "workers.tasks.send_weekly_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
        "options": {"expires": 2 * 3600},
    },
}

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [env("CHANNELS_REDIS_URL", REDIS_URL)]},
        }
    }
    CACHES = {
        "default": {
            # Redis, answered from this process's memory while Redis is down,
            # so the rate limits and cached pages never take intake down
            # with them (feedback/limits.py).
            "BACKEND": "feedback.limits.FallbackRedisCache",
            "LOCATION": env("CACHE_REDIS_URL", REDIS_URL),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "feedback",
        }
    }

# --- Auth ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id with OWASP's parameters instead of Django's 100 MiB per hash
# (config/passwords.py says why).
PASSWORD_HASHERS = [
    "config.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
# Leaders and heads land on the dashboard, officers on their inbox.
LOGIN_REDIRECT_URL = "staff:start"
LOGOUT_REDIRECT_URL = "public:home"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
# Failures count per address, whatever user names it tries: one address
# cannot spray passwords over many accounts. Any successful sign-in from the
# address clears its count, so an office behind one address is locked only
# by failures in a row (docs/staff.md).
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# The client's address as the rate limits read it (RATELIMIT_IP_META_KEY
# behind the proxy; an IPv6 client by its /64), not the proxy's.
AXES_CLIENT_IP_CALLABLE = "feedback.limits.client_ip"
AXES_RESET_ON_SUCCESS = True
# A locked-out sign-in gets a page that says why and for how long (vi/en).
AXES_LOCKOUT_TEMPLATE = "staff/lockout.html"

# --- I18n ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and uploads -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet and its marker-cluster plug-in ship inside XStatic packages:
# served from our own origin under /static/leaflet/ and
# /static/leaflet-markercluster/, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticStorage"
    },
}
# A request body over FEEDBACK_MAX_REQUEST_MB is refused with a 413 from its
# Content-Length, before anything is read or written to disk
# (feedback.limits.RequestBodyLimit); the proxy's client_max_body_size
# (deploy/nginx.conf) is the outer wall. Form fields alone are capped the
# same; files over 5 MB are streamed to a temporary file, not held in memory.
FEEDBACK_MAX_REQUEST_BYTES = int(env("FEEDBACK_MAX_REQUEST_MB", "30")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = FEEDBACK_MAX_REQUEST_BYTES

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Only for EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Phản ánh Hà Nội <no-reply@localhost>")

# --- SMS (feedback/outbound.py) -------------------------------------------------
# A brand-name SMS gateway over HTTP: the reporter may choose SMS at intake
# only when FEEDBACK_SMS_URL is set. The token authorises the POST; the
# brand name is the registered sender name the provider shows.
FEEDBACK_SMS_URL = env("FEEDBACK_SMS_URL", "")
FEEDBACK_SMS_TOKEN = env("FEEDBACK_SMS_TOKEN", "")
FEEDBACK_SMS_BRAND = env("FEEDBACK_SMS_BRAND", "HANOI")
FEEDBACK_SMS_TIMEOUT = float(env("FEEDBACK_SMS_TIMEOUT", "10"))

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    # The first class answers 401s (WWW-Authenticate: Bearer); staff use
    # "Authorization: Token <token>" or their session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.exceptions.handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hà Nội citizen feedback API",
    "DESCRIPTION": "API v1 for partner systems and offices. Guide: docs/partners.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "api.schema.TICKET_KINDS",
        "UnitKindEnum": "api.schema.UNIT_KINDS",
        "OfficeKindEnum": "api.schema.OFFICE_KINDS",
        "EventKindEnum": "api.schema.EVENT_KINDS",
    },
    # Every operation documents the error answers it can give, in one shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- The product's own rules --------------------------------------------------
# Extra days off for this deployment (ISO dates, comma-separated), on top of
# the official calendar (the OfficialDay table over the `holidays` package).
FEEDBACK_EXTRA_HOLIDAYS = env_list("FEEDBACK_EXTRA_HOLIDAYS")
# Days that are working days whatever the table and the package say.
FEEDBACK_EXTRA_WORKDAYS = env_list("FEEDBACK_EXTRA_WORKDAYS")
# Office hours: two sessions a day, as Hà Nội's offices keep them.
FEEDBACK_OFFICE_HOURS = env("FEEDBACK_OFFICE_HOURS", "08:00-12:00,13:00-17:00")
# How long an answered ticket waits for the citizen's rating or reopen request.
FEEDBACK_CLOSE_AFTER_DAYS = int(env("FEEDBACK_CLOSE_AFTER_DAYS", "7"))


# --- Transparency rankings (docs/scores.md) ------------------------------------
def _weights(name: str, raw: str) -> dict[str, float]:
    """Service-score weights, as JSON ({"on_time": 0.5}) or "on_time=0.5,...".
    Published on /minh-bach/phuong-phap/; a typo fails at start."""
    raw = raw.strip()
    try:
        pairs = (
            json.loads(raw)
            if raw.startswith("{")
            else dict(item.split("=", 1) for item in raw.split(",") if item.strip())
        )
        weights = {key.strip(): float(value) for key, value in pairs.items()}
    except (ValueError, AttributeError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is not JSON or k=v,k=v: {raw!r}") from exc
    unknown = set(weights) - {"on_time", "satisfaction", "reopen"}
    if unknown or not weights or any(w < 0 for w in weights.values()) or not sum(weights.values()):
        raise ImproperlyConfigured(
            f"{name}: weights of on_time, satisfaction, reopen, >= 0, not all 0: {raw!r}"
        )
    return weights


FEEDBACK_SCORE_WEIGHTS = _weights(
    "FEEDBACK_SCORE_WEIGHTS",
    env("FEEDBACK_SCORE_WEIGHTS", "on_time=0.5,satisfaction=0.4,reopen=0.1") or "",
)
# Offices with fewer resolved + overdue tickets in the period are shown, not ranked.
FEEDBACK_MIN_SAMPLE = int(env("FEEDBACK_MIN_SAMPLE", "10"))
# Seconds the public rankings are cached per period (0: computed on every request).
FEEDBACK_RANKINGS_CACHE_SECONDS = int(env("FEEDBACK_RANKINGS_CACHE_SECONDS", "300"))

# --- Public intake (issue #3; docs/citizens.md) -------------------------------
# Uploads per report and bytes per file; checked by content in feedback/attachments.py.
FEEDBACK_MAX_ATTACHMENTS = int(env("FEEDBACK_MAX_ATTACHMENTS", "5"))
FEEDBACK_MAX_UPLOAD_BYTES = int(env("FEEDBACK_MAX_UPLOAD_MB", "10")) * 1024 * 1024
# --- API, Open311, webhooks (issue 12; docs/partners.md) ------------------------
# Calls per staff token user (django-ratelimit syntax); API keys carry their own.
FEEDBACK_API_USER_RATE = env("FEEDBACK_API_USER_RATE", "600/m")
# The change feed holds back events younger than this, so a slower
# transaction cannot commit an event behind a cursor already handed out.
FEEDBACK_FEED_SETTLE_SECONDS = int(env("FEEDBACK_FEED_SETTLE_SECONDS", "5"))
# Open311 jurisdiction_id: the province code (01: Hà Nội); empty means this one.
FEEDBACK_OPEN311_JURISDICTION = env("FEEDBACK_OPEN311_JURISDICTION", "01")
# Webhook retries: the first after this many seconds, doubling up to the
# maximum, and given up this many hours after the event.
FEEDBACK_WEBHOOK_FIRST_RETRY_SECONDS = int(env("FEEDBACK_WEBHOOK_FIRST_RETRY_SECONDS", "30"))
FEEDBACK_WEBHOOK_MAX_RETRY_SECONDS = int(env("FEEDBACK_WEBHOOK_MAX_RETRY_SECONDS", "3600"))
FEEDBACK_WEBHOOK_GIVE_UP_HOURS = int(env("FEEDBACK_WEBHOOK_GIVE_UP_HOURS", "72"))
FEEDBACK_WEBHOOK_TIMEOUT_SECONDS = int(env("FEEDBACK_WEBHOOK_TIMEOUT_SECONDS", "10"))
# How long a process keeps its list of active subscriptions (api.webhooks).
FEEDBACK_WEBHOOK_CACHE_SECONDS = int(env("FEEDBACK_WEBHOOK_CACHE_SECONDS", "10"))
# media_url fetches refuse private and loopback addresses; 1 allows them
# (tests, or a partner's files on the city's own network).
FEEDBACK_MEDIA_ALLOW_PRIVATE = env_bool("FEEDBACK_MEDIA_ALLOW_PRIVATE", False)

# Rate limits per client address (django-ratelimit syntax: "10/h", "60/m").
FEEDBACK_SUBMIT_RATE = env("FEEDBACK_SUBMIT_RATE", "10/h")
FEEDBACK_SUPPORT_RATE = env("FEEDBACK_SUPPORT_RATE", "30/h")
# Alert sign-ups (each mails a confirmation link) per address.
FEEDBACK_ALERT_RATE = env("FEEDBACK_ALERT_RATE", "10/h")
FEEDBACK_LOOKUP_RATE = env("FEEDBACK_LOOKUP_RATE", "60/m")
# Wrong private-link secrets (or unknown codes) one address may try, on the
# pages and the API together, before every private link answers 429 to it.
FEEDBACK_PRIVATE_LINK_RATE = env("FEEDBACK_PRIVATE_LINK_RATE", "20/h")
# Behind a reverse proxy, the META key that carries the client address
# (e.g. HTTP_X_REAL_IP); empty: REMOTE_ADDR. Limits are checked by
# feedback/limits.py; a check that cannot count lets the request in.
RATELIMIT_FAIL_OPEN = True
if env("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY")
# The browser loads map tiles from here at run time; pages work without them.
FEEDBACK_MAP_TILE_URL = env(
    "FEEDBACK_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
FEEDBACK_MAP_ATTRIBUTION = env("FEEDBACK_MAP_ATTRIBUTION", "&copy; OpenStreetMap contributors")


def _tile_origin(template: str) -> str:
    """The map tiles' origin for the CSP's img-src: "https://{s}.tile.x.org/..."
    becomes "https://*.tile.x.org"."""
    parts = urlsplit(template)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


# Content-Security-Policy on every response (django-csp). The rule for
# pages (docs/architecture.md): no inline <script>, no on*= handlers, no
# style= attributes or <style> blocks; scripts and styles are files under
# static/, and the words a script shows come from data-* attributes. Map
# tiles are the one outside origin; WebSockets are 'self' (ws/wss of this
# host). Views that serve other people's files set a stricter policy of
# their own, which the middleware leaves alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _tile_origin(FEEDBACK_MAP_TILE_URL)],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Where the map opens: Hoàn Kiếm Lake.
FEEDBACK_MAP_CENTER = (21.0285, 105.8542)
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LENGTH = 5
# Digits, so the audio alternative reads them clearly (feedback/captcha.py).
CAPTCHA_CHALLENGE_FUNCT = "feedback.captcha.digits_challenge"
# The speech tool (espeak-ng) that reads the challenge aloud; "0": no audio.
FEEDBACK_CAPTCHA_SPEECH = env("FEEDBACK_CAPTCHA_SPEECH", shutil.which("espeak-ng") or "0")
if FEEDBACK_CAPTCHA_SPEECH == "0":
    FEEDBACK_CAPTCHA_SPEECH = ""
SILENCED_SYSTEM_CHECKS = [
    # Django's own RedisCache increments atomically (INCR); django-ratelimit
    # only lists django-redis as "officially supported".
    "django_ratelimit.W001",
    # Covering indexes (Index.include, feedback.models) serve PostgreSQL's
    # index-only scans; SQLite, the embedded default, builds them without
    # the extra columns, which is all it needs.
    "models.W040",
]
if not REDIS_URL:
    # The embedded default is one process, so a per-process LocMem cache
    # counts every request; production uses Redis, shared by all processes.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Operations metrics (feedback/metrics.py, docs/operations.md) ---------------
# Prometheus scrapes /metrics with "Authorization: Bearer <token>"; without a
# token the endpoint does not exist.
FEEDBACK_METRICS_TOKEN = env("FEEDBACK_METRICS_TOKEN", "")
# Seconds the database and Redis gauges are reused between scrapes.
FEEDBACK_METRICS_CACHE_SECONDS = int(env("FEEDBACK_METRICS_CACHE_SECONDS", "30"))
# A Celery worker serves its task counters on this port (0: not at all).
FEEDBACK_WORKER_METRICS_PORT = int(env("FEEDBACK_WORKER_METRICS_PORT", "0"))

# --- Security (production) ----------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fpdf2 subsets the fonts of every case document it prints and
        # fontTools logs each table it touches at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
