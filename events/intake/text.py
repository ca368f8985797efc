"""The article as lines, paragraphs, quotations, a dateline and sentences, with exact offsets.

Every span here is a pair of character offsets into the article as pasted, so whatever a
later step proposes can be cited with `text[start:end]`. The text is never rewritten.

- Lines are the non-blank lines, stripped of surrounding whitespace; furniture is judged
  line by line (`events.intake.furniture`).
- Paragraphs are blocks of lines. Pages copy paragraphs either separated by blank lines or
  one a line, so every line starts a paragraph unless it plainly continues the previous one
  (a hard wrap: the previous line ends without sentence punctuation and this one starts in
  lower case).
- Quotations are the words between double quote marks, curly (“ ”), straight (") or
  guillemets (« »). A quotation left open at the end of a paragraph runs to the paragraph's
  end; when the next paragraph reopens with a quote mark, the wire convention for a quote
  over a paragraph break, it is marked `continues`.
- A dateline ("MOSCOW, Sept 4 (Reuters) -", "WASHINGTON (AP) —", "(ANSA) - BELGRADE,
  JUN 26 -", "WASHINGTON, December 8. /TASS/.") is recognised at the start of the first body
  line: its place and date words are kept, and it is not part of the first sentence.
- Sentences come from spaCy's blank English pipeline and its rule-based sentencizer (no
  trained model), run over the body only, with three repairs the sentencizer cannot make:
  no sentence starts inside a quotation, an opening quote mark after a full stop starts the
  next sentence instead of ending the last one, and "No. 1" is not a sentence end.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

OPENING_MARKS = "“«„"
CLOSING_MARKS = "”»"
STRAIGHT_MARK = '"'
# What may end a sentence, with the marks that may follow it.
TERMINAL = ".!?…"
_CLOSERS = "”\"’')]»"


@dataclass(frozen=True)
class Line:
    """One non-blank line, without its surrounding whitespace."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A block of lines the page shows as one paragraph."""

    index: int
    start: int
    end: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Quotation:
    """Words between quote marks: `start`..`end` are the words (marks excluded);
    `open_mark`/`close_mark` are the offsets of the marks (`close_mark` None when the quote
    runs to the end of its paragraph). `continues` is True when the next paragraph reopens
    the same quotation."""

    start: int
    end: int
    paragraph: int
    open_mark: int
    close_mark: int | None
    continues: bool = False

    @property
    def outer_start(self) -> int:
        return self.open_mark

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


@dataclass(frozen=True)
class Dateline:
    """The wire-copy dateline at the start of the body: its whole span (dash included), the
    place ("ST PETERSBURG, Russia"), the date words ("June 10") and the agency, each as
    offsets or None."""

    start: int
    end: int
    place: tuple[int, int] | None
    date: tuple[int, int] | None
    agency: tuple[int, int] | None


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


# --------------------------------------------------------------------------- lines


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, each stripped of surrounding whitespace."""
    lines: list[Line] = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        lines.append(Line(index=len(lines), start=start, end=start + len(stripped), text=stripped))
    return lines


def split_paragraphs(text: str, lines: Sequence[Line]) -> list[Paragraph]:
    """Group lines into paragraphs: a line continues the previous one only when that one
    ends mid-sentence and this one starts in lower case, on the very next line (a hard
    wrap); a blank line always separates."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and _continues(text, groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return [
        Paragraph(index=i, start=group[0].start, end=group[-1].end, lines=tuple(group))
        for i, group in enumerate(groups)
    ]


def _continues(text: str, previous: Line, line: Line) -> bool:
    between = text[previous.end : line.start]
    if between.count("\n") != 1:
        return False
    last = previous.text[-1]
    return last not in TERMINAL + _CLOSERS + ":" and line.text[0].islower()


# --------------------------------------------------------------------------- quotations


