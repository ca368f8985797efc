"""How well intake proposes: the pipeline scored against hand-annotated articles.

Each folder of the development set (`tests/fixtures/articles/<name>/`: `article.txt`,
`source.json`, `annotations.yaml`, format in that folder's README) is run through
`events.intake.propose.propose` and compared with its annotations:

- actors: an annotated actor is found when a known actor mentioned in the body or a
  new-actor proposal has its name (compared without case, accents or a leading "the"),
  or its surname when that is all the article gives ("Makeyev" for Oleksiy Makeyev);
  precision is the share of the actors the pipeline names that are annotated;
- quotes: a proposed quote is right when its words are an annotated quote's words
  (surrounding punctuation, quote marks and whitespace ignored) and its speaker is that
  quote's speaker; recall over annotated quotes, precision over proposed quotes, each
  annotated quote matched once;
- paraphrases: an annotated paraphrase is found when a proposed paraphrase overlaps its
  excerpt (one proposal for one annotation); "right speaker" counts those whose speaker
  also matches;
- events: an annotated event is found when a proposed event overlaps its excerpt, each
  proposal matched to one annotation at most (largest overlaps first);
- dates: an annotated date phrase is resolved exactly when a proposed date phrase overlaps
  it at its place in the body and has the same start, end and precision;
- furniture wrongly used: proposals (statements, events, mentions, new actors, dates)
  whose span overlaps a line annotated as furniture. It must be 0. Furniture found is
  the share of annotated furniture lines the pipeline flagged.

Which actors count as known. The measurement gives the pipeline the actors and conflicts
of the seed file (`seeds/*.yaml`), as a fresh install that ran `load_seeds` has them:
that is what a newcomer pasting an article meets, and it makes the seed article itself
mostly a linking test while the other articles test new-actor proposals.

Pure: files and the pipeline in, numbers out. `manage.py evaluate_intake` prints them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from events.excerpts import fold
from events.intake.known import Known, known_from_seed_files
from events.intake.proposals import IntakeResult
from events.intake.propose import ArticleMetadata, propose

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "articles"
SEED_FOLDER = Path(__file__).resolve().parents[2] / "seeds"


@dataclass(frozen=True)
class AnnotatedArticle:
    name: str
    text: str
    metadata: ArticleMetadata
    annotations: dict


@dataclass
class Tally:
    """Counts behind one recall or precision: `hits` of `total`."""

    hits: int = 0
    total: int = 0

    def add(self, other: Tally) -> None:
        self.hits += other.hits
        self.total += other.total

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __str__(self) -> str:
        rate = self.rate
        return f"{self.hits}/{self.total}" + (f" ({rate:.0%})" if rate is not None else "")


@dataclass
class Score:
    """One article's figures (or the sum of several)."""

    name: str
    actors_recall: Tally = field(default_factory=Tally)
    actors_precision: Tally = field(default_factory=Tally)
    quotes_recall: Tally = field(default_factory=Tally)
    quotes_precision: Tally = field(default_factory=Tally)
    paraphrases_found: Tally = field(default_factory=Tally)
    paraphrases_speaker: Tally = field(default_factory=Tally)
    events_found: Tally = field(default_factory=Tally)
    dates_exact: Tally = field(default_factory=Tally)
    furniture_found: Tally = field(default_factory=Tally)
    furniture_used: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "actors_recall",
            "actors_precision",
            "quotes_recall",
            "quotes_precision",
            "paraphrases_found",
            "paraphrases_speaker",
            "events_found",
            "dates_exact",
            "furniture_found",
        ):
            getattr(self, name).add(getattr(other, name))
        self.furniture_used += other.furniture_used
        self.seconds += other.seconds


# --------------------------------------------------------------------------- loading


def article_folders(folder: Path) -> list[Path]:
    """Every folder under `folder` (at any depth) holding an annotated article."""
    return sorted(
        p.parent for p in Path(folder).rglob("annotations.yaml") if (p.parent / "source.json").exists()
    )


def load_article(folder: Path) -> AnnotatedArticle:
    metadata = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    text = (folder / metadata.get("file", "article.txt")).read_text(encoding="utf-8")
    annotations = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8")) or {}
    return AnnotatedArticle(
        name=folder.name,
        text=text,
        metadata=ArticleMetadata(
            title=metadata.get("title", ""),
            published_on=date.fromisoformat(metadata["published_on"])
            if metadata.get("published_on")
            else None,
            not_article_body=tuple(metadata.get("not_article_body") or ()),
            publisher=metadata.get("publisher", ""),
        ),
        annotations=annotations,
    )


def measurement_known(seed_folder: Path = SEED_FOLDER) -> Known:
    """The actors and conflicts of the seed files (see the module docstring)."""
    return known_from_seed_files(sorted(Path(seed_folder).glob("*.yaml")))


