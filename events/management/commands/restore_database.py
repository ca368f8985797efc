"""`manage.py restore_database FILE`: load a backup into the configured, empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_database into the configured database, which must be empty."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            database_restore(path=file)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"restored {file}")
