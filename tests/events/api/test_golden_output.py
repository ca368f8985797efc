"""The API's answers on the seed data, byte for byte, as they were before the read model was declared once.

`golden_output.json` holds the body of every read of the seed data (lists, details, the
timeline in each format, anonymous and as an editor) as the API wrote it when each shape
still had hand-written serializers and SQL. Any change to what a client receives shows
up here as a difference, so a refactoring of the read path cannot change the contract
unnoticed. Timestamps are pinned first: `updated_at` is the only value that differs
between two loads of the seeds.

To record a deliberate change of the contract: `GOLDEN_WRITE=1 ./dev test tests/events/api/test_golden_output.py`,
then review the diff of `golden_output.json` like any other change.
"""

import datetime
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission, User
from django.core import signing
from rest_framework.test import APIClient

from events.models import Actor, Conflict, Event, Source, Statement

from .conftest import API

pytestmark = pytest.mark.usefixtures("seeded")

GOLDEN = Path(__file__).with_name("golden_output.json")
PINNED = datetime.datetime(2026, 11, 30, 12, 0, 0, 250000, tzinfo=datetime.UTC)
CURSOR = re.compile(r"cursor=([^&\"]+)")


def _unsigned_cursors(body: str) -> str:
    """Cursors with their payload in clear: their signature carries the second it was made."""
    return CURSOR.sub(
        lambda match: "cursor=" + json.dumps(signing.loads(unquote(match[1]), salt="events.api.cursor")), body
    )


def _editor() -> APIClient:
    user = User.objects.create_user("golden-editor", password="pw-for-tests-only")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="events", codename__in=["view_event", "view_statement"]
        )
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def _requests() -> list[str]:
    """Every read worth pinning: each list (one page and a short page), each detail, each format."""
    paths = []
    for endpoint in ("events", "statements", "actors", "conflicts", "sources"):
        paths += [f"{API}/{endpoint}/?page_size=500", f"{API}/{endpoint}/?page_size=3"]
    paths += [
        f"{API}/events/{slug}/" for slug in Event.objects.order_by("slug").values_list("slug", flat=True)
    ]
    paths += [
        f"{API}/statements/{slug}/"
        for slug in Statement.objects.order_by("slug").values_list("slug", flat=True)
    ]
    paths += [
        f"{API}/actors/{slug}/" for slug in Actor.objects.order_by("slug").values_list("slug", flat=True)
    ]
    paths += [
        f"{API}/conflicts/{slug}/"
        for slug in Conflict.objects.order_by("slug").values_list("slug", flat=True)
    ]
    paths += [
        f"{API}/sources/{slug}/" for slug in Source.objects.order_by("slug").values_list("slug", flat=True)
    ]
    paths += [
        f"{API}/timeline/?page_size=500",
        f"{API}/timeline/?page_size=4",
        f"{API}/timeline/?actor=russia&page_size=500",
        f"{API}/timeline/?format=csv",
        f"{API}/timeline/?format=timelinejs",
        f"{API}/events/?q=talks&ordering=relevance",
        f"{API}/statements/?ordering=-date&page_size=500",
    ]
    return paths


def _answers() -> dict[str, str]:
    for model in (Event, Statement, Actor, Conflict, Source):
        model.objects.update(updated_at=PINNED)
    clients = {"anonymous": APIClient(), "editor": _editor()}
    answers = {}
    for who, client in clients.items():
        for path in _requests():
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            answers[f"{who} GET {path}"] = (
                f"{response.status_code} {response['Content-Type']}\n" + _unsigned_cursors(body.decode())
            )
    return answers


def test_every_read_of_the_seed_data_is_unchanged_byte_for_byte():
    answers = _answers()
    if os.environ.get("GOLDEN_WRITE") == "1":
        GOLDEN.write_text(json.dumps(answers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))

    assert sorted(answers) == sorted(golden)
    differing = [request for request in golden if answers[request] != golden[request]]
    assert differing == [], (
        f"{len(differing)} answers changed, e.g. {differing[0]}:\n{answers[differing[0]][:2000]}"
    )
