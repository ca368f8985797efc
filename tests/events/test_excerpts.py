"""Tests for events.excerpts: placing a quoted excerpt in its source text.

Pure functions only, no database. Realistic cases use the seed article (Bloomberg,
2017-03-03), which has curly quotes, typographic apostrophes and non-breaking spaces;
the offsets below were computed once from that file and are hard-coded.
"""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from events.excerpts import (
    AmbiguousExcerpt,
    ExcerptError,
    ExcerptNotFound,
    FurnitureExcerpt,
    Span,
    closest_passage,
    excerpt_at,
    fold,
    locate_excerpt,
)
from tests.conftest import ARTICLE_FILE

ARTICLE = ARTICLE_FILE.read_text(encoding="utf-8")

# The seed's page furniture (source.json "not_article_body").
ARTICLE_FURNITURE = [
    "The Syrian Catastrophe Explained",
    "Libya, 5 Years After Qaddafi, Still Caught in Chaos: QuickTake",
    "Before it's here, it's on the Bloomberg Terminal.",
    "LEARN MORE",
]


def test_article_is_the_one_the_offsets_were_computed_from(article_text):
    """The hard-coded offsets below refer to this exact text."""
    assert article_text == ARTICLE
    assert len(ARTICLE) == 4107
    assert ARTICLE[1930:1973] == "Kremlin spokesman Dmitry Peskov said Friday"


# --------------------------------------------------------------------------- exact matches


def test_finds_exact_offsets_of_a_sentence_in_the_article(article_text):
    """An excerpt copied from the article gets its offsets, with text[start:end] == excerpt."""
    span = locate_excerpt(article_text, "Kremlin spokesman Dmitry Peskov said Friday")
    assert span == Span(start=1930, end=1973, excerpt="Kremlin spokesman Dmitry Peskov said Friday")
    assert article_text[span.start : span.end] == span.excerpt


@pytest.mark.parametrize(
    ("typed", "start", "end", "as_in_source"),
    [
        ("Trump's failure so far", 754, 776, "Trump\u2019s failure so far"),
        ("Russia's hopes of an entente", 1740, 1768, "Russia\u2019s hopes of an entente"),
        ('"no movement"', 1989, 2002, "\u201cno movement\u201d"),
        ("Russia wants 'active' U.S. role", 70, 101, "Russia wants \u2018active\u2019 U.S. role"),
    ],
)
def test_straight_quotes_match_curly_quotes_and_the_source_spelling_is_kept(typed, start, end, as_in_source):
    """Editors type straight quotes; the span keeps the article's curly ones."""
    span = locate_excerpt(ARTICLE, typed)
    assert span == Span(start=start, end=end, excerpt=as_in_source)
    assert ARTICLE[start:end] == as_in_source
    assert span.excerpt != typed


@pytest.mark.parametrize(
    ("typed", "start", "end", "as_in_source"),
    [
        (
            "Russia is ready to work with the U.S. in Libya",
            647,
            693,
            "Russia is\u00a0ready to work with the U.S. in Libya",
        ),
        ("Muammar Qaddafi, Haftar, 73", 3897, 3924, "Muammar Qaddafi,\u00a0Haftar, 73"),
    ],
)
def test_plain_space_matches_a_non_breaking_space(typed, start, end, as_in_source):
    """A plain space in the excerpt matches the article's non-breaking space, which the span keeps."""
    assert locate_excerpt(ARTICLE, typed) == Span(start=start, end=end, excerpt=as_in_source)


def test_quotes_and_non_breaking_spaces_fold_together():
    """One excerpt can differ from the article by curly quotes and a non-breaking space at once."""
    typed = (
        '"We would like to see an active U.S. role" in Syria, Russian Deputy Foreign Minister Gennady Gatilov'
    )
    assert locate_excerpt(ARTICLE, typed) == Span(
        start=449,
        end=549,
        excerpt="\u201cWe would like to see an active U.S. role\u201d in Syria,\u00a0Russian Deputy Foreign Minister Gennady Gatilov",
    )


