"""`manage.py load_seeds [PATH ...]`: load curated seed files (default: the seeds/ folder)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.seeding.loader import SeedError, seeds_load


class Command(BaseCommand):
    help = (
        "Load curated seed files (YAML) into the database in one transaction. Idempotent: "
        "records are matched on their slugs, and a second run reports them unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Seed files or folders of them (default: the project's seeds/ folder).",
        )

    def handle(self, *args, paths: list[Path], **options):
        try:
            report = seeds_load(paths=paths or [Path(settings.SEEDS_DIR)])
        except SeedError as err:
            raise CommandError(f"nothing loaded: {err}") from err
        for path in report.files:
            self.stdout.write(f"loaded {path}")
        for kind, counts in report.counts.items():
            self.stdout.write(
                f"{kind:<11} {counts.created:>4} created {counts.updated:>4} updated {counts.unchanged:>4} unchanged"
            )
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("nothing to change: the database already holds these seeds"))
