"""`manage.py check_event_json [--fix]`: are the JSON lists stored on event rows current?"""

from django.core.management.base import BaseCommand, CommandError

from events.read_model.stored import refresh_rows, stale_rows

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compare each event's stored participants, conflicts and citations JSON with the same "
        "lists computed afresh from their tables. Exits 1 if any differ, unless --fix "
        "recomputed them. Reads every event: about a minute per million."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Recompute the lists of the events that differ."
        )

    def handle(self, *args, fix: bool, **options):
        stale = stale_rows()
        if not stale:
            self.stdout.write("All event JSON lists are current.")
            return
        shown = ", ".join(stale[:SHOWN]) + (f" and {len(stale) - SHOWN} more" if len(stale) > SHOWN else "")
        if not fix:
            raise CommandError(
                f"{len(stale)} events have stale JSON lists: {shown}. Run with --fix to recompute them."
            )
        refreshed = refresh_rows(stale)
        self.stdout.write(f"Recomputed the JSON lists of {refreshed} events: {shown}.")
