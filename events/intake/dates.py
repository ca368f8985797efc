"""Find the date phrases of running text, with exact offsets, and what each one means.

`find_dates(text, anchor=...)` returns every date expression of an article (or of one
sentence) in order: its exact character offsets into the text it was given
(`text[start:end] == words`), the rule that found it, the direction of its clause and the
cue that decided it, and the `FuzzyDate` it means, or None with the reason when it cannot
be dated honestly (the caller records "not stated"). Finding is this module's job;
meaning is not: every phrase is resolved by `events.dates.resolve`, so one rule set
decides what words mean, for the seed loader, the admin and intake alike.

How phrases are found, and why this way. Two libraries made for the job were measured
with `tests/events/intake/compare_date_finders.py` on real sentences annotated by hand
(`tests/events/intake/real_sentences.py`): DEVELOPMENT, 77 sentences from 37 articles of
27 publishers (142 date phrases), which this module's rules were written against, and
HELD_OUT, 25 sentences from 10 more articles (37 phrases), collected and annotated in two
batches after the rules were written. Recall: annotated phrases a found phrase overlaps;
precision: found phrases that overlap an annotated one; exact: found with exactly the
annotated words; resolved: found with the annotated start, end and precision.

+-----------------------------------------------+--------+-----------+-------+----------+
| held out (37 phrases)                         | recall | precision | exact | resolved |
+===============================================+========+===========+=======+==========+
| dateparser 1.5.0 search_dates, its own dates  | 100.0% | 86.4%     | 59.5% | 56.8%    |
| the same phrases through events.dates.resolve | 100.0% | 86.4%     | 59.5% | 64.9%    |
| spaCy 3.8 Matcher (this module), first runs   | 97.3%  | 100.0%    | 94.6% | 89.2%    |
| the same, after fixing what they showed       | 100.0% | 100.0%    | 100.0%| 97.3%    |
+-----------------------------------------------+--------+-----------+-------+----------+
| development (142 phrases)                     |        |           |       |          |
+-----------------------------------------------+--------+-----------+-------+----------+
| dateparser 1.5.0 search_dates, its own dates  | 85.2%  | 81.6%     | 48.6% | 48.6%    |
| the same phrases through events.dates.resolve | 85.2%  | 81.6%     | 48.6% | 56.3%    |
| spaCy 3.8 Matcher (this module)               | 100.0% | 100.0%    | 100.0%| 100.0%   |
+-----------------------------------------------+--------+-----------+-------+----------+

"First runs" is each held-out batch measured before any change made for it: the honest
figure. Its misses were "24 Oct, 2022" (found as the year), the "Saturday" of "starting
tomorrow, Saturday" (dated a week back), "Libya (2011)—A" (the dash glued to the year) and
"by October" after "September 2011" (dated October 2024): all but the last were fixed,
after which HELD_OUT is no longer unseen. The development figures of this module are those
of rules tuned on those sentences, not a measure. Both finders take a few milliseconds a
sentence; this one builds its matcher once per process (about 0.15 s) on the vocabulary
of the intake's own blank English pipeline (`events.intake.text.blank_english`, built once
for the whole pipeline), and then reads a 1,800-word article in 0.1-0.2 s, most of it the
Matcher.

dateparser's search looks for anything its parser accepts: it finds ordinary words
("May" of Theresa May, "after Friday" of "after Friday prayers"), cuts phrases short ("on
Sept" of "on Sept. 20") or long ("on Thursday in"), misses phrases broken over a line
("said on\nMonday"), cannot tell past from future ("on Friday" of "will hold talks on
Friday" is the Friday before), and returns substrings rather than offsets. spaCy's
rule-based `Matcher` on a blank English pipeline (`spacy.blank("en")`: its tokenizer and
the rule-based sentencizer, no trained model, nothing downloaded; shared with the rest of
intake) matches token patterns
written for news copy, gives exact offsets, and its sentences and clauses carry the cue
words that decide a direction. It is used (pinned in requirements.txt); dateparser is not
a dependency.

Directions. The clause around a phrase decides which way it points, by cue words, nearest
first: first in the phrase's own clause (split at commas, dashes, quote marks, "but",
"when", ...) before the phrase, then after it, then in the rest of the sentence.
- FUTURE: "will", "would", "should", "must", "'ll", "shall", "set for", "scheduled", "slated",
  "due to", "plans to", "planned for", "is to", "are to", "expected to", "expects",
  "likely to", "aims to", "hopes to", "to be held", "next", "upcoming", "ahead of".
  ("plans to" after "the" or an adjective is a noun, not a cue.)
- PAST: "said", "told", "was", "were", "had" and other common past-tense verbs of news
  copy ("met", "began", "signed", "resigned", ...), and a word ending in "-ed" right after
  a name or a pronoun ("Mubarak resigned", "they agreed"); not a participle after "be" or
  "is" ("to be held") nor half of a compound ("so-called", "Russia-backed").
- A future cue in the past ("had been planned for Friday", "was scheduled for November 23")
  names a plan without saying which side of the anchor its day fell on: direction None. So
  does a past verb of agreement or promise before "to" ("agreed to start joint patrols ...
  from March 15", "decided to", "pledged to").
- A reporting verb's past tense ("said", "told", "announced", ...) is the saying's: when it
  would put a day or a month without a year more than nine months back ("said on Twitter
  that their foreign ministers 'may speak by telephone' on January 9", read on 6 January),
  the nearest such day or month is taken instead (direction None); a past verb of the event
  itself keeps it ("Mubarak resigned on February 11", read in January 2012, is 2011). The
  same holds for "was", "were", "had" and "did" ("the date of January 21 was mentioned",
  read on 19 January, is 21 January, not a year back).
- A date right after an event noun ("confirmed the meeting on December 10") dates the
  event, not the verb, so past cues before it are not taken, unless a verb that holds the
  event comes just before ("it held a meeting on Monday"); a day or a month between an
  article and an event noun ("the Feb. 27-28 summit", "a September truce pact", "the
  December summit agreements") is that event's, and takes no cue at all: the nearest such
  day or month.
- A quotation keeps its own tense: inside one, only cues inside it count ("“... go ahead
  on 29 March,” Rutte told ..." takes nothing from "told"); outside, none inside it.
- A weekday in apposition to "tomorrow" or "yesterday" ("starting tomorrow, Saturday")
  points the way that word does.
- No cue: direction None, and `events.dates.resolve` applies its defaults (weekdays look
  back; a month or a day of a month without a year is the nearest such one).
"said Friday" is past; "talks set for Thursday" future; "on February 20" alone nearest.

Ordinary words are not dates:
- Month names that are also words or names ("May", "March") are months only with a day
  ("May 5"), a year ("May 2019"), "last/this/next year", or after "in", "during", "early",
  "late", "mid-", "since", "until", "last", "next" or "this"; "may" and "march" in lower
  case never are, nor is "May’s" (a person's). Other months alone need a preposition too
  ("for September" counts; the phrase is then "September"), or an article before and an
  event noun after ("the December summit").
- Weekdays are full names in capitals ("Sun", "Sat", "Wed" are not taken: newspapers and
  words); not "Friday prayers", a Friday sermon or mosque, not a holiday or a newspaper
  ("Good Friday", "Bloody Sunday", "Mail on Sunday", "Sunday Times"), not a plural
  ("on Fridays"), and not a weekday that is a sentence's subject ("Friday has become a
  peak day of protest").
- A four-digit number is a year only from 1800 to 2099 and not as a count or a label:
  "about 2000 soldiers", "1600 GMT", "Resolution 1973", "Flight 2011" are not years.
- "a second", "a year after the uprising", "four decades of war", "in years": not dates.
- Decades ("the 1990s") are found but cannot be dated honestly (wider than a year): date
  None, with the resolver's reason. So are "in recent weeks", spans no year holds, and the
  words that only say a time is near ("soon", "shortly", "the other day", "coming days",
  "in the near future": the `vague` rule), except "as soon as", "soon after", "soon-to-be"
  and the like.
- Two days of a month are one phrase ("Feb. 27-28", "Nov. 30-Dec. 1", "August 5 and 6",
  `day-range`), and so are two months ("from April to June", "between March and May",
  `month-range`); a count forward may be a range ("in three to four weeks’ time") or have an
  upper bound ("in less than two weeks", "within three days"); "later in the week" is this
  week, and "As of now" is a day.
- ", a month before Kiev is expected to sign ..." right after a date (`apposition`) names
  that date again at the count's unit: "on Monday, a month before ..." is Monday's month.
  Without a date just before it, it is not reported.
- "Today" with a capital is a day unless a name precedes it ("Russia Today"): it opens
  quoted sentences ("“Today we were supposed to ...").
- "in two weeks" is a date only when its clause points forward ("would be held in two
  weeks"); otherwise it is a length of time and is not reported.
- A dateline is only taken at the start of a paragraph, in capitals ("MOSCOW, Aug 14") or
  with its agency ("Moscow, Sept. 13, (dpa/GNA) -"); "KYIV, Ukraine (AP) —" has no date.

Limits: a month or a day without a year in a historical narrative takes the year nearest
the anchor, not the narrative's ("in September 2011, and by October" reads October as the
last one before publication); reported speech that keeps a past tense for a future day ("said peace talks in
Minsk on Wednesday were one of the last chances", published on a Tuesday) reads as past;
a cue is a word list, not a parse, so a date whose governing verb is two clauses away may
take a nearer, wrong one; "overnight", "in about a week", "within days" and "three decades
ago" are not date phrases here; a range of years ("from 2002 to 2004") is two phrases, not
a span, and so are two weekdays ("on Monday or Tuesday") and two days joined by "to" ("from
May 5 to 7"); "recently" and "earlier" are not reported; a
dateline filed a day after the source's publication date (time zones) is read as the
previous year's day.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Sentencizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex, filter_spans

from events.dates import (
    EVENT_NOUNS,
    DateResolutionError,
    Direction,
    FuzzyDate,
    Precision,
    bounds_for,
    resolve,
)
from events.intake.text import blank_english

__all__ = ["RULES", "DatePhrase", "find_dates"]


@dataclass(frozen=True)
class DatePhrase:
    """One date expression found in a text, and what it means."""

    start: int  # offset of its first character in the text given
    end: int  # offset just past its last character: text[start:end] == words
    words: str
    rule: str  # the pattern that found it, one of RULES
    direction: Direction | None  # the direction passed to events.dates.resolve; None: no cue decided
    cue: str | None  # the words that decided the direction ("will", "said"), or None
    date: FuzzyDate | None  # what the words mean; None when they cannot be dated honestly
    problem: str | None = None  # why not (the resolver's message), when date is None


def find_dates(text: str, *, anchor: date | None) -> list[DatePhrase]:
    """Every date phrase of `text`, in order, resolved against `anchor` (the source's
    publication date). Never raises for words it cannot date: those come back with date
    None and the reason in `problem`."""
    nlp, matcher = _pipeline()
    doc = nlp(text)
    spans = [span for span in _candidates(doc, matcher) if _keep(span)]
    phrases: list[DatePhrase] = []
    starts = {span.start for span in spans}
    for span in sorted(filter_spans(spans), key=lambda s: s.start):
        span = _with_offset(span)
        rule = span.label_
        if rule == "apposition":
            restated = _restated(span, phrases, starts, text)
            if restated is not None:
                phrases.append(restated)
            continue
        if rule in ("dateline", "month-event"):
            # a dateline looks back on its own; a month naming an event ("the December summit
            # agreements") is that event's, not the clause's verb's: the nearest such month
            direction, cue = None, None
        elif (named := _day_named_before(span, phrases)) is not None:
            direction, cue = named  # "starting tomorrow, Saturday": the weekday is tomorrow's
        elif _names_an_event(span):
            # "the Feb. 27-28 summit", "the June 30 deadline": the day of what is named, not of
            # the clause's verb
            direction, cue = None, None
        else:
            direction, cue = _direction(span, spans)
        if rule == "in-n-units" and direction is not Direction.FUTURE and not _says_from_now(span):
            continue  # "killed 20 people in two weeks": a length of time, not a date
        words = text[span.start_char : span.end_char]
        try:
            meaning, problem = resolve(words, anchor=anchor, direction=direction), None
        except DateResolutionError as refusal:
            meaning, problem = None, str(refusal)
        if (
            meaning is not None
            and direction is Direction.PAST
            and cue is not None
            and cue.lower() in WEAK_PAST_CUES
            and rule in YEARLESS_RULES
            and anchor is not None
            and (anchor - meaning.end).days > FAR_DAYS
        ):
            # "said on Twitter that their foreign ministers 'may speak by telephone' on
            # January 9", read on 6 January: the past is the saying's, not the day's
            direction, cue = None, None
            meaning = resolve(words, anchor=anchor, direction=None)
        phrases.append(
            DatePhrase(
                start=span.start_char,
                end=span.end_char,
                words=words,
                rule=rule,
                direction=direction,
                cue=cue,
                date=meaning,
                problem=problem,
            )
        )
    return phrases


# --------------------------------------------------------------------------- vocabulary

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Abbreviations are taken only before a day number ("Sept. 20", "Aug 14").
MONTH_ABBREVIATIONS = (
    "Jan", "Jan.", "Feb", "Feb.", "Mar.", "Apr", "Apr.", "Jun", "Jun.", "Jul", "Jul.", "Aug", "Aug.",
    "Sep", "Sep.", "Sept", "Sept.", "Oct", "Oct.", "Nov", "Nov.", "Dec", "Dec.",
)  # fmt: skip
# Month names that are also ordinary words or names need a stronger sign of being a month.
AMBIGUOUS_MONTHS = ("May", "March")
MONTH_PREPOSITIONS = (
    "in", "during", "since", "until", "till", "by", "from", "to", "through", "before", "after",
    "early", "late", "mid", "mid-", "last", "next", "this", "of", "between", "and", "or", "for",
)  # fmt: skip
AMBIGUOUS_MONTH_PREPOSITIONS = ("in", "during", "since", "until", "early", "late", "mid", "mid-", "last", "next", "this")  # fmt: skip
# Leading words a match may need but that are not part of the date's words (and that
# events.dates does not take as filler): "since July" is "July".
TRIMMED_LEADS = frozenset(
    {"since", "until", "till", "by", "from", "to", "through", "before", "after", "of", "between", "and", "or", "around"}
)  # fmt: skip
# Leads trimmed only from a month ("planned for September" is "September"): "for" before a
# span ("for the past two days") stays part of it.
TRIMMED_MONTH_LEADS = frozenset({"for"})
# Words after "soon" or "shortly" that make it relative to something else ("soon after the
# attack") or part of another phrase ("as soon as possible"), and words before it.
NOT_VAGUE_AFTER = frozenset({"as", "after", "afterwards", "afterward", "thereafter", "before", "enough", "-"})
NOT_VAGUE_BEFORE = frozenset({"as", "how", "too"})
NUMBER_WORDS = (
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
UNITS = ("day", "days", "week", "weeks", "month", "months", "year", "years")
TIMES_OF_DAY = ("morning", "afternoon", "evening", "night")
TIME_WORDS = ("midnight", "noon", "midday", "dawn", "daybreak", "dusk", "sunset", "sundown", "sunrise", "nightfall")  # fmt: skip
DASHES = ("-", "--", "–", "—", ":")

# Words after a weekday that make it something other than a day.
NOT_A_WEEKDAY_AFTER = frozenset(
    {"prayer", "prayers", "sermon", "sermons", "mosque", "mosques", "service", "services", "mass"}
    | {"times", "telegraph", "express", "mirror", "post", "herald", "independent", "star", "sport"}
)
# Words before a weekday that make it a holiday or a name ("Good Friday", "Bloody Sunday").
NOT_A_WEEKDAY_BEFORE = frozenset(
    {"good", "black", "bloody", "ash", "palm", "easter", "holy", "super", "cyber", "maundy", "white"}
)
# Verbs after a sentence-initial weekday that make it the subject: "Friday has become ...".
SUBJECT_VERBS = frozenset(
    {"has", "have", "is", "was", "had", "became", "becomes", "remains", "remained", "marks"}
)
# Words around a four-digit number that make it a count or a label, not a year.
NOT_A_YEAR_AFTER = frozenset(
    {"people", "troops", "soldiers", "civilians", "fighters", "residents", "refugees", "migrants",
     "dead", "killed", "km", "kilometres", "kilometers", "miles", "metres", "meters", "feet",
     "hours", "hrs", "gmt", "utc", "tonnes", "tons", "barrels", "dollars", "euros", "pounds",
     "votes", "seats", "rockets", "missiles", "shells", "cases", "deaths", "prisoners"}
)  # fmt: skip
NOT_A_YEAR_BEFORE = frozenset(
    {"about", "some", "nearly", "over", "around", "almost", "approximately", "roughly", "least", "than",
     "$", "€", "£", "#", "no", "no.", "number", "resolution", "article", "flight", "route", "highway",
     "room", "paragraph", "section", "unit", "brigade", "regiment", "decree", "law", "order"}
)  # fmt: skip

# Cue words, as sequences of lower-case tokens. Longest first within each list.
FUTURE_CUES: tuple[tuple[str, ...], ...] = (
    ("to", "be", "held"), ("ahead", "of"), ("set", "for"), ("set", "to"), ("due", "to"), ("due", "on"),
    ("due", "in"), ("expected", "to"), ("plans", "to"), ("plan", "to"), ("planned", "to"),
    ("planned", "for"), ("planning", "to"), ("aims", "to"), ("aim", "to"), ("hopes", "to"),
    ("intends", "to"), ("is", "to"), ("are", "to"), ("likely", "to"), ("going", "to"),
    ("expects",), ("expecting",), ("expect",), ("scheduled",), ("slated",), ("will",), ("would",),
    ("should",), ("shall",), ("must",), ("'ll",), ("’ll",), ("wo",), ("next",), ("upcoming",),
)  # fmt: skip
# Before a future cue, these make it a plan reported in the past: "had been planned for".
PAST_OF_FUTURE = frozenset({"had", "was", "were", "been"})
# Past verbs that, before "to", report a plan or a promise ("agreed to start joint patrols
# from March 15"): the day of what was agreed may be on either side of the anchor.
PLAN_VERBS = frozenset(
    {"agreed", "decided", "promised", "pledged", "vowed", "offered", "threatened", "undertook", "resolved"}
)
# Verbs that report speech: the past tense they give a clause is the speaking's, and the day
# they report may be ahead ("said ... may speak by telephone on January 9").
REPORTING_VERBS = frozenset(
    {"said", "told", "added", "announced", "reported", "stated", "declared", "claimed", "denied",
     "warned", "urged", "wrote", "noted", "tweeted", "quoted", "insisted", "recalled"}
)  # fmt: skip
# A day or a month without a year that a reporting verb's past tense would put more than this
# far back (about nine months) is the nearest such day or month instead: news copy gives the
# year of a date that old ("January 9 last year", "March 2016").
FAR_DAYS = 274
# The rules whose words carry no year, so that the direction picks it.
YEARLESS_RULES = frozenset({"month-day", "day-range", "month", "month-range", "part-of"})
# Past cues that, like a reporting verb, say when something was said or was so rather than
# when the day named happened ("the date of January 21 was mentioned", read on 19 January):
# they too give way to the nearest day or month when theirs is more than FAR_DAYS back.
WEAK_PAST_CUES = REPORTING_VERBS | {"was", "were", "had", "did"}
# Past verbs that hold an event: before an event noun and a date ("it held a meeting on
# Monday"), they date it, though a date after an event noun otherwise takes no past cue
# from before it ("confirmed the meeting on December 10").
HOLDING_VERBS = frozenset(
    {
        "held",
        "hosted",
        "had",
        "attended",
        "chaired",
        "convened",
        "concluded",
        "ended",
        "began",
        "opened",
        "staged",
    }
)
PAST_WORDS = frozenset(
    {"said", "told", "was", "were", "had", "did", "added", "announced", "reported", "confirmed",
     "declared", "stated", "met", "held", "began", "started", "ended", "took", "came", "went", "made",
     "gave", "saw", "spoke", "fought", "struck", "fell", "won", "lost", "left", "broke", "launched",
     "killed", "signed", "agreed", "resigned", "died", "erupted", "occurred", "happened", "attacked",
     "captured", "seized", "fired", "visited", "arrived", "returned", "called", "urged", "accused",
     "rejected", "approved", "voted", "invaded", "annexed", "collapsed", "failed", "decided",
     "suspended", "postponed", "delayed", "cancelled", "canceled", "brokered", "discussed",
     "released", "arrested", "deployed", "withdrew", "flared", "ousted", "toppled", "hosted",
     "warned", "denied", "claimed", "stormed", "shot", "hit", "led", "wrote", "sent", "ago"}
)  # fmt: skip
DETERMINERS = frozenset(
    {"the", "a", "an", "its", "his", "her", "their", "our", "my", "your", "this", "these", "those", "any", "no", "new"}
)  # fmt: skip
PASSIVE_AUXILIARIES = frozenset({"be", "been", "being", "is", "are", "am"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which"})
# Tokens that end a clause for the search for cues.
CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "--", "(", ")", "“", "”", '"', "but", "while", "whereas", "although", "though", "when", "because"})  # fmt: skip
EVENT_NOUN_SET = frozenset(EVENT_NOUNS) | {"meetings", "summits", "visits", "negotiations", "session", "round"}  # fmt: skip

# The rules: each the name of a group of token patterns (see `_patterns`).
RULES = (
    "dateline",
    "iso-date",
    "iso-month",
    "day-range",
    "month-day",
    "month-range",
    "month-event",
    "month",
    "part-of",
    "weekday",
    "possessive",
    "relative-day",
    "relative-period",
    "time-of-day",
    "span",
    "ago",
    "offset",
    "in-n-units",
    "apposition",
    "vague",
    "year-event",
    "year",
    "decade",
)


# --------------------------------------------------------------------------- patterns


def _spaced(*items: dict | list[dict]) -> list[dict]:
    """A token pattern from items (a token spec, or a list of them in a row), allowing line
    breaks and other whitespace tokens between any two tokens ("said on\\nMonday")."""
    pattern: list[dict] = []
    for item in items:
        for spec in item if isinstance(item, list) else [item]:
            if pattern:
                pattern.append({"IS_SPACE": True, "OP": "*"})
            pattern.append(spec)
    return pattern


def _opt(spec: dict) -> dict:
    return {**spec, "OP": "?"}


def _lower(*words: str) -> dict:
    return {"LOWER": {"IN": list(words)}}


def _text(*words: str) -> dict:
    return {"TEXT": {"IN": list(words)}}


_DAYNUM = {"TEXT": {"REGEX": r"^(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$"}}
_YEAR = {"TEXT": {"REGEX": r"^(?:18|19|20)\d\d$"}}
_WEEKDAY = _text(*WEEKDAYS)
_MONTH = _text(*MONTHS)
_MONTH_OR_ABBREVIATION = _text(*MONTHS, *MONTH_ABBREVIATIONS)
_COUNT = {"LOWER": {"REGEX": r"^(?:\d{1,3}|" + "|".join(NUMBER_WORDS) + r")$"}}
_UNIT = _lower(*UNITS)
_POSSESSIVE = _lower("'s", "’s")
_COMMA = {"ORTH": ","}
_MODIFIER = _lower("early", "late", "earlier", "later")
_ON = _lower("on")
_IN = _lower("in", "during")
_WHICH = _lower("last", "next", "this", "past", "coming")
_RANGE_DASH = {"LOWER": {"IN": ["-", "–", "and", "or"]}}
_EVENT = _lower(*EVENT_NOUNS)


# How a dateline may end after its day: a year, the agency, a dash or colon, in that order.
_DATELINE_ENDINGS: list[list[dict]] = [
    [
        _opt(_COMMA),
        _opt(_YEAR),
        {"ORTH": "("},
        {"TEXT": {"REGEX": r"^[^()]+$"}, "OP": "{1,4}"},
        {"ORTH": ")"},
        _opt({"ORTH": {"IN": list(DASHES)}}),
    ],
    [_opt(_COMMA), _YEAR, _opt({"ORTH": {"IN": list(DASHES)}})],
    [_opt({"ORTH": {"IN": list(DASHES)}})],
]


def _patterns() -> dict[str, list[list[dict]]]:
    """The token patterns of each rule. Optional words are `_opt`; a pattern never starts
    or ends with an optional comma, so a phrase never does."""
    weekday_core = [_opt(_WHICH), _opt(_lower("past")), _WEEKDAY, _opt(_lower(*TIMES_OF_DAY))]
    weekday_leads = [_opt(_MODIFIER), _opt(_ON)]
    time_after = [_lower("at", "around"), _lower(*TIME_WORDS)]
    return {
        "dateline": [
            # "MOSCOW, Aug 14 (Reuters) -", "KIEV, Ukraine, Feb 10 (Reuters) -", "MOSCOW Aug 14"
            *(
                _spaced(
                    {"TEXT": {"REGEX": r"^(?:[A-Z][A-Z'.-]+|/)$"}, "OP": "+"},
                    _opt(_COMMA),
                    _opt({"IS_TITLE": True}),
                    _opt(_COMMA),
                    _MONTH_OR_ABBREVIATION,
                    _DAYNUM,
                    *ending,
                )
                for ending in _DATELINE_ENDINGS
            ),
            # "LONDON - 26 October 2017:"
            _spaced(
                {"TEXT": {"REGEX": r"^[A-Z][A-Z'.-]+$"}, "OP": "+"},
                _opt({"ORTH": {"IN": list(DASHES)}}),
                _DAYNUM,
                _MONTH,
                _opt(_YEAR),
                _opt({"ORTH": {"IN": list(DASHES)}}),
            ),
            # "Moscow, Sept. 13, (dpa/GNA) -": a place in ordinary case needs its agency
            _spaced(
                {"IS_TITLE": True},
                _COMMA,
                _MONTH_OR_ABBREVIATION,
                _DAYNUM,
                _opt(_COMMA),
                {"ORTH": "("},
                {"TEXT": {"REGEX": r"^[^()]+$"}, "OP": "{1,4}"},
                {"ORTH": ")"},
                {"ORTH": {"IN": list(DASHES)}},
            ),
        ],
        "iso-date": [
            [
                {**_YEAR, "SPACY": False},
                {"ORTH": "-", "SPACY": False},
                {"TEXT": {"REGEX": r"^(?:0[1-9]|1[0-2])$"}, "SPACY": False},
                {"ORTH": "-", "SPACY": False},
                {"TEXT": {"REGEX": r"^(?:0[1-9]|[12]\d|3[01])$"}},
            ]
        ],
        "iso-month": [
            [
                {**_YEAR, "SPACY": False},
                {"ORTH": "-", "SPACY": False},
                {"TEXT": {"REGEX": r"^(?:0[1-9]|1[0-2])$"}},
            ]
        ],
        # "Feb. 27-28", "Nov. 30-Dec. 1", "27-28 February", "August 5 and 6": two days, one phrase
        "day-range": [
            _spaced(_opt(_ON), _MONTH_OR_ABBREVIATION, _DAYNUM, _RANGE_DASH, _DAYNUM),
            _spaced(_opt(_ON), _MONTH_OR_ABBREVIATION, _DAYNUM, _RANGE_DASH, _DAYNUM, _opt(_COMMA), _YEAR),
            _spaced(_opt(_ON), _MONTH_OR_ABBREVIATION, _DAYNUM, _RANGE_DASH, _MONTH_OR_ABBREVIATION, _DAYNUM),
            _spaced(
                _opt(_ON), _opt(_lower("the")), _DAYNUM, _RANGE_DASH, _DAYNUM, _opt(_lower("of")), _MONTH
            ),
            _spaced(
                _opt(_ON),
                _opt(_lower("the")),
                _DAYNUM,
                _RANGE_DASH,
                _DAYNUM,
                _opt(_lower("of")),
                _MONTH,
                _YEAR,
            ),
        ],
        "month-day": [
            _spaced(_opt(_MODIFIER), _opt(_ON), _MONTH_OR_ABBREVIATION, _DAYNUM),
            _spaced(_opt(_MODIFIER), _opt(_ON), _MONTH_OR_ABBREVIATION, _DAYNUM, _opt(_COMMA), _YEAR),
            _spaced(_opt(_ON), _WEEKDAY, _opt(_COMMA), _MONTH_OR_ABBREVIATION, _DAYNUM),
            _spaced(_opt(_ON), _WEEKDAY, _opt(_COMMA), _MONTH_OR_ABBREVIATION, _DAYNUM, _opt(_COMMA), _YEAR),
            _spaced(_opt(_ON), _opt(_lower("the")), _DAYNUM, _opt(_lower("of")), _MONTH, _opt(_YEAR)),
            _spaced(_opt(_ON), _WEEKDAY, _opt(_COMMA), _DAYNUM, _MONTH, _opt(_YEAR)),
            # "24 Oct, 2022", "24 Oct"
            _spaced(_opt(_ON), _DAYNUM, _text(*MONTH_ABBREVIATIONS)),
            _spaced(_opt(_ON), _DAYNUM, _MONTH_OR_ABBREVIATION, _opt(_COMMA), _YEAR),
        ],
        "month": [
            _spaced(_opt(_IN), _lower(*MONTH_PREPOSITIONS), _opt(_lower("-")), _MONTH),
            _spaced(
                _opt(_IN),
                _opt(_lower(*MONTH_PREPOSITIONS)),
                _opt(_lower("-")),
                _MONTH,
                _opt(_lower("of")),
                _YEAR,
            ),
            _spaced(_opt(_IN), _MONTH, _lower("last", "this", "next"), _lower("year")),
        ],
        # two months, one phrase: "from April to June", "between March and May", "April-June 2021"
        "month-range": [
            _spaced(_MONTH, _lower("to", "through", "-", "–"), _MONTH),
            _spaced(_MONTH, _lower("to", "through", "-", "–"), _MONTH, _YEAR),
            _spaced(_lower("between"), _MONTH, _lower("and"), _MONTH),
            _spaced(_lower("between"), _MONTH, _lower("and"), _MONTH, _YEAR),
        ],
        # a month naming what happened in it: "a September truce pact", "the December summit"
        # (the phrase is the month alone: see `_candidates`)
        "month-event": [
            _spaced(
                _lower("the", "a", "an", "this", "last"), _MONTH, {"IS_ALPHA": True, "OP": "{0,2}"}, _EVENT
            ),
        ],
        "part-of": [
            _spaced(
                _opt(_lower("the")),
                _opt(_lower("very")),
                _lower("end", "start", "beginning", "middle", "close", "rest", "remainder"),
                _lower("of"),
                _opt(_lower("the", "this", "next", "last")),
                target,
            )
            for target in (_lower("week", "month", "year"), _MONTH, _YEAR)
        ]
        + [
            _spaced(
                _opt(_lower("the")),
                _lower("end", "start", "beginning", "middle", "close", "rest", "remainder"),
                _lower("of"),
                _MONTH,
                _YEAR,
            )
        ],
        "weekday": [
            _spaced(*weekday_leads, *weekday_core),
            _spaced(*weekday_leads, *weekday_core, *time_after),
            # "at midnight on Saturday", "midnight Saturday"
            _spaced(_opt(_lower("at")), _lower(*TIME_WORDS), _opt(_ON), _WEEKDAY),
            # "in the early hours of Sunday"
            _spaced(
                _opt(_IN),
                _opt(_lower("the")),
                _opt(_lower("early", "small")),
                _lower("hours"),
                _lower("of"),
                _WEEKDAY,
            ),
        ],
        "possessive": [
            _spaced(_opt(_MODIFIER), _opt(_WHICH), _WEEKDAY, _POSSESSIVE),
            _spaced(_lower("today", "yesterday", "tomorrow", "tonight"), _POSSESSIVE),
            _spaced(_lower("this", "last", "next"), _lower("week", "month", "year"), _POSSESSIVE),
            _spaced(_MONTH_OR_ABBREVIATION, _DAYNUM, _POSSESSIVE),
        ],
        "relative-day": [
            _spaced(_opt(_MODIFIER), _lower("today", "yesterday", "tomorrow"), _opt(_lower(*TIMES_OF_DAY))),
            _spaced(_opt(_MODIFIER), _lower("tonight")),
            _spaced(_opt(_MODIFIER), _lower("this"), _lower("morning", "afternoon", "evening")),
            _spaced(_opt(_MODIFIER), _lower("last"), _lower("night")),
            # "at midday yesterday", "yesterday at noon"
            _spaced(_opt(_lower("at")), _lower(*TIME_WORDS), _lower("today", "yesterday", "tomorrow")),
            _spaced(_lower("today", "yesterday", "tomorrow"), _lower("at", "around"), _lower(*TIME_WORDS)),
            _spaced(_lower("as"), _lower("of"), _lower("now", "today")),
        ],
        "relative-period": [
            _spaced(
                _opt(_MODIFIER), _opt(_IN), _lower("this", "last", "next"), _lower("week", "month", "year")
            ),
            # "later in the week", "earlier in the month"
            _spaced(_MODIFIER, _lower("in"), _lower("the"), _lower("week", "month", "year")),
        ],
        "time-of-day": [
            _spaced(
                _lower("at", "around", "by", "until", "before", "after", "since", "from"), _lower(*TIME_WORDS)
            ),
        ],
        "span": [
            _spaced(
                _opt(_lower("over", "in", "during", "within", "throughout", "for", "across")),
                _lower("the"),
                _lower("past", "last", "previous", "next", "coming", "following"),
                _opt(
                    {
                        "LOWER": {
                            "REGEX": r"^(?:\d{1,3}|"
                            + "|".join(NUMBER_WORDS[2:])
                            + r"|few|several|many|couple)$"
                        }
                    }
                ),
                _opt(_lower("of")),
                _lower("hour", "hours", *UNITS),
            ),
            _spaced(
                _opt(_lower("over", "in", "during", "within", "throughout", "for", "across")),
                _lower("recent"),
                _lower("days", "weeks", "months", "years"),
            ),
        ],
        "ago": [_spaced(_COUNT, _UNIT, _lower("ago"))],
        "in-n-units": [
            _spaced(_lower("in"), _COUNT, _UNIT),
            _spaced(_lower("in"), _COUNT, _UNIT, _opt(_lower("'", "’", "'s", "’s")), _lower("time")),
            _spaced(_COUNT, _UNIT, _lower("from"), _lower("now")),
            # "in less than two weeks", "within three days" (pointing forward)
            _spaced(_lower("in"), _lower("less", "under"), _opt(_lower("than")), _COUNT, _UNIT),
            _spaced(_lower("within"), _COUNT, _UNIT),
            # "in three to four weeks’ time", "in two or three days"
            _spaced(_lower("in"), _COUNT, _lower("to", "or", "-", "–"), _COUNT, _UNIT),
            _spaced(
                _lower("in"),
                _COUNT,
                _lower("to", "or", "-", "–"),
                _COUNT,
                _UNIT,
                _opt(_lower("'", "’", "'s", "’s")),
                _lower("time"),
            ),
        ],
        # ", a month before ...": a count of units after a date and a comma restates that date
        # (kept only there: see `_keep` and `find_dates`)
        "apposition": [_spaced(_COUNT, _UNIT, _lower("before", "after", "earlier", "later"))],
        # words that say a time is near without saying when: found, and not dated
        "vague": [
            _spaced(_lower("soon", "shortly")),
            _spaced(_lower("the"), _lower("other"), _lower("day")),
            _spaced(
                _opt(_lower("in")),
                _opt(_lower("the")),
                _opt(_lower("very")),
                _lower("near"),
                _lower("future"),
            ),
            _spaced(
                _opt(_lower("in", "over", "during")), _lower("coming"), _lower("days", "weeks", "months")
            ),
        ],
        "year-event": [
            _spaced(_lower("the", "a", "an"), _YEAR, {"IS_ALPHA": True, "OP": "{0,2}"}, _lower(*EVENT_NOUNS)),
            _spaced(
                _lower("the", "a", "an"),
                _YEAR,
                {"IS_ALPHA": True, "OP": "{0,2}"},
                _lower("cease"),
                _lower("-"),
                _lower("fire"),
            ),
        ],
        "year": [
            _spaced(_opt(_IN), _opt(_MODIFIER), _YEAR),
            [{"LOWER": {"REGEX": r"^mid-(?:18|19|20)\d\d$"}}],
        ],
        "decade": [
            _spaced(
                _opt(_IN),
                _opt(_lower("the")),
                _opt(_lower("early", "mid", "late", "mid-")),
                {"LOWER": {"REGEX": r"^(?:mid-)?\d{3}0s$"}},
            ),
            _spaced(_opt(_IN), _lower("the"), {"TEXT": {"REGEX": r"^\d{3}0$"}}, _POSSESSIVE),
        ],
    }


def _mark_paragraphs(doc: Doc) -> Doc:
    """A blank line, or a line starting with a bullet, starts a sentence: headlines and
    list items have no full stop. A single line break does not (wire copy wraps lines
    inside sentences)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and (
            "\n\n" in previous.text or (token.text in "•·–-" and "\n" in previous.text)
        ):
            token.is_sent_start = True
    return doc


