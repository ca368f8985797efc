"""Tests for events.intake.dates: finding date phrases in running text.

Pure: no database. Every sentence is quoted verbatim from a published page named beside it
(most live in `real_sentences.py`, with publisher, date and URL); nothing is invented. The
expectations are exact: offsets, words, rule, direction, cue and resolution.
"""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events.dates import Direction, Precision, shape_error
from events.intake.dates import RULES, DatePhrase, find_dates
from tests.events.intake.real_sentences import DEVELOPMENT, HELD_OUT, Example

PAST, FUTURE = Direction.PAST, Direction.FUTURE
DAY, WEEK, MONTH, YEAR = Precision.DAY, Precision.WEEK, Precision.MONTH, Precision.YEAR
EXAMPLES = DEVELOPMENT + HELD_OUT


def example(containing: str) -> Example:
    """The one real example whose text contains `containing`."""
    (found,) = [e for e in EXAMPLES if containing in e.text]
    return found


def meaning(phrase: DatePhrase) -> tuple:
    if phrase.date is None:
        return (phrase.words, None, None, "unknown")
    return (phrase.words, phrase.date.start, phrase.date.end, phrase.date.precision.value)


# --------------------------------------------------------------------------- the seed article


def test_the_seed_article(article_text):
    # Bloomberg, 2017-03-03 (seeds/): its README dates "on Thursday" 2017-03-02, "said Friday"
    # 2017-03-03, "this week" the week of 2017-02-27 and "in December" December 2016.
    found = find_dates(article_text, anchor=date(2017, 3, 3))
    assert [
        (p.start, p.end, p.words, p.rule, p.direction, p.cue, p.date.start, p.date.end, p.date.precision)
        for p in found
    ] == [
        (1080, 1091, "on Thursday", "weekday", PAST, "hosted", date(2017, 3, 2), date(2017, 3, 2), DAY),
        (1967, 1973, "Friday", "weekday", PAST, "said", date(2017, 3, 3), date(2017, 3, 3), DAY),
        (
            2096,
            2105,
            "this week",
            "relative-period",
            PAST,
            "fought",
            date(2017, 2, 27),
            date(2017, 3, 5),
            WEEK,
        ),
        (2415, 2426, "in December", "month", PAST, "brokered", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        (3418, 3429, "in December", "month", None, None, date(2016, 12, 1), date(2016, 12, 31), MONTH),
    ]
    for phrase in found:
        assert article_text[phrase.start : phrase.end] == phrase.words
        assert phrase.date.text == phrase.words and phrase.date.anchor == date(2017, 3, 3)
        assert phrase.problem is None
    # Furniture and numbers that are not dates stay unfound: "Libya, 5 Years After Qaddafi",
    # "No. 1 terrorist", "300,000 people", "Haftar, 73,".
    assert "5 Years After" not in " ".join(p.words for p in found)


# --------------------------------------------------------------------------- real sentences


# Phrases the finder dates differently from the annotation, with what it says instead and why.
# The annotation stays the truth (compare_date_finders.py counts these as misses).
KNOWN_MISSES = {
    # A month without a year in a historical narrative takes the anchor's nearest such month:
    # the year of "September 2011" earlier in the sentence is not carried over.
    ("The TNC achieved international legitimacy", "October"): (
        date(2024, 10, 1),
        date(2024, 10, 31),
        "month",
    ),
}


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda e: f"{e.source.split(',')[0]} {e.anchor} {e.text[:30]}")
def test_every_annotated_phrase_is_found_with_its_words_offsets_and_meaning(case):
    found = find_dates(case.text, anchor=case.anchor)
    expected = [
        (words, *KNOWN_MISSES.get((case.text[:41], words), (start, end, precision)))
        for words, start, end, precision in case.dates
    ]
    assert [meaning(p) for p in found] == expected
    position = 0
    for phrase in found:
        assert case.text[phrase.start : phrase.end] == phrase.words
        assert phrase.start == case.text.index(phrase.words, position)
        position = phrase.end
        assert phrase.rule in RULES
        assert (phrase.date is None) == (phrase.problem is not None)


