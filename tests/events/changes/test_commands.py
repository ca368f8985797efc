"""The change feed's management commands: prune_changes and changes_cursor (export_dump: test_dump.py)."""

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.changes import feed
from events.models import Actor, ChangeHorizon
from tests.events.changes.conftest import API, ops, page

pytestmark = pytest.mark.usefixtures("committed")


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_prune_changes_keeps_what_the_retention_keeps():
    assert run("prune_changes") == "No entry is older than the retention: nothing removed."
    assert run("prune_changes", "--days", "0").startswith("Removed ")
    horizon = ChangeHorizon.objects.get()
    assert horizon.reason.endswith("removed (0 days kept)")
    assert feed.changes_prune(days=0, now=timezone.now() - datetime.timedelta(days=1)).removed == 0


def test_changes_cursor_replays_the_last_entries(api):
    Actor.objects.filter(slug__in=["iran", "turkey", "egypt"]).update(description="A state")

    assert ops(page(api, run("changes_cursor", "--back", "2"))) == [
        ("upsert", "actor", "iran"),
        ("upsert", "actor", "turkey"),
    ]
    assert page(api, run("changes_cursor"))["results"] == []
    with pytest.raises(CommandError, match="no account named 'nobody'"):
        run("changes_cursor", "--as-user", "nobody")


def test_a_cursor_for_an_editor_is_refused_to_anonymous_readers(api, editor):
    cursor = run("changes_cursor", "--as-user", editor.username)
    assert api.get(f"{API}/changes/", {"after": cursor}).status_code == 410
    assert feed.reader_drafts(AnonymousUser()) == ()