def test_folding_works_in_both_directions():
    """Curly quotes or a non-breaking space typed in the excerpt match straight ones in the text."""
    text = 'He said "it\'s fine" today.'
    assert locate_excerpt(text, "\u201cit\u2019s\u00a0fine\u201d") == Span(
        start=8, end=19, excerpt='"it\'s fine"'
    )


def test_surrounding_whitespace_of_the_excerpt_is_ignored():
    """Leading and trailing blanks or newlines pasted with an excerpt do not count."""
    assert locate_excerpt(ARTICLE, "\n  Kremlin spokesman Dmitry Peskov said Friday \n") == Span(
        start=1930, end=1973, excerpt="Kremlin spokesman Dmitry Peskov said Friday"
    )


def test_fold_changes_exactly_five_characters_one_for_one():
    """Only curly quotes and the no-break space are folded, each to one character, so offsets survive."""
    assert fold("\u2018a\u2019 \u201cb\u201d\u00a0c") == "'a' \"b\" c"
    untouched = "\u2013\u2014\u2009\u202f\u2032\u00ab\u00bb`\u00b4 -\u2022"
    assert fold(untouched) == untouched
    assert len(fold(ARTICLE)) == len(ARTICLE)


def test_synthetic_offsets_at_the_edges_of_the_text():
    """Excerpts at the very start and end of a text get offsets 0 and len(text)."""
    text = "Alpha beta gamma."
    assert locate_excerpt(text, "Alpha") == Span(start=0, end=5, excerpt="Alpha")
    assert locate_excerpt(text, "gamma.") == Span(start=11, end=17, excerpt="gamma.")
    assert locate_excerpt(text, text) == Span(start=0, end=17, excerpt=text)


@given(data=st.data())
def test_any_unique_passage_of_the_article_is_found_where_it_is(data):
    """Whatever unique passage an editor copies (then straightens), its offsets are found."""
    start = data.draw(st.integers(min_value=0, max_value=len(ARTICLE) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=min(len(ARTICLE), start + 80)))
    passage = ARTICLE[start:end]
    assume(passage.strip() == passage)
    assume(fold(ARTICLE).count(fold(passage)) == 1)
    assert locate_excerpt(ARTICLE, fold(passage)) == Span(start=start, end=end, excerpt=passage)


# --------------------------------------------------------------------------- nothing else is tolerated


@pytest.mark.parametrize(
    ("typed", "closest"),
    [
        # a different dash: en dash for the article's hyphen
        ("A cease\u2013fire brokered in December", "A cease-fire brokered in December"),
        # a different case
        ("Russia is urging U.S. president Donald Trump", "Russia is urging U.S. President Donald Trump"),
        ("kremlin spokesman dmitry peskov", "Kremlin spokesman Dmitry Peskov"),
        # extra whitespace inside
        ("Gatilov said in an interview in  Geneva", "Gatilov said in an interview in Geneva."),
        ("Kremlin  spokesman Dmitry Peskov", "Kremlin spokesman Dmitry Peskov"),
        # a newline for a space
        ("Gatilov said in an interview\nin Geneva", "Gatilov said in an interview in Geneva"),
        # punctuation dropped
        ("Russia is ready to work with the US in Libya", "Russia is\u00a0ready to work with the U.S. in Lib"),
    ],
)
def test_other_differences_are_not_tolerated(typed, closest):
    """Dashes, letter case and inner whitespace must be exactly as in the source."""
    with pytest.raises(ExcerptNotFound) as excinfo:
        locate_excerpt(ARTICLE, typed)
    assert excinfo.value.excerpt == typed
    assert excinfo.value.closest == closest


def test_an_em_dash_does_not_match_a_hyphen():
    """A synthetic check: "\u2014" and "-" are different characters to the matcher."""
    with pytest.raises(ExcerptNotFound):
        locate_excerpt("A well-known fact.", "well\u2014known")
    with pytest.raises(ExcerptNotFound):
        locate_excerpt("A well\u2014known fact.", "well-known")


