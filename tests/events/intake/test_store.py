"""Taking an article in (`events.intake.store.article_ingest`), on the real articles of the
development set: what is stored, what each bad input is told, and that a refusal writes nothing."""

import datetime
import gzip

import pytest
from django.test import Client
from django.utils import timezone

from events.choices import ProposalKind
from events.intake.store import DuplicateArticle, article_ingest, known_from_database
from events.intake.validation import IntakeError
from events.models import IntakeProposal, Source
from tests.events.intake.ingest_helpers import LONG, SEED, SEED_SLUG, article, counts, seed_actors_only  # noqa: F401

LONG_SLUG = "bbc-news-2026-02-22-resilient-zelensky-tells-bbc-putin-has-started-ww3-and-must-be-stopped"


# --------------------------------------------------------------------------- what is stored


def test_the_long_article_becomes_a_source_and_pending_proposals(seeded):
    raw, metadata = article(LONG)
    report = article_ingest(text=raw, metadata=metadata)

    source = report.source
    assert source.slug == LONG_SLUG
    assert (source.title, source.publisher, source.published_on, source.language, source.contributors) == (
        "Resilient Zelensky tells BBC Putin has started WW3 and must be stopped",
        "BBC News",
        datetime.date(2026, 2, 22),
        "en",
        ["Jeremy Bowen"],
    )
    assert source.text == raw.decode("utf-8")  # exactly as given
    Source.objects.get(pk=source.pk, checksum=source.checksum)  # the database's own SHA-256 agrees
    assert source.furniture == [
        "'Will we lose? Of course not' - Zelensky tells BBC",
        "International editor, Reporting fromKyiv",
        "The government enclave in Kyiv is heavily-protected",
        "Trump publicly berated Zelensky at the White House in February 2025",
    ]
    assert report.counts == {"actor": 10, "statement": 22, "event": 25, "quote": 6, "paraphrase": 16}
    assert report.warnings == (
        "unknown metadata key 'found_in' ignored (the keys are: file, title, publisher, url, published_on, "
        "language, contributors, not_article_body)",
    )
    proposals = list(source.proposals.all())
    assert len(proposals) == 57
    for proposal in proposals:
        assert source.text[proposal.start_offset : proposal.end_offset] == proposal.excerpt
        assert proposal.state == "pending" and proposal.decided_at is None and proposal.rule
    actors = [p for p in proposals if p.kind == ProposalKind.ACTOR]
    assert sorted(p.data["name"] for p in actors) == [
        "BBC",
        "Joe Biden",
        "Jonathan Powell",
        "NATO",
        "Oval Office",
        "Soviet Union",
        "Ukraine",
        "United Kingdom",
        "Vladimir Putin",
        "Volodymyr Zelensky",
    ]
    zelensky = next(p for p in actors if p.data["name"] == "Volodymyr Zelensky")
    assert (zelensky.ref, zelensky.excerpt, zelensky.data["description"], zelensky.data["affiliation"]) == (
        "volodymyr-zelensky",
        "Ukraine's President Volodymyr Zelensky",
        "Ukraine's President",
        {"slug": "ukraine", "name": "Ukraine", "new": True},
    )


def test_new_actors_are_not_public_until_accepted(seeded):
    raw, metadata = article(LONG)
    article_ingest(text=raw, metadata=metadata)
    answer = Client().get("/api/v1/actors/", {"q": "Zelensky"})
    assert answer.status_code == 200
    assert answer.json()["results"] == []
    assert Client().get("/api/v1/actors/volodymyr-zelensky/").status_code == 404


@pytest.mark.usefixtures("seed_actors_only")
def test_the_seed_article_meets_the_seed_actors():
    raw, metadata = article(SEED)
    report = article_ingest(text=raw, metadata=metadata)
    assert (
        report.source.slug
        == "bloomberg-2017-03-03-russia-urges-trump-to-help-fix-syria-libya-crises-amid-setbacks"
    )
    assert report.counts == {"actor": 1, "statement": 16, "event": 18, "quote": 8, "paraphrase": 8}
    assert report.furniture == 9
    assert report.warnings == ()
    (united_nations,) = report.source.proposals.filter(kind=ProposalKind.ACTOR)
    assert (united_nations.data["name"], united_nations.data["kind"]) == (
        "United Nations",
        "international_organisation",
    )
    # Lavrov's deputy is known: his quotes name the seed's actor, not a new one.
    speakers = {
        p.data["speaker"]["slug"]
        for p in report.source.proposals.filter(kind="statement")
        if p.data["speaker"]
    }
    assert "gennady-gatilov" in speakers


@pytest.mark.usefixtures("seed_actors_only")
def test_the_editors_furniture_lines_come_first():
    raw, metadata = article(SEED)
    metadata["not_article_body"] = ["LEARN MORE", "The Syrian Catastrophe Explained"]
    source = article_ingest(text=raw, metadata=metadata).source
    assert source.furniture[:2] == ["LEARN MORE", "The Syrian Catastrophe Explained"]
    assert len(source.furniture) == len(set(source.furniture)) == 9


