"""`manage.py backup_database FILE`: write the whole database to FILE (pg_dump custom format)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the whole database (schema, records, history) to FILE, in pg_dump's custom format."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            database_backup(path=file)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"backed up to {file} ({file.stat().st_size} bytes)")