def test_not_found_message_names_the_closest_passage():
    """A typo'd sentence is refused with the article's own sentence shown, to fix the seed."""
    with pytest.raises(ExcerptNotFound) as excinfo:
        locate_excerpt(ARTICLE, "Kremlin spokesman Dmitri Peskov said Friday")
    assert excinfo.value.closest == "Kremlin spokesman Dmitry Peskov said Friday"
    assert str(excinfo.value) == (
        "excerpt not found in the source text: 'Kremlin spokesman Dmitri Peskov said Friday'; "
        "the closest passage is 'Kremlin spokesman Dmitry Peskov said Friday'"
    )


def test_not_found_message_without_any_similar_passage():
    """With nothing similar in the text, the message only says the excerpt is missing."""
    with pytest.raises(ExcerptNotFound) as excinfo:
        locate_excerpt(ARTICLE, "zzzzzzzzzzzz")
    assert excinfo.value.closest == ""
    assert str(excinfo.value) == "excerpt not found in the source text: 'zzzzzzzzzzzz'"


def test_long_excerpts_are_clipped_in_the_message():
    """Messages shorten excerpts and passages longer than 120 characters with an ellipsis."""
    typed = "Russia is urging U.S. President Donald Trump to help it resolve conflicts in Syria and Libya, where the Kremlin is finding it tough going after Seizing"
    with pytest.raises(ExcerptNotFound) as excinfo:
        locate_excerpt(ARTICLE, typed)
    clipped = typed[:119] + "\u2026"
    assert excinfo.value.closest == (
        "Russia is urging U.S. President Donald Trump to help it resolve conflicts in Syria and Libya, "
        "where the Kremlin is finding it tough going after seizing"
    )
    assert str(excinfo.value) == (
        f"excerpt not found in the source text: {clipped!r}; "
        f"the closest passage is {ARTICLE[231:350] + chr(0x2026)!r}"
    )


def test_closest_passage_directly():
    """closest_passage gives the same-length passage around the longest shared run of characters."""
    assert closest_passage("The quick brown fox jumps.", "quick brown fax") == "quick brown fox"
    assert closest_passage("The quick brown fox jumps.", "zzz") == ""
    assert closest_passage("", "anything at all") == ""
    assert closest_passage("Some text", "   ") == ""


def test_empty_excerpt_is_an_error():
    """A blank excerpt names no passage at all."""
    for blank in ["", "   ", "\n\t"]:
        with pytest.raises(ExcerptError, match="^excerpt is empty$") as excinfo:
            locate_excerpt(ARTICLE, blank)
        assert type(excinfo.value) is ExcerptError


# --------------------------------------------------------------------------- ambiguity


def test_ambiguous_excerpt_lists_every_offset():
    """The words "Gatilov said" appear four times in the article, so they do not name one passage."""
    with pytest.raises(AmbiguousExcerpt) as excinfo:
        locate_excerpt(ARTICLE, "Gatilov said")
    assert excinfo.value.offsets == [542, 695, 3186, 3842]
    assert str(excinfo.value) == (
        "excerpt occurs 4 times in the source text (at offsets 542, 695, 3186, 3842): "
        "'Gatilov said'; quote more words so it names one passage"
    )
    assert locate_excerpt(ARTICLE, "Gennady Gatilov said") == Span(
        start=534, end=554, excerpt="Gennady Gatilov said"
    )


def test_ambiguity_counts_folded_and_overlapping_occurrences():
    """Occurrences differing only in quote style, or overlapping each other, are all counted."""
    with pytest.raises(AmbiguousExcerpt) as excinfo:
        locate_excerpt("it's here and it\u2019s there", "it's")
    assert excinfo.value.offsets == [0, 14]
    with pytest.raises(AmbiguousExcerpt) as excinfo:
        locate_excerpt("aaa", "aa")
    assert excinfo.value.offsets == [0, 1]


def test_excerpts_are_errors_of_one_family():
    """Callers can catch ExcerptError (a ValueError) for every way an excerpt fails."""
    for error in (ExcerptNotFound, AmbiguousExcerpt, FurnitureExcerpt):
        assert issubclass(error, ExcerptError)
    assert issubclass(ExcerptError, ValueError)


# --------------------------------------------------------------------------- page furniture


