"""The seed loader: the happy path, idempotency, and every kind of bad seed file.

Bad files are copies of the real seed file with one thing broken, so each test shows the
exact message an editor would read and that nothing at all was written.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from events.seeding.loader import SeedError, seeds_load
from tests.conftest import ARTICLE_FILE, SEED_FILE, SEEDS_DIR

MODELS = (Source, Actor, Conflict, Event, EventParticipant, Statement, Citation)


def table_sizes() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def seed_copy(tmp_path: Path, *edits: tuple[str, str], name: str = SEED_FILE.name) -> Path:
    """A copy of the seed folder in tmp_path with each (old, new) edit applied once to the YAML."""
    for path in (ARTICLE_FILE, SEEDS_DIR / "source.json"):
        shutil.copy(path, tmp_path / path.name)
    text = SEED_FILE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, f"edit target not in the seed file: {old!r}"
        text = text.replace(old, new, 1)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def test_first_load_creates_everything_and_reports_counts(empty_db):
    report = seeds_load(paths=[SEEDS_DIR])
    assert report.files == [SEED_FILE]
    assert {kind: (c.created, c.updated, c.unchanged) for kind, c in report.counts.items()} == {
        "sources": (1, 0, 0),
        "actors": (23, 0, 0),
        "conflicts": (2, 0, 0),
        "events": (9, 0, 0),
        "statements": (14, 0, 0),
    }
    assert table_sizes() == {
        "Source": 1,
        "Actor": 23,
        "Conflict": 2,
        "Event": 9,
        "EventParticipant": 14,
        "Statement": 14,
        "Citation": 45,
    }


def test_second_load_changes_nothing(seeded):
    before = table_sizes()
    stamps = list(Event.objects.order_by("pk").values_list("updated_at", flat=True))
    report = seeds_load(paths=[SEEDS_DIR])
    assert {kind: (c.created, c.updated, c.unchanged) for kind, c in report.counts.items()} == {
        "sources": (0, 0, 1),
        "actors": (0, 0, 23),
        "conflicts": (0, 0, 2),
        "events": (0, 0, 9),
        "statements": (0, 0, 14),
    }
    assert not report.changed
    assert table_sizes() == before
    assert list(Event.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_an_edited_seed_updates_only_that_record(seeded, tmp_path):
    path = seed_copy(
        tmp_path,
        ('title: "Russia hosts Libyan Prime Minister', 'title: "Russia receives Libyan Prime Minister'),
    )
    report = seeds_load(paths=[path])
    assert (report.counts["events"].updated, report.counts["events"].unchanged) == (1, 8)
    assert report.counts["statements"].unchanged == 14
    assert Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02").title.startswith(
        "Russia receives Libyan Prime Minister"
    )


def test_a_changed_participant_role_counts_as_an_update(seeded, tmp_path):
    path = seed_copy(
        tmp_path, ("- {actor: fayez-al-serraj, role: guest}", "- {actor: fayez-al-serraj, role: party}")
    )
    report = seeds_load(paths=[path])
    assert report.counts["events"].updated == 1
    talks = Event.objects.get(slug="moscow-talks-russia-serraj-2017-03-02")
    assert set(talks.participations.values_list("actor__slug", "role")) == {
        ("russia", "host"),
        ("fayez-al-serraj", "party"),
    }


def test_an_editors_status_survives_a_reload(seeded):
    Statement.objects.filter(slug="peskov-no-movement-2017-03-03").update(status="draft")
    seeds_load(paths=[SEEDS_DIR])
    assert Statement.objects.get(slug="peskov-no-movement-2017-03-03").status == "draft"


BAD_SEEDS = [
    pytest.param(
        (
            "excerpt: 'Kremlin spokesman Dmitry Peskov said Friday",
            "excerpt: 'Kremlin spokesman Dmitri Peskov said Friday",
        ),
        'statements[9] "peskov-no-movement-2017-03-03": excerpt not found in the source text: '
        "'Kremlin spokesman Dmitri Peskov said Friday",
        id="excerpt-not-in-article",
    ),
    pytest.param(
        ("speaker: dmitry-peskov", "speaker: dmitri-peskov"),
        "statements[9] \"peskov-no-movement-2017-03-03\": unknown speaker 'dmitri-peskov' "
        "(not in this file nor in the database)",
        id="unknown-actor",
    ),
    pytest.param(
        ("date: on Thursday", "date: on Thorsday"),
        'events[7] "moscow-talks-russia-serraj-2017-03-02": date: cannot resolve date "on Thorsday"',
        id="unresolvable-date",
    ),
    pytest.param(
        ("type: talks", "type: chat"),
        'events[7] "moscow-talks-russia-serraj-2017-03-02": type: "chat" is not a valid choice.',
        id="unknown-choice",
    ),
    pytest.param(
        ("    participants:\n", "    particpants:\n"),
        'events[0] "russian-military-intervention-syria": particpants: unknown key; expected one of:',
        id="misspelt-key",
    ),
    pytest.param(
        ("actors:\n", "actors:\n  - [\n"),
        "not valid YAML at line",
        id="malformed-yaml",
    ),
    pytest.param(
        (
            'text: "We would like to see an active U.S. role"',
            'text: "We would love to see an active U.S. role"',
        ),
        'statements[0] "gatilov-active-us-role": text: a quote must appear word for word in one of its citations',
        id="quote-not-verbatim",
    ),
    pytest.param(
        (
            'excerpt: "A cease-fire brokered in December',
            'excerpt: "The Syrian Catastrophe Explained"\n      - excerpt: "A cease-fire brokered in December',
        ),
        "events[3] \"ceasefire-syria-russia-turkey-2016-12\": excerpt 'The Syrian Catastrophe Explained' quotes page "
        "furniture ('The Syrian Catastrophe Explained'), not the source's claims",
        id="page-furniture",
    ),
    pytest.param(
        (
            'excerpt: "A cease-fire brokered in December',
            'excerpt: "Gatilov said."\n      - excerpt: "A cease-fire brokered in December',
        ),
        'events[3] "ceasefire-syria-russia-turkey-2016-12": excerpt occurs 2 times in the source text',
        id="ambiguous-excerpt",
    ),
]


@pytest.mark.parametrize("edit, message", BAD_SEEDS)
def test_a_bad_seed_file_names_file_record_and_problem_and_writes_nothing(seeded, tmp_path, edit, message):
    # Change an existing record too, so a partial write would show.
    path = seed_copy(
        tmp_path,
        ('title: "Russia hosts Libyan Prime Minister al-Serraj for talks in Moscow"', "title: CHANGED"),
        edit,
    )
    before = table_sizes()
    with pytest.raises(SeedError) as caught:
        seeds_load(paths=[path])
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert table_sizes() == before
    assert not Event.objects.filter(title="CHANGED").exists()


def test_a_bad_file_among_good_ones_rolls_back_the_good_ones(empty_db, tmp_path):
    good = seed_copy(tmp_path, name="a-good.yaml")
    seed_copy(tmp_path, ("date: in December", "date: in Decembruary"), name="b-bad.yaml")
    with pytest.raises(SeedError, match="b-bad.yaml: events"):
        seeds_load(paths=[tmp_path])
    assert good.exists()
    assert table_sizes() == dict.fromkeys(table_sizes(), 0)


@pytest.mark.django_db
def test_a_missing_path_is_named():
    with pytest.raises(SeedError, match="no-such-folder: no such file or folder"):
        seeds_load(paths=[Path("no-such-folder")])


def test_command_reports_counts_then_unchanged(empty_db):
    out = StringIO()
    call_command("load_seeds", stdout=out)
    assert "actors        23 created    0 updated    0 unchanged" in out.getvalue()
    out = StringIO()
    call_command("load_seeds", str(SEED_FILE), stdout=out)
    assert "statements     0 created    0 updated   14 unchanged" in out.getvalue()
    assert "nothing to change" in out.getvalue()


def test_command_error_names_the_file_and_record(empty_db, tmp_path):
    path = seed_copy(tmp_path, ("speaker: dmitry-peskov", "speaker: nobody"))
    with pytest.raises(CommandError) as caught:
        call_command("load_seeds", str(path))
    assert str(caught.value) == (
        f'nothing loaded: {path}: statements[9] "peskov-no-movement-2017-03-03": '
        "unknown speaker 'nobody' (not in this file nor in the database)"
    )
    assert Statement.objects.count() == 0


def test_a_load_leaves_history_for_every_record_it_writes(empty_db):
    """Editors can see in each record's history that the loader created it, links included."""
    models = (Event, Statement, Actor, EventParticipant, Citation)
    before = {model.__name__: model.history.filter(history_type="+").count() for model in models}
    seeds_load(paths=[SEEDS_DIR])
    created = {
        model.__name__: model.history.filter(history_type="+").count() - before[model.__name__]
        for model in models
    }
    assert created == {"Event": 9, "Statement": 14, "Actor": 23, "EventParticipant": 14, "Citation": 45}
