"""The real articles the intake-storage tests take in, and the database states they meet."""

import json
from pathlib import Path

import pytest

from events.models import Citation, Event, EventParticipant, Source, Statement

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
LONG = FIXTURES / "long" / "bbc-2026-02-22-zelensky-putin-ww3-interview"
SEED = FIXTURES / "bloomberg-2017-03-03-russia-urges-trump"
SEED_SLUG = "bloomberg-2017-03-03-russia-urges-trump"


def article(folder: Path) -> tuple[bytes, dict]:
    """(the article file's bytes, its source.json) of a development-set folder."""
    return (folder / "article.txt").read_bytes(), json.loads(
        (folder / "source.json").read_text(encoding="utf-8")
    )


@pytest.fixture
def seed_actors_only(seeded):
    """The seed's actors and conflicts, without its source and records: a fresh install's
    knowledge, meeting the seed article as if for the first time."""
    for model in (Citation, EventParticipant, Statement, Event, Source):
        model.objects.all().delete()


def counts() -> dict[str, int]:
    """How many rows intake could have written: to show a refusal wrote nothing."""
    from events.models import Actor, IntakeProposal

    return {
        "sources": Source.objects.count(),
        "proposals": IntakeProposal.objects.count(),
        "actors": Actor.objects.count(),
        "citations": Citation.objects.count(),
    }
