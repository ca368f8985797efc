"""Building the intake pipeline when a server starts, not while the first editor waits.

The first `propose` call in a process imports spaCy, builds two blank English pipelines,
the date finder's matchers and the gazetteer: about 1.5 s on the development machine, on
top of the 0.2–0.3 s an article then takes. A server builds them once, at start, in a
background thread (`EventsConfig.ready` calls `start_if_serving`): the process serves its
first requests meanwhile, and "Add an article" meets a warm pipeline. Management commands
and the test suite do not pay for it: `migrate`, `check` or `load_seeds` need no pipeline,
and `ingest_article` builds it itself when it runs.

Which processes are servers: `runserver` (the child the autoreloader starts, or any with
`--noreload`; the reloader's parent only watches files) and gunicorn. `INTAKE_WARM_UP`
(settings) overrides the guess: "1" always, "0" never, "auto" (the default) as above.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)


def is_serving(argv: Sequence[str], environ: Mapping[str, str], setting: str = "auto") -> bool:
    """Whether this process (its `argv` and environment) serves requests and should warm up."""
    if setting.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if setting.strip().lower() in {"0", "false", "no", "off"}:
        return False
    # `gunicorn ...` runs .../bin/gunicorn; `python -m gunicorn` runs .../gunicorn/__main__.py
    if argv and "gunicorn" in Path(argv[0]).parts[-2:]:
        return True
    if len(argv) > 1 and argv[1] == "runserver":
        return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    return False


def warm_up() -> float:
    """Build the pipeline (`propose.warm_up`); returns the seconds it took."""
    started = time.perf_counter()
    from events.intake.propose import warm_up as build

    build()
    seconds = time.perf_counter() - started
    logger.info("intake pipeline built", extra={"seconds": round(seconds, 3)})
    return seconds


def start_if_serving(
    argv: Sequence[str], environ: Mapping[str, str], setting: str = "auto"
) -> threading.Thread | None:
    """Warm up in a daemon thread when `is_serving`; returns the thread (None when not serving)."""
    if not is_serving(argv, environ, setting):
        return None
    thread = threading.Thread(target=warm_up, name="intake-warm-up", daemon=True)
    thread.start()
    return thread
