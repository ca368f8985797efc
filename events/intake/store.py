"""Taking an article in: the one service both doors call (the admin's "Add an article" and
`manage.py ingest_article`), and any later API.

`article_ingest` does it all in one transaction, or nothing:

1. checks the text and the metadata (`events.intake.validation`);
2. refuses a text the database already holds (same SHA-256, the Source's checksum; also with
   its trailing line break added or dropped, the one difference a paste and a file of the
   same article have), naming the existing source;
3. runs the pipeline (`events.intake.propose`) with the database's actors and conflicts as
   the known ones;
4. creates the Source: the text as given (line endings made "\\n"), its metadata, and as
   furniture the lines the editor gave plus those the pipeline flagged;
5. stores every new actor, statement and event proposed as an `IntakeProposal`, pending:
   nothing public is created until an editor accepts it (`events.intake.review`).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.text import slugify

from events.choices import ProposalKind
from events.intake.known import Known, KnownActor, KnownConflict
from events.intake.proposals import EventProposal, IntakeResult, NewActorProposal, StatementProposal
from events.intake.validation import IntakeError, ValidMetadata, article_metadata, article_text
from events.models import Actor, Conflict, IntakeProposal, Source

# One intake at a time (an advisory lock held to the end of the transaction): two editors
# pasting the same article at once must not both get past the duplicate check.
_INTAKE_LOCK = 0x1A7A1E


@dataclass(frozen=True)
class IngestReport:
    """What one intake did: the source made, how many proposals of each kind, the warnings."""

    source: Source
    counts: Mapping[str, int]  # ProposalKind value -> proposals stored; plus "quote" and "paraphrase"
    furniture: int  # lines of furniture the source holds
    warnings: tuple[str, ...]
    seconds: float

    @property
    def proposals(self) -> int:
        return sum(self.counts[kind] for kind in ProposalKind.values)


class DuplicateArticle(IntakeError):
    """The text is already a source; `existing` is that source."""

    def __init__(self, existing: Source):
        self.existing = existing
        super().__init__(
            [
                (
                    "text",
                    f"this text is already the source {existing.slug!r} ({existing.publisher}, "
                    f"{existing.published_on.isoformat()}: {existing.title!r}); nothing was written",
                )
            ]
        )


def article_ingest(
    *,
    text: str | bytes,
    metadata: Mapping[str, Any],
    user: AbstractBaseUser | None = None,
) -> IngestReport:
    """Take in one article (see the module docstring): returns what was stored, or raises
    IntakeError (DuplicateArticle for a text already held) with nothing written.

    `text` is the pasted text or a file's bytes; `metadata` has the keys of
    `seeds/source.json`. `user` is who ingests (None: the operator, from the shell).
    """
    started = time.perf_counter()
    problems: list[tuple[str, str]] = []
    body = meta = None
    warnings: list[str] = []
    try:
        body = article_text(text)
    except IntakeError as err:
        problems += err.problems
    try:
        meta, warnings = article_metadata(metadata)
    except IntakeError as err:
        problems += err.problems
    if problems:
        raise IntakeError(problems)
    assert body is not None and meta is not None

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_INTAKE_LOCK])
        existing = source_with_text(body)
        if existing is not None:
            raise DuplicateArticle(existing)
        # Imported here, not at the top: the pipeline imports spaCy (about 1 s and 70 MB),
        # which every process loading the admin would otherwise pay, intake or not.
        from events.intake.propose import ArticleMetadata, propose

        result = propose(
            body,
            ArticleMetadata(
                title=meta.title,
                published_on=meta.published_on,
                not_article_body=meta.not_article_body,
                publisher=meta.publisher,
            ),
            known_from_database(),
        )
        source = _source_create(body, meta, result, user)
        rows = proposal_rows(source, result)
        IntakeProposal.objects.bulk_create(rows)
    counts = Counter(row.kind for row in rows)
    counts.update(s.kind for s in result.statements)
    return IngestReport(
        source=source,
        counts={kind: counts[kind] for kind in (*ProposalKind.values, "quote", "paraphrase")},
        furniture=len(source.furniture),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
    )


def source_with_text(text: str) -> Source | None:
    """The source already holding `text`, if any (by checksum; see the module docstring)."""
    stripped = text.rstrip("\n")
    variants = {text, stripped, stripped + "\n"}
    checksums = [hashlib.sha256(variant.encode("utf-8")).hexdigest() for variant in variants]
    return Source.objects.filter(checksum__in=checksums).order_by("pk").first()


def known_from_database() -> Known:
    """The actors and conflicts the database holds, as the pipeline's plain data (two queries).

    Sorted by slug, so the same database gives an equal `Known` and the pipeline's matchers,
    cached per `Known`, are reused."""
    actors = tuple(
        KnownActor(
            slug=slug,
            name=name,
            kind=kind,
            aliases=tuple(aliases),
            description=description,
            affiliation=affiliation,
        )
        for slug, name, kind, aliases, description, affiliation in Actor.objects.order_by("slug").values_list(
            "slug", "name", "kind", "aliases", "description", "affiliation__slug"
        )
    )
    parties: dict[str, list[str]] = {}
    conflicts = []
    for slug, name, party in Conflict.objects.order_by("slug", "parties__slug").values_list(
        "slug", "name", "parties__slug"
    ):
        if slug not in parties:
            parties[slug] = []
            conflicts.append((slug, name))
        if party:
            parties[slug].append(party)
    return Known(
        actors=actors,
        conflicts=tuple(
            KnownConflict(slug=slug, name=name, parties=tuple(parties[slug])) for slug, name in conflicts
        ),
    )


def _source_create(
    body: str, meta: ValidMetadata, result: IntakeResult, user: AbstractBaseUser | None
) -> Source:
    # The editor's lines first, as given, then what the pipeline flagged (each line once).
    furniture = list(dict.fromkeys([*meta.not_article_body, *(f.excerpt.strip() for f in result.furniture)]))
    source = Source(
        slug=unique_slug(Source, f"{meta.publisher} {meta.published_on.isoformat()} {meta.title}"),
        title=meta.title,
        publisher=meta.publisher,
        url=meta.url,
        published_on=meta.published_on,
        language=meta.language,
        contributors=list(meta.contributors),
        furniture=[line for line in furniture if line],
        text=body,
    )
    source._history_user = user  # the history row says who ingested it, from either door
    source.save()
    return source


def unique_slug(model: type, words: str, *, max_length: int = 200) -> str:
    """A slug from `words`, cut at a word boundary to fit, with -2, -3, ... when taken."""
    full, limit = slugify(words), max_length - 4  # room for "-99"
    base = full
    if len(full) > limit:
        base = full[:limit]
        if full[limit] != "-" and "-" in base:
            base = base.rsplit("-", 1)[0]
    base = base.strip("-") or model._meta.model_name
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


# --------------------------------------------------------------------------- proposals as rows


def proposal_rows(source: Source, result: IntakeResult) -> list[IntakeProposal]:
    """The result's new actors, statements and events as unsaved IntakeProposal rows."""
    rows = [_row(source, ProposalKind.ACTOR, actor, ref=actor.slug) for actor in result.new_actors]
    rows += [_row(source, ProposalKind.STATEMENT, statement) for statement in result.statements]
    rows += [_row(source, ProposalKind.EVENT, event) for event in result.events]
    return rows


# Fields every proposal carries that the row holds in columns of its own.
_COLUMNS = ("start", "end", "excerpt", "rule", "confidence")


def _row(
    source: Source,
    kind: str,
    proposal: NewActorProposal | StatementProposal | EventProposal,
    *,
    ref: str = "",
) -> IntakeProposal:
    data = {key: value for key, value in dataclasses.asdict(proposal).items() if key not in _COLUMNS}
    return IntakeProposal(
        source=source,
        kind=kind,
        ref=ref,
        data=_jsonable(data),
        excerpt=proposal.excerpt,
        start_offset=proposal.start,
        end_offset=proposal.end,
        rule=proposal.rule,
        confidence=proposal.confidence,
    )


def _jsonable(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists: the dataclass's fields as JSON holds them."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_jsonable(item) for item in value]
    return value
