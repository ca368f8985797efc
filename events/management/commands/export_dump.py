"""`manage.py export_dump PATH`: the dump of /api/v1/dump/, written to a file (gzipped when PATH ends in .gz)."""

import gzip
import os
import sys
import time

from django.contrib.auth.models import AnonymousUser, User
from django.core.management.base import BaseCommand, CommandError

from events.changes.dump import SiteRoot, dump_lines, pieces


class Command(BaseCommand):
    help = (
        "Write every record anonymous readers see (or, with --as-user, what that account sees), read in one "
        "snapshot, as NDJSON: first the change feed's cursor at that snapshot, then one line per record, then "
        "an end line. Memory stays constant however large the database. PATH '-' writes to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The file to write (.gz: gzip-compressed), or - for standard output."
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address (https://timeline.example.org): documents' URLs start with it, as the "
            "endpoint's do. Without it they start at the API's root path (/api/v1/...).",
        )
        parser.add_argument("--as-user", default="", help="Dump what this account may read (its drafts too).")

    def handle(self, *args, path: str, base_url: str, as_user: str, **options):
        user = AnonymousUser()
        if as_user:
            try:
                user = User.objects.get(username=as_user)
            except User.DoesNotExist:
                raise CommandError(f"--as-user: no account named {as_user!r}") from None
        request = SiteRoot(base_url) if base_url else None
        started = time.monotonic()
        records = written = 0
        # Written beside PATH and renamed over it when complete: a published dump is never half a file.
        partial = f"{path}.partial"
        if path == "-":
            output = sys.stdout.buffer
        elif path.endswith(".gz"):
            output = gzip.open(partial, "wb", compresslevel=6)
        else:
            output = open(partial, "wb")  # noqa: SIM115 (closed below, also on errors)
        try:
            for piece in pieces(dump_lines(user=user, request=request)):
                output.write(piece)
                written += len(piece)
                records += piece.count(b'"document":')
        except BaseException:
            if output is not sys.stdout.buffer:
                output.close()
                os.unlink(partial)
            raise
        if output is not sys.stdout.buffer:
            output.close()
            os.replace(partial, path)
        seconds = time.monotonic() - started
        self.stderr.write(
            f"Wrote {records:,} records, {written / 1e6:,.1f} MB in {seconds:.2f} s "
            f"({written / 1e6 / max(seconds, 1e-9):,.1f} MB/s, {records / max(seconds, 1e-9):,.0f} records/s)."
        )