# --------------------------------------------------------------------------- scoring


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", fold(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"^the\s+", "", plain.strip())
    return " ".join(plain.split())


def same_actor(proposed: str, annotated: str) -> bool:
    """Whether a proposed name names the annotated actor: the same name, or the surname the
    article alone gives ("Makeyev" for Oleksiy Makeyev, "Blinken" for Antony Blinken). Both
    already normalised."""
    if not proposed:
        return False
    if proposed == annotated:
        return True
    words, full = proposed.split(), annotated.split()
    return len(words) == 1 and len(full) > 1 and full[-1] == words[0]


def normalise_words(words: str) -> str:
    """Quote words compared without surrounding punctuation, quote marks or whitespace."""
    plain = " ".join(fold(words).split())
    return plain.strip(" \t\n.,;:!?\"'“”‘’—–-…").casefold()


def score_article(article: AnnotatedArticle, result: IntakeResult, *, seconds: float = 0.0) -> Score:
    text = article.text
    notes = article.annotations
    score = Score(name=article.name, seconds=seconds)
    furniture_spans = _furniture_spans(text, notes.get("furniture") or ())
    body_test = _outside(furniture_spans)

    # actors
    annotated = {normalise_name(a["name"]) for a in notes.get("actors") or ()}
    proposed = {normalise_name(m.actor.name) for m in result.mentions} | {
        normalise_name(a.name) for a in result.new_actors
    }
    found = {a for a in annotated if any(same_actor(p, a) for p in proposed)}
    right = {p for p in proposed if any(same_actor(p, a) for a in annotated)}
    score.actors_recall = Tally(len(found), len(annotated))
    score.actors_precision = Tally(len(right), len(proposed))
    for name in sorted(annotated - found):
        score.misses.append(f"actor not found: {name}")

    # quotes
    wanted = [(normalise_words(q["text"]), normalise_name(q["speaker"])) for q in notes.get("quotes") or ()]
    used = [False] * len(wanted)
    right = 0
    for quote in result.quotes:
        words = normalise_words(quote.words)
        speaker = normalise_name(quote.speaker.name) if quote.speaker else ""
        for i, (w, s) in enumerate(wanted):
            if not used[i] and w == words and same_actor(speaker, s):
                used[i] = True
                right += 1
                break
        else:
            score.misses.append(
                f"quote proposed wrongly: {quote.words[:60]!r} by {speaker or 'nobody'} ({quote.rule})"
            )
    score.quotes_recall = Tally(right, len(wanted))
    score.quotes_precision = Tally(right, len(result.quotes))
    for i, (w, s) in enumerate(wanted):
        if not used[i]:
            score.misses.append(f"quote missed: {w[:60]!r} by {s}")

    # paraphrases
    spans = [_locate(text, p["excerpt"]) for p in notes.get("paraphrases") or ()]
    pairs = _match_overlaps(spans, [(p.start, p.end) for p in result.paraphrases])
    score.paraphrases_found = Tally(len(pairs), len(spans))
    same = 0
    for i, j in pairs:
        wanted_speaker = normalise_name(notes["paraphrases"][i]["speaker"])
        got = result.paraphrases[j].speaker
        if got is not None and same_actor(normalise_name(got.name), wanted_speaker):
            same += 1
    score.paraphrases_speaker = Tally(same, len(spans))

    # events
    spans = [_locate(text, e["excerpt"]) for e in notes.get("events") or ()]
    pairs = _match_overlaps(spans, [(e.start, e.end) for e in result.events])
    score.events_found = Tally(len(pairs), len(spans))
    found = {i for i, _ in pairs}
    for i, event in enumerate(notes.get("events") or ()):
        if i not in found:
            score.misses.append(f"event missed: {event['excerpt'][:70]!r}")

    # dates
    exact = 0
    position = 0
    annotated_dates = notes.get("dates") or ()
    for item in annotated_dates:
        span = _locate_from(text, str(item["text"]), position, body_test)
        if span is None:
            score.misses.append(f"date phrase not in the body: {item['text']!r}")
            continue
        position = span[1]
        hit = next(
            (
                d
                for d in result.dates
                if d.start < span[1]
                and span[0] < d.end
                and d.date_start == _day(item.get("start"))
                and d.date_end == _day(item.get("end"))
                and d.precision == item.get("precision")
            ),
            None,
        )
        if hit is not None:
            exact += 1
        else:
            near = [d for d in result.dates if d.start < span[1] and span[0] < d.end]
            got = (
                f"{near[0].excerpt!r} {near[0].date_start}..{near[0].date_end} {near[0].precision}"
                if near
                else "nothing"
            )
            score.misses.append(
                f"date not resolved exactly: {item['text']!r} (want {item.get('start')}..{item.get('end')} {item.get('precision')}, got {got})"
            )
    score.dates_exact = Tally(exact, len(annotated_dates))

    # furniture
    used_spans = [
        *((s.start, s.end) for s in result.statements),
        *((e.start, e.end) for e in result.events),
        *((m.start, m.end) for m in result.mentions),
        *((a.start, a.end) for a in result.new_actors),
        *((d.start, d.end) for d in result.dates),
    ]
    score.furniture_used = sum(
        1 for a, b in used_spans if any(a < fe and fs < b for fs, fe in furniture_spans)
    )
    flagged = [(f.start, f.end) for f in result.furniture]
    lines = notes.get("furniture") or ()
    hits = sum(1 for line in lines if any(_covers(flagged, s) for s in _line_spans(text, line)))
    score.furniture_found = Tally(hits, len(lines))
    return score


