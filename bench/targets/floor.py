"""The floor (`bench.floor`): JSON built by PostgreSQL, served by a bare WSGI app under gunicorn."""

from __future__ import annotations

import json
import sys
import urllib.request
from urllib.parse import urlencode

from bench.corpus import django_env
from bench.params import BenchParams, Request

NAME = "floor (SQL json_agg + bare WSGI)"
WORKERS = 2


def server_command(port: int, database_url: str) -> tuple[list[str], dict[str, str]]:
    argv = [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", str(WORKERS)]
    return [*argv, "--log-level", "warning", "bench.floor:application"], django_env(database_url)


def _deep_after(base_url: str, offset: int) -> str:
    after, seen = None, 0
    while seen < offset:
        query = {"page_size": 500, **({"after": after} if after else {})}
        with urllib.request.urlopen(f"{base_url}/events/?{urlencode(query)}") as response:
            page = json.load(response)
        seen += len(page["results"])
        after = page["next"]
    return after


def requests(base_url: str, params: BenchParams) -> dict[str, Request]:
    size = {"page_size": params.page_size}

    def events(**query) -> Request:
        return Request(f"/events/?{urlencode({**query, **size})}")

    return {
        "Q1": events(
            actor_id=params.frequent_actor_id, date_after=params.date_after, date_before=params.date_before
        ),
        "Q2": events(actor_id=params.rare_actor_id),
        "Q3": events(),
        "Q4": events(after=_deep_after(base_url, params.deep_offset)),
        "Q5": Request(f"/actors/?{urlencode({'q': params.name_fragment, **size})}"),
        "Q6": events(q=params.search_words),
        "Q7": Request(f"/events/{params.detail_event_slug}/"),
        "Q8": Request(f"/timeline/?{urlencode({'actor_id': params.timeline_actor_id, **size})}"),
        "Q9": Request(
            "/timeline.csv?"
            + urlencode(
                {
                    "actor_id": params.timeline_actor_id,
                    "date_after": params.export_date_after,
                    "date_before": params.export_date_before,
                }
            )
        ),
    }
