"""`manage.py seed_synthetic --events N [--seed S] [--flush]`: a deterministic corpus for benchmarks."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.seeding.synthetic import NotEmpty, seed_synthetic


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic corpus of N events (about 5,000 actors, "
        "2-3 participants and 0-3 statements per event), the same for the same N and seed. "
        "One transaction: all of it or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=_positive, required=True, help="How many events (e.g. 1000000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Empty every timeline table first. All data in them is lost.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, events: int, seed: int, flush: bool, no_progress: bool, **options):
        bars: list[tqdm] = []

        def progress(phase: str, total: int):
            bar = tqdm(total=total, desc=f"{phase:<15}", unit=" rows", disable=no_progress, file=sys.stderr)
            bars.append(bar)
            return bar.update

        started = time.monotonic()
        try:
            counts = seed_synthetic(events=events, seed=seed, flush=flush, progress=progress)
        except NotEmpty as err:
            raise CommandError(f"nothing written: {err}") from err
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(
            f"{counts.events} events, {counts.participants} participants, {counts.statements} statements, "
            f"{counts.actors} actors, {counts.conflicts} conflicts, {counts.event_conflicts} conflict links "
            f"in {time.monotonic() - started:.1f} s (seed {seed})"
        )
