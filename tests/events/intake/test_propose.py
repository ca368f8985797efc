"""The pipeline as a whole, on every article of the development set: what it promises of
every proposal, whatever the rules found."""

import time
from pathlib import Path

import pytest

from events.intake.evaluation import _furniture_spans, article_folders, load_article
from events.intake.proposals import ACTOR_KINDS, EVENT_TYPES, ROLES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
ARTICLES = article_folders(FIXTURES)


@pytest.fixture(params=ARTICLES, ids=[p.name for p in ARTICLES])
def article_and_result(request, run, seed_known):
    from events.intake.propose import propose

    article = load_article(request.param)
    finder = None
    try:
        import events.intake.dates  # noqa: F401  (the finder, from its own branch)
    except ImportError:
        from .conftest import no_dates as finder
    return article, propose(article.text, article.metadata, seed_known, date_finder=finder)


def test_every_offset_is_exact(article_and_result):
    article, result = article_and_result
    text = article.text
    for item in (
        *result.furniture,
        *result.dates,
        *result.mentions,
        *result.new_actors,
        *result.statements,
        *result.events,
    ):
        assert text[item.start : item.end] == item.excerpt, item
        assert 0.0 <= item.confidence <= 1.0
        assert item.rule
    for statement in result.statements:
        assert text[statement.words_start : statement.words_end] == statement.words
        if statement.date.stated:
            assert text[statement.date.start_offset : statement.date.end_offset] == statement.date.words
    for event in result.events:
        if event.location_start is not None:
            assert text[event.location_start : event.location_end] == event.location


def test_vocabularies_are_the_projects(article_and_result):
    _, result = article_and_result
    assert {a.kind for a in result.new_actors} <= set(ACTOR_KINDS)
    assert {e.type for e in result.events} <= set(EVENT_TYPES)
    assert {p.role for e in result.events for p in e.participants} <= set(ROLES)


def test_nothing_rests_on_annotated_furniture(article_and_result):
    article, result = article_and_result
    furniture = _furniture_spans(article.text, article.annotations.get("furniture") or ())
    for claim in (*result.statements, *result.events, *result.mentions, *result.dates):
        assert not any(claim.start < end and start < claim.end for start, end in furniture), claim


def test_undated_claims_say_not_stated(article_and_result):
    _, result = article_and_result
    for claim in result.claims():
        if not claim.date.stated:
            assert (claim.date.words, claim.date.start, claim.date.end, claim.date.precision) == (
                "not stated",
                None,
                None,
                "unknown",
            )


def test_new_actors_are_not_known_actors(article_and_result, seed_known):
    _, result = article_and_result
    known = {a.slug for a in seed_known.actors}
    assert not {a.slug for a in result.new_actors} & known
    mentioned_new = {m.actor.slug for m in result.mentions if m.actor.new}
    assert mentioned_new <= {a.slug for a in result.new_actors}


def test_a_long_article_takes_well_under_two_seconds(run, seed_known):
    from events.intake.propose import propose, warm_up

    longest = max((load_article(p) for p in ARTICLES), key=lambda a: len(a.text))
    warm_up(seed_known)
    started = time.perf_counter()
    propose(longest.text, longest.metadata, seed_known)
    assert time.perf_counter() - started < 2.0
