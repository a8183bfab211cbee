"""Django settings: every value comes from the environment (django-environ), read here only."""

from datetime import timedelta
from pathlib import Path

import environ

from kernel import durations

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- MongoDB (see tenancy.stores.client) ---
# Unset: embedded litemongo on disk under LITEMONGO_PATH. mongomock:// in tests.
MONGO_URL = env.str("MONGO_URL", default="")
MASTER_DB_NAME = env.str("MASTER_DB_NAME", default="orgservice_master")
LITEMONGO_PATH = env.path("LITEMONGO_PATH", default=BASE_DIR / "var" / "mongo")
# Collection files one litemongo client (one per thread) keeps open; older ones are closed.
LITEMONGO_OPEN_COLLECTIONS = env.int("LITEMONGO_OPEN_COLLECTIONS", default=256)
MONGO_TIMEOUT_MS = env.int("MONGO_TIMEOUT_MS", default=5000)
MONGO_MAX_POOL_SIZE = env.int("MONGO_MAX_POOL_SIZE", default=50)

# --- Passwords and tokens ---
BCRYPT_ROUNDS = env.int("BCRYPT_ROUNDS", default=12)
# The first hasher hashes; the others only verify (a login re-hashes with the first).
PASSWORD_HASHERS = ["accounts.hashers.BCryptSHA256Hasher", "accounts.hashers.LegacyBCryptHasher"]
# Hashing runs on this many low-priority threads per process (0: one per core), see
# accounts.hashing_pool.
PASSWORD_HASH_THREADS = env.int("PASSWORD_HASH_THREADS", default=0)
# Quiet 2-core runs, 16 reading clients + 2 login loops (README, Performance): 5 gave logins
# 4.8-7.1x an unloaded login, 2 gave 3.5-5.1x; read p99 stayed within 1.5x at both.
PASSWORD_HASH_NICE = env.int("PASSWORD_HASH_NICE", default=2)
# Admission control: beyond the running hashes, at most this many wait per process, each at
# most this long; a hash refused answers 503 server_busy with Retry-After (accounts.hashing_pool).
PASSWORD_HASH_QUEUE = env.int("PASSWORD_HASH_QUEUE", default=16)
PASSWORD_HASH_WAIT_SECONDS = env.float("PASSWORD_HASH_WAIT_SECONDS", default=10.0)
# Its own secret, never SECRET_KEY (check --deploy warns when they are equal): a leak of one
# must not forge the other. Required; `make` writes a random one into .env.
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY")
ACCESS_TOKEN_LIFETIME = timedelta(minutes=env.int("ACCESS_TOKEN_MINUTES", default=15))
REFRESH_TOKEN_LIFETIME = timedelta(days=env.int("REFRESH_TOKEN_DAYS", default=7))
# Key rotation (accounts.tokens): tokens signed with one of these still verify until they expire;
# new tokens are signed with JWT_SIGNING_KEY only.
JWT_PREVIOUS_SIGNING_KEYS = env.list("JWT_PREVIOUS_SIGNING_KEYS", default=[])
# Login and sign-up limits shared by every process (accounts.throttling): "N/min", "N/hour".
LOGIN_RATE_PER_EMAIL = env.str("LOGIN_RATE_PER_EMAIL", default="5/min")
LOGIN_RATE_PER_IP = env.str("LOGIN_RATE_PER_IP", default="30/min")
SIGNUP_RATE_PER_IP = env.str("SIGNUP_RATE_PER_IP", default="100/hour")
# Invitations and email changes can tell whether an address has an account: bounded per member
# and per client, in the same shared counters.
INVITATION_RATE_PER_MEMBER = env.str("INVITATION_RATE_PER_MEMBER", default="30/hour")
INVITATION_RATE_PER_IP = env.str("INVITATION_RATE_PER_IP", default="60/hour")
EMAIL_CHANGE_RATE_PER_MEMBER = env.str("EMAIL_CHANGE_RATE_PER_MEMBER", default="5/hour")
EMAIL_CHANGE_RATE_PER_IP = env.str("EMAIL_CHANGE_RATE_PER_IP", default="20/hour")
# GET /metrics (orgservice.metrics_endpoint) answers a scraper sending "Authorization: Bearer <t>".
# Unset: open when DEBUG (make dev), 404 otherwise. `make` writes a random one into .env.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- Idempotency-Key (organizations.idempotency): how long a key's result is kept, and after how
# long a lock left by a request that never finished (a crash) may be taken over ---
IDEMPOTENCY_KEY_TTL = env.int("IDEMPOTENCY_KEY_TTL", default=24 * 3600)
IDEMPOTENCY_LOCK_SECONDS = env.int("IDEMPOTENCY_LOCK_SECONDS", default=60)

# --- Members and invitations (organizations.members.invitations) ---
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
# Dotted path of the callable that delivers an invitation; the default logs it (without the
# token) and hands the token back to the inviter; "...invitation_senders.send_email" mails it.
INVITATION_SENDER = env.str(
    "INVITATION_SENDER", default="organizations.members.senders.return_to_inviter"
)

# --- API keys and the audit log (accounts.api_key_auth, tenancy.audit) ---
# Audit events older than this are removed by a TTL index on the audit collection (0: kept for
# ever); `manage.py ensure_indexes` applies a change.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# An API key's last use is written at most once per this many seconds (tenancy.api_key_store).
API_KEY_LAST_USED_INTERVAL = env.int("API_KEY_LAST_USED_INTERVAL", default=60)

