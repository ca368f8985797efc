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
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
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
