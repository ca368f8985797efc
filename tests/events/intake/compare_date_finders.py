"""Measure finders of date phrases on the annotated real sentences: dateparser's search and
this project's spaCy Matcher (`events.intake.dates`). Not a test (pytest does not collect
it); the numbers are quoted in `events/intake/dates.py` and the README.

    pip install dateparser==1.5.0     # not a project dependency: only this comparison uses it
    python -m tests.events.intake.compare_date_finders

For each finder and each set of sentences it prints:
- recall: the share of annotated phrases that a found phrase overlaps;
- precision: the share of found phrases that overlap an annotated phrase;
- exact words: the share of annotated phrases found with exactly their words;
- resolved exactly: the share of annotated phrases found (overlapping) whose resolution has
  the annotated start, end and precision. dateparser's phrases are resolved twice: by
  dateparser itself (a datetime, so a day), and by `events.dates.resolve`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from events.dates import DateResolutionError, resolve
from events.intake.dates import find_dates
from tests.events.intake.real_sentences import DEVELOPMENT, HELD_OUT, Example

# (start, end, words, meaning) of each found phrase; meaning is (start, end, precision) or None.
Found = tuple[int, int, str, tuple[date | None, date | None, str] | None]


def spacy_matcher(example: Example) -> list[Found]:
    return [
        (
            p.start,
            p.end,
            p.words,
            (p.date.start, p.date.end, p.date.precision.value) if p.date else (None, None, "unknown"),
        )
        for p in find_dates(example.text, anchor=example.anchor)
    ]


def _dateparser_search(example: Example, *, own_meaning: bool) -> list[Found]:
    from datetime import datetime

    from dateparser.search import search_dates

    base = datetime(example.anchor.year, example.anchor.month, example.anchor.day)
    results = search_dates(example.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    found, position = [], 0
    for words, moment in results:
        start = example.text.find(words, position)
        if start < 0:
            start = example.text.find(words)
        if start < 0:
            continue
        position = start + len(words)
        if own_meaning:
            meaning = (moment.date(), moment.date(), "day")
        else:
            try:
                fuzzy = resolve(words, anchor=example.anchor)
                meaning = (fuzzy.start, fuzzy.end, fuzzy.precision.value)
            except DateResolutionError:
                meaning = (None, None, "unknown")
        found.append((start, start + len(words), words, meaning))
    return found


def dateparser_own(example: Example) -> list[Found]:
    return _dateparser_search(example, own_meaning=True)


def dateparser_then_resolve(example: Example) -> list[Found]:
    return _dateparser_search(example, own_meaning=False)


def _gold_spans(example: Example) -> list[tuple[int, int, str, tuple]]:
    spans, position = [], 0
    for words, start, end, precision in example.dates:
        at = example.text.index(words, position)
        position = at + len(words)
        spans.append((at, position, words, (start, end, precision)))
    return spans


def measure(finder: Callable[[Example], list[Found]], examples: list[Example]) -> dict[str, float]:
    gold_total = found_total = found_overlapping = recalled = exact_words = resolved = 0
    started = time.perf_counter()
    for example in examples:
        gold = _gold_spans(example)
        found = finder(example)
        gold_total += len(gold)
        found_total += len(found)
        found_overlapping += sum(any(f[0] < g[1] and g[0] < f[1] for g in gold) for f in found)
        for g_start, g_end, g_words, g_meaning in gold:
            overlapping = [f for f in found if f[0] < g_end and g_start < f[1]]
            recalled += bool(overlapping)
            exact_words += any(f[2] == g_words and f[0] == g_start for f in overlapping)
            resolved += any(f[3] == g_meaning for f in overlapping)
    seconds = time.perf_counter() - started
    return {
        "phrases": gold_total,
        "recall": recalled / gold_total,
        "precision": found_overlapping / found_total if found_total else 0.0,
        "exact words": exact_words / gold_total,
        "resolved exactly": resolved / gold_total,
        "ms per sentence": 1000 * seconds / len(examples),
    }


def main() -> None:
    find_dates("warm-up on Monday", anchor=date(2017, 3, 3))  # load the pipeline outside the timing
    finders = {
        "dateparser search_dates (own dates)": dateparser_own,
        "dateparser search_dates + events.dates.resolve": dateparser_then_resolve,
        "spaCy Matcher (events.intake.dates)": spacy_matcher,
    }
    for name, examples in (("development", DEVELOPMENT), ("held out", HELD_OUT)):
        print(f"\n{name}: {len(examples)} sentences")
        for finder_name, finder in finders.items():
            figures = measure(finder, examples)
            print(
                f"  {finder_name:48} phrases {figures['phrases']:4d}  recall {figures['recall']:6.1%}  "
                f"precision {figures['precision']:6.1%}  exact words {figures['exact words']:6.1%}  "
                f"resolved exactly {figures['resolved exactly']:6.1%}  {figures['ms per sentence']:.1f} ms/sentence"
            )


if __name__ == "__main__":
    main()