def find_quotations(text: str, paragraphs: Sequence[Paragraph]) -> list[Quotation]:
    """The quotations of each paragraph, in order (see the module docstring)."""
    found: list[Quotation] = []
    for number, paragraph in enumerate(paragraphs):
        found.extend(_paragraph_quotations(text, paragraph))
        if found and found[-1].paragraph == paragraph.index and found[-1].close_mark is None:
            following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
            if following is not None and _opens_with_mark(text, following):
                last = found.pop()
                found.append(
                    Quotation(
                        start=last.start,
                        end=last.end,
                        paragraph=last.paragraph,
                        open_mark=last.open_mark,
                        close_mark=None,
                        continues=True,
                    )
                )
    return found


def _opens_with_mark(text: str, paragraph: Paragraph) -> bool:
    first = text[paragraph.start]
    return first in OPENING_MARKS or first == STRAIGHT_MARK


def _paragraph_quotations(text: str, paragraph: Paragraph) -> list[Quotation]:
    quotations: list[Quotation] = []
    open_at: int | None = None
    for position in range(paragraph.start, paragraph.end):
        char = text[position]
        if char in OPENING_MARKS:
            role = "open"
        elif char in CLOSING_MARKS:
            role = "close"
        elif char == STRAIGHT_MARK:
            role = _straight_role(text, position, paragraph, is_open=open_at is not None)
        else:
            continue
        if role == "open" and open_at is None:
            open_at = position
        elif role == "open":
            # A second opening mark before any close: the first was never closed. Keep the
            # newer one, which a reader would take as the start of the quote.
            open_at = position
        elif role == "close" and open_at is not None:
            start, end = _trim(text, open_at + 1, position)
            if end > start:
                quotations.append(
                    Quotation(
                        start=start,
                        end=end,
                        paragraph=paragraph.index,
                        open_mark=open_at,
                        close_mark=position,
                    )
                )
            open_at = None
    if open_at is not None:
        start, end = _trim(text, open_at + 1, paragraph.end)
        if end > start:
            quotations.append(
                Quotation(start=start, end=end, paragraph=paragraph.index, open_mark=open_at, close_mark=None)
            )
    return quotations


def _straight_role(text: str, position: int, paragraph: Paragraph, *, is_open: bool) -> str:
    before = text[position - 1] if position > paragraph.start else " "
    after = text[position + 1] if position + 1 < paragraph.end else " "
    opens = before.isspace() or before in "([{—–-/" and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "close" if is_open else "open"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the words between two marks; only an outer line break or a leading space
    is dropped, so the annotated words ("... players here. ") stay as printed."""
    while start < end and text[start] in " \n\t\u00a0":
        start += 1
    while end > start and text[end - 1] in "\n\t":
        end -= 1
    return start, end


# --------------------------------------------------------------------------- dateline

_AGENCY = r"\((?P<agency>[A-Z][A-Za-z.&' -]{1,30})\)"
_SLASH_AGENCY = r"/(?P<agency2>[A-Z][A-Za-z-]{1,20})/\.?"
_PLACE = r"(?P<place>[A-Z][A-Z.'’/-]+(?:[ -][A-Z][A-Z.'’/-]+)*(?:,? (?:[A-Z][a-z]+\.?)(?: [A-Z][a-z]+)?)?)"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATELINE_DATE = rf"(?P<date>(?:(?i:{_MONTH})\.? \d{{1,2}}|\d{{1,2}} (?i:{_MONTH}))(?:,? \d{{4}})?)"
_DASH = r"\s*(?:--?|–|—|:)\s+"
_DATELINES = [
    # (ANSA) - BELGRADE, JUN 26 -
    re.compile(rf"\((?P<agency>[A-Z][A-Za-z]{{1,15}})\){_DASH}{_PLACE},? {_DATELINE_DATE}{_DASH}"),
    # ST PETERSBURG, Russia, June 10 (Reuters) -   /   GAZA (Reuters) -   /  KYIV, Ukraine (AP) —
    # LONDON/JERUSALEM, August 27, 2014 – (WAFA) –
    re.compile(rf"{_PLACE}(?:,? {_DATELINE_DATE})?(?: |{_DASH}){_AGENCY}{_DASH}"),
    # WASHINGTON, December 8. /TASS/.
    re.compile(rf"{_PLACE},? {_DATELINE_DATE}\.? {_SLASH_AGENCY}\s+"),
    # MOSCOW, Oct 2 -   /   BEIRUT, Lebanon —   (no agency)
    re.compile(rf"{_PLACE}(?:,? {_DATELINE_DATE})?{_DASH}"),
    # (Reuters) -
    re.compile(rf"{_AGENCY}{_DASH}"),
]


def find_dateline(text: str, line: Line) -> Dateline | None:
    """The dateline at the start of `line` (the first body line), or None."""
    for pattern in _DATELINES:
        match = pattern.match(text, line.start, line.end)
        if match is None:
            continue
        groups = match.re.groupindex
        place = match.span("place") if "place" in groups and match.group("place") else None
        if place is not None and not _looks_like_place(match.group("place")):
            continue
        when = match.span("date") if "date" in groups and match.group("date") else None
        agency = None
        for name in ("agency", "agency2"):
            if name in groups and match.group(name):
                agency = match.span(name)
        return Dateline(start=match.start(), end=match.end(), place=place, date=when, agency=agency)
    return None


def _looks_like_place(words: str) -> bool:
    """A dateline's place is in capitals ("GAZA", "ST PETERSBURG"); a capitalised first word of
    an ordinary sentence is not."""
    head = words.split(",")[0]
    letters = [c for c in head if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------- sentences


@functools.cache
def blank_english() -> Language:
    """spaCy's blank English pipeline with the rule-based sentencizer (nothing downloaded)."""
    nlp = spacy.blank("en")
    # "U.S.-backed", "U.N.-led": split the hyphen after an abbreviation, as spaCy already
    # does between letters ("Kremlin-linked"), so "U.S." can be matched as a name.
    infixes = [*nlp.Defaults.infixes, r"(?<=\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer", config={"overwrite": False})
    return nlp


