"""The naive DRF build (bench/naive/): a first-cut DRF API over the same models, N+1 queries and all.

It is the project's code base served with `bench.naive.settings` (routes under
/naive/api/, page-number pagination, django-filter `filterset_fields`, SearchFilter,
nested serializers without select_related/prefetch_related, throttling off).

How each query is asked:

- Q1, Q2: the events list filtered by participant id (Q1 also by the date range: an
  event overlaps it when it ends on or after `date_after` and starts on or before
  `date_before`), first page of 50.
- Q3: the events list, first page of 50. Q4: page 401 of 50, i.e. rows 20,001-20,050
  (OFFSET 20000, plus the COUNT every page runs).
- Q5: actors with `?search=` (the name contains the fragment, any case).
- Q6: events with `?search=` (each word in the title or summary, any case: icontains,
  not full-text search; this build has none).
- Q7: one event by id.
- Q8: the timeline view of an actor (by id), page 1 of 50.
- Q9: this build has no CSV renderer; the export is one JSON page of the events list
  with page_size=10000 (the timeline view is one actor's, who need not have 10,000 items).

Every list asks for `status=published` (the views serve only published rows anyway).
"""

import sys
from pathlib import Path
from urllib.parse import urlencode

from bench.corpus import django_env
from bench.params import BenchParams, Request

NAME = "naive DRF"
API = "/naive/api"
GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "naive" / "gunicorn.conf.py"
WORKERS = 2
# Q9 (10,000 events, ~60,000 queries) took 2-4 minutes on a busy 2-CPU machine: let it finish, not be killed.
TIMEOUT_SECONDS = 600


def server_command(port: int, database_url: str) -> tuple[list[str], dict[str, str]]:
    """The argv serving the naive build on 127.0.0.1:`port` against `database_url`, and its environment.

    `-c bench/naive/gunicorn.conf.py` keeps gunicorn from reading the repository's
    gunicorn.conf.py (production's bind and worker count).
    """
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.naive.wsgi:application",
        "-c",
        str(GUNICORN_CONFIG),
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(WORKERS),
        "--timeout",
        str(TIMEOUT_SECONDS),
    ]
    env = {
        **django_env(database_url),
        "DJANGO_SETTINGS_MODULE": "bench.naive.settings",
        # Plain HTTP on localhost: no redirect to https.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    return argv, env


def _get(path: str, **query) -> Request:
    return Request(path=f"{API}/{path}" + (f"?{urlencode(query)}" if query else ""))


def requests(base_url: str, params: BenchParams) -> dict[str, Request]:
    size = params.page_size
    published = {"status": "published"}
    # 20,000 rows skipped at 50 a page: page 401 (page numbers reach only multiples of the size).
    deep_page = params.deep_offset // size + 1
    return {
        "Q1": _get(
            "events/",
            participants=params.frequent_actor_id,
            date_end__gte=params.date_after,
            date_start__lte=params.date_before,
            **published,
            page_size=size,
        ),
        "Q2": _get("events/", participants=params.rare_actor_id, **published, page_size=size),
        "Q3": _get("events/", **published, page_size=size),
        "Q4": _get("events/", **published, page=deep_page, page_size=size),
        "Q5": _get("actors/", search=params.name_fragment, page_size=size),
        "Q6": _get("events/", search=params.search_words, **published, page_size=size),
        "Q7": _get(f"events/{params.detail_event_id}/"),
        "Q8": _get("timeline/", actor=params.timeline_actor_id, page_size=size),
        "Q9": _get("events/", **published, page_size=params.export_rows),
    }
