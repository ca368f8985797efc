"""The measurement's scoring, on one real article and proposals made by hand, so each
figure is checked against a count done by eye.

The article is Reuters 2015-06-17 (tests/fixtures/articles/reuters-2015-06-17-yemen-talks-no-progress,
http://www.reuters.com/article/us-yemen-security-talks-minister-idUSKBN0OX1XT20150617).
"""

from datetime import date
from pathlib import Path

from events.intake.evaluation import (
    _match_overlaps,
    load_article,
    normalise_name,
    normalise_words,
    report_lines,
    same_actor,
    score_article,
)
from events.intake.proposals import (
    ActorMention,
    ActorRef,
    DateProposal,
    EventProposal,
    IntakeResult,
    ProposedDate,
    StatementProposal,
)

FOLDER = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "articles"
    / "reuters-2015-06-17-yemen-talks-no-progress"
)
ANCHOR = date(2015, 6, 17)
MINISTER = ActorRef(slug="reyad-yassin-abdulla", name="Reyad Yassin Abdulla", new=True)


def _at(text, words, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def _quote(text, words, speaker, nth=0):
    start, end = _at(text, words, nth)
    return StatementProposal(
        kind="quote",
        words=words,
        words_start=start,
        words_end=end,
        speaker=speaker,
        speaker_start=None,
        speaker_end=None,
        date=ProposedDate.not_stated(ANCHOR),
        about=(),
        conflicts=(),
        start=start,
        end=end,
        excerpt=words,
        rule="test",
        confidence=0.5,
    )


def _event(text, words):
    start, end = _at(text, words)
    return EventProposal(
        type="talks",
        title=words,
        participants=(),
        location="",
        location_start=None,
        location_end=None,
        conflicts=(),
        date=ProposedDate.not_stated(ANCHOR),
        start=start,
        end=end,
        excerpt=words,
        rule="test",
        confidence=0.5,
    )


def test_names_and_words_are_compared_loosely_where_the_page_varies():
    assert normalise_name("The United Nations") == normalise_name("united nations")
    assert normalise_name("Aleksandar Vučić") == "aleksandar vucic"
    assert normalise_words("“They never showed up.”") == normalise_words("They never showed up")
    assert same_actor("makeyev", "oleksiy makeyev")
    assert not same_actor("oleksiy", "oleksiy makeyev")
    assert not same_actor("", "reyad yassin abdulla")


def test_overlaps_are_matched_one_to_one_as_many_as_possible():
    # the first proposal overlaps both annotations; the second only the first annotation
    assert _match_overlaps([(0, 10), (8, 20)], [(5, 15), (0, 3)]) == [(0, 1), (1, 0)]


def test_a_hand_made_result_scores_as_counted():
    article = load_article(FOLDER)
    text = article.text
    result = IntakeResult(
        text=text,
        anchor=ANCHOR,
        mentions=(
            ActorMention(*_at(text, "Reyad Yassin Abdulla"), "Reyad Yassin Abdulla", MINISTER, "test", 0.5),
            ActorMention(*_at(text, "Geneva"), "Geneva", ActorRef("geneva", "Geneva", True), "test", 0.5),
            # a mention inside the headline: furniture used as the basis of a proposal
            ActorMention(*_at(text, "Houthis"), "Houthis", ActorRef("houthis", "Houthis", True), "test", 0.5),
        ),
        statements=(
            _quote(text, "no progress", MINISTER, nth=2),  # right (the headline, printed twice, has it too)
            _quote(text, "They never showed up.", ActorRef("reuters", "Reuters", True)),  # wrong speaker
            _quote(text, "We have 48 hours.", ActorRef("abdulla", "Abdulla", True)),  # the surname: right
        ),
        events=(_event(text, "he told Reuters"),),
        dates=(
            DateProposal(
                *_at(text, "on Wednesday"), "on Wednesday", ANCHOR, ANCHOR, "day", ANCHOR, "past", "t", 0.5
            ),
            DateProposal(*_at(text, "Today"), "Today", None, None, "unknown", ANCHOR, "", "t", 0.5),
        ),
    )
    score = score_article(article, result)
    assert str(score.actors_recall) == "2/6 (33%)"  # Reyad Yassin Abdulla, Houthis
    assert str(score.actors_precision) == "2/3 (67%)"  # Geneva is no annotated actor
    assert str(score.quotes_recall) == "2/4 (50%)"
    assert str(score.quotes_precision) == "2/3 (67%)"
    assert str(score.events_found) == "1/2 (50%)"
    assert str(score.dates_exact) == "1/2 (50%)"  # "Today" is found but not resolved
    assert score.furniture_used == 1
    assert str(score.furniture_found) == "0/6 (0%)"
    lines = report_lines([score], score)
    assert lines[0].split()[:3] == ["article", "actors", "R"]
    assert lines[1].startswith("reuters-2015-06-17-yemen-talks-no-progress")


def test_the_command_prints_a_row_per_article_and_the_overall_row(tmp_path):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("evaluate_intake", str(FOLDER), "--misses", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("article")
    assert lines[1].startswith("reuters-2015-06-17-yemen-talks-no-progress")
    assert lines[3].startswith("overall")
    with pytest.raises(CommandError, match="no annotated article"):
        call_command("evaluate_intake", str(tmp_path))
