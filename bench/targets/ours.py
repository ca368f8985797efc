"""This project's API, run as in production: gunicorn with gunicorn.conf.py, DEBUG off.

Only anonymous throttling is lifted (the load generator is one client); everything else,
request logging, ETags and the rest of the middleware included, runs as deployed.

Lifted means a rate no client reaches, counted in each worker's memory (DJANGO_CACHE=memory)
rather than in the shared cache production uses: with the default database cache each
anonymous request would also run the throttle's statements (four, plus its transaction's
BEGIN and COMMIT; the README gives their cost, "Throttling and login lockout"). So the
statements and times measured here are the API's own, comparable with earlier runs; a
production deployment without Redis adds that cost to every anonymous request.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench.corpus import ROOT, django_env
from bench.params import BenchParams, Request

NAME = "this API"
WORKERS = 2
# Another checkout of the project (e.g. an older commit, for a before/after row).
APP_DIR = Path(os.environ.get("BENCH_OURS_DIR", ROOT))


def server_command(
    port: int, database_url: str, checkout: Path = APP_DIR, python: str = sys.executable
) -> tuple[list[str], dict[str, str]]:
    """gunicorn serving `checkout` (this one by default) with `python` (its virtualenv's, for another checkout)."""
    env = {
        **django_env(database_url),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(WORKERS),
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "API_ANON_THROTTLE_RATE": "1000000000/second",
        "DJANGO_CACHE": "memory",
    }
    argv = [python, "-m", "gunicorn", "-c", str(checkout / "gunicorn.conf.py"), "--chdir", str(checkout)]
    return argv, env


def _deep_cursor(base_url: str, query: dict, offset: int, page_size: int) -> str:
    """The next link after `offset` items, reached by following the API's own next links."""
    url = f"{base_url}/api/v1/events/?{urlencode({**query, 'page_size': 500})}"
    seen = 0
    while seen < offset:
        with urllib.request.urlopen(url) as response:
            page = json.load(response)
        seen += len(page["results"])
        url = page["next"]
    return url.replace("page_size=500", f"page_size={page_size}").removeprefix(base_url)


def requests(base_url: str, params: BenchParams) -> dict[str, Request]:
    size = {"page_size": params.page_size}

    def events(**query) -> Request:
        return Request(f"/api/v1/events/?{urlencode({**query, **size})}")

    asked = {
        "Q1": events(
            actor=params.frequent_actor_slug, date_after=params.date_after, date_before=params.date_before
        ),
        "Q2": events(actor=params.rare_actor_slug),
        "Q3": events(),
        "Q4": Request(_deep_cursor(base_url, {}, params.deep_offset, params.page_size)),
        "Q5": Request(f"/api/v1/actors/?{urlencode({'q': params.name_fragment, **size})}"),
        "Q6": events(q=params.search_words),
        "Q7": Request(f"/api/v1/events/{params.detail_event_slug}/"),
        "Q8": Request(f"/api/v1/timeline/?{urlencode({'actor': params.timeline_actor_slug, **size})}"),
        "Q10": Request("/"),
        "Q11": Request(f"/?{urlencode({'actor': params.frequent_actor_slug})}"),
        "Q12": Request(
            "/api/v1/timeline/?"
            + urlencode(
                {
                    "actor": params.frequent_actor_slug,
                    "facet": ["actor", "conflict", "type", "kind", "precision"],
                    "histogram": "month",
                    **size,
                },
                doseq=True,
            )
        ),
        "Q9": Request(
            "/api/v1/timeline/?"
            + urlencode(
                {
                    "actor": params.timeline_actor_slug,
                    "date_after": params.export_date_after,
                    "date_before": params.export_date_before,
                    "format": "csv",
                }
            )
        ),
    }
    # The change feed, where this checkout has one (not an older one run with BENCH_OURS_DIR).
    if params.changes_cursor and (APP_DIR / "events" / "changes").is_dir():
        query = {"after": params.changes_cursor, "page_size": params.page_size}
        asked["C1"] = Request(f"/api/v1/changes/?{urlencode(query)}")
    return asked


def export_limits(base_url: str, params: BenchParams, fetch) -> dict:
    """How exports behave at this corpus's size: the unbounded one refused, the largest allowed one timed.

    The API refuses a CSV export of more than API_EXPORT_MAX_ITEMS items (20,000) before
    sending anything (README "Exports"). Measured once each, not loaded: the refusal of the
    whole timeline, then the frequent actor's items over as many whole years from
    `export_date_after` as stay under the limit, downloaded in full, with its
    X-Export-Items checked against the rows received.
    """
    import time

    result = {}
    started = time.monotonic()
    status, body, _ = fetch(base_url, Request("/api/v1/timeline/?format=csv"))
    result["unfiltered"] = {
        "status": status,
        "seconds": round(time.monotonic() - started, 3),
        "answer": body[:300].decode(errors="replace"),
    }
    first_year = int(params.export_date_after[:4])
    for years in range(30, 0, -1):
        query = {
            "actor": params.timeline_actor_slug,
            "date_after": params.export_date_after,
            "date_before": f"{first_year + years - 1}-12-31",
            "format": "csv",
        }
        started = time.monotonic()
        status, body, headers = fetch(base_url, Request(f"/api/v1/timeline/?{urlencode(query)}"))
        if status == 200:
            rows = body.decode("utf-8-sig").count("\r\n") - 1
            result["largest"] = {
                "query": query,
                "seconds": round(time.monotonic() - started, 3),
                "rows": rows,
                "x_export_items": int(headers.get("X-Export-Items", "-1")),
                "megabytes": round(len(body) / 2**20, 1),
            }
            break
    return result
