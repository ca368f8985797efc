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
            # An earlier run's writes, rolled back or not (renaming and merging the most
            # frequent actor, the change log's write measurements), left dead row versions
            # that every read of those events would walk; a fresh corpus has none.
            with server.connect(name) as conn:
                conn.execute("VACUUM ANALYZE")
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