class _Reader:
    """Text to a Doc with sentences: the tokenizer of the intake's blank English pipeline
    (`events.intake.text.blank_english`, its vocabulary shared, so no second pipeline is
    built), with dashes splitting words, then the rule-based sentencizer and
    `_mark_paragraphs`."""

    def __init__(self, base: Language) -> None:
        base_tokenizer = base.tokenizer
        # Dashes split words ("(2011)—A Rapid Collapse", "said—on Tuesday"), as spaces would.
        infixes = [*base.Defaults.infixes, r"[—–]", r"(?<=\w)\)(?=[—–])"]
        self.tokenizer = Tokenizer(
            base.vocab,
            rules=base_tokenizer.rules,
            prefix_search=base_tokenizer.prefix_search,
            suffix_search=base_tokenizer.suffix_search,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=base_tokenizer.token_match,
            url_match=base_tokenizer.url_match,
        )
        self.sentencizer = Sentencizer()

    def __call__(self, text: str) -> Doc:
        return _mark_paragraphs(self.sentencizer(self.tokenizer(text)))


@functools.cache
def _pipeline() -> tuple[_Reader, Matcher]:
    """The reader (tokenizer and rule-based sentencizer, nothing trained, nothing
    downloaded) and the matcher of every rule, built once per process on the vocabulary of
    the intake's one blank English pipeline."""
    reader = _Reader(blank_english())
    matcher = Matcher(reader.tokenizer.vocab, validate=True)
    for rule, patterns in _patterns().items():
        matcher.add(rule, patterns)
    return reader, matcher


