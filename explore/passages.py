"""A source's text as its page shows it: lines, page furniture apart, every cited passage marked. Pure.

Citations point into the text by offsets. The text is cut at every line break and at
every passage's start and end, so each piece is plain text or covered by one or more
passages; a passage spanning lines or overlapping another is marked piece by piece. The
first piece of a passage carries its anchor (`passage-START-END`, what citations link
to), and its last piece the links to the records it supports. Lines that are page
furniture (titles of embedded videos, links, advertisements: never claims) are kept in
order but flagged, for the page to show them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Passage:
    """A span of the text cited by one or more records ({"label", "page", "kind"} each)."""

    start: int
    end: int
    records: list[dict] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"passage-{self.start}-{self.end}"


@dataclass
class Piece:
    text: str
    passages: list[Passage]  # those covering it, outermost first
    opens: list[Passage]  # those starting here (their anchors go here)
    closes: list[Passage]  # those ending here (their record links go after it)


@dataclass
class Line:
    pieces: list[Piece]
    furniture: bool


def passages_of(citations: list[dict]) -> list[Passage]:
    """One Passage per distinct (start, end), with every record citing it, in text order."""
    by_span: dict[tuple[int, int], Passage] = {}
    for citation in citations:
        span = (citation["start"], citation["end"])
        by_span.setdefault(span, Passage(*span)).records.append(citation["record"])
    return [by_span[span] for span in sorted(by_span, key=lambda s: (s[0], -s[1]))]


def lines(text: str, passages: list[Passage], furniture: list[str]) -> list[Line]:
    """The text as lines of pieces (see the module docstring)."""
    furniture_lines = {line.strip() for line in furniture if line.strip()}
    cuts = {0, len(text)}
    for passage in passages:
        cuts.update((passage.start, passage.end))
    position = 0
    for line in text.split("\n"):
        cuts.update((position, position + len(line)))
        position += len(line) + 1
    result: list[Line] = []
    position = 0
    for line_text in text.split("\n"):
        line_end = position + len(line_text)
        bounds = sorted(cut for cut in cuts if position <= cut <= line_end)
        pieces = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            if start == end:
                continue
            covering = [p for p in passages if p.start <= start and end <= p.end]
            pieces.append(
                Piece(
                    text=text[start:end],
                    passages=covering,
                    opens=[p for p in covering if p.start == start],
                    closes=[p for p in covering if p.end == end],
                )
            )
        result.append(Line(pieces=pieces, furniture=line_text.strip() in furniture_lines))
        position = line_end + 1
    return result
