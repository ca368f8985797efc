from django.apps import AppConfig


class ExploreConfig(AppConfig):
    """The researchers' web pages: the timeline at / and a page per record."""

    name = "explore"
    verbose_name = "Explore"
