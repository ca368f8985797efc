"""`python manage.py evaluate_intake [FOLDER]`: how well intake proposes, on annotated articles.

Runs the intake pipeline on every annotated article under FOLDER (default
tests/fixtures/articles) and prints its figures per article and overall; the scoring is
`events.intake.evaluation`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.intake import evaluation


class Command(BaseCommand):
    help = "Score the intake pipeline against the hand-annotated articles of FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=str(evaluation.DEFAULT_FOLDER))
        parser.add_argument("--misses", action="store_true", help="also list what each article missed")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        if not evaluation.article_folders(folder):
            raise CommandError(f"no annotated article (annotations.yaml with source.json) under {folder}")
        scores, total = evaluation.evaluate(folder)
        for line in evaluation.report_lines(scores, total, misses=options["misses"]):
            self.stdout.write(line)