@pytest.mark.parametrize(
    ("containing", "words", "rule", "direction", "cue"),
    [
        # future cues point forward, past tense and "said" back, in the phrase's own clause first
        ("in Washington on Friday despite", "on Friday", "weekday", FUTURE, "will"),
        ("in Washington on Friday despite", "on Tuesday", "weekday", PAST, "told"),
        ("will not take place on Sept. 20", "on Sept. 20", "month-day", FUTURE, "will"),
        ("will not take place on Sept. 20", "on\nMonday", "weekday", PAST, "said"),
        ("scheduled for November 23", "November 23", "month-day", None, "was scheduled"),
        ("would allow Syria’s opposition", "on Saturday", "weekday", FUTURE, "would"),
        ("are to begin on Saturday", "on Saturday", "weekday", FUTURE, "are to"),
        ("expected to resume in mid-July", "in mid-July", "month", FUTURE, "expected to"),
        ("likely to be held in Qatar", "the end of July", "part-of", FUTURE, "likely to"),
        ("likely to be held in Qatar", "in September", "month", FUTURE, "likely to"),
        ("aims to have a comprehensive plan", "November", "month", FUTURE, "aims to"),
        ("would be held in two weeks", "in two weeks", "in-n-units", FUTURE, "would"),
        ("due to take effect on Monday", "on Monday", "weekday", FUTURE, "due to"),
        ("Mubarak resigned on February 11", "on February 11", "month-day", PAST, "resigned"),
        # a plan reported in the past says nothing of which side of the anchor its day fell
        ("had been planned for Friday", "Friday", "weekday", None, "had been planned for"),
        # a date right after an event noun dates the event, not the verb before it
        ("confirmed the meeting on December 10", "on December 10", "month-day", None, None),
        # a quotation takes no cue from the attribution around it
        ("expecting Brexit to go ahead on 29 March", "on 29 March", "month-day", FUTURE, "expecting"),
        ("29 March is only 10 weeks away", "29 March", "month-day", None, None),
        # a weekday in apposition to "tomorrow" is tomorrow's
        ("starting tomorrow, Saturday", "Saturday", "weekday", FUTURE, "tomorrow"),
        ("starting tomorrow, Saturday", "Friday", "weekday", None, "today"),
        # datelines look back on their own; no cue is sought
        ("BRUSSELS, Sept 4 (Reuters) -", "BRUSSELS, Sept 4 (Reuters) -", "dateline", None, None),
        ("MOSCOW Aug 14", "MOSCOW Aug 14", "dateline", None, None),
        ("SEOUL, July 18 (Yonhap) --", "SEOUL, July 18 (Yonhap) --", "dateline", None, None),
        ("DUBAI, June 9, 2023", "DUBAI, June 9, 2023 (Reuters/NAN)", "dateline", None, None),
        # the other rules
        ("Wednesday’s anniversary", "Wednesday’s", "possessive", PAST, "joined"),
        ("this week’s so-called", "this week’s", "possessive", PAST, "had"),
        ("Saturday at midnight", "Saturday at midnight", "weekday", PAST, "declared"),
        ("at midday yesterday", "at midday yesterday", "relative-day", None, "was due to"),
        ("over the last days", "over the last days", "span", PAST, "had"),
        ("in the past 24 hours", "in the past 24 hours", "span", PAST, "killed"),
        ("the coming days, not", "the coming days", "span", None, None),  # inside a quotation
        ("almost two weeks ago", "two weeks ago", "ago", PAST, "launched"),
        ("a 1994 ceasefire", "a 1994 ceasefire", "year-event", PAST, "led"),
        ("the 2015 nuclear deal", "the 2015 nuclear deal", "year-event", PAST, "said"),
        ("in the early 1990s", "in the early 1990s", "decade", PAST, "broke"),
        ("April last year", "April last year", "month", PAST, "killed"),
        ("since last April", "last April", "month", PAST, "lost"),
        ("the end of the week", "the end of the week", "part-of", PAST, "was"),
        ("2012 statement", "2012", "year", PAST, "agreed"),
        (
            "on Saturday 2nd March",
            "on Saturday 2nd March",
            "month-day",
            None,
            None,
        ),  # the weekday picks the year
        ("24 Oct, 2022", "24 Oct, 2022", "month-day", FUTURE, "set for"),
        ("On March 30, 2021", "On March 30, 2021", "month-day", PAST, "said"),
        ("Earlier on Tuesday", "Earlier on Tuesday", "weekday", PAST, "was"),
    ],
)
def test_rule_direction_and_cue(containing, words, rule, direction, cue):
    case = example(containing)
    near = case.text.index(containing)
    matches = [p for p in find_dates(case.text, anchor=case.anchor) if p.words == words]
    assert matches, f"{words!r} not found"
    phrase = min(matches, key=lambda p: abs(p.start - near))  # the one beside `containing`
    assert (phrase.rule, phrase.direction, phrase.cue) == (rule, direction, cue)


