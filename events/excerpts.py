"""Find a cited excerpt in a source's text: exact offsets, or the closest passage when absent.

Editors and seed files type quotes with straight quote marks and ordinary spaces, while
sources arrive with curly quotes and non-breaking spaces. Matching folds exactly those
differences and nothing else. Each folding maps one character to one character, so an
offset found in the folded text is the same offset in the original.

Pure Python (no ORM): the seed loader, the admin forms and the API all call it.
"""

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

# One character to one character, so offsets survive the folding.
_FOLD = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, also the typographic apostrophe
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u00a0": " ",  # no-break space
    }
)


def fold(text: str) -> str:
    """The text with curly quotes made straight and non-breaking spaces made plain."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Span:
    """Where an excerpt sits in a source text: text[start:end] == excerpt (Python slicing)."""

    start: int
    end: int
    excerpt: str


class ExcerptError(ValueError):
    """An excerpt cannot be placed in the source text; the message says why."""


class ExcerptNotFound(ExcerptError):
    """The excerpt is not in the text. `closest` is the most similar passage, to help fix it."""

    def __init__(self, excerpt: str, closest: str):
        self.excerpt = excerpt
        self.closest = closest
        message = f"excerpt not found in the source text: {_clip(excerpt)!r}"
        if closest:
            message += f"; the closest passage is {_clip(closest)!r}"
        super().__init__(message)


class AmbiguousExcerpt(ExcerptError):
    """The excerpt occurs more than once, so it does not say which passage is meant."""

    def __init__(self, excerpt: str, offsets: list[int]):
        self.excerpt = excerpt
        self.offsets = offsets
        super().__init__(
            f"excerpt occurs {len(offsets)} times in the source text (at offsets "
            f"{', '.join(map(str, offsets))}): {_clip(excerpt)!r}; quote more words so it names one passage"
        )


class FurnitureExcerpt(ExcerptError):
    """The excerpt quotes page furniture (a video title, an advertisement), not the source's claims."""


def locate_excerpt(text: str, excerpt: str, *, furniture: Sequence[str] = ()) -> Span:
    """Find `excerpt` in `text`, tolerating only quote-mark and non-breaking-space differences.

    Returns the span with the excerpt as the source writes it (curly quotes and all).
    Raises ExcerptNotFound (with the closest passage), AmbiguousExcerpt, or
    FurnitureExcerpt when the passage overlaps one of the `furniture` lines.
    """
    needle = fold(excerpt.strip())
    if not needle:
        raise ExcerptError("excerpt is empty")
    haystack = fold(text)
    offsets = _all_occurrences(haystack, needle)
    if not offsets:
        raise ExcerptNotFound(excerpt, closest_passage(text, excerpt))
    if len(offsets) > 1:
        raise AmbiguousExcerpt(excerpt, offsets)
    start = offsets[0]
    end = start + len(needle)
    _refuse_furniture(haystack, start, end, excerpt, furniture)
    return Span(start=start, end=end, excerpt=text[start:end])


def excerpt_at(text: str, excerpt: str, start: int, *, furniture: Sequence[str] = ()) -> Span:
    """Check that `excerpt` is the text at offset `start` (the same folding as `locate_excerpt`).

    For a writer that already knows where its words are (article intake: a proposal keeps
    its offsets): the passage then need not be unique in the text ("Ukraine" named 25
    times is still one mention). Raises ExcerptNotFound (with the closest passage) when the
    text there differs, FurnitureExcerpt as `locate_excerpt` does.
    """
    needle = fold(excerpt)
    if not needle.strip():
        raise ExcerptError("excerpt is empty")
    end = start + len(needle)
    if start < 0 or fold(text[start:end]) != needle:
        raise ExcerptNotFound(excerpt, closest_passage(text, excerpt))
    _refuse_furniture(fold(text), start, end, excerpt, furniture)
    return Span(start=start, end=end, excerpt=text[start:end])


def _refuse_furniture(haystack: str, start: int, end: int, excerpt: str, furniture: Sequence[str]) -> None:
    """Raise FurnitureExcerpt when [start, end) of the folded text overlaps a furniture line."""
    for line in furniture:
        if not line.strip():
            continue  # a blank furniture line would "occur" everywhere
        for line_start in _all_occurrences(haystack, fold(line.strip())):
            if start < line_start + len(line.strip()) and line_start < end:
                raise FurnitureExcerpt(
                    f"excerpt {_clip(excerpt)!r} quotes page furniture ({line.strip()!r}), not the source's claims"
                )


def closest_passage(text: str, excerpt: str) -> str:
    """The passage of `text`, as long as `excerpt`, that most resembles it ('' if none does).

    Anchored on the longest block the two share, then widened to the excerpt's length;
    good enough to show an editor which sentence they meant.
    """
    haystack, needle = fold(text), fold(excerpt.strip())
    if not needle or not haystack:
        return ""
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    block = matcher.find_longest_match(0, len(haystack), 0, len(needle))
    if block.size < min(8, len(needle)):
        return ""
    start = max(0, block.a - block.b)
    end = min(len(text), start + len(needle))
    return text[start:end].strip()


def _all_occurrences(haystack: str, needle: str) -> list[int]:
    offsets = []
    position = haystack.find(needle)
    while position != -1:
        offsets.append(position)
        position = haystack.find(needle, position + 1)
    return offsets


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