# --------------------------------------------------------------------------- keeping what is a date


def _candidates(doc: Doc, matcher: Matcher) -> Iterable[Span]:
    for match_id, start, end in matcher(doc):
        span = Span(doc, start, end, label=match_id)
        # A pattern may begin or end on whitespace between optional words, and a lead word may
        # be needed to match but not belong to the date ("since July" is "July").
        while len(span) > 1 and (
            span[0].is_space
            or span[0].lower_ in TRIMMED_LEADS
            or (span.label_ == "month" and span[0].lower_ in TRIMMED_MONTH_LEADS)
        ):
            span = Span(doc, span.start + 1, span.end, label=span.label)
        while len(span) > 1 and span[-1].is_space:
            span = Span(doc, span.start, span.end - 1, label=span.label)
        if span.label_ == "month-event":
            # the month is the date; its article and the event noun are not ("a September truce")
            month = next(t for t in span if t.text in MONTHS)
            span = Span(doc, month.i, month.i + 1, label=span.label)
        yield span


def _previous(token: Token) -> Token | None:
    """The nearest token before `token` that is not whitespace."""
    i = token.i - 1
    while i >= 0 and token.doc[i].is_space:
        i -= 1
    return token.doc[i] if i >= 0 else None


def _next(token: Token) -> Token | None:
    """The nearest token after `token` that is not whitespace."""
    i = token.i + 1
    while i < len(token.doc) and token.doc[i].is_space:
        i += 1
    return token.doc[i] if i < len(token.doc) else None


