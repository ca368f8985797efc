"""The events app: sources, actors, conflicts, events, statements and their citations."""

import os
import sys

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate


def _refresh_stored_lists(sender, using="default", **kwargs) -> None:
    from events.read_model import stored

    stored.refresh_changed_lists(using)


def _log_changed_documents(sender, using="default", **kwargs) -> None:
    from events.changes import feed

    feed.log_everything_if_documents_changed(using)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Timeline"

    def ready(self) -> None:
        # The triggers keeping stored lists current are generated from the read model;
        # registered here, on the loaded models, so makemigrations sees them. After a
        # migration, rows stored by older SQL are recomputed.
        from events.changes import triggers as change_triggers
        from events.read_model import stored

        stored.register()
        post_migrate.connect(_refresh_stored_lists, sender=self, dispatch_uid="events.refresh_stored_lists")
        # A development server builds the intake pipeline at start, in the background, so the
        # first "Add an article" does not wait for it; gunicorn workers build it when they first
        # serve that form; commands and tests never do (see the module).
        from events.intake import warming

        warming.start_if_serving(sys.argv, os.environ, settings.INTAKE_WARM_UP)
        # The change log's triggers, from what each document shows; after a migration that
        # changes the documents, every record is logged (events.changes).
        change_triggers.register()
        post_migrate.connect(_log_changed_documents, sender=self, dispatch_uid="events.log_changed_documents")