def split_sentences(
    text: str, segments: Sequence[tuple[int, int, int]], quotations: Sequence[Quotation]
) -> list[Sentence]:
    """Sentences of the body `segments` ((start, end, paragraph index) each), offsets exact."""
    nlp = blank_english()
    sentencizer = nlp.get_pipe("sentencizer")
    result: list[Sentence] = []
    for seg_start, seg_end, paragraph in segments:
        doc = nlp.make_doc(text[seg_start:seg_end])
        _preset_boundaries(doc, seg_start, quotations)
        sentencizer(doc)
        for sent in doc.sents:
            start = seg_start + sent.start_char
            end = seg_start + sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                result.append(Sentence(start=start, end=end, paragraph=paragraph))
    return result


def _preset_boundaries(doc: Doc, offset: int, quotations: Sequence[Quotation]) -> None:
    inside = [(q.open_mark, q.outer_end) for q in quotations]
    for i, token in enumerate(doc):
        if i == 0:
            continue
        position = offset + token.idx
        previous = doc[i - 1]
        if token.text in OPENING_MARKS or (token.text == STRAIGHT_MARK and _opens_here(position, quotations)):
            # An opening mark after a full stop belongs to the sentence it opens.
            if previous.text in TERMINAL or previous.text in (".", "!", "?"):
                token.is_sent_start = True
                continue
        if any(start < position < end for start, end in inside):
            token.is_sent_start = False
        elif previous.text == "." and i >= 2 and doc[i - 2].lower_ in ("no", "nos") and token.like_num:
            token.is_sent_start = False
        elif any(q.close_mark == offset + previous.idx for q in quotations) and _reports_speech(doc, i):
            # "“Where are you now?” Zelensky asked": the attribution after a question or an
            # exclamation belongs to the quote's sentence
            token.is_sent_start = False


# Reporting verbs that may follow a quote ending in "?" or "!" in the same sentence.
_AFTER_QUOTE = frozenset(
    "said says asked asks added adds told tells replied replies wrote writes tweeted shouted".split()
)


def _reports_speech(doc: Doc, i: int) -> bool:
    """Whether a reporting verb comes within the next four words (before any full stop)."""
    for token in doc[i : i + 5]:
        if token.text in (".", "!", "?", "“", '"'):
            return False
        if token.lower_ in _AFTER_QUOTE:
            return True
    return False


def _opens_here(position: int, quotations: Sequence[Quotation]) -> bool:
    return any(q.open_mark == position for q in quotations)