@pytest.mark.parametrize(
    "typed",
    [
        "The Syrian Catastrophe Explained",
        "Explained\n\nRussia is urging",  # overlaps the end of a furniture line
        "QuickTake",  # inside a furniture line
        "Before it\u2019s here",  # curly apostrophe, furniture typed straight
        "Stepan Kravchenko\n\n    Before",  # overlaps the start of a furniture line
        "LEARN MORE",
    ],
)
def test_excerpt_overlapping_page_furniture_is_refused(typed):
    """Video titles and advertisements are not the source's claims, so they cannot be cited."""
    with pytest.raises(FurnitureExcerpt, match="quotes page furniture"):
        locate_excerpt(ARTICLE, typed, furniture=ARTICLE_FURNITURE)


def test_furniture_message_names_the_line():
    """The message says which furniture line the excerpt touches."""
    with pytest.raises(FurnitureExcerpt) as excinfo:
        locate_excerpt(ARTICLE, "Explained\n\nRussia is urging", furniture=ARTICLE_FURNITURE)
    assert str(excinfo.value) == (
        "excerpt 'Explained\\n\\nRussia is urging' quotes page furniture "
        "('The Syrian Catastrophe Explained'), not the source's claims"
    )


def test_excerpts_next_to_furniture_are_allowed():
    """Passages right after or right before a furniture line are ordinary claims."""
    assert locate_excerpt(
        ARTICLE, "Russia is urging U.S. President Donald Trump", furniture=ARTICLE_FURNITURE
    ) == Span(start=231, end=275, excerpt="Russia is urging U.S. President Donald Trump")
    assert locate_excerpt(ARTICLE, "Stepan Kravchenko", furniture=ARTICLE_FURNITURE) == Span(
        start=4020, end=4037, excerpt="Stepan Kravchenko"
    )
    # Without furniture the same words are an ordinary passage.
    assert locate_excerpt(ARTICLE, "The Syrian Catastrophe Explained") == Span(
        start=197, end=229, excerpt="The Syrian Catastrophe Explained"
    )


def test_furniture_boundaries_in_a_synthetic_text():
    """Touching a furniture line is fine; sharing even one character with it is not."""
    text = "Claim one.Watch the video.Claim two."
    furniture = ["  Watch the video.  "]  # surrounding blanks of a furniture line are ignored
    assert locate_excerpt(text, "Claim one.", furniture=furniture) == Span(0, 10, "Claim one.")
    assert locate_excerpt(text, "Claim two.", furniture=furniture) == Span(26, 36, "Claim two.")
    for typed in ["one.W", ".Claim two", "the video", "Claim one.Watch the video.Claim two."]:
        with pytest.raises(FurnitureExcerpt):
            locate_excerpt(text, typed, furniture=furniture)


# --------------------------------------------------------------------------- at a known offset


def test_an_excerpt_at_its_offset_need_not_be_unique():
    """ "Russia" is named many times; given where, one mention is cited (intake knows where)."""
    with pytest.raises(AmbiguousExcerpt):
        locate_excerpt(ARTICLE, "Russia")
    second = ARTICLE.index("Russia", 1)
    assert excerpt_at(ARTICLE, "Russia", second) == Span(second, second + 6, "Russia")


def test_an_excerpt_at_an_offset_folds_quote_marks_as_the_search_does():
    start = ARTICLE.index("“For us, General Haftar")
    span = excerpt_at(ARTICLE, '"For us, General Haftar', start)
    assert span.excerpt == "“For us, General Haftar"


def test_an_excerpt_not_at_its_offset_is_refused_with_the_closest_passage():
    with pytest.raises(ExcerptNotFound) as caught:
        excerpt_at(ARTICLE, "Kremlin spokesman Dmitry Peskov said Friday", 1929)
    assert caught.value.closest == "Kremlin spokesman Dmitry Peskov said Friday"


def test_an_excerpt_at_an_offset_may_not_touch_furniture():
    start = ARTICLE.index("LEARN MORE")
    with pytest.raises(FurnitureExcerpt):
        excerpt_at(ARTICLE, "LEARN MORE", start, furniture=ARTICLE_FURNITURE)