def _starts_paragraph(token: Token) -> bool:
    before = token.doc[token.i - 1] if token.i > 0 else None
    return before is None or (before.is_space and "\n" in before.text)


def _keep(span: Span) -> bool:
    """Whether a match is a date phrase rather than ordinary words that look like one."""
    rule = span.label_
    first, last = span[0], span[-1]
    before, after = _previous(first), _next(last)
    after_lower = after.lower_ if after is not None else ""
    if rule == "dateline":
        return _starts_paragraph(first) and any(t.text in MONTHS + MONTH_ABBREVIATIONS for t in span)
    if rule == "time-of-day" and after_lower in NOT_A_WEEKDAY_AFTER:
        return False  # "after noon prayers"
    if rule == "span" and after_lower == "of":
        return False  # "the last week of February" is February's, not a span back from the anchor
    weekdays = [t for t in span if t.text in WEEKDAYS]
    if rule in ("weekday", "possessive") and weekdays:
        weekday = weekdays[0]
        if after_lower in NOT_A_WEEKDAY_AFTER and rule == "weekday":
            return False
        if before is not None and before.lower_ in NOT_A_WEEKDAY_BEFORE and weekday.i == first.i:
            return False
        on, mail = _previous(weekday), None
        if on is not None and on.lower_ == "on":
            mail = _previous(on)
        if mail is not None and mail.text == "Mail":
            return False  # "the Mail on Sunday", a newspaper
        if (
            rule == "weekday"
            and weekday.i == first.i
            and weekday.is_sent_start
            and after_lower in SUBJECT_VERBS
        ):
            return False
        if (
            rule == "weekday"
            and len(span) == 1
            and before is not None
            and before.lower_ == "the"
            and after_lower == "of"
        ):
            return False  # a day's name: "the Friday of Pride and Dignity"
    if rule == "month":
        months = [t for t in span if t.text in MONTHS]
        if months:
            month = months[0]
            lead = _previous(month)
            while lead is not None and lead.text == "-":
                lead = _previous(lead)
            has_year = any(_is_year_token(t) for t in span) or span[-1].lower_ == "year"
            if month.text in AMBIGUOUS_MONTHS:
                if after_lower in ("'s", "’s"):
                    return False  # "May’s government"
                if not has_year and (lead is None or lead.lower_ not in AMBIGUOUS_MONTH_PREPOSITIONS):
                    return False
    if rule == "relative-day" and first.text == "Today" and not first.is_sent_start:
        # "Russia Today", "USA Today": a name before it; not "“Today we were supposed to ..."
        if before is not None and before.is_alpha and (before.is_title or before.is_upper):
            return False
    if rule == "vague" and first.lower_ in ("soon", "shortly"):
        if after_lower in NOT_VAGUE_AFTER or (before is not None and before.lower_ in NOT_VAGUE_BEFORE):
            return False  # "as soon as possible", "soon after the attack", "shortly before"
    if rule == "day-range" and after_lower in NOT_A_YEAR_AFTER:
        return False  # "on Feb. 27 - 28 people were killed"
    if rule == "year":
        year = next(t for t in span if t.text[-4:].isdigit())
        before_year, after_year = _previous(year), _next(year)
        if after_year is not None and after_year.lower_ in NOT_A_YEAR_AFTER:
            return False
        if before_year is not None and before_year.lower_ in NOT_A_YEAR_BEFORE:
            return False
        if (
            before_year is not None
            and before_year.text in ("-", "/", ":", "+")
            and not before_year.whitespace_
        ):
            return False  # part of "2017-03" or a score
    return True


