"""`manage.py run_merge_jobs [--once] [--poll SECONDS]`: the worker that runs queued merges."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from events.merge_jobs import run_next_job


class Command(BaseCommand):
    help = (
        "Run the merges of actors the admin queued because they move more links than a request may "
        "(MERGE_IN_REQUEST_LINKS; events/merge_jobs.py), oldest first, until stopped. Run one beside "
        "the app servers (docker-compose.yml's worker service)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs queued now, then stop.")
        parser.add_argument(
            "--poll", type=float, default=2.0, help="Seconds between looks for new jobs (default 2)."
        )

    def handle(self, *args, once: bool, poll: float, **options):
        stopping = False

        def stop(signum, frame):
            # Finish the merge in hand (its transaction commits or rolls back whole), then leave.
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            close_old_connections()
            job = run_next_job()
            if job is not None:
                self.stdout.write(f"job {job.pk}: {job} {job.state}{': ' + job.error if job.error else ''}")
                continue
            if once:
                break
            time.sleep(poll)
