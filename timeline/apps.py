"""The project's own app: the database cache's table, made by `migrate` like every other table."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str, **kwargs) -> None:
    """`createcachetable` after each migrate: the database cache (settings.CACHES) has no
    migration of its own. Does nothing when the table exists or no cache is in the database."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline project"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="timeline.create_cache_table")
