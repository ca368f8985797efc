"""Tests for events.dates: resolving a source's date words into a range and a precision.

Pure functions only: no database, no Django settings. Most examples are anchored on
Friday 3 March 2017, the publication date of the seed article.
"""

import calendar
import re
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.dates import (
    PRECISION_RANK,
    DateResolutionError,
    Direction,
    FuzzyDate,
    Precision,
    bounds_for,
    describe,
    resolve,
    shape_error,
)

ANCHOR = date(2017, 3, 3)  # a Friday
DAY, WEEK, MONTH, YEAR, UNKNOWN = (
    Precision.DAY,
    Precision.WEEK,
    Precision.MONTH,
    Precision.YEAR,
    Precision.UNKNOWN,
)
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

anchors = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        # ISO and partial ISO
        ("2017-03-02", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("2017-03", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), MONTH),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), YEAR),
        # weekdays: the latest on or before the anchor; "last" is strictly before it
        ("on Thursday", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("said Friday", date(2017, 3, 3), date(2017, 3, 3), DAY),
        ("Friday", date(2017, 3, 3), date(2017, 3, 3), DAY),
        ("on Saturday", date(2017, 2, 25), date(2017, 2, 25), DAY),
        ("said on Monday", date(2017, 2, 27), date(2017, 2, 27), DAY),
        ("last Thursday", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("last Friday", date(2017, 2, 24), date(2017, 2, 24), DAY),
        ("on Wed", date(2017, 3, 1), date(2017, 3, 1), DAY),
        ("Thursday night", date(2017, 3, 2), date(2017, 3, 2), DAY),
        # months: the latest not after the anchor's month, unless a year is given
        ("in December", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("December", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("in March", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("in February", date(2017, 2, 1), date(2017, 2, 28), MONTH),
        ("last March", date(2016, 3, 1), date(2016, 3, 31), MONTH),
        ("December 2016", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("in December 2016", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("Dec 2016", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("Dec. 2016", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("in December 2017", date(2017, 12, 1), date(2017, 12, 31), MONTH),
        # full dates in words
        ("2 March 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("March 2, 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("on 2 March 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("on the 2nd of March 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("Thursday, March 2, 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("March 2", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("2 March", date(2017, 3, 2), date(2017, 3, 2), DAY),
        # a day of a month without a year is the nearest such day, before or after the anchor
        ("March 4", date(2017, 3, 4), date(2017, 3, 4), DAY),
        ("on February 20", date(2017, 2, 20), date(2017, 2, 20), DAY),
        ("September 20", date(2016, 9, 20), date(2016, 9, 20), DAY),
        ("September 1", date(2017, 9, 1), date(2017, 9, 1), DAY),
        ("29 Feb", date(2016, 2, 29), date(2016, 2, 29), DAY),
        # relative to the anchor
        ("today", date(2017, 3, 3), date(2017, 3, 3), DAY),
        ("yesterday", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("this week", date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("earlier this week", date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("last week", date(2017, 2, 20), date(2017, 2, 26), WEEK),
        ("this month", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("last month", date(2017, 2, 1), date(2017, 2, 28), MONTH),
        ("this year", date(2017, 1, 1), date(2017, 12, 31), YEAR),
        ("last year", date(2016, 1, 1), date(2016, 12, 31), YEAR),
        ("late last year", date(2016, 1, 1), date(2016, 12, 31), YEAR),
        ("two weeks ago", date(2017, 2, 13), date(2017, 2, 19), WEEK),
        # years
        ("in 2011", date(2011, 1, 1), date(2011, 12, 31), YEAR),
        ("2011", date(2011, 1, 1), date(2011, 12, 31), YEAR),
        ("mid-2011", date(2011, 1, 1), date(2011, 12, 31), YEAR),
        # offsets keep the precision of the date they count from
        ("five years after 2011", date(2016, 1, 1), date(2016, 12, 31), YEAR),
        ("five years after 2011-02-17", date(2016, 2, 17), date(2016, 2, 17), DAY),
        ("5 years after in 2011", date(2016, 1, 1), date(2016, 12, 31), YEAR),
        ("a year before December 2016", date(2015, 12, 1), date(2015, 12, 31), MONTH),
        ("three months after in December", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("two days before on Thursday", date(2017, 2, 28), date(2017, 2, 28), DAY),
        ("one month after 2017-01-31", date(2017, 2, 28), date(2017, 2, 28), DAY),
        ("twenty days after 2017-03-02", date(2017, 3, 22), date(2017, 3, 22), DAY),
        ("a week after this week", date(2017, 3, 6), date(2017, 3, 12), WEEK),
        ("2 days after 3 years before 2017-03-02", date(2014, 3, 4), date(2014, 3, 4), DAY),
    ],
)
def test_resolve_with_anchor(text, start, end, precision):
    result = resolve(text, anchor=ANCHOR)
    assert (result.start, result.end, result.precision) == (start, end, precision)
    assert result.text == text
    assert result.anchor == ANCHOR


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2017-03-02", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("2017-03", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), YEAR),
        ("December 2016", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("in December 2016", date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("2 March 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("March 2, 2017", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("in 2011", date(2011, 1, 1), date(2011, 12, 31), YEAR),
        ("five years after 2011", date(2016, 1, 1), date(2016, 12, 31), YEAR),
    ],
)
def test_absolute_forms_need_no_anchor(text, start, end, precision):
    result = resolve(text, anchor=None)
    assert (result.start, result.end, result.precision) == (start, end, precision)
    assert result.anchor is None


UNKNOWN_WORDS = ["", "   ", "unknown", "Undated", "not stated", "date unknown", "unknown date"]


@pytest.mark.parametrize("text", UNKNOWN_WORDS)
@pytest.mark.parametrize("anchor", [ANCHOR, None])
def test_unknown_words_have_no_bounds(text, anchor):
    result = resolve(text, anchor=anchor)
    assert (result.start, result.end, result.precision) == (None, None, UNKNOWN)
    assert result.anchor == anchor
    assert result.text == text.strip()


@pytest.mark.parametrize("text", ["ON THURSDAY", "on   thursday", "  On Thursday.  ", "said\ton Thursday"])
def test_matching_ignores_case_and_spacing_but_keeps_the_words(text):
    result = resolve(text, anchor=ANCHOR)
    assert (result.start, result.end, result.precision) == (date(2017, 3, 2), date(2017, 3, 2), DAY)
    assert result.text == text.strip()


def test_datetime_anchor_is_taken_as_its_day():
    result = resolve("yesterday", anchor=datetime(2017, 3, 3, 23, 59))
    assert result.start == date(2017, 3, 2)
    assert type(result.start) is date


# --------------------------------------------------------------------------- direction


@pytest.mark.parametrize(
    ("text", "direction", "start", "end", "precision"),
    [
        # weekdays: back to the latest on or before the anchor, or forward to the earliest on or after it
        ("on Thursday", None, date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("on Thursday", "past", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("on Thursday", "future", date(2017, 3, 9), date(2017, 3, 9), DAY),
        ("on Friday", "future", date(2017, 3, 3), date(2017, 3, 3), DAY),
        ("on Saturday", "future", date(2017, 3, 4), date(2017, 3, 4), DAY),
        ("Tuesday", Direction.FUTURE, date(2017, 3, 7), date(2017, 3, 7), DAY),
        ("this Tuesday", "future", date(2017, 3, 7), date(2017, 3, 7), DAY),
        ("this Tuesday", None, date(2017, 2, 28), date(2017, 2, 28), DAY),
        ("on Thursday evening", "future", date(2017, 3, 9), date(2017, 3, 9), DAY),
        # words with their own direction keep it
        ("next Tuesday", None, date(2017, 3, 7), date(2017, 3, 7), DAY),
        ("next Tuesday", "past", date(2017, 3, 7), date(2017, 3, 7), DAY),
        ("next Friday", None, date(2017, 3, 10), date(2017, 3, 10), DAY),
        ("last Friday", "future", date(2017, 2, 24), date(2017, 2, 24), DAY),
        ("next week", "past", date(2017, 3, 6), date(2017, 3, 12), WEEK),
        ("last month", "future", date(2017, 2, 1), date(2017, 2, 28), MONTH),
        ("next month", None, date(2017, 4, 1), date(2017, 4, 30), MONTH),
        # months: the latest not after the anchor's month, or the earliest not before it
        ("in December", "future", date(2017, 12, 1), date(2017, 12, 31), MONTH),
        ("in March", "future", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("in February", "future", date(2018, 2, 1), date(2018, 2, 28), MONTH),
        # with no direction, the nearest month (a tie, six months either way, looks back)
        ("in June", None, date(2017, 6, 1), date(2017, 6, 30), MONTH),
        ("in September", None, date(2016, 9, 1), date(2016, 9, 30), MONTH),
        ("in December", None, date(2016, 12, 1), date(2016, 12, 31), MONTH),
        ("mid-July", "future", date(2017, 7, 1), date(2017, 7, 31), MONTH),
        ("in November", "past", date(2016, 11, 1), date(2016, 11, 30), MONTH),
        ("next December", None, date(2017, 12, 1), date(2017, 12, 31), MONTH),
        ("next March", None, date(2018, 3, 1), date(2018, 3, 31), MONTH),
        ("this December", None, date(2017, 12, 1), date(2017, 12, 31), MONTH),
        # a day of a month: nearest by default, else the direction's side of the anchor
        ("on March 4", None, date(2017, 3, 4), date(2017, 3, 4), DAY),
        ("on March 4", "past", date(2016, 3, 4), date(2016, 3, 4), DAY),
        ("on February 20", "future", date(2018, 2, 20), date(2018, 2, 20), DAY),
        ("on March 3", "future", date(2017, 3, 3), date(2017, 3, 3), DAY),
        ("on March 3", "past", date(2017, 3, 3), date(2017, 3, 3), DAY),
        # the direction reaches into offsets and possessives
        ("two days before Thursday", "future", date(2017, 3, 7), date(2017, 3, 7), DAY),
        ("Wednesday's talks", "future", date(2017, 3, 8), date(2017, 3, 8), DAY),
        # and leaves absolute dates alone
        ("2 March 2017", "future", date(2017, 3, 2), date(2017, 3, 2), DAY),
        ("in 2011", "future", date(2011, 1, 1), date(2011, 12, 31), YEAR),
        ("today", "future", date(2017, 3, 3), date(2017, 3, 3), DAY),
        ("this week", "past", date(2017, 2, 27), date(2017, 3, 5), WEEK),
    ],
)
def test_direction(text, direction, start, end, precision):
    result = resolve(text, anchor=ANCHOR, direction=direction)
    assert (result.start, result.end, result.precision) == (start, end, precision)
    assert result.text == text


def test_a_day_of_a_month_in_an_announcement_is_ahead_of_the_anchor():
    # The example: "talks on February 20" in a story of 5 February.
    result = resolve("talks on February 20"[len("talks ") :], anchor=date(2017, 2, 5))
    assert (result.start, result.end) == (date(2017, 2, 20), date(2017, 2, 20))


def test_in_two_weeks_is_a_date_only_pointing_forward():
    ahead = resolve("in two weeks", anchor=ANCHOR, direction="future")
    assert (ahead.start, ahead.end, ahead.precision) == (date(2017, 3, 13), date(2017, 3, 19), WEEK)
    for direction in (None, "past"):
        with pytest.raises(
            DateResolutionError, match="a length of time is not a date unless it points forward"
        ):
            resolve("in two weeks", anchor=ANCHOR, direction=direction)


@pytest.mark.parametrize(
    ("text", "anchor", "direction", "day"),
    [
        # a stated weekday picks the year among those within half a year of the anchor
        ("on Saturday 2nd March", date(2002, 3, 4), "future", date(2002, 3, 2)),
        ("Thursday, March 9", ANCHOR, "past", date(2017, 3, 9)),
        ("Tuesday, February 28", ANCHOR, "future", date(2017, 2, 28)),
        ("Friday, March 3", ANCHOR, None, date(2017, 3, 3)),
    ],
)
def test_a_stated_weekday_picks_the_year(text, anchor, direction, day):
    result = resolve(text, anchor=anchor, direction=direction)
    assert (result.start, result.end, result.precision) == (day, day, DAY)


def test_direction_is_checked():
    with pytest.raises(ValueError, match="'sideways' is not a direction"):
        resolve("on Thursday", anchor=ANCHOR, direction="sideways")


# --------------------------------------------------------------------------- forms from wire copy

WIRE_FORMS = [
    # possessive weekdays (and other dates): the day of what follows
    ("Wednesday's talks", date(2017, 3, 1), date(2017, 3, 1), DAY),
    ("Wednesday’s anniversary of the uprising", date(2017, 3, 1), date(2017, 3, 1), DAY),
    ("Friday’s rallies", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("Tomorrow’s meeting", date(2017, 3, 4), date(2017, 3, 4), DAY),
    ("today’s discussion", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("this week’s so-called “2+2” talks", date(2017, 2, 27), date(2017, 3, 5), WEEK),
    ("last week's revelations", date(2017, 2, 20), date(2017, 2, 26), WEEK),
    # datelines: the latest such day not after the anchor
    ("MOSCOW, August 14 (Reuters) -", date(2016, 8, 14), date(2016, 8, 14), DAY),
    ("GENEVA, Sept 4 (Reuters) -", date(2016, 9, 4), date(2016, 9, 4), DAY),
    ("MOSCOW, March 3 (Reuters) -", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("MOSCOW, March 4 (Reuters) -", date(2016, 3, 4), date(2016, 3, 4), DAY),
    ("MOSCOW Aug 14", date(2016, 8, 14), date(2016, 8, 14), DAY),
    ("SEOUL, July 18 (Yonhap) --", date(2016, 7, 18), date(2016, 7, 18), DAY),
    ("GENEVA, Oct 24 (AP):", date(2016, 10, 24), date(2016, 10, 24), DAY),
    ("KIEV, Ukraine, Feb 10 (Reuters) -", date(2017, 2, 10), date(2017, 2, 10), DAY),
    ("BRUSSELS, Sept 4 (Reuters) -", date(2016, 9, 4), date(2016, 9, 4), DAY),
    ("Moscow, Sept. 13, (dpa/GNA) -", date(2016, 9, 13), date(2016, 9, 13), DAY),
    ("LONDON - 26 October 2017:", date(2017, 10, 26), date(2017, 10, 26), DAY),
    ("WASHINGTON, Feb. 28, 2017 (AP) —", date(2017, 2, 28), date(2017, 2, 28), DAY),
    # a time of day keeps the day's precision
    ("at midnight", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("late on Monday", date(2017, 2, 27), date(2017, 2, 27), DAY),
    ("early Tuesday", date(2017, 2, 28), date(2017, 2, 28), DAY),
    ("on Thursday evening", date(2017, 3, 2), date(2017, 3, 2), DAY),
    ("Thursday night", date(2017, 3, 2), date(2017, 3, 2), DAY),
    ("late Tuesday", date(2017, 2, 28), date(2017, 2, 28), DAY),
    ("Saturday at midnight", date(2017, 2, 25), date(2017, 2, 25), DAY),
    ("at midnight on Saturday", date(2017, 2, 25), date(2017, 2, 25), DAY),
    ("midnight Saturday", date(2017, 2, 25), date(2017, 2, 25), DAY),
    ("in the early hours of Sunday", date(2017, 2, 26), date(2017, 2, 26), DAY),
    ("Monday at 7 p.m.", date(2017, 2, 27), date(2017, 2, 27), DAY),
    ("on Friday afternoon", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("this morning", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("this afternoon", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("tonight", date(2017, 3, 3), date(2017, 3, 3), DAY),
    ("last night", date(2017, 3, 2), date(2017, 3, 2), DAY),
    ("yesterday afternoon", date(2017, 3, 2), date(2017, 3, 2), DAY),
    ("March 2 at noon", date(2017, 3, 2), date(2017, 3, 2), DAY),
    # spans of days: the smallest week, month or year containing all of them
    ("the past two days", date(2017, 2, 27), date(2017, 3, 5), WEEK),  # 1..3 March
    ("over the past two days", date(2017, 2, 27), date(2017, 3, 5), WEEK),
    ("the past 24 hours", date(2017, 2, 27), date(2017, 3, 5), WEEK),  # 2..3 March
    ("in the past 24 hours", date(2017, 2, 27), date(2017, 3, 5), WEEK),
    ("in recent days", date(2017, 1, 1), date(2017, 12, 31), YEAR),  # 24 February..3 March
    ("over the last few days", date(2017, 1, 1), date(2017, 12, 31), YEAR),
    ("over the past week", date(2017, 1, 1), date(2017, 12, 31), YEAR),  # 24 February..3 March
    ("the next two weeks", date(2017, 3, 1), date(2017, 3, 31), MONTH),  # 3..17 March
    # years named by what happened in them
    ("the 2011 fall", date(2011, 1, 1), date(2011, 12, 31), YEAR),
    ("the 2014 revolution", date(2014, 1, 1), date(2014, 12, 31), YEAR),
    ("the 2003 invasion", date(2003, 1, 1), date(2003, 12, 31), YEAR),
    ("a 1994 ceasefire", date(1994, 1, 1), date(1994, 12, 31), YEAR),
    ("the 2015 nuclear deal", date(2015, 1, 1), date(2015, 12, 31), YEAR),
    ("the 2014 Euromaidan Revolution", date(2014, 1, 1), date(2014, 12, 31), YEAR),
    # the anchor's periods, and counts back
    ("earlier this month", date(2017, 3, 1), date(2017, 3, 31), MONTH),
    ("later this year", date(2017, 1, 1), date(2017, 12, 31), YEAR),
    ("earlier this week", date(2017, 2, 27), date(2017, 3, 5), WEEK),
    ("next month", date(2017, 4, 1), date(2017, 4, 30), MONTH),
    ("last year", date(2016, 1, 1), date(2016, 12, 31), YEAR),
    ("a year ago", date(2016, 1, 1), date(2016, 12, 31), YEAR),
    ("almost two weeks ago"[len("almost ") :], date(2017, 2, 13), date(2017, 2, 19), WEEK),
    # a month named with its year relative to the anchor's
    ("April last year", date(2016, 4, 1), date(2016, 4, 30), MONTH),
    ("since April last year"[len("since ") :], date(2016, 4, 1), date(2016, 4, 30), MONTH),
    ("in April this year", date(2017, 4, 1), date(2017, 4, 30), MONTH),
    ("in January next year", date(2018, 1, 1), date(2018, 1, 31), MONTH),
    ("last April", date(2016, 4, 1), date(2016, 4, 30), MONTH),
    # a part of a period keeps the period's precision
    ("the end of July", date(2017, 7, 1), date(2017, 7, 31), MONTH),  # the nearest July
    ("at the end of the week", date(2017, 2, 27), date(2017, 3, 5), WEEK),
    ("the beginning of next month", date(2017, 4, 1), date(2017, 4, 30), MONTH),
    ("by the end of the year", date(2017, 1, 1), date(2017, 12, 31), YEAR),
    ("the middle of March 2016", date(2016, 3, 1), date(2016, 3, 31), MONTH),
    # counts forward from the anchor
    ("two weeks from now", date(2017, 3, 13), date(2017, 3, 19), WEEK),
    ("in two weeks’ time", date(2017, 3, 13), date(2017, 3, 19), WEEK),
    # days in words
    ("Feb. 4", date(2017, 2, 4), date(2017, 2, 4), DAY),
    ("4 February 2019", date(2019, 2, 4), date(2019, 2, 4), DAY),
    ("February 4, 2019", date(2019, 2, 4), date(2019, 2, 4), DAY),
    ("on Dec. 20", date(2016, 12, 20), date(2016, 12, 20), DAY),
    ("Thursday, March 9", date(2017, 3, 9), date(2017, 3, 9), DAY),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), WIRE_FORMS)
def test_forms_from_wire_copy(text, start, end, precision):
    result = resolve(text, anchor=ANCHOR)
    assert (result.start, result.end, result.precision) == (start, end, precision)
    assert result.text == text


# Forms of the intake development set (tests/fixtures/articles/), each with the sentence it
# comes from, verbatim, its publisher, date and URL, and the direction its clause gives.
DEVELOPMENT_SET_FORMS = [
    # AP, 2019-02-08, https://www.westernjournal.com/ap-trump-says-summit-with-north-koreas-kim-will-be-in-hanoi/
    # "... had just left North Korea after a “productive meeting” on the Feb. 27-28 summit."
    # Two days of a month are the smallest period holding both: here one Monday-Sunday week.
    ("Feb. 27-28", date(2019, 2, 8), None, date(2019, 2, 25), date(2019, 3, 3), WEEK),
    # The Moscow Times, 2013-10-28,
    # https://www.themoscowtimes.com/2013/10/28/russian-and-ukrainian-foreign-ministers-meeting-in-rostov-on-don-a28983
    # "... is slated to sign an association agreement with the bloc on Nov. 28-29."
    ("on Nov. 28-29", date(2013, 10, 28), "future", date(2013, 11, 25), date(2013, 12, 1), WEEK),
    # Reuters (via theiranproject.com), 2014-10-16,
    # https://theiranproject.com/blog/2014/10/16/iran-says-progress-made-in-very-difficult-nuclear-talks-in-vienna/?noamp=mobile
    # "Zarif also said he would next meet Kerry and Ashton in three to four weeks’ time, ..."
    # 6 to 13 November: the month.
    (
        "in three to four weeks’ time",
        date(2014, 10, 16),
        "future",
        date(2014, 11, 1),
        date(2014, 11, 30),
        MONTH,
    ),
    # "But Zarif said none of the parties involved believed in extending the self-imposed late
    # November deadline ..." - with no direction (the finder drops the reporting verb's past
    # tense when it would land almost a year back), the nearest November.
    ("late November", date(2014, 10, 16), None, date(2014, 11, 1), date(2014, 11, 30), MONTH),
    # Interfax-Ukraine, 2020-09-04, https://en.interfax.com.ua/news/general/685434.html
    # "As of now, the meeting of advisors is planned, ..." (Kuleba, said on Friday 4 September)
    ("As of now", date(2020, 9, 4), None, date(2020, 9, 4), date(2020, 9, 4), DAY),
    # "... is planned for September, after the meeting of the advisors ..."
    ("September", date(2020, 9, 4), "future", date(2020, 9, 1), date(2020, 9, 30), MONTH),
    # Ukrinform, 2020-05-29, https://www.ukrinform.net/rubric-polytics/3035717-berlin-confirms-kulebas-visit.html
    # "... the implementation of the December summit agreements in this format, ..."
    # A month without a year and no direction is the nearest such month: December 2019.
    ("December", date(2020, 5, 29), None, date(2019, 12, 1), date(2019, 12, 31), MONTH),
    # The Guardian (Nigeria) (AFP), 2015-01-22,
    # https://m.guardian.ng/news/world/foreign-ministers-in-ukraine-talks-call-for-ceasefire/
    # "... from a demarcation line agreed in a September truce pact signed in Minsk."
    ("September", date(2015, 1, 22), None, date(2014, 9, 1), date(2014, 9, 30), MONTH),
    # Politico Europe, 2020-03-05,
    # https://www.politico.eu/article/russia-turkey-agree-ceasefire-in-syrias-idlib-province-vladimir-putin-recep-tayyip-erdogan/
    # "Erdoğan said the cease-fire would take effect from midnight." (the finder's words: "midnight")
    ("midnight", date(2020, 3, 5), "future", date(2020, 3, 6), date(2020, 3, 6), DAY),
    # Radio Free Europe/Radio Liberty, 2015-01-06,
    # http://rferl.org/content/ukraine-russia-france-germany-kazakhstan-normandy-format-separatists/26778760.html
    # "... said on Twitter that their foreign ministers "may speak by telephone" on January 9."
    ("on January 9", date(2015, 1, 6), None, date(2015, 1, 9), date(2015, 1, 9), DAY),
]


# The first held-out batch (tests/fixtures/articles/heldout/first/), a development set since
# the second round of rules.
DEVELOPMENT_SET_FORMS += [
    # Business Standard (AP), 2023-07-30, https://business-standard.com/world-news/
    # saudi-arabia-to-host-ukrainian-peace-talks-in-august-india-invited-123073000702_1.html
    # "... said the talks would take place August 5 and 6 with some 30 countries attending, ..."
    ("August 5 and 6", date(2023, 7, 30), "future", date(2023, 7, 31), date(2023, 8, 6), WEEK),
    # Iran International, 2021-11-16, https://www.iranintl.com/en/20211116255180
    # "The Vienna talks suspended by Iran in June are set to resume in less than two weeks, ..."
    ("in less than two weeks", date(2021, 11, 16), "future", date(2021, 11, 1), date(2021, 11, 30), MONTH),
    # "Six rounds of talks from April to June were focused on ..." (the finder's words)
    ("April to June", date(2021, 11, 16), "past", date(2021, 1, 1), date(2021, 12, 31), YEAR),
    # Taipei Times (AFP), 2014-12-10, https://www.taipeitimes.com/News/world/archives/2014/12/10/2003606421
    # "Rebel commanders had earlier said they would not be ready to hold peace talks until later
    # in the week."
    ("later in the week", date(2014, 12, 10), "future", date(2014, 12, 8), date(2014, 12, 14), WEEK),
]


@pytest.mark.parametrize(("text", "anchor", "direction", "start", "end", "precision"), DEVELOPMENT_SET_FORMS)
def test_forms_from_the_development_set(text, anchor, direction, start, end, precision):
    result = resolve(text, anchor=anchor, direction=direction)
    assert (result.start, result.end, result.precision) == (start, end, precision)


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        # TASS, 2023-12-08, https://tass.com/world/1717847/amp
        # "A new round of meetings ... will take place in the US capital of Washington soon, ..."
        ("soon", date(2023, 12, 8)),
        # The Guardian (Nigeria) (AFP), 2015-01-22 (above): "... adding that coming days would
        # show whether there is real progress or not."
        ("coming days", date(2015, 1, 22)),
        # Ukrinform, 2020-05-29 (above): "The spokesperson recalled that the other day a
        # Normandy format ministerial meeting was held via video conference, ..."
        ("the other day", date(2020, 5, 29)),
    ],
)
def test_words_the_development_set_dates_unknown_are_refused(text, anchor):
    # The set's annotators date these "unknown": the finder reports them, undated.
    with pytest.raises(DateResolutionError, match="too vague to date"):
        resolve(text, anchor=anchor)
    with pytest.raises(DateResolutionError, match="too vague to date"):
        resolve(text, anchor=anchor, direction="future")


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        # ranges of days: the smallest day, week, month or year holding both
        ("Feb. 27-28", date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("Feb. 26-27", date(2017, 2, 1), date(2017, 2, 28), MONTH),  # Sunday and Monday: two weeks
        ("Feb. 28-March 1", date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("27-28 February", date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("on 5–6 May 2019", date(2019, 5, 1), date(2019, 5, 31), MONTH),  # Sunday and Monday
        ("Dec. 31-Jan. 1", date(2016, 12, 26), date(2017, 1, 1), WEEK),  # Saturday and Sunday, across a year
    ],
)
def test_a_range_of_days_is_the_smallest_period_holding_both(text, start, end, precision):
    result = resolve(text, anchor=ANCHOR)
    assert (result.start, result.end, result.precision) == (start, end, precision)


def test_a_range_of_days_no_year_holds_or_that_runs_backwards_is_refused():
    with pytest.raises(DateResolutionError, match="no single week, month or year contains"):
        resolve("Dec. 30-Jan. 2", anchor=ANCHOR)  # Friday 30 December 2016 to Monday 2 January 2017
    with pytest.raises(DateResolutionError, match="must end after it starts"):
        resolve("Feb. 28-27", anchor=ANCHOR)


@pytest.mark.parametrize(
    ("text", "direction", "start", "end", "precision"),
    [
        (
            "in two or three days",
            "future",
            date(2017, 3, 1),
            date(2017, 3, 31),
            MONTH,
        ),  # Sunday 5, Monday 6 March
        ("in one to two days", "future", date(2017, 2, 27), date(2017, 3, 5), WEEK),  # 4 and 5 March
        ("in three to four weeks’ time", None, date(2017, 3, 1), date(2017, 3, 31), MONTH),  # 24..31 March
        ("two to three weeks from now", None, date(2017, 3, 1), date(2017, 3, 31), MONTH),
    ],
)
def test_a_count_forward_given_as_a_range(text, direction, start, end, precision):
    result = resolve(text, anchor=ANCHOR, direction=direction)
    assert (result.start, result.end, result.precision) == (start, end, precision)


def test_a_count_range_that_does_not_point_forward_is_a_length_of_time():
    with pytest.raises(DateResolutionError, match="a length of time is not a date"):
        resolve("in two or three days", anchor=ANCHOR)
    with pytest.raises(DateResolutionError, match="a length of time is not a date"):
        resolve("within three days", anchor=ANCHOR)


@pytest.mark.parametrize(
    ("text", "direction", "start", "end", "precision"),
    [
        ("April to June", None, date(2017, 1, 1), date(2017, 12, 31), YEAR),  # the nearest April
        (
            "March and May",
            None,
            date(2017, 1, 1),
            date(2017, 12, 31),
            YEAR,
        ),  # the finder's words of "between March and May"
        ("April-June 2016", None, date(2016, 1, 1), date(2016, 12, 31), YEAR),
        ("earlier in the month", "past", date(2017, 3, 1), date(2017, 3, 31), MONTH),
        ("within two days", "future", date(2017, 2, 27), date(2017, 3, 5), WEEK),  # 3 to 5 March
        ("in under a week", "future", date(2017, 3, 1), date(2017, 3, 31), MONTH),  # 3 to 10 March
    ],
)
def test_ranges_of_months_and_bounded_counts(text, direction, start, end, precision):
    result = resolve(text, anchor=ANCHOR, direction=direction)
    assert (result.start, result.end, result.precision) == (start, end, precision)


def test_a_range_of_months_no_year_holds_is_refused():
    with pytest.raises(DateResolutionError, match="no single week, month or year contains"):
        resolve("November to January", anchor=ANCHOR, direction="past")  # November 2016 to January 2017
    with pytest.raises(DateResolutionError, match="must end after it starts"):
        resolve("June to April 2016", anchor=ANCHOR)


@pytest.mark.parametrize(
    ("text", "anchor", "start", "end", "precision"),
    [
        # a span on a Monday reaches into the previous week, so the month holds it
        ("the past two days", date(2017, 3, 6), date(2017, 3, 1), date(2017, 3, 31), MONTH),
        # ... and across a month's end, only the year
        ("the past two days", date(2017, 5, 1), date(2017, 1, 1), date(2017, 12, 31), YEAR),
        # a week of days ending on a Sunday is that ISO week
        ("the past six days", date(2017, 3, 5), date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("the last three months", date(2017, 6, 30), date(2017, 1, 1), date(2017, 12, 31), YEAR),
        ("the past 48 hours", date(2017, 3, 3), date(2017, 2, 27), date(2017, 3, 5), WEEK),
        ("in recent days", date(2017, 3, 31), date(2017, 3, 1), date(2017, 3, 31), MONTH),
    ],
)
def test_spans_of_days_against_other_anchors(text, anchor, start, end, precision):
    result = resolve(text, anchor=anchor)
    assert (result.start, result.end, result.precision) == (start, end, precision)


def test_midnight_ahead_is_the_next_day_and_other_times_ahead_are_coarsened():
    assert resolve("at midnight", anchor=ANCHOR, direction="future").start == date(2017, 3, 4)
    at_dawn = resolve("at dawn", anchor=ANCHOR, direction="future")
    # dawn ahead of a Friday is Friday's or Saturday's: the week holds both
    assert (at_dawn.start, at_dawn.end, at_dawn.precision) == (date(2017, 2, 27), date(2017, 3, 5), WEEK)
    assert resolve("at dawn", anchor=ANCHOR).start == ANCHOR


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("MOSCOW, August 14, 2014 (Reuters) -", date(2014, 8, 14), DAY),
        ("the 2011 fall", date(2011, 1, 1), YEAR),
        ("the 2014 revolution", date(2014, 1, 1), YEAR),
    ],
)
def test_absolute_wire_forms_need_no_anchor(text, start, precision):
    result = resolve(text, anchor=None)
    assert (result.start, result.precision) == (start, precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # a dateline that gives no date is not a date phrase
        ("KYIV, Ukraine (AP) —", 'cannot resolve date "KYIV, Ukraine (AP) —": a dateline without a date'),
        ("WASHINGTON (Reuters) -", "a dateline without a date"),
        # spans that no single year holds, and what is too vague to bound
        (
            "the last three months",
            'cannot resolve date "the last three months": it spans 2016-12-03 to 2017-03-03, '
            "which no single week, month or year contains",
        ),
        ("the past year", "it spans 2016-03-03 to 2017-03-03, which no single week, month or year contains"),
        ("in recent weeks", 'cannot resolve date "in recent weeks": it is too vague to date'),
        ("in recent months", "too vague to date"),
        ("the past few weeks", "too vague to date"),
        ("the coming weeks", "too vague to date"),
        # forward spans with no count, and words that only say "near": the development set
        # (tests/fixtures/articles) dates "coming days", "soon" and "the other day" unknown
        ("in the coming days", 'cannot resolve date "in the coming days": it is too vague to date'),
        ("coming days", "too vague to date"),
        ("the next few days", "too vague to date"),
        ("soon", 'cannot resolve date "soon": it is too vague to date'),
        ("very soon", "too vague to date"),
        ("shortly", "too vague to date"),
        ("recently", "too vague to date"),
        ("the other day", "too vague to date"),
        ("in the near future", "too vague to date"),
        # decades are wider than the coarsest precision
        ("the 1990s", 'cannot resolve date "the 1990s": a decade (1990s) is wider than a year'),
        ("the early 1990s", "a decade (1990s) is wider than a year"),
        ("since the 1990s"[len("since ") :], "a decade (1990s)"),
        ("the 1990's", "a decade (1990s)"),
        # ordinary words that look like dates
        ("Friday prayers", 'cannot resolve date "Friday prayers": expected an ISO date'),
        ("a second", 'cannot resolve date "a second": expected an ISO date'),
        ("Russia's 2014 annexation", 'cannot resolve date "Russia\'s 2014 annexation" (at "Russia")'),
        # a stated weekday must fit
        ("Thursday, March 10", "10 March 2017 is a Friday, not a Thursday"),
    ],
)
def test_what_cannot_be_dated_honestly_is_refused(text, message):
    with pytest.raises(DateResolutionError, match=re.escape(message)) as caught:
        resolve(text, anchor=ANCHOR)
    assert caught.value.text == text


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2017-02-30", 'cannot resolve date "2017-02-30": February 2017 has no day 30'),
        ("2017-13", 'cannot resolve date "2017-13": 13 is not a month (expected 1-12)'),
        ("2017-00-10", 'cannot resolve date "2017-00-10": 0 is not a month'),
        ("0000", 'cannot resolve date "0000": year 0 is outside the supported range 1-9999'),
        ("31 April", 'cannot resolve date "31 April": April has no day 31'),
        ("Friday 2 March 2017", "2 March 2017 is a Thursday, not a Friday"),
        (
            "sometime soon",
            'cannot resolve date "sometime soon": expected an ISO date (2017-03-02, 2017-03, 2017), '
            'a weekday ("on Thursday")',
        ),
        ("on", 'cannot resolve date "on": expected an ISO date'),
        ("five years after soon", 'cannot resolve date "five years after soon" (at "soon"): it is too vague'),
        ("two years after unknown", '(at "unknown"): cannot count from a date that is not known'),
        ("9000 years after 2011", "outside the supported calendar (years 1-9999)"),
    ],
)
def test_unresolvable_words_raise_with_the_words_and_the_reason(text, message):
    with pytest.raises(DateResolutionError, match=re.escape(message)) as caught:
        resolve(text, anchor=ANCHOR)
    assert caught.value.text == text


def test_the_error_lists_the_understood_forms():
    with pytest.raises(DateResolutionError) as caught:
        resolve("sometime soon", anchor=ANCHOR)
    for form in ["2017-03-02", '"on Thursday"', '"in December"', '"last month"', '"in 2011"', "years after"]:
        assert form in str(caught.value)


def test_date_resolution_error_is_a_value_error():
    assert issubclass(DateResolutionError, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        "on Thursday",
        "said Friday",
        "last Friday",
        "in December",
        "March 2",
        "today",
        "yesterday",
        "this week",
        "last week",
        "this month",
        "last month",
        "this year",
        "last year",
        "two weeks ago",
        "five years after in December",
        "Wednesday's talks",
        "MOSCOW, August 14 (Reuters) -",
        "at midnight",
        "this morning",
        "the past two days",
        "April last year",
    ],
)
def test_relative_words_without_an_anchor_raise(text):
    with pytest.raises(DateResolutionError, match=re.escape(f'"{text}"') + ".*needs an anchor date"):
        resolve(text, anchor=None)


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [
        (date(2017, 3, 2), date(2017, 3, 2), DAY),
        (date(2017, 2, 27), date(2017, 3, 5), WEEK),
        (date(2016, 12, 1), date(2016, 12, 31), MONTH),
        (date(2016, 2, 1), date(2016, 2, 29), MONTH),
        (date(2016, 1, 1), date(2016, 12, 31), YEAR),
        (None, None, UNKNOWN),
        (date(2016, 12, 1), date(2016, 12, 31), "month"),  # plain strings, as stored
    ],
)
def test_shape_error_accepts_good_shapes(start, end, precision):
    assert shape_error(start, end, precision) is None


@pytest.mark.parametrize(
    ("start", "end", "precision", "message"),
    [
        (
            date(2017, 3, 2),
            date(2017, 3, 3),
            DAY,
            "a day-precision date must start and end on the same day (got 2017-03-02..2017-03-03)",
        ),
        (
            date(2017, 2, 28),
            date(2017, 3, 6),
            WEEK,
            "a week-precision date must run from a Monday to the following Sunday (one ISO week) "
            "(got 2017-02-28..2017-03-06)",
        ),
        (
            date(2017, 2, 27),
            date(2017, 3, 4),
            WEEK,
            "a week-precision date must run from a Monday to the following Sunday",
        ),
        (
            date(2016, 12, 2),
            date(2016, 12, 31),
            MONTH,
            "a month-precision date must run from the first to the last day of one month "
            "(got 2016-12-02..2016-12-31)",
        ),
        (date(2017, 2, 1), date(2017, 2, 27), MONTH, "first to the last day of one month"),
        (date(2016, 12, 1), date(2017, 1, 31), MONTH, "first to the last day of one month"),
        (
            date(2016, 1, 2),
            date(2016, 12, 31),
            YEAR,
            "a year-precision date must run from 1 January to 31 December of one year "
            "(got 2016-01-02..2016-12-31)",
        ),
        (date(2016, 1, 1), date(2017, 12, 31), YEAR, "1 January to 31 December of one year"),
        (
            date(2017, 3, 2),
            date(2017, 3, 2),
            UNKNOWN,
            "an unknown-precision date must have no start and no end (got 2017-03-02..2017-03-02)",
        ),
        (None, date(2017, 3, 2), DAY, "a day-precision date needs both a start and an end"),
        (date(2017, 3, 2), None, MONTH, "a month-precision date needs both a start and an end"),
        (date(2017, 3, 3), date(2017, 3, 2), DAY, "the start must not be after the end"),
        (datetime(2017, 3, 2), date(2017, 3, 2), DAY, "the start must be a date, not datetime"),
        (date(2017, 3, 2), date(2017, 3, 2), "fortnight", "'fortnight' is not a precision"),
    ],
)
def test_shape_error_explains_bad_shapes(start, end, precision, message):
    error = shape_error(start, end, precision)
    assert error is not None
    assert message in error


@pytest.mark.parametrize(
    ("precision", "day", "start", "end"),
    [
        (DAY, date(2017, 3, 3), date(2017, 3, 3), date(2017, 3, 3)),
        (WEEK, date(2017, 3, 3), date(2017, 2, 27), date(2017, 3, 5)),
        (WEEK, date(2017, 2, 27), date(2017, 2, 27), date(2017, 3, 5)),
        (WEEK, date(2017, 3, 5), date(2017, 2, 27), date(2017, 3, 5)),
        (MONTH, date(2016, 2, 10), date(2016, 2, 1), date(2016, 2, 29)),
        (YEAR, date(2016, 7, 4), date(2016, 1, 1), date(2016, 12, 31)),
        ("month", date(2016, 12, 25), date(2016, 12, 1), date(2016, 12, 31)),
    ],
)
def test_bounds_for(precision, day, start, end):
    assert bounds_for(precision, day) == (start, end)


def test_bounds_for_unknown_raises():
    with pytest.raises(ValueError, match="no bounds"):
        bounds_for(UNKNOWN, ANCHOR)


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("start", "end", "precision", "label"),
    [
        (date(2017, 3, 2), date(2017, 3, 2), DAY, "Thu 2 Mar 2017"),
        (date(2017, 2, 27), date(2017, 3, 5), WEEK, "week of 27 Feb 2017"),
        (date(2016, 12, 1), date(2016, 12, 31), MONTH, "Dec 2016"),
        (date(2016, 1, 1), date(2016, 12, 31), YEAR, "2016"),
        (None, None, UNKNOWN, "date unknown"),
        (date(2016, 12, 1), date(2016, 12, 31), "month", "Dec 2016"),
        # a range that breaks its precision's shape is shown by its ends, not raised on
        (date(2016, 12, 2), date(2016, 12, 31), MONTH, "2 Dec 2016 to 31 Dec 2016"),
        (None, None, DAY, "date unknown"),
    ],
)
def test_describe(start, end, precision, label):
    assert describe(start, end, precision) == label


def test_fuzzy_date_label():
    assert resolve("on Thursday", anchor=ANCHOR).label == "Thu 2 Mar 2017"


# --------------------------------------------------------------------------- the value types


def test_precision_values_and_rank():
    assert [p.value for p in Precision] == ["day", "week", "month", "year", "unknown"]
    assert PRECISION_RANK == {DAY: 0, WEEK: 1, MONTH: 2, YEAR: 3, UNKNOWN: 4}
    assert [p.rank for p in Precision] == [0, 1, 2, 3, 4]
    finer_first = [DAY, WEEK, MONTH, YEAR, UNKNOWN]
    assert sorted([UNKNOWN, YEAR, DAY, MONTH, WEEK], key=lambda p: p.rank) == finer_first
    assert Precision("month") is MONTH
    assert MONTH == "month"


def test_fuzzy_date_is_frozen_and_validated():
    fuzzy = FuzzyDate("in December", ANCHOR, date(2016, 12, 1), date(2016, 12, 31), "month")
    assert fuzzy.precision is MONTH
    with pytest.raises(FrozenInstanceError):
        fuzzy.start = date(2016, 12, 2)  # type: ignore[misc]
    with pytest.raises(ValueError, match="first to the last day of one month"):
        FuzzyDate("in December", ANCHOR, date(2016, 12, 2), date(2016, 12, 31), MONTH)


# --------------------------------------------------------------------------- properties


@given(
    anchor=anchors,
    weekday=st.integers(min_value=0, max_value=6),
    prefix=st.sampled_from(["", "on ", "said ", "said on ", "ON "]),
    spelling=st.sampled_from([str, str.lower, str.upper, lambda name: name[:3]]),
)
def test_weekday_resolves_to_that_weekday_in_the_week_up_to_the_anchor(anchor, weekday, prefix, spelling):
    result = resolve(prefix + spelling(WEEKDAY_NAMES[weekday]), anchor=anchor)
    assert result.precision is DAY
    assert result.start == result.end
    assert result.start.weekday() == weekday
    assert 0 <= (anchor - result.start).days < 7


@given(anchor=anchors, weekday=st.integers(min_value=0, max_value=6))
def test_last_weekday_is_strictly_before_the_anchor(anchor, weekday):
    result = resolve(f"last {WEEKDAY_NAMES[weekday]}", anchor=anchor)
    assert result.start.weekday() == weekday
    assert 1 <= (anchor - result.start).days <= 7


@given(
    anchor=anchors,
    month=st.integers(min_value=1, max_value=12),
    prefix=st.sampled_from(["", "in ", "during ", "IN "]),
    abbreviate=st.booleans(),
)
def test_month_resolves_to_that_whole_month_nearest_the_anchor(anchor, month, prefix, abbreviate):
    name = MONTH_NAMES[month - 1][:3] if abbreviate else MONTH_NAMES[month - 1]
    result = resolve(prefix + name, anchor=anchor)
    assert result.precision is MONTH
    assert result.start.month == month
    assert result.start.day == 1
    assert result.end == last_day(result.start.year, month)
    # the nearest such month: at most six months back (a tie looks back) or five ahead
    months_ahead = (result.start.year * 12 + month) - (anchor.year * 12 + anchor.month)
    assert -6 <= months_ahead <= 5


@given(
    anchor=anchors,
    month=st.integers(min_value=1, max_value=12),
    direction=st.sampled_from(["past", "future"]),
)
def test_a_month_with_a_direction_is_the_nearest_on_that_side(anchor, month, direction):
    result = resolve(f"in {MONTH_NAMES[month - 1]}", anchor=anchor, direction=direction)
    months_ahead = (result.start.year * 12 + month) - (anchor.year * 12 + anchor.month)
    pointed = -months_ahead if direction == "past" else months_ahead
    assert 0 <= pointed <= 11


def _m(day: date) -> str:
    return MONTH_NAMES[day.month - 1]


def _w(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


# Each supported form, written from a date: (name, day -> words).
FORMS = [
    ("iso day", lambda d: d.isoformat()),
    ("iso month", lambda d: f"{d.year:04d}-{d.month:02d}"),
    ("iso year", lambda d: f"{d.year:04d}"),
    ("in year", lambda d: f"in {d.year}"),
    ("weekday", lambda d: f"on {_w(d)}"),
    ("said weekday", lambda d: f"said {_w(d)}"),
    ("last weekday", lambda d: f"last {_w(d)}"),
    ("month", lambda d: f"in {_m(d)}"),
    ("last month name", lambda d: f"last {_m(d)}"),
    ("month year", lambda d: f"{_m(d)} {d.year}"),
    ("abbreviated month year", lambda d: f"{_m(d)[:3]}. {d.year}"),
    ("day month year", lambda d: f"{d.day} {_m(d)} {d.year}"),
    ("month day, year", lambda d: f"{_m(d)} {d.day}, {d.year}"),
    ("weekday, day month year", lambda d: f"{_w(d)}, {d.day} {_m(d)} {d.year}"),
    ("day month", lambda d: f"{d.day} {_m(d)}"),
    ("month day", lambda d: f"{_m(d)} {d.day}"),
    ("today", lambda d: "today"),
    ("yesterday", lambda d: "yesterday"),
    ("this week", lambda d: "this week"),
    ("last week", lambda d: "last week"),
    ("this month", lambda d: "this month"),
    ("last month", lambda d: "last month"),
    ("this year", lambda d: "this year"),
    ("last year", lambda d: "last year"),
    ("years after year", lambda d: f"five years after {d.year}"),
    ("years before day", lambda d: f"3 years before {d.isoformat()}"),
    ("months after day", lambda d: f"eleven months after {d.isoformat()}"),
    ("months before month", lambda d: f"a month before {_m(d)} {d.year}"),
    ("days after weekday", lambda d: f"twenty days after on {_w(d)}"),
    ("weeks before this week", lambda d: "two weeks before this week"),
    ("weeks ago", lambda d: "two weeks ago"),
    ("unknown", lambda d: "not stated"),
    ("possessive weekday", lambda d: f"{_w(d)}'s talks"),
    ("dateline", lambda d: f"MOSCOW, {_m(d)} {d.day} (Reuters) -"),
    ("dateline with year", lambda d: f"GENEVA, {_m(d)[:3]} {d.day}, {d.year} (AP) —"),
    ("weekday at midnight", lambda d: f"{_w(d)} at midnight"),
    ("late on weekday", lambda d: f"late on {_w(d)}"),
    ("weekday evening", lambda d: f"on {_w(d)} evening"),
    ("at midnight", lambda d: "at midnight"),
    ("this morning", lambda d: "this morning"),
    ("tonight", lambda d: "tonight"),
    ("past two days", lambda d: "the past two days"),
    ("past 24 hours", lambda d: "in the past 24 hours"),
    ("recent days", lambda d: "in recent days"),
    ("coming days", lambda d: "in the coming days"),
    ("day range", lambda d: f"{_m(d)} {min(d.day, 27)}-{min(d.day, 27) + 1}"),
    ("count range", lambda d: "in three to four weeks’ time"),
    ("as of now", lambda d: "as of now"),
    ("year event", lambda d: f"the {d.year} revolution"),
    ("month last year", lambda d: f"{_m(d)} last year"),
    ("next weekday", lambda d: f"next {_w(d)}"),
    ("next month name", lambda d: f"next {_m(d)}"),
]
SPAN_FORMS = {"past two days", "past 24 hours", "recent days", "coming days", "count range"}


@given(
    anchor=anchors,
    day=anchors,
    form=st.sampled_from(FORMS),
    direction=st.sampled_from([None, "past", "future"]),
)
def test_every_form_resolves_to_a_well_shaped_range(anchor, day, form, direction):
    name, write = form
    try:
        result = resolve(write(day), anchor=anchor, direction=direction)
    except DateResolutionError as refusal:
        if name == "coming days":  # a forward span with no count is too vague, always
            assert "too vague to date" in str(refusal)
            return
        # a span of days is refused only when it crosses a year's end ("the past two days" on 1 January)
        assert name in SPAN_FORMS
        assert "which no single week, month or year contains" in str(refusal)
        return
    assert shape_error(result.start, result.end, result.precision) is None
    if result.precision is not UNKNOWN:
        assert result.start <= result.end


@given(day=anchors, days=st.integers(min_value=-400, max_value=400))
def test_days_after_a_day_is_plain_day_arithmetic(day, days):
    direction = "after" if days >= 0 else "before"
    result = resolve(f"{abs(days)} days {direction} {day.isoformat()}", anchor=None)
    assert result.start == result.end == day + timedelta(days=days)
    assert result.precision is DAY


@given(precision=st.sampled_from([DAY, WEEK, MONTH, YEAR]), day=anchors)
def test_bounds_for_contains_the_day_and_has_the_precisions_shape(precision, day):
    start, end = bounds_for(precision, day)
    assert start <= day <= end
    assert shape_error(start, end, precision) is None


@given(precision=st.sampled_from([WEEK, MONTH, YEAR]), day=anchors)
def test_a_period_shifted_by_a_day_is_not_well_shaped(precision, day):
    start, end = bounds_for(precision, day)
    assert shape_error(start, end - timedelta(days=1), precision) is not None
    assert shape_error(start + timedelta(days=1), end, precision) is not None


@given(anchor=anchors, weekday=st.integers(min_value=0, max_value=6), possessive=st.booleans())
def test_a_weekday_pointing_forward_is_in_the_week_from_the_anchor(anchor, weekday, possessive):
    words = WEEKDAY_NAMES[weekday] + ("'s talks" if possessive else "")
    result = resolve(words, anchor=anchor, direction="future")
    assert result.start.weekday() == weekday
    assert 0 <= (result.start - anchor).days < 7


@given(anchor=anchors, weekday=st.integers(min_value=0, max_value=6))
def test_next_weekday_is_strictly_after_the_anchor(anchor, weekday):
    result = resolve(f"next {WEEKDAY_NAMES[weekday]}", anchor=anchor)
    assert result.start.weekday() == weekday
    assert 1 <= (result.start - anchor).days <= 7


@given(anchor=anchors, day=st.dates(min_value=date(1904, 1, 1), max_value=date(2096, 12, 31)))
def test_a_day_of_a_month_without_a_year_is_the_nearest_such_day(anchor, day):
    result = resolve(f"{_m(day)} {day.day}", anchor=anchor)
    assert (result.start.month, result.start.day) == (day.month, day.day)
    distance = abs((result.start - anchor).days)
    if (day.month, day.day) != (2, 29):
        assert distance <= 183  # within half a year either way
    for years in (-4, -1, 1, 4):  # no other year's such day is nearer
        try:
            other = result.start.replace(year=result.start.year + years)
        except ValueError:  # 29 February in a common year
            continue
        assert abs((other - anchor).days) >= distance


@given(anchor=anchors, day=st.dates(min_value=date(1904, 1, 1), max_value=date(2096, 12, 31)))
def test_a_dateline_is_never_after_the_anchor_and_within_a_year_of_it(anchor, day):
    if (day.month, day.day) == (2, 29):
        day = day.replace(day=28)
    result = resolve(f"MOSCOW, {_m(day)} {day.day} (Reuters) -", anchor=anchor)
    assert (result.start.month, result.start.day) == (day.month, day.day)
    assert 0 <= (anchor - result.start).days < 366


@given(
    anchor=st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)),
    count=st.integers(min_value=1, max_value=40),
    unit=st.sampled_from(["day", "week", "month"]),
    which=st.sampled_from(["past", "last", "next"]),
)
def test_a_span_is_the_smallest_period_holding_all_its_days(anchor, count, unit, which):
    words = f"the {which} {count} {unit}s"
    forward = which == "next"
    if unit == "month":
        far = date(anchor.year + (anchor.month - 1 + (count if forward else -count)) // 12, 1, 1)
        month = (anchor.month - 1 + (count if forward else -count)) % 12 + 1
        far = far.replace(month=month, day=min(anchor.day, calendar.monthrange(far.year, month)[1]))
    else:
        far = anchor + timedelta(days=(count if unit == "day" else 7 * count) * (1 if forward else -1))
    low, high = sorted((anchor, far))
    try:
        result = resolve(words, anchor=anchor)
    except DateResolutionError as refusal:
        assert low.year != high.year  # refused only when no single year holds it
        assert "no single week, month or year contains" in str(refusal)
        return
    assert result.start <= low and high <= result.end
    finer = {WEEK: DAY, MONTH: WEEK, YEAR: MONTH}.get(result.precision)
    if finer is not None:  # the next finer period around its first day does not hold it all
        assert bounds_for(finer, low)[1] < high