def test_what_cannot_be_dated_honestly_is_found_without_a_date():
    case = example("in the early 1990s")
    (_, decade) = find_dates(case.text, anchor=case.anchor)
    assert (decade.words, decade.date) == ("in the early 1990s", None)
    assert decade.problem == (
        'cannot resolve date "in the early 1990s": a decade (1990s) is wider than a year, '
        "the coarsest precision, so it cannot be dated honestly"
    )
    case = example("in recent months")
    vague = find_dates(case.text, anchor=case.anchor)[-1]
    assert (vague.words, vague.date, vague.rule) == ("in recent months", None, "span")
    assert vague.problem.endswith("it is too vague to date: how far back or ahead it reaches is not said")


# --------------------------------------------------------------------------- ordinary words


@pytest.mark.parametrize(
    ("text", "anchor", "words"),
    [
        # "May" the prime minister (PoandPo, 2019-01-19, see real_sentences.py)
        (example("Theresa May was preparing").text.split("\n")[0], date(2019, 1, 19), []),
        (
            "May was contacted at the end of the week by EU Commission President Jean-Claude Juncker",
            date(2019, 1, 19),
            ["the end of the week"],
        ),
        # "Friday prayers", and a weekday as a sentence's subject (Reuters, 2011-04-08)
        (example("Friday has become").text, date(2011, 4, 8), ["late last year"]),
        # "noon prayers" and a day's name (Pakistan Today, 2012-01-27)
        (example("the Friday of Pride").text, date(2012, 1, 27), ["on Friday", "Wednesday’s"]),
        # "the second time" (EFE, 2022-07-30); "march" the noun (Los Angeles Times, 2001-11-19)
        (example("for the second time").text, date(2022, 7, 30), ["on Saturday", "this week"]),
        (example("at Sunday’s march").text, date(2001, 11, 19), ["in October", "Sunday’s"]),
        # counts that look like years: "some 600 soldiers", "over 5000 people" (Xinhua, 4ZZZ)
        (example("some 600 soldiers").text, date(2004, 10, 18), ["on Sunday"]),
        (example("over 5000 people").text, date(2015, 2, 16), ["April last year"]),
        # "a year after the uprising", "a year later", "in years", "four decades of war"
        (example("a year after the uprising").text, date(2012, 1, 27), ["on Friday", "Wednesday’s"]),
        (example("in years in the").text, date(2020, 9, 28), ["in July"]),
        (example("four decades of war").text, date(2020, 9, 3), ["in February"]),
        # a dateline without a date (AP, via KVOA, 2020-09-03; Reuters, 2021-04-20 via upnewsinfo.com)
        (example("KABUL, Afghanistan (AP)").text, date(2020, 9, 3), ["the coming days", "the coming weeks"]),
        # The Sun, the newspaper: uk24hit.com (a Sun report on John Healey in Odesa, July 2024;
        # https://uk24hit.com/24/07/17243/Britain_will_stand_with_Ukraine_%E2%80%98for_as_long_as_it_takes%E2%80%99,_declares_new_Defence_Secretary_in_direct_warning_to_Putin.html)
        (
            "He told The Sun: “At every stage since Putin launched his full scale invasion, we have backed all the "
            "military aid… the extra funding had our full backing in opposition, we will now deliver it in "
            "government.”",
            date(2024, 7, 8),
            [],
        ),
        # "in two weeks" as a length of time: Channel 4 News, 2024-05-31,
        # https://www.channel4.com/news/sudan-civil-war-at-least-123-killed-in-two-weeks-in-el-fasher
        ("Sudan civil war: at least 123 killed in two weeks in El-Fasher", date(2024, 5, 31), []),
        # "Kyiv (Reuters)": KYIV/BRUSSELS (Reuters) via upnewsinfo.com, 2021-04-20,
        # https://upnewsinfo.com/2021/04/20/russia-to-reach-over-120000-troops-on-ukraines-border-in-a-week-ukraine-says-by-reuters/
        (
            "KYIV/BRUSSELS (Reuters) – Russia is massing more than 120,000 troops on Ukraine’s borders, Ukraine’s "
            "Foreign Minister Dmytro Kuleba said on Tuesday, calling for more Western economic sanctions on Moscow.",
            date(2021, 4, 20),
            ["on Tuesday"],
        ),
    ],
)
def test_ordinary_words_are_not_dates(text, anchor, words):
    assert [p.words for p in find_dates(text, anchor=anchor)] == words


# --------------------------------------------------------------------------- characters


