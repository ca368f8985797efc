"""Production settings: refuse to start without a secret key; pass Django's deployment checks."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-like-secret-key-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://timeline:secret@db.example.org:5432/timeline",
    "DJANGO_ALLOWED_HOSTS": "timeline.example.org",
}


def manage(*arguments: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checks_pass_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_a_secret_key_the_process_refuses_to_start_and_says_why():
    result = manage("check", **{k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


SHOW_CACHE = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


def test_throttle_counts_are_shared_the_database_by_default_redis_with_redis_url():
    """Every worker must see the same counts: no per-process cache unless asked for by name."""
    backends = {
        name: manage("shell", "-c", SHOW_CACHE, **PRODUCTION, **env).stdout.strip().splitlines()[-1]
        for name, env in {
            "default": {},
            "redis": {"REDIS_URL": "redis://cache.example.org:6379/0"},
            "memory": {"DJANGO_CACHE": "memory"},
        }.items()
    }
    assert backends == {
        "default": "django.core.cache.backends.db.DatabaseCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
        "memory": "django.core.cache.backends.locmem.LocMemCache",
    }


def test_a_cache_setting_that_cannot_work_is_refused_at_start():
    unknown = manage("check", **PRODUCTION, DJANGO_CACHE="memcached")
    assert unknown.returncode != 0 and "DJANGO_CACHE must be database, redis or memory" in unknown.stderr
    no_url = manage("check", **PRODUCTION, DJANGO_CACHE="redis")
    assert no_url.returncode != 0 and "DJANGO_CACHE=redis needs REDIS_URL" in no_url.stderr
