"""Building the intake pipeline before an editor waits for it, and only where one will.

The first `propose` call in a process imports spaCy, builds a blank English pipeline,
the date finder's matchers and the gazetteer: about 1.5 s on the development machine, on
top of the 0.2–0.3 s an article then takes. It also costs the process about 75 MB and
some 75,000 long-lived objects. A server's reads never use it, and most of its processes
never see an editor, so when the pipeline is built depends on `INTAKE_WARM_UP` (settings):

- "auto" (the default): `runserver`'s serving process builds it at start (a development
  server is one process, and its user is the editor); a gunicorn worker builds it when it
  first serves the admin's "Add an article" form (`start_on_demand`), so the pipeline is
  usually ready by the time the pasted article is sent; a worker that never serves the
  form never builds it. A POST that lands on another, cold worker builds it while the
  editor waits (about 2.8 s from paste to review page instead of 0.6 s; README "Adding an
  article").
- "1": every server process at start (`runserver`, each gunicorn worker).
- "0": never in advance; the first article a process takes in builds it.

Management commands and the test suite never build it in advance: `migrate`, `check` or
`load_seeds` need no pipeline, and `ingest_article` builds it itself when it runs.

The build runs in a daemon thread: the process serves requests meanwhile. In a server,
what it made is then frozen out of garbage collection (`gc.freeze()`), as gunicorn's
`post_worker_init` does for the loaded app: otherwise each full collection would walk the
pipeline's objects too.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

_started = threading.Event()  # set once a build has begun in this process
_start_lock = threading.Lock()


def _setting(setting: str) -> str:
    value = setting.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return "1"
    if value in {"0", "false", "no", "off"}:
        return "0"
    return "auto"


def is_runserver(argv: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Whether this process is `runserver`'s serving one (the autoreloader's child, or `--noreload`)."""
    if len(argv) > 1 and argv[1] == "runserver":
        return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    return False


def is_gunicorn(argv: Sequence[str]) -> bool:
    """Whether this process was started by gunicorn (`gunicorn ...` or `python -m gunicorn`)."""
    return bool(argv) and "gunicorn" in Path(argv[0]).parts[-2:]


def warms_at_start(argv: Sequence[str], environ: Mapping[str, str], setting: str = "auto") -> bool:
    """Whether this process (its `argv` and environment) builds the pipeline when it starts."""
    mode = _setting(setting)
    if mode == "1":
        return True
    if mode == "0":
        return False
    return is_runserver(argv, environ)


def warm_up(freeze: bool = False) -> float:
    """Build the pipeline (`propose.warm_up`); returns the seconds it took.

    `freeze`: then move every object the process holds out of garbage collection's reach
    (servers only: a test process would keep its cyclic garbage of that moment forever).
    """
    started = time.perf_counter()
    from events.intake.propose import warm_up as build

    build()
    if freeze:
        gc.freeze()
    seconds = time.perf_counter() - started
    logger.info("intake pipeline built", extra={"seconds": round(seconds, 3)})
    return seconds


def _start() -> threading.Thread | None:
    """Start the build in a daemon thread, unless this process has started one already."""
    with _start_lock:
        if _started.is_set():
            return None
        _started.set()
    thread = threading.Thread(target=warm_up, kwargs={"freeze": True}, name="intake-warm-up", daemon=True)
    thread.start()
    return thread


def start_if_serving(
    argv: Sequence[str], environ: Mapping[str, str], setting: str = "auto"
) -> threading.Thread | None:
    """At start: build in a daemon thread when `warms_at_start`; returns the thread, or None."""
    if not warms_at_start(argv, environ, setting):
        return None
    return _start()


def start_on_demand(argv: Sequence[str], setting: str = "auto") -> threading.Thread | None:
    """When the "Add an article" form is served: build in a daemon thread if this is a gunicorn
    worker that has not built it yet (and `setting` is not "0"); returns the thread, or None."""
    if _setting(setting) == "0" or not is_gunicorn(argv):
        return None
    return _start()
