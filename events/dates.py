"""Resolve a news article's date expressions ("on Thursday", "in December") into date ranges.

A source rarely gives a full date: it says "on Thursday", "in December" or "last week",
meaning a day relative to when it was published. `resolve` turns such words, plus an
anchor date (the source's publication date), into a `FuzzyDate`: the inclusive range of
days the words can mean, and a precision saying what that range is. Each precision fixes
the range's shape: a DAY is one day, a WEEK one ISO week (Monday to Sunday), a MONTH runs
from its first to its last day, a YEAR from 1 January to 31 December, and an UNKNOWN date
has no bounds at all. Relative words always look back from the anchor (news reports what
has happened), so "in December" read on 3 March 2017 means December 2016. The database
enforces the same shapes (see `events.models.FuzzyDated`); `shape_error` states them in
Python and `describe` labels them for people. This module is pure: standard library only.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta

__all__ = [
    "PRECISION_RANK",
    "DateResolutionError",
    "FuzzyDate",
    "Precision",
    "bounds_for",
    "describe",
    "resolve",
    "shape_error",
]


class Precision(enum.StrEnum):
    """How exactly a date is known, and so which shape its start..end range has."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """Sort key, finer first (day 0 .. unknown 4): sharper dates go ahead of vaguer ones."""
        return PRECISION_RANK[self]


# Finer first, so a timeline sorted by (start, rank) lists "2 March" before "March".
PRECISION_RANK: dict[Precision, int] = {
    Precision.DAY: 0,
    Precision.WEEK: 1,
    Precision.MONTH: 2,
    Precision.YEAR: 3,
    Precision.UNKNOWN: 4,
}


class DateResolutionError(ValueError):
    """An expression could not be resolved; str(err) says which words and why."""

    def __init__(self, message: str, *, text: str | None = None) -> None:
        super().__init__(message)
        self.text = text  # the whole expression that failed, when known


@dataclass(frozen=True)
class FuzzyDate:
    """A date as a source words it, and every day (start..end, inclusive) it can mean.

    Constructing one with a range that does not fit its precision raises ValueError, so a
    FuzzyDate in hand always has the shape its precision implies.
    """

    text: str  # the original words, exactly as given (stripped of outer whitespace)
    anchor: date | None  # the date relative words were resolved against
    start: date | None  # inclusive; None only for UNKNOWN
    end: date | None  # inclusive; None only for UNKNOWN
    precision: Precision

    def __post_init__(self) -> None:
        # Accept "day" as well as Precision.DAY, so values read back from a database fit.
        object.__setattr__(self, "precision", Precision(self.precision))
        problem = shape_error(self.start, self.end, self.precision)
        if problem is not None:
            raise ValueError(problem)

    @property
    def label(self) -> str:
        """The human-readable label, e.g. "Thu 2 Mar 2017" or "Dec 2016"."""
        return describe(self.start, self.end, self.precision)


# --------------------------------------------------------------------------- shapes


def bounds_for(precision: Precision | str, day: date) -> tuple[date, date]:
    """The start and end of the day/week/month/year period containing `day`.

    UNKNOWN has no period, so asking for its bounds is a ValueError.
    """
    precision = Precision(precision)
    if isinstance(day, datetime):
        day = day.date()
    match precision:
        case Precision.DAY:
            return day, day
        case Precision.WEEK:
            monday = day - timedelta(days=day.weekday())
            return monday, monday + timedelta(days=6)
        case Precision.MONTH:
            return day.replace(day=1), day.replace(day=_days_in_month(day.year, day.month))
        case Precision.YEAR:
            return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError("an unknown-precision date has no bounds")


# What each precision's range must look like, phrased to follow "a <precision>-precision date must".
_SHAPE_RULES: dict[Precision, str] = {
    Precision.DAY: "start and end on the same day",
    Precision.WEEK: "run from a Monday to the following Sunday (one ISO week)",
    Precision.MONTH: "run from the first to the last day of one month",
    Precision.YEAR: "run from 1 January to 31 December of one year",
}


def shape_error(start: date | None, end: date | None, precision: Precision | str) -> str | None:
    """None when start/end have the shape the precision implies, else a human message saying
    what is wrong, e.g. "a month-precision date must run from the first to the last day of one
    month (got 2016-12-02..2016-12-31)".
    """
    try:
        precision = Precision(precision)
    except (ValueError, TypeError):
        choices = ", ".join(p.value for p in Precision)
        return f"{precision!r} is not a precision (expected one of {choices})"
    got = f"(got {start}..{end})"
    if precision is Precision.UNKNOWN:
        if start is None and end is None:
            return None
        return f"an unknown-precision date must have no start and no end {got}"
    if start is None or end is None:
        return f"a {precision}-precision date needs both a start and an end {got}"
    for name, value in (("start", start), ("end", end)):
        # A datetime is a date subclass, but comparing one with a date raises TypeError.
        if isinstance(value, datetime) or not isinstance(value, date):
            return f"the {name} must be a date, not {type(value).__name__} {got}"
    if start > end:
        return f"the start must not be after the end {got}"
    if not _has_shape(start, end, precision):
        return f"a {precision}-precision date must {_SHAPE_RULES[precision]} {got}"
    return None


def _has_shape(start: date, end: date, precision: Precision) -> bool:
    """Whether start..end is exactly one period of `precision` (checked without date arithmetic
    that could overflow at the ends of the calendar)."""
    match precision:
        case Precision.DAY:
            return start == end
        case Precision.WEEK:
            return start.weekday() == 0 and (end - start).days == 6
        case Precision.MONTH:
            return (
                start.day == 1
                and (end.year, end.month) == (start.year, start.month)
                and end.day == _days_in_month(end.year, end.month)
            )
        case Precision.YEAR:
            return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    return False


# --------------------------------------------------------------------------- labels

# Fixed English names rather than strftime, whose names follow the process locale.
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "",  # months count from 1
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
)


def _short_day(day: date) -> str:
    """A day without its weekday: "2 Mar 2017"."""
    return f"{day.day} {_MONTH_NAMES[day.month][:3]} {day.year}"


def describe(start: date | None, end: date | None, precision: Precision | str) -> str:
    """Human-readable label: day "Thu 2 Mar 2017", week "week of 27 Feb 2017", month "Dec 2016",
    year "2016", unknown "date unknown".

    A range that does not fit its precision is labelled by its two ends ("2 Dec 2016 to 31 Dec
    2016") rather than raising, so a bad row still displays truthfully.
    """
    if shape_error(start, end, precision) is not None:
        if isinstance(start, date) and isinstance(end, date):
            return f"{_short_day(start)} to {_short_day(end)}"
        return "date unknown"
    precision = Precision(precision)
    if precision is Precision.UNKNOWN or start is None:  # the shape check leaves these together
        return "date unknown"
    match precision:
        case Precision.DAY:
            return f"{_WEEKDAY_NAMES[start.weekday()][:3]} {_short_day(start)}"
        case Precision.WEEK:
            return f"week of {_short_day(start)}"
        case Precision.MONTH:
            return f"{_MONTH_NAMES[start.month][:3]} {start.year}"
    return str(start.year)  # Precision.YEAR


# --------------------------------------------------------------------------- resolving


def resolve(text: str, *, anchor: date | None) -> FuzzyDate:
    """Resolve a date expression against `anchor` (the source's publication date).

    Raises DateResolutionError when the words are not understood, name an impossible date
    ("2017-02-30"), or are relative ("on Thursday") while no anchor was given.
    """
    words = text.strip()
    if isinstance(anchor, datetime):
        anchor = anchor.date()  # relative arithmetic must stay in whole days
    try:
        start, end, precision = _resolve_words(words, anchor)
    except _Unresolved as failure:
        raise DateResolutionError(failure.message_for(words), text=words) from None
    return FuzzyDate(text=words, anchor=anchor, start=start, end=end, precision=precision)


# A resolved range: (start, end, precision).
_Span = tuple[date | None, date | None, Precision]

_EXPECTED = (
    'expected an ISO date (2017-03-02, 2017-03, 2017), a weekday ("on Thursday"), '
    'a day ("2 March 2017", "March 2"), a month ("in December", "December 2016"), '
    '"today"/"this week"/"last month"/..., a year ("in 2011"), or "<N> years after <date>"'
)
_NEEDS_ANCHOR = "it is relative and needs an anchor date (the source's publication date), but none was given"
_OUT_OF_CALENDAR = f"the result falls outside the supported calendar (years {MINYEAR}-{MAXYEAR})"


class _Unresolved(Exception):
    """Internal: why some words failed. `resolve` turns it into a DateResolutionError that
    quotes the whole expression and, for a nested part ("after <date>"), the failing part."""

    def __init__(self, reason: str, words: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.words = words

    def within(self, words: str) -> _Unresolved:
        """Record the sub-expression that failed, unless a more deeply nested one already did."""
        if self.words is None:
            self.words = words
        return self

    def message_for(self, text: str) -> str:
        if self.words is not None and self.words != text:
            return f'cannot resolve date "{text}" (at "{self.words}"): {self.reason}'
        return f'cannot resolve date "{text}": {self.reason}'


def _resolve_words(words: str, anchor: date | None) -> _Span:
    """Resolve one (possibly nested) expression by the first rule in `_RULES` that matches it."""
    normalized = _normalize(words)
    if not normalized:
        return None, None, Precision.UNKNOWN
    phrase = _strip_filler(normalized)
    for pattern, handler in _RULES:
        match = pattern.fullmatch(phrase)
        if match is not None:
            try:
                return handler(match, anchor)
            except OverflowError:
                # date arithmetic ran off either end of the calendar ("9000 years after 2011").
                raise _Unresolved(_OUT_OF_CALENDAR) from None
    raise _Unresolved(_EXPECTED)


def _normalize(words: str) -> str:
    """Drop what carries no date information: commas ("March 2, 2017"), abbreviation and
    sentence dots ("Dec. 2016", "on Thursday."), and runs of whitespace. Case is kept so that
    a failing nested part can be quoted as written; the rules match case-insensitively."""
    words = words.replace(",", " ")
    words = re.sub(r"\.(?=\s|$)", " ", words)
    return " ".join(words.split())


# Words a source puts before a date that do not change which days it means:
# "said on Thursday", "during 2011", "earlier this week", "late last year", "mid-2011".
_FILLER = re.compile(
    r"(?:(?:said|says|announced|reported|on|in|during|at|of|the|early|mid|late|earlier|later) |mid-)",
    re.IGNORECASE,
)


def _strip_filler(phrase: str) -> str:
    while (match := _FILLER.match(phrase)) is not None:
        phrase = phrase[match.end() :]
    return phrase


# ---- vocabulary

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tues": 1, "tue": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_UNIT_PRECISION: dict[str, Precision] = {
    "day": Precision.DAY,
    "week": Precision.WEEK,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
}


def _alternation(words: Iterable[str]) -> str:
    """A non-capturing regex group matching any of `words`."""
    # Longest first, so "thurs" is tried before "thu" (fullmatch would backtrack anyway,
    # but this keeps the intent obvious).
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# Placeholders the rule patterns below use, so each pattern reads like the phrase it matches.
_FRAGMENTS: dict[str, str] = {
    "<WEEKDAY>": _alternation(_WEEKDAYS),
    "<MONTH>": _alternation(_MONTHS),
    "<COUNT>": r"(?:\d+|" + _alternation(_NUMBER_WORDS) + ")",
    "<UNIT>": _alternation(_UNIT_PRECISION) + "s?",
    "<DAYNUM>": r"(?P<d>\d{1,2})(?:st|nd|rd|th)?",
    "<YEAR>": r"(?P<y>\d{4})",
    "<TIME_OF_DAY>": r"(?: (?:morning|afternoon|evening|night))?",
}


def _compile(pattern: str) -> re.Pattern[str]:
    for placeholder, regex in _FRAGMENTS.items():
        pattern = pattern.replace(placeholder, regex)
    return re.compile(pattern, re.IGNORECASE)


# ---- helpers the rules share


def _need_anchor(anchor: date | None) -> date:
    if anchor is None:
        raise _Unresolved(_NEEDS_ANCHOR)
    return anchor


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _make_date(year: int, month: int, day: int) -> date:
    """date(year, month, day), failing with a reason a person can act on."""
    if not MINYEAR <= year <= MAXYEAR:
        raise _Unresolved(f"year {year} is outside the supported range {MINYEAR}-{MAXYEAR}")
    if not 1 <= month <= 12:
        raise _Unresolved(f"{month} is not a month (expected 1-12)")
    if not 1 <= day <= _days_in_month(year, month):
        raise _Unresolved(f"{_MONTH_NAMES[month]} {year} has no day {day}")
    return date(year, month, day)


def _span(precision: Precision, day: date) -> _Span:
    """The whole `precision` period around `day`, as a resolved range."""
    start, end = bounds_for(precision, day)
    return start, end, precision


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _unit(word: str) -> str:
    return word.lower().removesuffix("s")


def _shift_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the target month's end (31 Jan + 1 month = 28 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise _Unresolved(_OUT_OF_CALENDAR)
    return date(year, month0 + 1, min(day.day, _days_in_month(year, month0 + 1)))


def _shift(day: date, amount: int, unit: str) -> date:
    """`day` moved by `amount` days, weeks, months or years (negative moves back)."""
    match unit:
        case "day":
            return day + timedelta(days=amount)
        case "week":
            return day + timedelta(weeks=amount)
        case "month":
            return _shift_months(day, amount)
        case _:
            return _shift_months(day, 12 * amount)


def _latest_month_start(month: int, anchor: date, *, strictly_before: bool) -> date:
    """The first day of the latest `month` not after (or strictly before) the anchor's month."""
    in_anchor_year = month < anchor.month or (month == anchor.month and not strictly_before)
    return _make_date(anchor.year if in_anchor_year else anchor.year - 1, month, 1)


# ---- rules: each handler gets the match of its pattern and the anchor


def _unknown(match: re.Match[str], anchor: date | None) -> _Span:
    return None, None, Precision.UNKNOWN


def _iso_day(match: re.Match[str], anchor: date | None) -> _Span:
    return _span(Precision.DAY, _make_date(int(match["y"]), int(match["m"]), int(match["d"])))


def _iso_month(match: re.Match[str], anchor: date | None) -> _Span:
    return _span(Precision.MONTH, _make_date(int(match["y"]), int(match["m"]), 1))


def _year(match: re.Match[str], anchor: date | None) -> _Span:
    return _span(Precision.YEAR, _make_date(int(match["y"]), 1, 1))


def _relative_day(match: re.Match[str], anchor: date | None) -> _Span:
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[match["which"].lower()]
    return _span(Precision.DAY, _need_anchor(anchor) + timedelta(days=offset))


def _relative_period(match: re.Match[str], anchor: date | None) -> _Span:
    """this/last/next week, month or year: the anchor's period, or the one before or after it."""
    anchor = _need_anchor(anchor)
    offset = {"this": 0, "last": -1, "next": 1}[match["which"].lower()]
    unit = match["unit"].lower()
    return _span(_UNIT_PRECISION[unit], _shift(anchor, offset, unit))


def _weekday(match: re.Match[str], anchor: date | None) -> _Span:
    """A weekday means the latest one on or before the anchor ("Friday" read on a Friday is
    that day); "last Friday" means the latest one strictly before the anchor."""
    anchor = _need_anchor(anchor)
    days_back = (anchor.weekday() - _WEEKDAYS[match["wd"].lower()]) % 7
    if match["last"] and days_back == 0:
        days_back = 7
    return _span(Precision.DAY, anchor - timedelta(days=days_back))


def _day_in_words(match: re.Match[str], anchor: date | None) -> _Span:
    """A day in words: "2 March 2017", "March 2, 2017", "Thursday 2 March 2017". Without a
    year ("March 2") it is the latest such day not after the anchor."""
    month, day_number = _MONTHS[match["m"].lower()], int(match["d"])
    if match["y"]:
        day = _make_date(int(match["y"]), month, day_number)
    else:
        anchor = _need_anchor(anchor)
        if not 1 <= day_number <= _days_in_month(2000, month):  # 2000 is a leap year: any 29 Feb fits
            raise _Unresolved(f"{_MONTH_NAMES[month]} has no day {day_number}")
        # 29 February may need a few years' look-back (leap years are up to 8 years apart).
        candidates = (
            date(year, month, day_number)
            for year in range(anchor.year, max(anchor.year - 8, MINYEAR) - 1, -1)
            if day_number <= _days_in_month(year, month)
        )
        day = next((c for c in candidates if c <= anchor), None)
        if day is None:
            raise _Unresolved(_OUT_OF_CALENDAR)
    if match["wd"]:
        # A stated weekday that contradicts the date means the words are wrong somewhere.
        stated = _WEEKDAYS[match["wd"].lower()]
        if day.weekday() != stated:
            raise _Unresolved(
                f"{day.day} {_MONTH_NAMES[day.month]} {day.year} is a {_WEEKDAY_NAMES[day.weekday()]}, "
                f"not a {_WEEKDAY_NAMES[stated]}"
            )
    return _span(Precision.DAY, day)


def _month(match: re.Match[str], anchor: date | None) -> _Span:
    """A month: "December 2016" as given; "December" alone is the latest December not after
    the anchor's month, and "last December" the latest one strictly before it."""
    month = _MONTHS[match["m"].lower()]
    if match["y"]:
        return _span(Precision.MONTH, _make_date(int(match["y"]), month, 1))
    start = _latest_month_start(month, _need_anchor(anchor), strictly_before=bool(match["last"]))
    return _span(Precision.MONTH, start)


def _offset(match: re.Match[str], anchor: date | None) -> _Span:
    """An offset, "<N> years after <date>": resolve the date, move it, keep its precision
    ("five years after 2011" is 2016, "five years after 2011-02-17" is 2016-02-17).

    The period's start is moved and the period around the result taken, so a day moved by
    months clamps to the month's end, and a coarse date moved by a finer unit stays coarse.
    """
    base = match["base"]
    try:
        start, _, precision = _resolve_words(base, anchor)
    except _Unresolved as failure:
        raise failure.within(base) from None
    if start is None:
        raise _Unresolved("cannot count from a date that is not known", words=base)
    sign = -1 if match["dir"].lower() == "before" else 1
    return _span(precision, _shift(start, sign * _count(match["n"]), _unit(match["unit"])))


def _ago(match: re.Match[str], anchor: date | None) -> _Span:
    """A count back from the anchor, "<N> weeks ago": the week (month, ...) N units before it."""
    unit = _unit(match["unit"])
    moved = _shift(_need_anchor(anchor), -_count(match["n"]), unit)
    return _span(_UNIT_PRECISION[unit], moved)


# Tried in order against the whole normalized, filler-stripped phrase; the first match wins.
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], date | None], _Span]]] = [
    (
        _compile(r"(?:date )?(?:unknown|unspecified|not stated|not known)|undated|unknown date"),
        _unknown,
    ),
    (_compile(r"(?P<n><COUNT>) (?P<unit><UNIT>) (?P<dir>after|before) (?P<base>.+)"), _offset),
    (_compile(r"(?P<n><COUNT>) (?P<unit><UNIT>) ago"), _ago),
    (_compile(r"<YEAR>-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), _iso_day),
    (_compile(r"<YEAR>-(?P<m>\d{1,2})"), _iso_month),
    (_compile(r"<YEAR>"), _year),
    (_compile(r"(?P<which>today|yesterday|tomorrow)<TIME_OF_DAY>"), _relative_day),
    (_compile(r"(?P<which>this|last|next) (?P<unit>week|month|year)"), _relative_period),
    (_compile(r"(?:(?P<last>last|past|this past) )?(?P<wd><WEEKDAY>)<TIME_OF_DAY>"), _weekday),
    (_compile(r"(?:(?P<wd><WEEKDAY>) )?<DAYNUM> (?:of )?(?P<m><MONTH>)(?: <YEAR>)?"), _day_in_words),
    (_compile(r"(?:(?P<wd><WEEKDAY>) )?(?P<m><MONTH>) <DAYNUM>(?: <YEAR>)?"), _day_in_words),
    (_compile(r"(?:(?P<last>last) )?(?P<m><MONTH>)(?: (?:of )?<YEAR>)?"), _month),
]
