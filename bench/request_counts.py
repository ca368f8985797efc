"""What one request costs in counts that do not depend on the machine's speed, for comparing two versions.

Run inside a checkout's Django (its own virtualenv, its own corpus), with the paths of the
requests as arguments; prints one JSON object per path, each on a line starting `{"path"` (the request log may share stdout):

- `calls`: Python function calls per request (cProfile, the mean of `--runs` requests
  after as many unmeasured ones): the app's work, counted, not timed;
- `statements`: the SQL statements the request ran, and for each `buffers`, the shared
  buffers its plan touched (EXPLAIN ANALYZE BUFFERS), `rows` it returned and
  `planning_ms`, the least of five plannings (planning is paid on every request);
- `bytes`: the size of the answer.

Used by `python -m bench.ab --counts`, which runs it in both checkouts. It uses only what
every version of the project has: Django's test client and its captured queries.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import sys


def _setup() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production")
    os.environ.update(
        {
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_MANIFEST": "0",
            "API_ANON_THROTTLE_RATE": "1000000000/second",
            "DJANGO_CACHE": "memory",
        }
    )
    import django

    django.setup()


def measure(path: str, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(runs):
        response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}: {response.content[:300]!r}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        client.get(path, HTTP_HOST="127.0.0.1")
    profile.disable()
    calls = sum(row[1] for row in pstats.Stats(profile).stats.values()) / runs
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    statements = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0][0]
            planning = []
            for _ in range(5):
                cursor.execute("EXPLAIN (SUMMARY, FORMAT JSON) " + query["sql"])
                planning.append(cursor.fetchone()[0][0]["Planning Time"])
            top = plan["Plan"]
            statements.append(
                {
                    "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
                    "rows": top.get("Actual Rows"),
                    "planning_ms": round(min(planning), 3),
                    "sql_chars": len(query["sql"]),
                }
            )
    return {"path": path, "calls": round(calls, 1), "statements": statements, "bytes": len(response.content)}


def main(argv: list[str]) -> int:
    runs = 20
    if argv and argv[0].startswith("--runs="):
        runs, argv = int(argv[0].split("=", 1)[1]), argv[1:]
    _setup()  # the request log stays on (as deployed): its lines go to stderr, its calls are counted
    for path in argv:
        print(json.dumps(measure(path, runs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
