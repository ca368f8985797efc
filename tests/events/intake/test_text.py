"""Lines, paragraphs, quotations, datelines and sentences, on real wire copy.

Sources, quoted verbatim (tests/fixtures/articles/ holds each whole page):
- Reuters 2014-06-10, http://www.reuters.com/article/ukraine-crisis-lavrov-russia-idUSL5N0OR36C20140610
- Reuters 2015-06-17, http://www.reuters.com/article/us-yemen-security-talks-minister-idUSKBN0OX1XT20150617
- Reuters 2014-08-26, http://www.reuters.com/article/us-mideast-gaza-truce-idUSKBN0GQ1AC20140826
- TASS 2023-12-08, https://tass.com/world/1717847/amp
- ANSA 2024-06-26, https://ansa.it/amp/nuova_europa/en/news/countries/kosovo/2024/06/26/round-of-negotiations-with-leaders-of-serbia-kosovo-starts_6cf4f5b4-c97f-4d8b-ae44-23718b725460.html
- AP 2019-02-08 via The Western Journal, https://www.westernjournal.com/ap-trump-says-summit-with-north-koreas-kim-will-be-in-hanoi/
- Bloomberg 2017-03-03 (the seed article), https://www.bloomberg.com/news/articles/2017-03-03/russia-urges-trump-to-help-fix-syria-libya-crises-amid-setbacks
"""

import pytest

from events.intake.text import (
    Line,
    find_dateline,
    find_quotations,
    split_lines,
    split_paragraphs,
    split_sentences,
)


def _paragraphs(text):
    return split_paragraphs(text, split_lines(text))


def _quotes(text):
    return [text[q.start : q.end] for q in find_quotations(text, _paragraphs(text))]


def _sentences(text):
    paragraphs = _paragraphs(text)
    quotations = find_quotations(text, paragraphs)
    segments = [(p.start, p.end, p.index) for p in paragraphs]
    return [text[s.start : s.end] for s in split_sentences(text, segments, quotations)]


def test_lines_keep_exact_offsets():
    text = "Reuters Staff\n\n  1 Min Read  \n"
    lines = split_lines(text)
    assert [(line.text, text[line.start : line.end]) for line in lines] == [
        ("Reuters Staff", "Reuters Staff"),
        ("1 Min Read", "1 Min Read"),
    ]


def test_paragraphs_one_a_line_or_between_blank_lines():
    # AP prints its byline lines one under the other, the story after them
    text = "By AP Reports\nPublished at 5:57pm\nModified February 8, 2019 at 6:01pm\n"
    assert len(_paragraphs(text)) == 3


def test_a_hard_wrapped_line_continues_its_paragraph():
    text = "Russia is urging U.S. President Donald Trump to help it resolve\nconflicts in Syria and Libya."
    assert len(_paragraphs(text)) == 1


def test_curly_quotes_and_the_words_between_them():
    text = (
        "“Today we were supposed to have something positive. They are just sitting in their hotel "
        "making all kind of rumors,” he told Reuters. “They never showed up.”"
    )
    assert _quotes(text) == [
        "Today we were supposed to have something positive. They are just sitting in their hotel "
        "making all kind of rumors,",
        "They never showed up.",
    ]


def test_straight_quotes_are_paired_by_the_spaces_around_them():
    text = (
        'On Thursday, US Assistant Secretary for European and Eurasian Affairs James O’Brien "had a '
        'positive and constructive meeting" with Azerbaijani President Ilham Aliyev during his visit to '
        "Baku, the Department of State said."
    )
    assert _quotes(text) == ["had a positive and constructive meeting"]


def test_a_quote_ending_the_paragraph_after_its_full_stop():
    text = (
        'He commended Baku and Yerevan’s "joint efforts to lay the groundwork for a more peaceful and '
        'prosperous future for the people of the South Caucasus.".'
    )
    assert _quotes(text) == [
        "joint efforts to lay the groundwork for a more peaceful and prosperous future for the people of the South Caucasus."
    ]


def test_the_closing_mark_after_a_space_keeps_the_space():
    # Bloomberg prints "... players here. ”": the words end with the space
    text = "“The United States is one of the most important players here. ”"
    assert _quotes(text) == ["The United States is one of the most important players here. "]