# --- Webhooks: orgservice/webhook_settings.py (WEBHOOK_*) ---
from orgservice.webhook_settings import *  # noqa: E402, F403

# --- Organizations and records ---
# A lifecycle operation pending longer than this is finished by the next request that meets it.
LIFECYCLE_GRACE_SECONDS = env.int("LIFECYCLE_GRACE_SECONDS", default=60)
RECORD_MAX_BYTES = env.int("RECORD_MAX_BYTES", default=64 * 1024)
# Where new orgs keep their records: collection (org_<slug>), shared (one collection keyed by
# org_id) or database (orgdb_<org id>); see tenancy.placement. Documents per batch when a shared
# org is deleted or an org is moved between placements.
ORG_PLACEMENT = env.str("ORG_PLACEMENT", default="collection")
# The placements orgs may be created in or moved to; the MongoDB user needs each one's privileges.
ORG_PLACEMENTS = [
    p.strip() for p in env.list("ORG_PLACEMENTS", default=["collection", "shared", "database"])
]
ORG_BATCH_SIZE = env.int("ORG_BATCH_SIZE", default=1000)
# How long a deleted org can be restored before purge_orgs removes it: seconds or 15m, 12h, 30d.
# 0 (the default) deletes at once, as the assignment expects (organizations.orgs.retention).
ORG_DELETE_RETENTION = durations.seconds(env.str("ORG_DELETE_RETENTION", default="0"))
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=8 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tenancy",
    "accounts",
    "organizations",
    "orgservice",
]

MIDDLEWARE = [
    "orgservice.access_log.RequestLogMiddleware",
    "orgservice.health.ProbeMiddleware",
    "orgservice.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out staff login with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "orgservice.urls"
WSGI_APPLICATION = "orgservice.wsgi.application"
APPEND_SLASH = False
# A failed CSRF check answers in the JSON error shape too (kernel.error_views).
CSRF_FAILURE_VIEW = "kernel.error_views.csrf_failure"

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
            ],
        },
    },
]

# Django's own database holds only sessions, staff users and the admin log.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'django.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # "Bearer osk_...": an org API key; any other Bearer value goes on to SimpleJWT.
        "accounts.api_key_auth.ApiKeyAuthentication",
        "accounts.authentication.AdminJWTAuthentication",
        # The browsable API: an org admin's browser session, with CSRF (/api-auth/login/).
        "accounts.session_auth.AdminSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "kernel.error_handler.exception_handler",
    # JSON nested past the decoder's recursion limit is a 400 on every route, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "kernel.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "orgservice.openapi_errors.ErrorDocumentingSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "ACCESS_TOKEN_LIFETIME": ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_LIFETIME": REFRESH_TOKEN_LIFETIME,
    "USER_ID_CLAIM": "admin_id",
    "USER_ID_FIELD": "id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "orgservice API",
    "DESCRIPTION": "Multi-tenant organization management over MongoDB.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar), never a CDN;
    # no online validator badge either (it would send the schema URL to swagger.io).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# One JSON object per line on stderr (kernel.jsonlog); every line carries the request id and
# goes through the redaction filter, so no password, hash or token reaches the log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "kernel.request_id.RequestIdFilter"},
        "redact": {"()": "kernel.redaction.RedactionFilter"},
    },
    "formatters": {"json": {"()": "kernel.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Our access line replaces django.request's 4xx warnings; 5xx errors still log there.
        "django.request": {"level": "ERROR"},
    },
}

# Behind a proxy: the META key of the header it sets (e.g. HTTP_X_FORWARDED_FOR). Empty: never
# trust a header for the client address.
TRUSTED_IP_HEADER = env.str("TRUSTED_IP_HEADER", default="")

# --- Staff logins (/admin/login/): django-axes, attempts kept in Django's database ---
# A username is locked out from one client address after AXES_FAILURE_LIMIT failures in a row,
# for STAFF_LOGIN_COOLOFF_MINUTES; staff see and delete lockouts in the panel ("Access attempts").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STAFF_LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kernel.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/staff_locked_out.html"
# Masked in the stored form data of an attempt (axes always masks "password").
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]

# --- Production security (python manage.py check --deploy) ---
# Strict unless DEBUG. A fresh clone's .env (scripts/make_env.py) relaxes the HTTPS settings for
# `make run` on plain http://127.0.0.1:8000; production sets none of them, or sets them true.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes come over plain HTTP from the orchestrator (orgservice.health answers them first anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a TLS-terminating proxy: the META key of the header carrying the original scheme
# (e.g. HTTP_X_FORWARDED_PROTO), which the proxy must always overwrite. Empty: never trusted.
PROXY_SSL_HEADER = env.str("PROXY_SSL_HEADER", default="")
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (PROXY_SSL_HEADER, "https")
# SECURE_SSL_REDIRECT=false behind such a proxy (it redirects, we need not): a deliberate choice,
# so its deploy warning is silenced. Without a proxy header the warning stays.
SILENCED_SYSTEM_CHECKS = ["security.W008"] if PROXY_SSL_HEADER and not SECURE_SSL_REDIRECT else []
