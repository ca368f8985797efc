"""Helpers for the intake tests: the pipeline on a piece of real text."""

from datetime import date

import pytest

from events.intake.evaluation import measurement_known
from events.intake.propose import ArticleMetadata, propose


def no_dates(text, *, anchor):
    """A date finder that finds nothing: for tests of the steps that do not need dates."""
    return []


@pytest.fixture(scope="session")
def seed_known():
    """The seed file's actors and conflicts, as a fresh install has them."""
    return measurement_known()


@pytest.fixture
def run(seed_known):
    def run(text, published_on=date(2017, 3, 3), *, known=None, dates=False, title=""):
        finder = None if dates else no_dates
        return propose(
            text,
            ArticleMetadata(title=title, published_on=published_on),
            seed_known if known is None else known,
            date_finder=finder,
        )

    return run