@pytest.mark.parametrize(
    ("line", "place", "date_words"),
    [
        (
            "ST PETERSBURG, Russia, June 10 (Reuters) - Russian Foreign Minister Sergei Lavrov said on Tuesday",
            "ST PETERSBURG, Russia",
            "June 10",
        ),
        ("GAZA (Reuters) - Israel and the Palestinians have reached a Gaza ceasefire deal", "GAZA", None),
        ("WASHINGTON (AP) — President Donald Trump says his planned summit", "WASHINGTON", None),
        ("WASHINGTON, December 8. /TASS/. A new round of meetings between", "WASHINGTON", "December 8"),
        (
            "(ANSA) - BELGRADE, JUN 26 - The EU High Representative, Josep Borrell, is hosting",
            "BELGRADE",
            "JUN 26",
        ),
        ("(Reuters) – Iran’s foreign minister said on Thursday that progress was made", None, None),
        # WAFA 2014-08-27 as printed by palestine.dk, https://palestine.dk/british-minister-for-middle-east-welcomes-gaza-ceasefire/
        (
            "LONDON/JERUSALEM, August 27, 2014 – (WAFA) – The British Minister for the Middle East, Tobias Ellwood, welcomed Tuesday",
            "LONDON/JERUSALEM",
            "August 27, 2014",
        ),
    ],
)
def test_datelines(line, place, date_words):
    found = find_dateline(line, Line(index=0, start=0, end=len(line), text=line))
    assert found is not None
    assert (line[slice(*found.place)] if found.place else None) == place
    assert (line[slice(*found.date)] if found.date else None) == date_words
    # the story starts right after the dateline
    assert line[found.end] in "RIPAWT"  # the first word of the story


def test_an_ordinary_first_sentence_is_no_dateline():
    line = "Russia is urging U.S. President Donald Trump to help it resolve conflicts in Syria and Libya."
    assert find_dateline(line, Line(index=0, start=0, end=len(line), text=line)) is None


def test_no_sentence_starts_inside_a_quote():
    text = (
        "“Today we were supposed to have something positive. They are just sitting in their hotel "
        "making all kind of rumors,” he told Reuters. “They never showed up.”"
    )
    assert _sentences(text) == [
        "“Today we were supposed to have something positive. They are just sitting in their hotel "
        "making all kind of rumors,” he told Reuters.",
        "“They never showed up.”",
    ]


def test_an_opening_mark_after_a_full_stop_starts_the_next_sentence():
    text = (
        "In addition to Russia, Haftar’s also backed by Egypt and the United Arab Emirates. “For us, "
        "General Haftar is the real power and he shouldn’t be ignored in the political process,” Gatilov said."
    )
    assert _sentences(text)[1].startswith("“For us, General Haftar")


def test_no_1_inside_a_quote_is_not_a_sentence_end():
    text = (
        "While Trump has previously called for an alliance with Russia to fight the jihadists, he’s also "
        "branded Iran as the “No. 1 terrorist” threat, putting himself at odds with the Kremlin."
    )
    assert len(_sentences(text)) == 1


def test_paragraphs_reopening_a_quote_continue_it():
    # GOV.UK 2014, "Foreign Secretary welcomes Gaza ceasefire" (Hebrew edition),
    # https://www.gov.uk/government/news/foreign-secretary-welcomes-gaza-ceasefire.he :
    # each paragraph of the statement reopens with a mark, only the last one closes
    text = (
        "בדבריו:\n"
        "“אני מברך על החדשות של הסכם הפסקת האש שיעצור את האלימות שראינו. זהו הישג שכולנו עבדנו ללא הרף כדי להשיגו, בביקורים באזור ובפריז בסוף השבוע שעבר.\n"
        "“אני מצדיע למאמציו של מזכיר המדינה קרי ושותפים כמו מצרים שצריכים לקבל תשבוחות עבור כל מה שהם עשו כדי לסיים את המשבר ההומינטרי הזה.\n"
        "“אנחנו צריכים להכפיל את המאמצים שלנו, לא להשאיר אף אבן לא הפוכה, כדי להבטיח שזה הסכם הפסקת אש יציב שיימשך לאורך זמן ויוביל לשיחות משמעותיות כדי לפתור את הבעיות בין הצדדים”.\n"
    )
    quotations = find_quotations(text, _paragraphs(text))
    assert [(q.continues, q.close_mark is None) for q in quotations] == [
        (True, True),
        (True, True),
        (False, False),
    ]
    assert text[quotations[0].start : quotations[0].end].endswith("ובפריז בסוף השבוע שעבר.")


def test_a_quote_left_open_runs_to_the_end_of_its_paragraph():
    # Hellenic MFA statement of 2014-09-06 as posted by elethos.gr,
    # https://www.elethos.gr/2014/09/deputy-prime-minister-and-foreign.html
    text = (
        "“We welcome the entering into effect of the ceasefire agreement reached in Minsk, between the parties "
        "involved in the Ukrainian crisis.\n\n"
        "It is now vital for the ceasefire agreement to be respected by all sides, for the diplomatic channels "
        "to remain open, and for there to be a credible mechanism for oversight and monitoring of the agreement’s "
        "implementation. \n"
    )
    (quotation,) = find_quotations(text, _paragraphs(text))
    assert (quotation.close_mark, quotation.continues) == (None, False)
    assert text[quotation.start : quotation.end] == (
        "We welcome the entering into effect of the ceasefire agreement reached in Minsk, between the parties "
        "involved in the Ukrainian crisis."
    )
