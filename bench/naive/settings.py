"""Settings of the naive DRF build: the project's settings with another URLconf and a plain DRF setup.

Everything else (database, middleware, logging, security) is the project's, read from
the same environment variables. Throttling is off so the benchmark measures the API,
not the rate limiter.
"""

from timeline.settings import *  # noqa: F403
from timeline.settings import REST_FRAMEWORK as PROJECT_REST_FRAMEWORK

ROOT_URLCONF = "bench.naive.urls"
WSGI_APPLICATION = "bench.naive.wsgi.application"

REST_FRAMEWORK = {
    **PROJECT_REST_FRAMEWORK,
    # Reads are open to anonymous users (the viewsets are read-only anyway).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "bench.naive.pagination.NaivePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {},
    # DRF's own error bodies: the project's handler is part of what the naive build lacks.
    "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
}
