"""Gunicorn settings for production (the container's command, or any host):

    gunicorn -c gunicorn.conf.py timeline.wsgi:application

Read from the environment:

- GUNICORN_BIND: the address to listen on (default 0.0.0.0:8000).
- GUNICORN_WORKERS: worker processes (default 2 x CPUs + 1, at most 8; CPUs are those this
  process may use, a container's CPU limit included).
- GUNICORN_ACCESS_LOG: where the access log goes: "-" (stdout, the default), a file, or
  empty for none (the app already logs one JSON line per request to stdout).
- GUNICORN_LOG_LEVEL: gunicorn's own log level (default info), to stderr.
- FORWARDED_ALLOW_IPS: read by gunicorn itself; the proxies trusted for X-Forwarded-*.

A request gets `timeout` seconds before its worker is killed and replaced. On SIGTERM
(`docker stop`, Kubernetes) gunicorn stops accepting connections, lets requests in flight
finish for up to `graceful_timeout` seconds, and exits 0; the runtime's stop timeout must
be longer (docker-compose.yml sets 30 s; `docker run` needs `--stop-timeout 30`, its
default being 10 s).
"""

import gc
import math
import os
from pathlib import Path

MAX_DEFAULT_WORKERS = 8


def available_cpus() -> int:
    """CPUs this process may run on: its CPU affinity, lowered by a cgroup v2 CPU quota (`--cpus`)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass  # no cgroup v2 CPU controller here: no quota
    return max(cpus, 1)


def workers_from_env(value: str | None, cpus: int) -> int:
    """GUNICORN_WORKERS as given (a whole number >= 1), or 2 x cpus + 1 capped at MAX_DEFAULT_WORKERS."""
    if value is None or not value.strip():
        return min(2 * cpus + 1, MAX_DEFAULT_WORKERS)
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise ValueError(f"GUNICORN_WORKERS must be a whole number of at least 1, got {value!r}")
    return count


wsgi_app = "timeline.wsgi:application"
proc_name = "timeline"
bind = [os.environ.get("GUNICORN_BIND", "").strip() or "0.0.0.0:8000"]
workers = workers_from_env(os.environ.get("GUNICORN_WORKERS"), available_cpus())
timeout = 30
graceful_timeout = 20

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The workers' heartbeat files in memory: on a container's overlay filesystem the
# heartbeat can block a worker (gunicorn's "blocking os.fchmod" note).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Nothing uses gunicornc; its socket would sit in $HOME, shared by every gunicorn of the user.
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Once a worker has loaded the app, keep what loading made out of garbage collection.

    The modules, models, URL patterns, views and serializers of a loaded Django app are
    some 100,000 objects that live as long as the process. Left in the collector's oldest
    generation, each full collection walks them all: about 80 ms every few hundred
    requests, a pause that lands on whichever requests are waiting. gc.freeze() moves them
    to a permanent generation the collector skips. Django imports the URLconf (and with it
    the views, serializers and filters) on the first request; it is imported here first,
    so that it is frozen too. (Gunicorn also reads this file for any app started in this
    folder, such as the benchmark's floor, which has no Django settings.)
    """
    from django.conf import settings

    if settings.configured:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 (imports the URLconf)
    gc.freeze()
