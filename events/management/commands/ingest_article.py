"""`manage.py ingest_article ARTICLE.txt --metadata SOURCE.json`: take an article in from the shell.

Parses the arguments and calls `events.intake.store.article_ingest`, the service the admin's
"Add an article" calls: the same checks, the same source and proposals. Prints what was
proposed and where to review it; exits non-zero, naming the problem, with nothing written.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from events.intake.store import article_ingest
from events.intake.validation import IntakeError


class Command(BaseCommand):
    help = (
        "Add an article as a source and store what intake proposes from it, for review in the admin. "
        "SOURCE.json has the format of seeds/source.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("article", type=Path, help="The article's text, UTF-8.")
        parser.add_argument("--metadata", type=Path, required=True, help="SOURCE.json: title, publisher, ...")

    def handle(self, *args, article: Path, metadata: Path, **options):
        try:
            raw = article.read_bytes()
        except OSError as err:
            raise CommandError(f"nothing added: cannot read {article}: {err.strerror}") from err
        try:
            meta = json.loads(metadata.read_text(encoding="utf-8"))
        except OSError as err:
            raise CommandError(f"nothing added: cannot read {metadata}: {err.strerror}") from err
        except (ValueError, UnicodeDecodeError) as err:
            raise CommandError(f"nothing added: {metadata} is not JSON: {err}") from err
        try:
            report = article_ingest(text=raw, metadata=meta, user=None)
        except IntakeError as err:
            raise CommandError(f"nothing added: {err}") from err
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        source, counts = report.source, report.counts
        self.stdout.write(f"added source {source.slug} ({source.publisher}, {source.published_on:%Y-%m-%d})")
        self.stdout.write(
            f"proposed: {counts['actor']} new actors, {counts['statement']} statements "
            f"({counts['quote']} quotes, {counts['paraphrase']} paraphrases), {counts['event']} events; "
            f"{report.furniture} lines of page furniture"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"review them in the admin: {reverse('admin:events_source_review', args=[source.pk])}"
            )
        )