def evaluate(folder: Path = DEFAULT_FOLDER, known: Known | None = None) -> tuple[list[Score], Score]:
    """Scores of every annotated article under `folder`, and their sum."""
    import time

    known = measurement_known() if known is None else known
    scores = []
    total = Score(name="overall")
    for path in article_folders(folder):
        article = load_article(path)
        started = time.perf_counter()
        result = propose(article.text, article.metadata, known)
        score = score_article(article, result, seconds=time.perf_counter() - started)
        scores.append(score)
        total.add(score)
    return scores, total


# --------------------------------------------------------------------------- helpers


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _locate(text: str, excerpt: str) -> tuple[int, int]:
    """Where an annotated excerpt is (quote marks and no-break spaces folded); the first
    occurrence when it occurs more than once."""
    needle = fold(excerpt.strip())
    start = fold(text).find(needle)
    if start < 0:
        raise ValueError(f"annotated excerpt not in the article: {excerpt[:80]!r}")
    return start, start + len(needle)


def _locate_from(text: str, words: str, position: int, allowed) -> tuple[int, int] | None:
    haystack, needle = fold(text), fold(words.strip())
    start = haystack.find(needle, position)
    while start >= 0:
        end = start + len(needle)
        boundary = (start == 0 or not haystack[start - 1].isalnum()) and (
            end >= len(haystack) or not haystack[end].isalnum()
        )
        if boundary and allowed(start):
            return start, end
        start = haystack.find(needle, start + 1)
    return None


def _line_spans(text: str, line: str) -> list[tuple[int, int]]:
    needle = fold(line.strip())
    haystack = fold(text)
    spans = []
    start = haystack.find(needle)
    while start >= 0 and needle:
        spans.append((start, start + len(needle)))
        start = haystack.find(needle, start + 1)
    return spans


def _furniture_spans(text: str, lines: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for line in lines:
        for start, end in _line_spans(text, line):
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            # a furniture line is a whole line: its string may also occur inside a body line
            if not text[line_start:start].strip() and not text[end:line_end].strip():
                spans.append((start, end))
    return spans


def _outside(spans: Sequence[tuple[int, int]]):
    def allowed(position: int) -> bool:
        return not any(a <= position < b for a, b in spans)

    return allowed


def _covers(flagged: Sequence[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in flagged)


def _match_overlaps(
    wanted: Sequence[tuple[int, int]], proposed: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pairs (annotation, proposal) that overlap, each used once, as many pairs as possible
    (a maximum bipartite matching, by augmenting paths)."""
    edges = [[j for j, (c, d) in enumerate(proposed) if min(b, d) - max(a, c) > 0] for a, b in wanted]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(wanted)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


# --------------------------------------------------------------------------- report

_COLUMNS = (
    ("actors R", "actors_recall"),
    ("actors P", "actors_precision"),
    ("quotes R", "quotes_recall"),
    ("quotes P", "quotes_precision"),
    ("paraphr.", "paraphrases_found"),
    ("(speaker)", "paraphrases_speaker"),
    ("events R", "events_found"),
    ("dates", "dates_exact"),
    ("furn. found", "furniture_found"),
)


def report_lines(scores: Sequence[Score], total: Score, *, misses: bool = False) -> list[str]:
    """The table `evaluate_intake` prints: one row an article, then the overall row."""
    header = ["article", *(title for title, _ in _COLUMNS), "furn. used", "seconds"]
    rows = [header]
    for score in [*scores, total]:
        rows.append(
            [
                score.name,
                *(str(getattr(score, attr)) for _, attr in _COLUMNS),
                str(score.furniture_used),
                f"{score.seconds:.2f}",
            ]
        )
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        if n == len(rows) - 1:
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)).rstrip())
    if misses:
        for score in scores:
            if score.misses:
                lines.append("")
                lines.append(f"{score.name}:")
                lines.extend(f"  {miss}" for miss in score.misses)
    return lines