def _is_year_token(token: Token) -> bool:
    return bool(re.fullmatch(r"(?:18|19|20)\d\d", token.text))


_COUNT_WORD = re.compile(r"\d{1,3}|" + "|".join(NUMBER_WORDS), re.IGNORECASE)


def _with_offset(span: Span) -> Span:
    """Extend a date to an offset from it, "five years after 2011", "3 days before March 2"."""
    relation = _previous(span[0])
    unit = _previous(relation) if relation is not None else None
    count = _previous(unit) if unit is not None else None
    if (
        relation is not None
        and relation.lower_ in ("after", "before")
        and unit is not None
        and unit.lower_ in UNITS
        and count is not None
        and _COUNT_WORD.fullmatch(count.text)
        and span.label_ not in ("dateline",)
    ):
        return Span(span.doc, count.i, span.end, label="offset")
    return span


def _day_named_before(span: Span, phrases: list[DatePhrase]) -> tuple[Direction | None, str] | None:
    """A weekday in apposition to "today", "tomorrow" or "yesterday" ("starting tomorrow,
    Saturday") names that day, so it points the way that word does."""
    if span.label_ != "weekday" or not phrases:
        return None
    before = phrases[-1]
    between = span.doc.text[before.end : span.start_char]
    if before.rule != "relative-day" or between.strip() not in (",", ""):
        return None
    word = before.words.lower()
    if word.endswith("tomorrow"):
        return Direction.FUTURE, before.words
    if word.endswith("yesterday"):
        return Direction.PAST, before.words
    return None, before.words


