"""`seed_synthetic`: a deterministic corpus with the promised shape, loaded all or nothing.

A corpus of 3,000 events is big enough for the shares (precision, status, the top
actor's frequency) to sit near their targets, and small enough to build in seconds.
Load speed belongs to the benchmark (bench/), not to these tests.
"""

import hashlib
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from events.changes import triggers as change_triggers
from events.models import Actor, Conflict, Event, EventParticipant, Statement
from events.read_model.stored import stale_rows as stale_events
from events.seeding.synthetic import NotEmpty, seed_synthetic

EVENTS = 3_000


def _fingerprint() -> str:
    rows = Event.objects.order_by("id").values_list("slug", "title", "date_start", "date_precision", "status")
    speakers = Statement.objects.order_by("id").values_list("slug", "speaker_id", "text")
    return hashlib.sha256(repr((list(rows), list(speakers))).encode()).hexdigest()


@pytest.fixture
def corpus(seeded):
    return seed_synthetic(events=EVENTS, seed=7, flush=True)


def test_the_corpus_has_the_promised_counts(corpus):
    assert (corpus.events, corpus.actors, corpus.conflicts) == (EVENTS, 5_000, 40)
    assert Event.objects.count() == EVENTS
    assert Actor.objects.count() == 5_000
    assert Conflict.objects.count() == 40
    assert EventParticipant.objects.count() == corpus.participants
    assert Statement.objects.count() == corpus.statements
    per_event = Counter(
        EventParticipant.objects.values("event").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert set(per_event) == {2, 3}
    assert sum(per_event.values()) == EVENTS
    # 0 to 3 statements per event: 1.5 on average.
    assert 1.35 * EVENTS < corpus.statements < 1.65 * EVENTS


def test_shares_follow_the_specification(corpus):
    precision = Counter(Event.objects.values_list("date_precision", flat=True))
    assert abs(precision["day"] / EVENTS - 0.60) < 0.04
    assert abs(precision["month"] / EVENTS - 0.25) < 0.04
    assert abs(precision["year"] / EVENTS - 0.15) < 0.04
    status = Counter(Event.objects.values_list("status", flat=True))
    assert abs(status["published"] / EVENTS - 0.80) < 0.04
    assert set(status) == {"published", "reviewed", "draft"}
    years = Event.objects.values_list("date_start__year", flat=True)
    assert (min(years), max(years)) == (1990, 2025)


def test_actor_frequency_is_zipf_like(corpus):
    counts = sorted(
        EventParticipant.objects.values("actor")
        .annotate(n=Count("event", distinct=True))
        .values_list("n", flat=True),
        reverse=True,
    )
    top_share = counts[0] / EVENTS
    assert 0.035 < top_share < 0.07  # "the most frequent in about 5% of events"
    # A long tail: most actors appear in a handful of events at most.
    assert counts[len(counts) // 2] <= 3


def test_the_same_seed_gives_the_same_corpus(seeded):
    seed_synthetic(events=500, seed=11, flush=True)
    first = _fingerprint()
    seed_synthetic(events=500, seed=11, flush=True)
    again = _fingerprint()
    seed_synthetic(events=500, seed=12, flush=True)
    other = _fingerprint()

    assert first == again
    assert first != other


def test_texts_are_searchable_words(corpus, client):
    event = Event.objects.filter(status="published").order_by("id").first()
    word = next(w for w in event.summary.rstrip(".").lower().split() if len(w) > 6)

    response = client.get("/api/v1/events/", {"q": word, "page_size": 500})

    assert response.status_code == 200
    assert event.slug in {item["slug"] for item in response.json()["results"]}


def test_a_database_with_records_is_refused_and_left_alone(seeded):
    before = (Event.objects.count(), Actor.objects.count(), Statement.objects.count())

    with pytest.raises(NotEmpty):
        seed_synthetic(events=10)

    assert (Event.objects.count(), Actor.objects.count(), Statement.objects.count()) == before == (9, 23, 14)


def test_the_command_names_what_is_wrong(seeded):
    with pytest.raises(CommandError, match="nothing written: the database already holds timeline rows"):
        call_command("seed_synthetic", "--events", "10", "--no-progress")
    with pytest.raises(CommandError, match="--events"):
        call_command("seed_synthetic", "--events", "0", "--no-progress")


def test_each_event_holds_the_lists_the_database_computes(corpus, admin_client):
    """The load writes the JSON lists itself (the triggers are off): the same text the database gives."""
    assert stale_events() == []
    event = Event.objects.order_by("id").first()
    expected = [
        {
            "actor": {
                "slug": p.actor.slug,
                "name": p.actor.name,
                "url": f"http://testserver/api/v1/actors/{p.actor.slug}/",
            },
            "role": p.role,
        }
        for p in EventParticipant.objects.filter(event=event)
        .select_related("actor")
        .order_by("role", "actor__name")
    ]
    body = admin_client.get(f"/api/v1/events/{event.slug}/").json()
    assert body["participants"] == expected
    assert [c["slug"] for c in body["conflicts"]] == list(event.conflicts.values_list("slug", flat=True))


def test_each_event_row_is_written_once(corpus):
    """No dead version of an event is left behind (filling the lists by UPDATE left one per list).

    A table with dead versions is larger than a fresh copy of its rows (twice or more: one
    version per list), and every read of it touches more pages.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('events_event')")
        (loaded,) = cursor.fetchone()
        cursor.execute("CREATE TEMPORARY TABLE fresh_copy AS SELECT * FROM events_event ORDER BY id")
        cursor.execute("SELECT pg_relation_size('fresh_copy')")
        (fresh,) = cursor.fetchone()
        cursor.execute("DROP TABLE fresh_copy")

    assert loaded <= fresh


def test_the_link_triggers_are_on_again_after_the_load(corpus):
    event = Event.objects.order_by("id").first()
    newcomer = Actor.objects.exclude(participations__event=event).order_by("id").first()

    EventParticipant.objects.create(event=event, actor=newcomer, role="mediator")

    assert stale_events() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT participants_json::text FROM events_event WHERE id = %s", [event.pk])
        assert f'"slug" : "{newcomer.slug}"' in cursor.fetchone()[0]


def test_the_load_logs_every_record_once_and_the_change_log_triggers_are_on_again(corpus):
    """The change feed's triggers are off for the load; every record is logged once, in its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, count(*), count(*) FILTER (WHERE public), count(DISTINCT xid) FROM events_change"
            " WHERE xid = pg_current_xact_id()::text::bigint GROUP BY kind ORDER BY kind"
        )
        logged = cursor.fetchall()
    published = {
        "event": Event.objects.filter(status="published").count(),
        "statement": Statement.objects.filter(status="published").count(),
    }
    assert logged == [
        ("actor", Actor.objects.count(), Actor.objects.count(), 1),
        ("conflict", Conflict.objects.count(), Conflict.objects.count(), 1),
        ("event", EVENTS, published["event"], 1),
        ("statement", Statement.objects.count(), published["statement"], 1),
    ]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled, count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_changes_%%' GROUP BY tgenabled"
        )
        assert cursor.fetchall() == [("O", len(change_triggers.triggers()))]  # every one enabled ("O")