def test_the_database_is_what_the_pipeline_knows(seeded):
    known = known_from_database()
    assert len(known.actors) == 23 and len(known.conflicts) == 2
    peskov = next(a for a in known.actors if a.slug == "dmitry-peskov")
    assert (peskov.name, peskov.kind, peskov.affiliation) == ("Dmitry Peskov", "person", "russia")
    assert known == known_from_database()  # equal, so the pipeline's matchers are reused


# --------------------------------------------------------------------------- refused, nothing written


def refused(text, metadata) -> str:
    before = counts()
    with pytest.raises(IntakeError) as caught:
        article_ingest(text=text, metadata=metadata)
    assert counts() == before
    return str(caught.value)


def test_the_same_text_again_is_refused_naming_the_source(seeded):
    raw, metadata = article(SEED)  # the seed article: the database holds it already
    message = refused(raw, metadata)
    assert message == (
        "text: this text is already the source 'bloomberg-2017-03-03-russia-urges-trump' (Bloomberg, 2017-03-03: "
        "'Russia Urges Trump to Help Fix Syria, Libya Crises Amid Setbacks'); nothing was written"
    )


def test_a_paste_of_a_held_text_is_a_duplicate_too(seeded):
    """A browser sends line breaks as CRLF and a paste rarely ends with one: still the same text."""
    raw, metadata = article(SEED)
    pasted = raw.decode("utf-8").rstrip("\n").replace("\n", "\r\n")
    with pytest.raises(DuplicateArticle) as caught:
        article_ingest(text=pasted, metadata=metadata)
    assert caught.value.existing.slug == SEED_SLUG


def test_ingesting_twice_is_refused_the_second_time(seeded):
    raw, metadata = article(LONG)
    first = article_ingest(text=raw, metadata=metadata).source
    assert refused(raw, metadata).startswith(
        f"text: this text is already the source '{first.slug}' (BBC News, 2026-02-22"
    )


@pytest.mark.parametrize(
    "make_text, message",
    [
        (lambda raw: b"", "text: the article is empty"),
        (lambda raw: "  \n\n ", "text: the article is empty"),
        (
            lambda raw: gzip.compress(raw, mtime=0),
            "text: the article is binary data, not text (a NUL byte at offset 3)",
        ),
        (
            lambda raw: raw.decode("utf-8").replace("Russia", "Russia\x1b", 1),
            "text: the article is binary data, not text (control character U+001B at offset 6)",
        ),
        (
            lambda raw: raw.decode("utf-8").encode("cp1252"),
            "text: the file is not UTF-8 text (byte 0x95 at offset 68 is not UTF-8)",
        ),
    ],
    ids=["empty", "blank", "gzip", "control-character", "cp1252"],
)
def test_bad_text_is_refused(empty_db, make_text, message):
    raw, metadata = article(SEED)
    assert refused(make_text(raw), metadata) == message


def test_an_article_over_1_mb_is_refused(empty_db):
    raw, metadata = article(LONG)
    assert (
        refused(raw * 100, metadata)
        == "text: the article is 1,053,400 bytes; the limit is 1,000,000 bytes (1 MB)"
    )
    assert refused(raw.decode("utf-8") * 100, metadata).startswith("text: the article is 1,053,400 bytes")


def test_missing_and_future_publication_dates_are_refused(empty_db):
    raw, metadata = article(LONG)
    del metadata["published_on"]
    assert refused(raw, metadata) == "published_on: a publication date is required (YYYY-MM-DD)"
    metadata["published_on"] = ""
    assert refused(raw, metadata) == "published_on: a publication date is required (YYYY-MM-DD)"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    metadata["published_on"] = tomorrow.isoformat()
    assert refused(raw, metadata) == (
        f"published_on: {tomorrow.isoformat()} is in the future (today is {timezone.localdate().isoformat()})"
    )
    metadata["published_on"] = "22 February 2026"
    assert refused(raw, metadata) == "published_on: not a date: give it as YYYY-MM-DD"


@pytest.mark.parametrize("language", ["xx", "english", "en-"])
def test_an_unknown_language_is_refused(empty_db, language):
    raw, metadata = article(LONG)
    metadata["language"] = language
    assert refused(raw, metadata) == (
        f"language: {language!r} is not a known BCP 47 language tag (e.g. en, en-GB, fr, uk)"
    )


def test_language_tags_are_stored_as_the_registry_spells_them(empty_db):
    raw, metadata = article(LONG)
    metadata["language"] = "EN_gb"
    assert article_ingest(text=raw, metadata=metadata).source.language == "en-GB"


def test_every_problem_is_named_at_once(empty_db):
    assert refused(b"", {"language": "xx"}) == (
        "text: the article is empty; title: a title is required; publisher: a publisher is required; "
        "published_on: a publication date is required (YYYY-MM-DD); "
        "language: 'xx' is not a known BCP 47 language tag (e.g. en, en-GB, fr, uk)"
    )
    raw, _ = article(LONG)
    assert refused(raw, ["not", "an", "object"]) == (
        "metadata: the metadata must be a JSON object (the format of seeds/source.json)"
    )


def test_a_refused_article_leaves_no_proposals(seeded):
    assert IntakeProposal.objects.count() == 0