def _restated(span: Span, phrases: list[DatePhrase], starts: set[int], text: str) -> DatePhrase | None:
    """ ", a month before Kiev is expected to sign ...": a count of units in apposition to the
    date just before it (a comma between) names that date again, at the precision of its
    unit: "on Monday, a month before ..." is Monday's month. None (not a date phrase) when no
    date stands just before it, or when a date follows it ("a month before March 2" is an
    offset, found as such)."""
    if not phrases or text[phrases[-1].end : span.start_char].strip() != ",":
        return None
    following = _next(span[-1])
    if following is not None and following.i in starts:
        return None
    before = phrases[-1]
    words = text[span.start_char : span.end_char]
    unit = next(t.lower_ for t in span if t.lower_ in UNITS).removesuffix("s")
    precision = Precision(_UNIT_PRECISION[unit])
    base = before.date
    if base is None or base.precision is Precision.UNKNOWN:
        meaning, problem = (
            None,
            f'cannot resolve date "{words}": the date it restates ("{before.words}") is not known',
        )
    else:
        coarser = max(precision, base.precision, key=lambda p: p.rank)
        start, end = bounds_for(coarser, base.start)
        if (start, end) != bounds_for(coarser, base.end):  # the date before spans two such periods
            start, end, coarser = base.start, base.end, base.precision
        meaning = FuzzyDate(text=words, anchor=base.anchor, start=start, end=end, precision=coarser)
        problem = None
    return DatePhrase(
        start=span.start_char,
        end=span.end_char,
        words=words,
        rule="apposition",
        direction=before.direction,
        cue=before.words,
        date=meaning,
        problem=problem,
    )


