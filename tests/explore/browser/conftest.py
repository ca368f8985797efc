"""A real browser on the real pages: Debian's Chromium driven by Playwright, against a live server.

The server runs in a thread of the test process, on the test database, which holds the
seed article (committed once per session by tests/conftest.py). Browser tests read only,
so they need no transaction of their own: each unblocks the database for the server's
thread while it runs.

Every page opened here records each request it makes; one to any other host fails the
test that made it (`offsite_requests`), and is never sent.

Chromium is Debian's (`/usr/bin/chromium`; `.ci/run` installs it): Playwright's own
browser download cannot work on a machine that reaches only package registries.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's synchronous API keeps an event loop running in this thread, which makes
# Django refuse database access here ("async context"); the tests' own queries are
# plain synchronous code, so the check is lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker):
    """The base URL of the site, served by a thread of this process on the test database."""
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()


@pytest.fixture
def served(live_site, django_db_blocker):
    """The site, with the database open to its thread for this test, holding the seed article.

    Tests that commit (`transaction=True`) empty every table when they end, and browser
    tests run after them: the seeds are loaded again when they are gone.
    """
    from django.conf import settings

    from events.models import Event
    from events.seeding.loader import seeds_load

    with django_db_blocker.unblock():
        if not Event.objects.filter(slug="moscow-talks-russia-serraj-2017-03-02").exists():
            seeds_load(paths=[settings.SEEDS_DIR])
        yield live_site


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def close_connections_after_each_test():
    """Close the test's database connections when it ends, after its transaction is rolled back.

    Once Playwright's synchronous API has started, a test and the session's teardown run
    in different contexts, and Django keeps its connections in context variables: the
    connection a test opened is not the one the test database's teardown closes. Left
    open, it made dropping the test database fail ("being accessed by other users").
    """
    yield
    connections.close_all()


class OffsiteRequests(list):
    """The URLs of requests a page tried to send to another host (aborted before leaving)."""


@pytest.fixture
def offsite_requests():
    return OffsiteRequests()


def _context(chromium, served, offsite_requests, **options):
    context = chromium.new_context(base_url=served, **options)
    site = urlsplit(served).netloc

    def guard(route):
        url = route.request.url
        if urlsplit(url).netloc != site:
            offsite_requests.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    return context


@pytest.fixture
def new_page(chromium, served, offsite_requests):
    """`new_page(**context options)`: a fresh page (own cookies, own cache) on the live site."""
    contexts = []

    def make(**options):
        context = _context(
            chromium, served, offsite_requests, **{"viewport": {"width": 1280, "height": 900}, **options}
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert list(offsite_requests) == [], f"requests to other hosts: {list(offsite_requests)}"


@pytest.fixture
def page(new_page):
    """A desktop-sized page; the test fails if it sends a request off the site or throws a script error."""
    opened = new_page()
    yield opened
    assert opened.errors == [], opened.errors
