"""Fixtures shared by the whole suite: the seed article, loaded once per test that asks."""

from pathlib import Path

import pytest
from django.conf import settings

from events.seeding.loader import seeds_load

SEEDS_DIR = Path(settings.SEEDS_DIR)
SEED_FILE = SEEDS_DIR / "bloomberg-2017-03-03-russia-urges-trump.yaml"
ARTICLE_FILE = SEEDS_DIR / "bloomberg-2017-03-03-russia-urges-trump.txt"


@pytest.fixture
def article_text() -> str:
    """The seed article exactly as received."""
    return ARTICLE_FILE.read_text(encoding="utf-8")


@pytest.fixture
def seeded(db):
    """The database after `load_seeds` of the project's seeds; returns the load report."""
    return seeds_load(paths=[SEEDS_DIR])


@pytest.fixture(autouse=True)
def fresh_throttle_history():
    """Throttle counts live in the cache; each test starts with none, as a new client would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
