"""An article's text as HTML with its proposals highlighted in place (the review page).

Proposals overlap (an event's clause inside a statement's excerpt) and may cross, which
nested elements cannot express. So the text is cut at every proposal's start and end, and
each piece is wrapped in one `<mark>` per proposal covering it, innermost the shortest:
every `<mark>` closes before the piece ends, the HTML is always well formed, and the marks
of one proposal (`data-proposal="ID"`), read in order, spell exactly its excerpt. Before
the first piece of each proposal stands its label ("S3"), a link to its row. Furniture is
shown apart: greyed, in `<span class="intake-furniture">`, never a `<mark>`.

Pure: the text and spans in, safe HTML out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Highlight:
    """One proposal's span: `kind` (its CSS class), `key` (its id) and `label` ("S3")."""

    start: int
    end: int
    kind: str
    key: int
    label: str
    state: str = "pending"


def article_html(
    text: str, highlights: Sequence[Highlight], furniture: Sequence[tuple[int, int]] = ()
) -> SafeString:
    """`text` as HTML: each highlight's pieces in `<mark>`s, furniture in grey spans (see the module)."""
    cuts = {0, len(text)}
    for item in highlights:
        cuts.update((item.start, item.end))
    for start, end in furniture:
        cuts.update((start, end))
    points = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    starting: dict[int, list[Highlight]] = {}
    for item in sorted(highlights, key=lambda h: (h.start, -h.end, h.key)):
        starting.setdefault(item.start, []).append(item)
    html: list[str] = []
    for start, end in zip(points, points[1:], strict=False):
        for item in starting.get(start, ()):
            html.append(
                format_html(
                    '<a class="intake-label intake-{}" href="#proposal-{}">{}</a>',
                    item.kind,
                    item.key,
                    item.label,
                )
            )
        piece = escape(text[start:end])
        if any(f_start <= start and end <= f_end for f_start, f_end in furniture):
            html.append(f'<span class="intake-furniture" title="page furniture: not a claim">{piece}</span>')
            continue
        covering = sorted(
            (h for h in highlights if h.start <= start and end <= h.end),
            key=lambda h: (-(h.end - h.start), h.key),
        )
        opening = "".join(
            format_html(
                '<mark class="intake-{} intake-{}" data-proposal="{}" title="{}">',
                h.kind,
                h.state,
                h.key,
                h.label,
            )
            for h in covering
        )
        html.append(opening + piece + "</mark>" * len(covering))
    return mark_safe("".join(html))
