"""Page furniture: the lines of a pasted page that are not article body.

A copied news page carries its headline (often twice), the page's date stamp ("September
1, 2014 / 6:18 AM / 3 years ago"), bylines, "1 Min Read", photo captions and credits,
"Reporting by ..." lines, standfirsts, crossheads, related-story headlines, "Read more"
links and disclaimers. None of them is a claim the source makes, so nothing is proposed
from them. Each rule below judges one line and has a name; the first that fires flags it.
Besides whole lines, credits printed inside a body line ("... (Reporting by X; Editing by
Y)") are flagged as spans.

The strongest general rule is `no_sentence_end`: body paragraphs of news copy end with
sentence punctuation, while headlines, standfirsts, crossheads, link texts and bylines do
not. Lines the editor lists (`not_article_body`) are furniture whatever they say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from events.excerpts import fold
from events.intake.text import TERMINAL, Line

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)


@dataclass(frozen=True)
class FurnitureSpan:
    start: int
    end: int
    rule: str
    confidence: float


def _words(line: str) -> int:
    return len(line.split())


# Each rule: (name, confidence, test on the line's text). Order matters only for the name
# reported; any rule flags the line.
_CREDIT = re.compile(
    r"^\(?(?:[-—–]\s*)?(?:With )?(?:additional )?(?:reporting|writing|editing|compiled|"
    r"assistance|contributing|contribution|written|edited|translated)\b.{0,40}\bby\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:By|From)\s+[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|and|&|de|van|al))*\s*(?:,.*)?$|"
    r"^[A-Z][\w.-]+(?: [A-Z][\w.-]+)? (?:Staff|Reporters?|Correspondents?|Desk|Newsroom)$|^Redazione\b"
)
_PAGE_DATE = re.compile(
    rf"(?:\b{_MONTHS}\.? \d{{1,2}},? \d{{4}}|\b\d{{1,2}} {_MONTHS}\.? \d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}|"
    r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?|GMT|UTC|ET|EST|BST|CET|MSK)?|\b\d+ (?:years?|months?|days?|hours?|minutes?) ago\b)",
    re.IGNORECASE,
)
_STAMP_WORDS = re.compile(
    r"^(?:Published|Updated|Modified|Posted|Last updated|First published)\b", re.IGNORECASE
)
_READ_TIME = re.compile(r"^\d+\s*(?:min(?:ute)?s?|mins?)\.?\s*(?:read|listen)\b", re.IGNORECASE)
_PHOTO = re.compile(
    r"\b(?:REUTERS|AFP|AP|EPA|ANSA|TASS|Getty|Sputnik|Xinhua|Anadolu|Shutterstock|Alamy)\s*/\s*[A-Z]|"
    r"\((?:AP|AFP|Reuters|EPA) Photo\b|\bPhoto(?:graph)?(?: by|:)\s|\bFile photo\b|"
    r"\bGetty Images\b|\bImage (?:source|caption|copyright)\b|©",
    re.IGNORECASE,
)
_LINK_TEXT = re.compile(
    r"^(?:read more|read also|see also|related(?: stories| coverage| articles?)?:?|more on this|"
    r"continue reading|click here|subscribe|sign up|learn more|watch|listen|share|advertisement|"
    r"leggi l'articolo|leggi l’articolo|recommended|most read|top stories|follow us|"
    r"download the app|comments?)\b",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"\b(?:is not responsible for|all rights reserved|copyright|terms of (?:use|service)|privacy policy|"
    r"cookies?\b.*\b(?:accept|consent)|on the Bloomberg Terminal|reproduction .* prohibited)\b",
    re.IGNORECASE,
)
_SECTION_TAG = re.compile(r"^#\w")
# A caption names who is where in the picture: "Laurent Fabius (left), ...".
_CAPTION_MARK = re.compile(
    r"\((?:left|right|center|centre|C|L|R|top|bottom|front|back|second (?:left|right)|2nd (?:left|right)|L to R|left to right|from left)\)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•●▪■►▶·*]\s")


def _no_sentence_end(line: str) -> bool:
    return line[-1] not in TERMINAL + "”\"’'»)" and not line.endswith(":")


_RULES: list[tuple[str, float, object]] = [
    ("credit_line", 0.98, lambda line: bool(_CREDIT.match(line)) and _words(line) <= 30),
    ("byline", 0.95, lambda line: bool(_BYLINE.match(line)) and _words(line) <= 12),
    ("page_stamp", 0.95, lambda line: bool(_STAMP_WORDS.match(line)) and _words(line) <= 12),
    ("page_date", 0.9, lambda line: bool(_PAGE_DATE.search(line)) and _words(line) <= 10),
    ("read_time", 0.98, lambda line: bool(_READ_TIME.match(line))),
    ("photo_credit", 0.95, lambda line: bool(_PHOTO.search(line))),
    ("link_text", 0.9, lambda line: bool(_LINK_TEXT.match(line)) and _words(line) <= 12),
    ("disclaimer", 0.9, lambda line: bool(_DISCLAIMER.search(line)) and _words(line) <= 40),
    ("caption", 0.9, lambda line: bool(_CAPTION_MARK.search(line))),
    ("section_tag", 0.95, lambda line: bool(_SECTION_TAG.match(line))),
    ("bullet", 0.8, lambda line: bool(_BULLET.match(line)) and _no_sentence_end(line)),
    ("no_sentence_end", 0.85, _no_sentence_end),
    (
        "crosshead",
        0.75,
        lambda line: (
            _words(line) <= 5
            and all(w[:1].isupper() or not w[:1].isalpha() for w in line.split())
            and line[-1] not in '?!”"»'
        ),
    ),
]

# A credit inside a body line: "(Reporting by X; Editing by Y)" or a closing "(ANSA)."
_INLINE_CREDITS = [
    (
        "inline_credit",
        re.compile(
            r"\(\s*(?:additional |with )?(?:reporting|writing|editing|compiled|written|edited)\b[^()]*\bby\b[^()]*\)\.?",
            re.IGNORECASE,
        ),
    ),
    ("closing_agency", re.compile(r"\s*\((?:ANSA|Reuters|AP|AFP|TASS|dpa|Xinhua|UNIAN)\)\.?\s*$")),
]


def find_furniture(
    lines: Sequence[Line],
    *,
    title: str = "",
    editor_lines: Iterable[str] = (),
) -> list[FurnitureSpan]:
    """Furniture in `lines`: whole lines (title, editor's lines, rules above) and credit
    spans inside body lines, in text order."""
    found: list[FurnitureSpan] = []
    given = {_key(line) for line in editor_lines if line.strip()}
    title_key = _key(title) if title.strip() else None
    seen: dict[str, int] = {}
    for line in lines:
        key = _key(line.text)
        seen[key] = seen.get(key, 0) + 1
    after_headline = False
    body_seen = False
    for number, line in enumerate(lines):
        key = _key(line.text)
        rule, confidence = _judge(line.text, key, given=given, title_key=title_key, repeated=seen[key] > 1)
        if not rule and after_headline and _is_standfirst(line, lines[number + 1 :]):
            rule, confidence = "standfirst", 0.7
        # a standfirst sits under the page's headline and furniture, before any body line
        body_seen = body_seen or not rule
        after_headline = not body_seen and rule not in ("", "standfirst")
        if rule:
            found.append(FurnitureSpan(start=line.start, end=line.end, rule=rule, confidence=confidence))
            continue
        for name, pattern in _INLINE_CREDITS:
            for match in pattern.finditer(line.text):
                start = line.start + match.start()
                while line.text[start - line.start].isspace():
                    start += 1
                found.append(
                    FurnitureSpan(start=start, end=line.start + match.end(), rule=name, confidence=0.9)
                )
    return sorted(found, key=lambda span: span.start)


def _is_standfirst(line: Line, rest: Sequence[Line]) -> bool:
    """A short sentence printed between the headline and the story ("Putin and Erdoğan make
    announcement after Moscow talks."): under 12 words, with a paragraph at least twice as
    long after it. (A lead is rarely that short: "Ukraine's President Volodymyr Zelensky
    continues to send out a firm message of defiance." has 14.)"""
    if _words(line.text) >= 12 or not rest:
        return False
    return any(_words(following.text) >= 2 * _words(line.text) + 5 for following in rest[:3])


def _judge(
    line: str, key: str, *, given: set[str], title_key: str | None, repeated: bool
) -> tuple[str, float]:
    if key in given:
        return "editor", 1.0
    if title_key is not None and key == title_key:
        return "headline", 0.99
    if repeated:
        # a page prints its headline, a caption or a teaser twice; body paragraphs are not
        # repeated word for word
        return ("headline", 0.95) if _no_sentence_end(line) else ("repeated_line", 0.85)
    for name, confidence, test in _RULES:
        if test(line):  # type: ignore[operator]
            return name, confidence
    return "", 0.0


def _key(line: str) -> str:
    """Lines compare with quote marks, spaces and case folded, and a leading bullet dropped."""
    line = _BULLET.sub("", fold(line.strip()))
    return " ".join(line.split()).casefold()
