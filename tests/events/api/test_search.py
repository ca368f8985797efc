"""Search that finds what people type: compounds joined or hyphenated, any accents, any case.

The query rewrite is checked as text (`tsquery_text`), then against a real PostgreSQL on
events written each way.
"""

import pytest

from events.choices import EventType, ReviewStatus
from events.models import Citation, Event, Source
from events.search import tsquery_text

API = "/api/v1"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ceasefire", "'ceasefire'"),
        ("cease-fire", "'ceasefire'"),
        ("cease\u2010fire", "'ceasefire'"),
        ("cease fire", "(('cease' & 'fire') | ('ceasefire'))"),
        ("Rostov-on-Don talks", "'RostovonDon' & 'talks'"),
        (
            "russia cease fire",
            "(('russia' & 'cease' & 'fire') | ('russiacease' & 'fire') | ('russia' & 'ceasefire'))",
        ),
        ('"cease fire" talks', "'cease fire' & 'talks'"),
        ("ceasefire -islamic", "'ceasefire' & !'islamic'"),
        ("ceasefire - islamic", "'ceasefire' & !'islamic'"),
        ('-"islamic state" libya', "!'islamic state' & 'libya'"),
        ("talks or ceasefire", "('talks') | ('ceasefire')"),
        ("it's", "'it''s'"),
        ("back\\slash", "'back\\\\slash'"),
        ("", ""),
        ("   ", ""),
        ("or", "'or'"),
    ],
)
def test_queries_are_rewritten(query, expected):
    assert tsquery_text(query) == expected


TITLES = {
    "joined": "A ceasefire holds in Idlib",
    "hyphenated": "The cease-fire holds in Aleppo",
    "unicode-hyphen": "Cease\u2010fire talks in Geneva",
    "accented": "Talks in São Paulo",
    "apart": "Guns did not cease and the fire went on",
    "unrelated": "Elections in Kyiv",
}


def _event(slug: str, title: str, summary: str = "") -> Event:
    """A published event citing its own title in the test source (every event keeps a citation)."""
    source = Source.objects.get(slug="search-test-source")
    event = Event.objects.create(
        slug=slug,
        title=title,
        summary=summary,
        type=EventType.CEASEFIRE,
        status=ReviewStatus.PUBLISHED,
    )
    start = source.text.index(title)
    Citation.objects.create(
        source=source, event=event, excerpt=title, start_offset=start, end_offset=start + len(title)
    )
    return event


@pytest.fixture
def spellings(empty_db):
    """One published event per way of writing a compound, plus distractors."""
    Source.objects.create(
        slug="search-test-source",
        title="Test wire",
        publisher="Tests",
        published_on="2017-03-03",
        language="en",
        text="\n".join(TITLES.values()),
    )
    _event("joined", "A ceasefire holds in Idlib")
    _event("hyphenated", "The cease-fire holds in Aleppo")
    _event("unicode-hyphen", "Cease\u2010fire talks in Geneva")
    _event("accented", "Talks in São Paulo", "Negotiators met at the Itamaraty.")
    _event("apart", "Guns did not cease and the fire went on")
    _event("unrelated", "Elections in Kyiv")


def _found(api, **params) -> list[str]:
    response = api.get(f"{API}/events/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content[:500]
    return sorted(item["slug"] for item in response.json()["results"])


WRITTEN_TOGETHER = ["hyphenated", "joined", "unicode-hyphen"]


@pytest.mark.parametrize("query", ["ceasefire", "cease-fire", "CEASE-FIRE", "Ceasefire", "cease\u2010fire"])
def test_joined_and_hyphenated_spellings_find_the_same_items(api, spellings, query):
    assert _found(api, q=query) == WRITTEN_TOGETHER


def test_two_words_find_the_compound_too_and_texts_holding_both_words(api, spellings):
    assert _found(api, q="cease fire") == ["apart", *WRITTEN_TOGETHER]


def test_a_quoted_phrase_is_matched_as_written(api, spellings):
    assert _found(api, q='"cease fire"') == ["hyphenated", "unicode-hyphen"]


@pytest.mark.parametrize("query", ["sao paulo", "São Paulo", "SÃO PAULO", "itamaraty", "ITAMARATY"])
def test_accents_and_case_never_matter(api, spellings, query):
    assert _found(api, q=query) == ["accented"]


def test_the_timeline_and_statements_search_the_same_way(api, spellings):
    response = api.get(f"{API}/timeline/", {"q": "cease-fire"})
    assert sorted(item["slug"] for item in response.json()["results"]) == WRITTEN_TOGETHER


def test_the_seed_article_cease_fire_is_found_however_it_is_typed(api, seeded):
    for query in ("ceasefire", "cease-fire", "cease fire"):
        assert _found(api, q=query) == ["ceasefire-syria-russia-turkey-2016-12"], query