_UNIT_PRECISION = {"day": "day", "week": "week", "month": "month", "year": "year"}


def _names_an_event(span: Span) -> bool:
    """Whether a day or a month stands between an article and an event noun ("the Feb. 27-28
    summit", "a Nov. 24 deadline"): it is then the date of that event."""
    if span.label_ not in ("month-day", "day-range", "month"):
        return False
    article = _previous(span[0])
    if article is None or article.lower_ not in ("the", "a", "an"):
        return False
    following = _next(span[-1])
    for _ in range(3):
        if following is None or not following.is_alpha:
            return False
        if following.lower_ in EVENT_NOUN_SET:
            return True
        following = _next(following)
    return False


def _says_from_now(span: Span) -> bool:
    return span[-1].lower_ in ("now", "time")


# --------------------------------------------------------------------------- directions


@dataclass(frozen=True)
class _Cue:
    first: int  # index of its first token in the sentence's tokens
    last: int  # index of its last token
    direction: Direction | None  # None: a plan reported in the past ("had been planned for")
    words: str


def _direction(span: Span, found: list[Span]) -> tuple[Direction | None, str | None]:
    """The direction of the clause around `span`, and the cue that decided it (see the
    module docstring): the nearest cue in its clause before it, then after it, then in the
    rest of its sentence before it, then after it. Words of other date phrases are not cues
    ("next" of "next month" says nothing of a date beside it)."""
    inside_other_dates = {i for other in found for i in range(other.start, other.end)} - set(
        range(span.start, span.end)
    )
    tokens = [t for t in span.sent if not t.is_space and t.i not in inside_other_dates]
    here = next(k for k, t in enumerate(tokens) if t.i >= span.start)
    after_here = next((k for k, t in enumerate(tokens) if t.i >= span.end), len(tokens))
    breaks = [k for k, t in enumerate(tokens) if t.lower_ in CLAUSE_BREAKS and _is_break(t)]
    clause_start = max((k + 1 for k in breaks if k < here), default=0)
    clause_end = min((k for k in breaks if k >= after_here), default=len(tokens))
    # A date right after an event noun dates the event, not a verb before it.
    # A verb that holds the event ("it held a meeting on Monday") still dates it.
    past_before = not (here > 0 and tokens[here - 1].lower_ in EVENT_NOUN_SET) or any(
        t.lower_ in HOLDING_VERBS for t in tokens[max(0, here - 5) : here - 1]
    )
    # A quotation keeps its own tense: a date inside one takes no cue from the attribution
    # around it ("... on 29 March,” Rutte told ...), nor one outside from a quotation.
    quoted = _quoted(tokens)
    cues = [
        cue
        for cue in _cues(tokens)
        if (cue.last < here or cue.first >= after_here) and quoted[cue.first] == quoted[here]
    ]
    searches = (
        [
            c
            for c in reversed(cues)
            if clause_start <= c.first
            and c.last < here
            and (past_before or c.direction is not Direction.PAST)
        ],
        [c for c in cues if after_here <= c.first < clause_end],
        [c for c in reversed(cues) if c.last < clause_start],
        [c for c in cues if c.first >= clause_end],
    )
    for candidates in searches:
        if candidates:
            return candidates[0].direction, candidates[0].words
    return None, None