def test_offsets_are_exact_with_curly_quotes_non_breaking_spaces_and_bullets():
    # The Gazette (AP), 2019-08-01 (real_sentences.py): a bullet in the dateline and a curly
    # apostrophe; then the same words with every space made non-breaking and a bulleted line
    # of the seed article before them.
    case = example("BANGKOK •")
    text = "  • Russia wants ‘active’ U.S. role, Deputy foreign minister says\n" + case.text.replace(
        " ", "\u00a0"
    )
    (phrase,) = find_dates(text, anchor=case.anchor)
    assert text[phrase.start : phrase.end] == phrase.words == "Wednesday"
    assert phrase.start == text.index("Wednesday")
    assert (phrase.date.start, phrase.cue) == (date(2019, 7, 31), "said")
    wrapped = example("on\nMonday")
    with_nbsp = wrapped.text.replace(" ", "\u00a0")
    words = [p.words for p in find_dates(with_nbsp, anchor=wrapped.anchor)]
    assert words == ["MOSCOW,\u00a0Sept\u00a015", "on\u00a0Sept.\u00a020", "on\nMonday"]


def test_no_text_and_no_anchor():
    assert find_dates("", anchor=date(2017, 3, 3)) == []
    case = example("Mubarak resigned on February 11")
    found = find_dates(case.text, anchor=None)
    assert [(p.words, p.date) for p in found] == [("Friday’s", None), ("on February 11", None)]
    assert all("needs an anchor date" in p.problem for p in found)


# --------------------------------------------------------------------------- known limits


def test_known_limit_reported_speech_that_keeps_a_past_tense_reads_as_past():
    # Reuters, 2015-02-10 (a Tuesday),
    # http://www.reuters.com/article/us-ukraine-crisis-poroshenko-idUSKBN0LE2DG20150210:
    # the Minsk talks were on Wednesday 11 February 2015, the day after publication, but
    # the clause's only cues are past ("said", "were"), so the finder dates them 4 February.
    text = (
        "KIEV (Reuters) - Ukrainian President Petro Poroshenko said peace talks in Minsk on Wednesday were one of "
        "the last chances to declare an unconditional ceasefire in the conflict with Russia-backed separatists, a "
        "statement on his website said on Tuesday."
    )
    found = find_dates(text, anchor=date(2015, 2, 10))
    assert [(p.words, p.direction, p.cue, p.date.start) for p in found] == [
        ("on Wednesday", PAST, "said", date(2015, 2, 4)),  # a careful reader: 2015-02-11
        ("on Tuesday", PAST, "said", date(2015, 2, 10)),
    ]


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from([e.text for e in EXAMPLES])
_SEPARATORS = st.sampled_from([" ", "\n", "\n\n", "\u00a0", " • ", "“", "”", "’s ", " — ", "\t", ""])


@settings(max_examples=60, deadline=None)
@given(
    pieces=st.lists(_PIECES, min_size=1, max_size=4),
    separators=st.lists(_SEPARATORS, min_size=4, max_size=4),
    noise=st.text(max_size=30),
    anchor=st.dates(min_value=date(1950, 1, 1), max_value=date(2050, 12, 31)),
)
def test_phrases_slice_to_their_words_in_order_and_resolve_to_well_shaped_dates(
    pieces, separators, noise, anchor
):
    text = noise.join(piece + separator for piece, separator in zip(pieces, separators, strict=False))
    found = find_dates(text, anchor=anchor)
    end = 0
    for phrase in found:
        assert text[phrase.start : phrase.end] == phrase.words
        assert phrase.words == phrase.words.strip() and phrase.words
        assert phrase.start >= end  # in order, never overlapping
        end = phrase.end
        assert phrase.rule in RULES
        if phrase.date is not None:
            assert phrase.date.text == phrase.words.strip()
            assert shape_error(phrase.date.start, phrase.date.end, phrase.date.precision) is None
        else:
            assert phrase.problem


@settings(max_examples=40, deadline=None)
@given(case=st.sampled_from(EXAMPLES), before=_PIECES)
def test_a_paragraph_before_moves_the_offsets_and_changes_nothing_else(case, before):
    prefix = before + "\n\n"
    alone = find_dates(case.text, anchor=case.anchor)
    after = [p for p in find_dates(prefix + case.text, anchor=case.anchor) if p.start >= len(prefix)]
    assert [
        (p.start + len(prefix), p.end + len(prefix), p.words, p.rule, p.direction, p.cue, p.date)
        for p in alone
    ] == [(p.start, p.end, p.words, p.rule, p.direction, p.cue, p.date) for p in after]
