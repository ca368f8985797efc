# The production image: the app under gunicorn, its static files collected at build time
# and served by WhiteNoise, talking to the PostgreSQL named by DATABASE_URL. It installs
# requirements.txt only: the embedded server (requirements-local.txt) is for laptops and
# CI, not containers.
#
#   docker build -t timeline .
#   docker compose up      (the app with PostgreSQL: see docker-compose.yml and the README)
#
# Needs BuildKit (Docker's default builder since Engine 23) for the wheel mount below.

# Stage 1: every requirement as a wheel. All of them are wheels on PyPI (no compiler is
# needed); should one ever need building, it is built here and never reaches the image.
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /wheels
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

# Stage 2: the runtime. Only the wheels are installed (from a mount, so they add no layer),
# offline; no compiler, no build tools.
FROM python:3.11-slim-bookworm

LABEL org.opencontainers.image.title="timeline" \
      org.opencontainers.image.description="Event timeline: a citable database of events in conflicts and diplomacy (Django, PostgreSQL)" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11-slim-bookworm"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# A fixed, unprivileged uid/gid (10001), so volume permissions and Kubernetes'
# runAsNonRoot / runAsUser can rely on it.
RUN groupadd --gid 10001 timeline \
    && useradd --uid 10001 --gid 10001 --no-log-init --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin timeline

# pg_dump and pg_restore for `manage.py backup_database` and `restore_database`: Debian 12's
# PostgreSQL client, version 15. pg_dump backs up servers up to its own major version: for
# a newer server, install that version's client instead (postgresql-client-N, from the
# PostgreSQL project's apt repository).
RUN apt-get update \
    && apt-get install -y --no-install-recommends 'postgresql-client=15+248*' \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels -r /wheels/requirements.txt

# The code stays owned by root: the app can read it, not change it. .dockerignore lists
# what comes in.
COPY . .

# Hashed, compressed static files (admin, API docs) for WhiteNoise, and bytecode for a
# faster start. Settings refuse to load without a secret key; this one exists for this
# command only and is in no layer's environment.
RUN DJANGO_SECRET_KEY=build-only-collectstatic-not-a-secret python manage.py collectstatic --no-input \
    && python -m compileall -q timeline events gunicorn.conf.py

USER 10001:10001

EXPOSE 8000

# /healthz answers without the database; the start period covers migrations at start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

# JSON form throughout, and the entrypoint ends in `exec`: gunicorn becomes PID 1 and gets
# the runtime's SIGTERM itself (graceful stop within gunicorn.conf.py's graceful_timeout).
ENTRYPOINT ["/bin/sh", "/app/docker/entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "timeline.wsgi:application"]
