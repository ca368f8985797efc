"""The intake pipeline: an article's text and metadata, plus what the database knows, in; one
`IntakeResult` holding every proposal out.

The steps, each pure and each in its own module:

1. `text`: lines and paragraphs with exact offsets;
2. `furniture`: which lines (and credit spans) are not article body;
3. `text`: the dateline of the first body line, the quotations and the sentences of the
   body (furniture and the dateline are never part of a sentence);
4. `dates`: the date phrases of the text, found and resolved against the publication date
   (phrases touching furniture are dropped);
5. `actors`: mentions of known actors and new-actor proposals;
6. `quotes`: direct quotes and paraphrases with their speakers and dates;
7. `happenings`: sentences and clauses reporting events.

Nothing is proposed from furniture: every statement and event lies inside the body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from events.dates import DateResolutionError, resolve
from events.intake import happenings
from events.intake.actors import find_actors
from events.intake.furniture import find_furniture
from events.intake.known import Known
from events.intake.proposals import DateProposal, FurnitureProposal, IntakeResult
from events.intake.quotes import find_statements
from events.intake.text import (
    Dateline,
    Line,
    Quotation,
    blank_english,
    find_dateline,
    find_quotations,
    split_lines,
    split_paragraphs,
    split_sentences,
)


@dataclass(frozen=True)
class ArticleMetadata:
    """What the editor gives with the text (the `seeds/source.json` fields intake uses)."""

    title: str = ""
    published_on: date | None = None
    not_article_body: tuple[str, ...] = ()
    publisher: str = ""


DateFinder = Callable[..., Iterable[Any]]
NOTHING_KNOWN = Known()


def propose(
    text: str,
    metadata: ArticleMetadata,
    known: Known = NOTHING_KNOWN,
    *,
    date_finder: DateFinder | None = None,
) -> IntakeResult:
    """Run every step over `text` and return all proposals (see the module docstring).

    `date_finder` is `events.intake.dates.find_dates` unless given (tests of other steps
    pass a finder that finds nothing)."""
    anchor = metadata.published_on
    lines = split_lines(text)
    paragraphs = split_paragraphs(text, lines)
    furniture_spans = find_furniture(lines, title=metadata.title, editor_lines=metadata.not_article_body)
    furniture = tuple(
        FurnitureProposal(
            start=f.start, end=f.end, excerpt=text[f.start : f.end], rule=f.rule, confidence=f.confidence
        )
        for f in furniture_spans
    )
    blocked = [(f.start, f.end) for f in furniture]

    # the body: each paragraph's stretches outside furniture, the dateline cut off
    segments: list[tuple[int, int, int]] = []
    dateline: Dateline | None = None
    for paragraph in paragraphs:
        for start, end in _subtract(paragraph.start, paragraph.end, blocked):
            if dateline is None and not segments:
                line = next(line for line in paragraph.lines if line.end > start)
                first = Line(
                    index=line.index,
                    start=start,
                    end=min(end, line.end),
                    text=text[start : min(end, line.end)],
                )
                found = find_dateline(text, first)
                if found is not None:
                    dateline = found
                    start = found.end
            if text[start:end].strip():
                segments.append((start, end, paragraph.index))
    body = [(start, end) for start, end, _ in segments]

    quotations = [q for q in find_quotations(text, paragraphs) if _inside_any(q.outer_start, q.end, body)]
    sentences = split_sentences(text, segments, quotations)
    dates = tuple(sorted(_dates(text, anchor, blocked, dateline, date_finder), key=lambda d: d.start))

    doc = blank_english().make_doc(text)
    findings = find_actors(doc, body=body, known=known, paragraph_starts=[start for start, _, _ in segments])
    statements = find_statements(
        text,
        sentences=sentences,
        quotations=quotations,
        findings=findings,
        dates=dates,
        anchor=anchor,
        dateline_end=dateline.end if dateline else None,
    )
    events = happenings.find_events(
        text,
        doc=doc,
        sentences=sentences,
        quotations=quotations,
        findings=findings,
        dates=dates,
        anchor=anchor,
        known=known,
        dateline=dateline,
    )
    return IntakeResult(
        text=text,
        anchor=anchor,
        furniture=furniture,
        dates=dates,
        mentions=tuple(findings.mentions),
        new_actors=tuple(findings.new_actors),
        statements=tuple(sorted(statements, key=lambda s: (s.start, s.kind))),
        events=tuple(events),
    )


def _dates(
    text: str,
    anchor: date | None,
    blocked: Sequence[tuple[int, int]],
    dateline: Dateline | None,
    finder: DateFinder | None,
) -> Iterable[DateProposal]:
    """Date phrases from the finder (`events.intake.dates.find_dates`), outside furniture."""
    if finder is None:
        from events.intake.dates import find_dates as finder

    found = []
    for phrase in finder(text, anchor=anchor):
        if any(phrase.start < end and start < phrase.end for start, end in blocked):
            continue
        found.append((phrase.start, phrase.end))
        fuzzy = phrase.date
        in_dateline = dateline is not None and dateline.start <= phrase.start < dateline.end
        yield DateProposal(
            start=phrase.start,
            end=phrase.end,
            excerpt=text[phrase.start : phrase.end],
            date_start=fuzzy.start if fuzzy else None,
            date_end=fuzzy.end if fuzzy else None,
            precision=str(fuzzy.precision) if fuzzy else "unknown",
            anchor=anchor,
            direction=str(phrase.direction) if phrase.direction else "",
            rule=phrase.rule,
            confidence=(0.9 if in_dateline else 0.8)
            if fuzzy is not None and str(fuzzy.precision) != "unknown"
            else 0.3,
        )
    # a dateline the finder did not read ("(ANSA) - BELGRADE, JUN 26 -"): its date words,
    # found by `text.find_dateline`, resolved by the project's resolver
    if dateline is not None and dateline.date is not None:
        start, end = dateline.date
        if not any(a < end and start < b for a, b in found):
            try:
                fuzzy = resolve(text[start:end], anchor=anchor)
            except DateResolutionError:
                fuzzy = None
            if fuzzy is not None:
                yield DateProposal(
                    start=start,
                    end=end,
                    excerpt=text[start:end],
                    date_start=fuzzy.start,
                    date_end=fuzzy.end,
                    precision=str(fuzzy.precision),
                    anchor=anchor,
                    direction="",
                    rule="dateline",
                    confidence=0.85,
                )


def _subtract(start: int, end: int, blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = [(start, end)]
    for b_start, b_end in blocked:
        next_pieces = []
        for p_start, p_end in pieces:
            if b_end <= p_start or b_start >= p_end:
                next_pieces.append((p_start, p_end))
                continue
            if p_start < b_start:
                next_pieces.append((p_start, b_start))
            if b_end < p_end:
                next_pieces.append((b_end, p_end))
        pieces = next_pieces
    return [(a, b) for a, b in pieces if b > a]


def _inside_any(start: int, end: int, regions: Sequence[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in regions)


def warm_up(known: Known = NOTHING_KNOWN) -> None:
    """Build what the first call would otherwise build (spaCy pipelines, the matchers of
    `known`, the gazetteer): about a second, better spent when a server starts than while
    an editor waits for the first proposals."""
    propose(
        "WASHINGTON (Reuters) - The minister said on Monday: “Talks will go on.”",
        ArticleMetadata(published_on=date(2020, 1, 1)),
        known,
    )


__all__ = ["ArticleMetadata", "Quotation", "propose", "warm_up"]
