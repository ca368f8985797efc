"""The benchmark corpus: one database per (events, seed), built once with `seed_synthetic`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.postgres import BenchServer

ROOT = Path(__file__).resolve().parent.parent


def database_name(events: int, seed: int) -> str:
    return f"corpus_{events}_{seed}"


def django_env(url: str) -> dict[str, str]:
    """The environment of a Django process of this project against `url`."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production"
        ),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_MANIFEST": "0",
    }


# The tables an earlier run writes to (renaming and merging the most frequent actor, rolled
# back; the change log's write measurements, undone).
WRITTEN_TABLES = ("events_event", "events_statement", "events_eventparticipant")


def restore_layout(server: BenchServer, name: str) -> None:
    """Put a reused corpus back as a fresh load lays it out: each written table compact and in id order.

    An earlier run's writes, rolled back or undone, leave dead row versions and free space
    behind, and VACUUM does not give the space back: a read of the most frequent actor's
    statements measured 10-17% slower on a corpus reused a few times than on a fresh one
    with the same rows, the same SQL and the same buffers touched. CLUSTER rewrites each
    table in primary-key order, as COPY wrote it (about two minutes at a million events).
    """
    with server.connect(name) as conn:
        for table in WRITTEN_TABLES:
            conn.execute(f"CLUSTER {table} USING {table}_pkey")
        conn.execute("VACUUM ANALYZE")


def ensure_corpus(server: BenchServer, events: int, seed: int, *, rebuild: bool = False) -> float | None:
    """Make sure the corpus database exists; returns the seconds `seed_synthetic` took, if it ran."""
    name = database_name(events, seed)
    with server.connect() as conn:
        ready = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s AND datallowconn", [name]
        ).fetchone()
    env = django_env(server.url(name))
    manage = [sys.executable, str(ROOT / "manage.py")]
    if ready and not rebuild:
        with server.connect(name) as conn:
            built = conn.execute("SELECT to_regclass('bench_corpus_built') IS NOT NULL").fetchone()[0]
        # A corpus built before a schema change is built again, not migrated: a migration
        # rewriting a million rows would leave it unlike a fresh load.
        current = subprocess.run([*manage, "migrate", "--check"], env=env, cwd=ROOT, capture_output=True)
        if built and current.returncode == 0:
            restore_layout(server, name)
            return None
    server.create_database(name)
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    started = time.monotonic()
    subprocess.run(
        [*manage, "seed_synthetic", "--events", str(events), "--seed", str(seed)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    seconds = time.monotonic() - started
    with server.connect(name) as conn:
        conn.execute("VACUUM ANALYZE")
        # A marker: a corpus whose load was interrupted is rebuilt on the next run.
        conn.execute("CREATE TABLE bench_corpus_built (seconds float)")
        conn.execute("INSERT INTO bench_corpus_built VALUES (%s)", [seconds])
    return seconds