def _quoted(tokens: list[Token]) -> list[bool]:
    """For each token, whether it is inside quotation marks (curly or straight)."""
    inside, flags = False, []
    for token in tokens:
        if token.text == "“" or (token.text == '"' and not inside):
            inside = True
            flags.append(False)
        elif token.text == "”" or (token.text == '"' and inside):
            flags.append(False)
            inside = False
        else:
            flags.append(inside)
    return flags


def _is_break(token: Token) -> bool:
    return token.text not in ("-", "--") or bool(token.whitespace_)


def _cues(tokens: list[Token]) -> list[_Cue]:
    """Every cue among `tokens`, left to right; a future cue of several words is one cue."""
    cues = []
    k = 0
    while k < len(tokens):
        cue = _cue_at(tokens, k)
        if cue is None:
            k += 1
            continue
        cues.append(cue)
        k = cue.last + 1
    return cues


def _cue_at(tokens: list[Token], k: int) -> _Cue | None:
    """The cue starting at tokens[k], if any."""
    for words in FUTURE_CUES:
        window = tuple(t.lower_ for t in tokens[k : k + len(words)])
        if window != words:
            continue
        following = tokens[k + len(words)].lower_ if k + len(words) < len(tokens) else ""
        if words == ("wo",) and following not in ("n't", "n’t"):
            continue
        if words in (("should",), ("must",)) and following == "have":
            continue  # "should have", "must have": a past
        if (
            words[0] in ("plan", "plans")
            and k > 0
            and (tokens[k - 1].lower_ in DETERMINERS or tokens[k - 1].lower_.endswith("ing"))
        ):
            continue  # a noun: "the evolving plans to widen the war"
        text = " ".join(t.text for t in tokens[k : k + len(words)])
        first = k
        while first > 0 and tokens[first - 1].lower_ in PAST_OF_FUTURE:
            first -= 1
        if first < k and words not in (("would",), ("should",), ("will",)):
            # "had been planned for Friday": a plan reported in the past
            return _Cue(
                first, k + len(words) - 1, None, " ".join(t.text for t in tokens[first:k]) + " " + text
            )
        return _Cue(k, k + len(words) - 1, Direction.FUTURE, text)
    token = tokens[k]
    if k > 0 and tokens[k - 1].text == "-" and not tokens[k - 1].whitespace_:
        return None  # half of a compound: "so-called", "Russia-backed"
    if (
        k > 0
        and tokens[k - 1].lower_ in PASSIVE_AUXILIARIES
        and token.lower_ not in ("said", "told", "was", "were", "had")
    ):
        return None  # "to be held", "is expected": a participle, not a past tense
    if token.lower_ in PLAN_VERBS and k + 1 < len(tokens) and tokens[k + 1].lower_ == "to":
        return _Cue(k, k + 1, None, f"{token.text} to")  # "agreed to start ... from March 15"
    if token.lower_ in PAST_WORDS:
        return _Cue(k, k, Direction.PAST, token.text)
    if token.is_lower and token.is_alpha and len(token.text) > 4 and token.text.endswith("ed"):
        before = tokens[k - 1] if k > 0 else None
        if before is not None and (
            before.lower_ in PRONOUNS or (before.is_title and not before.is_sent_start)
        ):
            return _Cue(k, k, Direction.PAST, token.text)
    return None
