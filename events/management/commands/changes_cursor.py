"""`manage.py changes_cursor [--back N] [--as-user NAME]`: a change feed cursor, for replays and measurements."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.management.base import BaseCommand, CommandError

from events.changes.feed import cursor_back, head_cursor, reader_drafts


class Command(BaseCommand):
    help = (
        "Print a cursor of the change feed: at its head (what commits from now on), or N entries before it, "
        "as anonymous readers (or --as-user) count them. Following it replays those entries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--back", type=int, default=0, help="Entries before the head (default 0: the head)."
        )
        parser.add_argument("--as-user", default="", help="A cursor for this account (its drafts count too).")

    def handle(self, *args, back: int, as_user: str, **options):
        if back < 0:
            raise CommandError("--back: a number of entries, 0 or more")
        user = AnonymousUser()
        if as_user:
            try:
                user = User.objects.get(username=as_user)
            except User.DoesNotExist:
                raise CommandError(f"--as-user: no account named {as_user!r}") from None
        cursor = cursor_back(entries=back, drafts=reader_drafts(user)) if back else head_cursor(user=user)
        self.stdout.write(cursor.encode())
