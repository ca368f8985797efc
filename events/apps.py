"""The events app: sources, actors, conflicts, events, statements and their citations."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Timeline"
