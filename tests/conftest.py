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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, created once per run with the seed article already loaded.

    Loading takes about half a second; doing it once instead of in every test that reads
    the article keeps the suite fast. Each test still runs in a transaction that is
    rolled back, so the seeds are the same at the start of every test.
    """
    with django_db_blocker.unblock():
        return seeds_load(paths=[SEEDS_DIR])


@pytest.fixture
def seeded(db, django_db_setup):
    """The database holding the project's seeds; returns the report of loading them."""
    return django_db_setup


@pytest.fixture
def committed(transactional_db):
    """Writes commit at once (Django's transactional tests: the database is emptied afterwards,
    and pytest-django runs them after the others); the seeds are there, loaded again if an
    earlier test of this kind emptied them."""
    from events.models import Actor

    if not Actor.objects.exists():
        seeds_load(paths=[SEEDS_DIR])


@pytest.fixture
def empty_db(db):
    """A database with no timeline records at all (the seeds removed inside this test's transaction)."""
    from django.db import connection

    from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement

    for model in (Citation, EventParticipant, Statement, Event, Conflict, Actor, Source):
        model.objects.all().delete()
    # Run the deferred foreign-key checks of those deletes now, so a test may alter tables.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture(autouse=True)
def fresh_throttle_history():
    """Throttle counts live in the cache; each test starts with none, as a new client would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in a lot; a deliberately slow hasher would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cite_each(records, source=None, excerpt: str | None = None) -> None:
    """Give each event or statement a citation, as the database requires of every one by commit.

    Tests that make records in bulk (to fill a page, to race two writers) call this, so
    what they leave behind is what any writer must leave: by default a passage of the seed
    article, else `excerpt` in `source`.
    """
    from events.models import Citation, Event, Source

    source = source or Source.objects.get(slug="bloomberg-2017-03-03-russia-urges-trump")
    excerpt = excerpt or "for talks on Thursday in Moscow"
    start = source.text.index(excerpt)
    Citation.objects.bulk_create(
        Citation(
            source=source,
            excerpt=excerpt,
            start_offset=start,
            end_offset=start + len(excerpt),
            **{"event" if isinstance(record, Event) else "statement": record},
        )
        for record in records
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """After every fixture is torn down, no transaction may be left open (a stream never closed, say)."""
    yield
    from django.db import connection

    assert not connection.in_atomic_block, f"{item.nodeid} left a transaction open on the connection"
