"""Settings for Anmin, read from the environment with safe development defaults.

Environment variables:
  ANMIN_ENV            "dev" (default), "demo" or "production"
  DATABASE_URL         e.g. postgres://anmin@127.0.0.1:5432/anmin; default: SQLite file var/anmin.sqlite3
  ANMIN_SECRET_KEY     Django secret key (required in production)
  ANMIN_SECRET_KEY_FALLBACKS  previous secret keys, comma-separated, while rotating
  ANMIN_DATA_KEY_FILE  key file for protected personal data (kept apart from the secret key)
  ANMIN_ALLOWED_HOSTS  comma-separated host names
  ANMIN_DEBUG          1/0
  ANMIN_VAR_DIR        where the SQLite file, keys and uploads live (default: ./var)
  ANMIN_UPLOAD_DIR     uploaded attachments and photos, outside the web root (default: $ANMIN_VAR_DIR/uploads)
  ANMIN_SESSION_IDLE_SECONDS  idle timeout of a signed-in session (default 1800)
  ANMIN_LOCKOUT_FAILURES / ANMIN_LOCKOUT_MINUTES  failed logins before a lockout, and its length (5 / 30)
  ANMIN_REPLICA_URLS   read replicas, comma-separated (or DATABASE_REPLICA_URL); see docs/scaling-out.md
  ANMIN_TRUSTED_PROXY_COUNT   reverse proxies in front of the app that append to X-Forwarded-For (default 0)
  ANMIN_REDIS_URL (or CACHE_URL)  redis://… : sessions and cache generations in Redis (several app
                       servers); default: a file cache under $ANMIN_VAR_DIR/cache shared by this server's workers
  ANMIN_SESSION_REFRESH_SECONDS  how often a request renews its session's idle clock in storage (default 60)
  ANMIN_OPEN311_REQUIRE_KEY  1: Open311 POSTs need a partner's api_key (default 0: anonymous posts get a token)
  ANMIN_OPEN311_KEY_LIMIT_PER_HOUR  Open311 POSTs per partner key and hour (default 1000)
  ANMIN_DB_PARALLEL_WORKERS  PostgreSQL parallel workers per query for the app's connections (default 0)
  ANMIN_DB_PARALLEL_FIGURES  the same while a cached figure (dashboard, report) is counted (default 2)
  ANMIN_DB_RANDOM_PAGE_COST  the planner's cost of a random page read for the app's connections (default 1.1)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("ANMIN_VAR_DIR", PROJECT_DIR / "var"))

ENV = os.environ.get("ANMIN_ENV", "dev")
PRODUCTION = ENV == "production"
DEMO = ENV == "demo"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("ANMIN_DEBUG", not PRODUCTION and not DEMO)

_DEV_SECRET = "anmin-dev-only-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("ANMIN_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise RuntimeError("ANMIN_SECRET_KEY must be set to a long random value in production")
# Rotation: the previous key(s), comma-separated, keep sessions and signed links valid meanwhile.
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("ANMIN_SECRET_KEY_FALLBACKS", "").split(",") if k]

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ANMIN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("ANMIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Key file for protected personal data; never the same as SECRET_KEY (see docs/security.md).
DATA_KEY_FILE = Path(os.environ.get("ANMIN_DATA_KEY_FILE", VAR_DIR / "keys" / "data-keys.json"))

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
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # only used when ANMIN_TASK_BROKER_URL is set (tasks on Redis)
    "django_otp",
    "anmin.core.otp_app.OtpTotpConfig",  # django_otp.plugins.otp_totp under Chinese names
    "csp",
    "anmin.core",
]

# Domain and shared apps append themselves here as they are added (order: shared, then domains).
# analytics and assessment come last: they read what every app before them registered.
ANMIN_APPS: list[str] = [
    "anmin.workflow", "anmin.people", "anmin.care", "anmin.disputes", "anmin.grid", "anmin.analytics",
    "anmin.assessment", "anmin.crackdown", "anmin.portal", "anmin.prevention", "anmin.campus", "anmin.hazards",
    "anmin.campaigns", "anmin.antifraud",
]
INSTALLED_APPS += ANMIN_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Text answers gzipped (pages, JSON, the service worker and the scripts' catalogue): docs/offline.md.
    "anmin.core.middleware.CompressTextMiddleware",
    "anmin.core.middleware.RequestIdMiddleware",
    "anmin.core.middleware.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "anmin.core.cspheaders.CSPMiddleware",
    # The offline app's own requests set no session cookie (before SessionMiddleware: docs/offline.md).
    "anmin.core.middleware.BackgroundRequestMiddleware",
    # The public portal's own zone: no staff cookie read or set under its prefix (docs/portal.md).
    "anmin.portal.zone.PortalZoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anmin.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF check, with the portal's secret in its own cookie (anmin.portal.zone).
    "anmin.portal.zone.ZonedCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "anmin.core.middleware.AnminLoginRequiredMiddleware",
    # Stale sessions, the second factor, the first-login password change (see core/logins.py).
    "anmin.core.middleware.LoginGuardMiddleware",
    "anmin.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # No full ID number or phone in a URL (docs/security.md).
    "anmin.core.middleware.PersonalNumbersInUrlMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: its process_view runs after the login checks (docs/scaling-out.md); a no-op without replicas.
    "anmin.core.dbrouting.ReplicaMiddleware",
]

ROOT_URLCONF = "anmin.urls"
WSGI_APPLICATION = "anmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anmin.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'anmin.sqlite3'}",
        conn_max_age=int(os.environ.get("ANMIN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process and the task worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database outage fails fast (docs/reliability.md): a connection that cannot be made within
    # ANMIN_DB_CONNECT_TIMEOUT seconds is an error (the request answers 503), a kept connection is
    # checked before each request reuses it, and a peer that vanished is noticed by TCP keepalives.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": int(os.environ.get("ANMIN_DB_CONNECT_TIMEOUT", "3")),
        "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3, "keepalives_count": 3,
        # No parallel plans for the app's own statements (decision 0018): they are short and many run at
        # once, and a parallel plan's workers cost more CPU than they save — measured on the 2-core
        # machine, a grid worker's event list 63 → 29 ms, a township's dispute count 45 → 40 ms.
        # A random page read costs about what a sequential one does (decision 0022): the database is
        # on SSD and its working set in memory. At PostgreSQL's default (4, for spinning disks) a grid
        # worker's list of 3,000 cases joined by hashing every grid event of the city: 151 ms, not 19.
        "options": "-c max_parallel_workers_per_gather="
                   + str(int(os.environ.get("ANMIN_DB_PARALLEL_WORKERS", "0")))
                   + " -c random_page_cost=" + str(float(os.environ.get("ANMIN_DB_RANDOM_PAGE_COST", "1.1"))),
    })
DATABASES["default"].setdefault("TEST", {})
DATABASES["default"]["TEST"].setdefault("NAME", os.environ.get("ANMIN_TEST_DB_NAME") or None)
if DATABASES["default"]["TEST"]["NAME"] is None:
    del DATABASES["default"]["TEST"]["NAME"]

# Read replicas (docs/scaling-out.md): ANMIN_REPLICA_URLS (comma-separated) or DATABASE_REPLICA_URL.
# Without either there is no replica and every query goes to "default", as before.
_replica_urls = [u.strip() for u in (os.environ.get("ANMIN_REPLICA_URLS") or os.environ.get("DATABASE_REPLICA_URL")
                                     or "").split(",") if u.strip()]
ANMIN_DB_REPLICAS: list[str] = []
for _n, _url in enumerate(_replica_urls, start=1):
    _alias = f"replica{_n}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0))
    # The test run has no replica of its test database: the alias reads the default one.
    if DATABASES[_alias]["ENGINE"].endswith("postgresql"):
        DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True
        DATABASES[_alias].setdefault("OPTIONS", {}).update(
            {k: v for k, v in DATABASES["default"].get("OPTIONS", {}).items()
             if k.startswith(("connect", "keep", "options"))})
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    ANMIN_DB_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["anmin.core.dbrouting.ReplicaRouter"]
# After a user's write, their reads stay on the primary this long (a cookie and a cache key).
ANMIN_DB_PARALLEL_FIGURES = int(os.environ.get("ANMIN_DB_PARALLEL_FIGURES", "2"))
ANMIN_REPLICA_PIN_SECONDS = float(os.environ.get("ANMIN_REPLICA_PIN_SECONDS", "5"))
# A replica further behind than this is not read from; its state is asked at most this often.
ANMIN_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("ANMIN_REPLICA_MAX_LAG_SECONDS", "10"))
ANMIN_REPLICA_CHECK_SECONDS = float(os.environ.get("ANMIN_REPLICA_CHECK_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["anmin.core.auth.RoleBackend"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# 等保 level 3 password rules (anmin/core/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "anmin.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "anmin.core.passwords.CharacterKindsValidator", "OPTIONS": {"min_kinds": 3}},
    {"NAME": "anmin.core.passwords.UsernameNotContainedValidator"},
    {"NAME": "anmin.core.passwords.CommonPasswordValidator"},
]
# Lockout after this many failed logins in a row, per (account, client address), for this long.
ANMIN_LOCKOUT_FAILURES = int(os.environ.get("ANMIN_LOCKOUT_FAILURES", "5"))
ANMIN_LOCKOUT_MINUTES = int(os.environ.get("ANMIN_LOCKOUT_MINUTES", "30"))
# How many reverse proxies append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
ANMIN_TRUSTED_PROXY_COUNT = int(os.environ.get("ANMIN_TRUSTED_PROXY_COUNT", "0"))
# TOTP second factor (django-otp) for privileged roles.
OTP_TOTP_ISSUER = "安民"
# Idempotency-Key: how long a key is remembered, and after how long an unfinished first request
# counts as abandoned (its key may then be reused). 30 days: the offline app's outbox may send a report
# up to 30 days after it was recorded (core.offline.RECORDED_MAX_AGE), and a retry of an upload whose
# answer was lost must still find its key (docs/offline.md).
ANMIN_IDEMPOTENCY_TTL_HOURS = int(os.environ.get("ANMIN_IDEMPOTENCY_TTL_HOURS", str(30 * 24)))
ANMIN_IDEMPOTENCY_IN_FLIGHT_SECONDS = 120
# How long a duplicate waits for the first request holding the same key before it gets 409.
ANMIN_IDEMPOTENCY_WAIT_SECONDS = float(os.environ.get("ANMIN_IDEMPOTENCY_WAIT_SECONDS", "5"))
# API tokens: a token lives this long, and dies after this long unused (core/tokens.py).
ANMIN_TOKEN_TTL_HOURS = float(os.environ.get("ANMIN_TOKEN_TTL_HOURS", "168"))
ANMIN_TOKEN_IDLE_HOURS = float(os.environ.get("ANMIN_TOKEN_IDLE_HOURS", "24"))
# Token exchanges per client address (429 past it).
ANMIN_TOKEN_EXCHANGE_RATE = os.environ.get("ANMIN_TOKEN_EXCHANGE_RATE", "30/min")
# Bodies: uploads (multipart) up to this; anything else up to DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
ANMIN_MAX_UPLOAD_BYTES = int(os.environ.get("ANMIN_MAX_UPLOAD_BYTES", str(64 * 1024 * 1024)))
# Extra before/after keys whose values the audit log masks (besides password, id_number, phone …).
ANMIN_AUDIT_SENSITIVE_KEYS: tuple[str, ...] = ()
# The audit chain's daily anchor, kept outside the database: a file the database administrators
# cannot write (e.g. on another mount, append-only) and/or a command the anchor line is piped to.
ANMIN_AUDIT_ANCHOR_FILE = os.environ.get("ANMIN_AUDIT_ANCHOR_FILE", "")
ANMIN_AUDIT_ANCHOR_COMMAND = os.environ.get("ANMIN_AUDIT_ANCHOR_COMMAND", "")

# Language: Simplified Chinese by default, English switchable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploads (attachments, grid photos) live here, outside the web root: nothing serves this directory;
# files leave only through the scoped download views (anmin/core/attachments, docs/security.md).
ANMIN_UPLOAD_DIR = Path(os.environ.get("ANMIN_UPLOAD_DIR", VAR_DIR / "uploads"))
# Attachments: at most this many bytes per file, only these kinds (detected from the content).
ANMIN_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ANMIN_ATTACHMENT_KINDS: tuple[str, ...] = ("jpeg", "png", "webp", "pdf", "docx", "xlsx", "pptx")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(ANMIN_UPLOAD_DIR)},
    },
    # Attachments and grid photos (anmin.core.attachments.storage.upload_storage).
    "uploads": {"BACKEND": "anmin.core.attachments.storage.UploadStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Several app servers share one object store instead of a local directory (docs/scaling-out.md):
# ANMIN_UPLOAD_STORAGE=s3 with ANMIN_S3_BUCKET, ANMIN_S3_ENDPOINT_URL (MinIO, Ceph RGW, a cloud's
# S3-compatible service), ANMIN_S3_ACCESS_KEY / ANMIN_S3_SECRET_KEY, ANMIN_S3_REGION; needs
# `pip install "django-storages[s3]==1.14.6"`. Objects stay private: no public URL, no ACL.
if os.environ.get("ANMIN_UPLOAD_STORAGE", "local") == "s3":
    _s3 = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("ANMIN_S3_BUCKET", "anmin"),
            "endpoint_url": os.environ.get("ANMIN_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("ANMIN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("ANMIN_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("ANMIN_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    STORAGES["uploads"] = {**_s3, "OPTIONS": {**_s3["OPTIONS"], "location": "uploads"}}
    STORAGES["default"] = {**_s3, "OPTIONS": {**_s3["OPTIONS"], "location": "files"}}

# Caches (docs/scaling.md): computed figures live in each process's memory ("default"); what every
# process of the server must agree on — sessions and the generations that invalidate cached figures
# on a write (anmin.core.scopecache) — lives in "shared": a file cache on this machine by default,
# Redis when configured (then also shared between app servers).
REDIS_URL = os.environ.get("ANMIN_REDIS_URL") or os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "anmin-local",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "KEY_PREFIX": "anmin",
    } if REDIS_URL.startswith(("redis://", "rediss://", "unix://")) else {
        "BACKEND": "anmin.core.filecache.FileCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# Sessions are read from the shared cache (no query per request) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "shared"
SESSION_COOKIE_AGE = int(os.environ.get("ANMIN_SESSION_IDLE_SECONDS", str(30 * 60)))
# Idle timeout: the age counts from the last request. Renewing the stored expiry on every request
# costs a write per page; anmin.core.middleware.SessionRefreshMiddleware renews it once a minute.
SESSION_SAVE_EVERY_REQUEST = False
ANMIN_SESSION_REFRESH_SECONDS = int(os.environ.get("ANMIN_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # shared computers: closing the browser ends the session too
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A stale form (a page left open across a login or a logout) gets a Chinese page with a way back.
CSRF_FAILURE_VIEW = "anmin.core.views.csrf.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# A strict Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. The
# templates keep every script and style in static files; the API docs page relaxes styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("ANMIN_SSL_REDIRECT", True)
    # Health probes come from the machine itself over plain HTTP (docs/deploy.md).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("ANMIN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Filter drop-downs start on "全部" (All), never on "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated API call then gets 401 with a WWW-Authenticate header.
        "anmin.core.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "anmin.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["anmin.core.api_filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "anmin.core.schema.Schema",
    "EXCEPTION_HANDLER": "anmin.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "安民 Anmin API",
    "DESCRIPTION": "平安建设与社会治安综合治理平台 REST API. Every endpoint is scoped to the caller's jurisdiction.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Requests as components of their own (``…Request``), so a text field a request may not leave
    # blank says minLength 1 (a schema-valid request is not refused for it); answers are as before.
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields of one name with different choices in several domains ("source", "outcome") get an enum
    # named after their model (anmin.core.schema.name_colliding_enums); names set here win.
    "ENUM_NAME_OVERRIDES": {},
    # After the enums are named: each request body's media types say what that encoding can carry
    # (no file in JSON, no null or nested object in a form: anmin.core.schema.postprocess_request_media);
    # a row's id in a path its range.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "anmin.core.schema.postprocess_request_media", "anmin.core.schema.postprocess_path_ids"],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Tasks on Redis (RQ) instead of the database when a broker is configured, e.g. redis://127.0.0.1:6379/1
# (docs/scaling-out.md). The scheduler's rounds are claimed in the database either way.
ANMIN_TASK_BROKER_URL = os.environ.get("ANMIN_TASK_BROKER_URL", "")
RQ_QUEUES = {"default": {"URL": ANMIN_TASK_BROKER_URL or "redis://127.0.0.1:6379/1",
                         "DEFAULT_TIMEOUT": int(os.environ.get("ANMIN_TASK_MAX_SECONDS", "3600"))}}
if ANMIN_TASK_BROKER_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# Background processes beat this often; /readyz calls one dead after one beat (+2 s) without.
ANMIN_HEARTBEAT_SECONDS = float(os.environ.get("ANMIN_HEARTBEAT_SECONDS", "5"))
# A task running longer than this is taken for lost and queued again (the periodic ones are idempotent).
ANMIN_TASK_MAX_SECONDS = float(os.environ.get("ANMIN_TASK_MAX_SECONDS", "3600"))

# Requests under these paths are logged without the client (no address, user agent or referer): the
# public portal's anonymous tip line and its stylesheet (anmin.core.accesslog).
ANMIN_UNLOGGED_CLIENT_PREFIXES = ("/portal/", "/static/portal/")
# argon2id limits for wrapping the 扫黑办's tip key (moderate / interactive; anmin.crackdown.sealing) and
# the proof of work's difficulty in bits when a network is over the portal's limit (anmin.portal.pow).
ANMIN_TIP_KDF = os.environ.get("ANMIN_TIP_KDF", "moderate")
ANMIN_PORTAL_POW_BITS = int(os.environ.get("ANMIN_PORTAL_POW_BITS", "18"))
# The portal's CSRF cookie (path limited to the portal; anmin.portal.zone). Open311: whether a POST needs
# a partner's api_key (else anonymous posts are allowed, rate-limited per network, and get a token), and
# a partner key's hourly budget.
ANMIN_PORTAL_CSRF_COOKIE_NAME = "anmin_portal_csrf"
# Django's W003 looks for its CsrfViewMiddleware by name; the zoned subclass stands in for it and
# anmin.portal.checks makes the same check (and W016's) about the subclass.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
ANMIN_OPEN311_REQUIRE_KEY = _flag("ANMIN_OPEN311_REQUIRE_KEY", False)
ANMIN_OPEN311_KEY_LIMIT_PER_HOUR = int(os.environ.get("ANMIN_OPEN311_KEY_LIMIT_PER_HOUR", "1000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Django's request loggers quote the path, which whoever calls types: numbers in it are masked.
    "filters": {"mask_identifiers": {"()": "anmin.core.protected.logfilter.MaskIdentifiers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANMIN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                **{name: {"filters": ["mask_identifiers"]} for name in (
                    "django.request", "django.server", "django.security", "django.security.csrf")}},
}

# The demo world's relaxations (printed passwords usable at once) are refused in production.
ANMIN_DEMO_RELAXED = DEMO or (not PRODUCTION and _flag("ANMIN_DEMO_RELAXED", True))
if PRODUCTION and _flag("ANMIN_DEMO_RELAXED", False):
    raise RuntimeError("ANMIN_DEMO_RELAXED cannot be used with production settings")

ANMIN_SITE_NAME = _("安民 · 平安建设综合治理平台")
# Where people reach the platform (links in pushed messages).
ANMIN_SITE_URL = os.environ.get("ANMIN_SITE_URL", "http://127.0.0.1:8000")
# 站内消息 are pushed by these senders (anmin.core.notices), never during the quiet hours (local time).
ANMIN_NOTICE_SENDERS = [s for s in os.environ.get("ANMIN_NOTICE_SENDERS", "anmin.core.notices.LogSender").split(",")
                        if s.strip()]
ANMIN_NOTICE_WEBHOOK_URL = os.environ.get("ANMIN_NOTICE_WEBHOOK_URL", "")
ANMIN_NOTICE_QUIET_HOURS = (22, 7)
