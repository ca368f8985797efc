"""A deterministic synthetic corpus for measuring the system at scale (`seed_synthetic`).

The same `events` count and `seed` always give the same rows, byte for byte, so a
benchmark can be rerun and compared. The shape follows what real event data looks like:

- about 5,000 actors whose frequency follows a Zipf-Mandelbrot law (weight 1/(rank+7)),
  so the most frequent actor takes part in about 5% of events and most actors in a few;
  the 70 most frequent are states, the rest people, organisations and armed groups;
- 2 or 3 participants per event, 0 to 3 statements per event (spoken by a participant,
  on the event's date), one conflict for 60% of events;
- dates over 1990–2025 with 60% day, 25% month and 15% year precision;
- titles, summaries and quotes of real words (`events.seeding.vocabulary`), so full-text
  search has real stems to index;
- 80% published, 12% reviewed, 8% drafts.

Rows go in through PostgreSQL's COPY in one transaction: all of it or nothing. Events are
streamed while their participants, statements and conflict links are spooled to temporary
files, then copied in turn. No history rows are written (the corpus has no editors).

Each event row also holds the JSON lists of its participants and conflicts
(`events.read_model.stored`). Triggers keep them in normal use; here every trigger of the
loaded tables is off for the load (one refresh per link row would take longer than all the
rest). The events are copied into a staging table instead, and each is then written once,
in id order, by one INSERT that joins its lists from the read model's SQL: filling them by
UPDATE after the copy would leave a dead version of every event row per list, a table
twice its size (and slower to read) for as long as it lives. The corpus has no sources, so its events and statements have no
citations: the rule that every record keeps one (`events.rules`) is not checked for it.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import itertools
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.apps import apps
from django.db import connection, transaction
from django.utils.text import slugify

from events.changes import feed as change_feed
from events.choices import ActorKind, DatePrecision, EventType, ParticipantRole, ReviewStatus, StatementKind
from events.facets import summaries
from events.models import Actor, Conflict, Event, EventParticipant, Statement
from events.read_model import sql, stored
from events.seeding import vocabulary

ACTOR_COUNT = 5_000
CONFLICT_COUNT = 40
STATE_COUNT = 70
PHRASE_POOL = 20_000
ZIPF_OFFSET = 7  # weight 1/(rank + 7): the top actor is in about 5% of events
FIRST_YEAR, LAST_YEAR = 1990, 2025
# Timestamps are fixed, not now(), so the corpus is the same on every run.
EPOCH = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)

PRECISIONS = ((DatePrecision.DAY, 60), (DatePrecision.MONTH, 25), (DatePrecision.YEAR, 15))
STATUSES = ((ReviewStatus.PUBLISHED, 80), (ReviewStatus.REVIEWED, 12), (ReviewStatus.DRAFT, 8))
EVENT_TYPES = (
    (EventType.TALKS, 20),
    (EventType.MILITARY_ACTION, 25),
    (EventType.NEGOTIATION_ROUND, 8),
    (EventType.CEASEFIRE, 6),
    (EventType.AGREEMENT, 6),
    (EventType.MILITARY_INTERVENTION, 5),
    (EventType.TERRITORIAL_CHANGE, 4),
    (EventType.INTERVIEW, 8),
    (EventType.ELECTION, 3),
    (EventType.OTHER, 15),
)
ROLES = (
    ParticipantRole.PARTY,
    ParticipantRole.HOST,
    ParticipantRole.GUEST,
    ParticipantRole.MEDIATOR,
    ParticipantRole.PARTICIPANT,
    ParticipantRole.BACKER,
    ParticipantRole.TARGET,
)
VERBS = (
    "meets",
    "holds talks with",
    "accuses",
    "warns",
    "backs",
    "condemns",
    "hosts",
    "signs accord with",
    "clashes with",
    "calls on",
)
ACTOR_KINDS = (
    (ActorKind.PERSON, 60),
    (ActorKind.ORGANISATION, 12),
    (ActorKind.ARMED_GROUP, 13),
    (ActorKind.GOVERNMENT_BODY, 10),
    (ActorKind.INTERNATIONAL_ORGANISATION, 5),
)


@dataclass(frozen=True)
class SyntheticCounts:
    """How many rows of each kind the corpus holds."""

    actors: int
    conflicts: int
    events: int
    participants: int
    statements: int
    event_conflicts: int


class NotEmpty(Exception):
    """The timeline tables already hold rows; the synthetic corpus needs them empty."""


def _weighted(pairs) -> tuple[list, list[int]]:
    values = [value for value, _ in pairs]
    return values, list(itertools.accumulate(weight for _, weight in pairs))


def _row(*values) -> str:
    """One line of COPY text format. Generated text never holds tabs, newlines or backslashes."""
    return "\t".join(r"\N" if value is None else str(value) for value in values) + "\n"


@dataclass
class _Actor:
    id: int
    slug: str
    name: str
    kind: str


class _Generator:
    """Draws the corpus from one seeded random generator, in a fixed order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words = vocabulary.general_words()
        self.actor_weights = list(
            itertools.accumulate(1 / (rank + ZIPF_OFFSET) for rank in range(1, ACTOR_COUNT + 1))
        )
        self.precisions = _weighted(PRECISIONS)
        self.statuses = _weighted(STATUSES)
        self.types = _weighted(EVENT_TYPES)
        self.kinds = _weighted(ACTOR_KINDS)
        self.actors: list[_Actor] = []
        # Texts are two halves drawn from pools of random phrases: every text is still a
        # fresh sequence of real words (millions of combinations), at a fraction of the cost
        # of drawing each word, which would make generation slower than PostgreSQL's load.
        self.halves = [self.phrase(4, 20) for _ in range(PHRASE_POOL)]

    def choice(self, weighted: tuple[list, list[int]]):
        values, cumulative = weighted
        return values[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def phrase(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.words, k=self.rng.randint(low, high)))

    def text(self) -> str:
        """A sentence of 8 to 40 real words."""
        halves, rng = self.halves, self.rng
        return (
            f"{halves[int(rng.random() * PHRASE_POOL)]} {halves[int(rng.random() * PHRASE_POOL)]}".capitalize()
            + "."
        )

    def make_actors(self) -> list[_Actor]:
        rng, seen = self.rng, set()
        countries = list(vocabulary.COUNTRIES)
        rng.shuffle(countries)
        for rank in range(1, ACTOR_COUNT + 1):
            if rank <= STATE_COUNT:
                kind, name = ActorKind.STATE, countries[(rank - 1) % len(countries)]
            else:
                kind = self.choice(self.kinds)
                if kind == ActorKind.PERSON:
                    name = f"{rng.choice(vocabulary.FIRST_NAMES)} {rng.choice(vocabulary.SURNAMES)}"
                else:
                    topic = rng.choice(vocabulary.COUNTRIES + vocabulary.PLACES).title()
                    name = rng.choice(vocabulary.ORGANISATION_PATTERNS).format(topic)
            slug = base = slugify(name)
            for number in itertools.count(2):
                if slug not in seen:
                    break
                slug = f"{base}-{number}"
            seen.add(slug)
            self.actors.append(_Actor(rank, slug, name, kind))
        return self.actors

    def pick_actors(self, count: int) -> list[_Actor]:
        picked: dict[int, _Actor] = {}
        while len(picked) < count:
            index = bisect.bisect(self.actor_weights, self.rng.random() * self.actor_weights[-1])
            picked.setdefault(index, self.actors[index])
        return list(picked.values())

    def date(self) -> tuple[str, datetime.date, datetime.date, str]:
        rng = self.rng
        precision = self.choice(self.precisions)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        if precision == DatePrecision.YEAR:
            return precision, datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"in {year}"
        month = rng.randint(1, 12)
        last = calendar.monthrange(year, month)[1]
        if precision == DatePrecision.MONTH:
            start, end = datetime.date(year, month, 1), datetime.date(year, month, last)
            return precision, start, end, f"in {calendar.month_name[month]} {year}"
        day = datetime.date(year, month, rng.randint(1, last))
        return precision, day, day, f"on {day.day} {calendar.month_name[month]} {year}"


def _timeline_tables() -> list[str]:
    return [model._meta.db_table for model in apps.get_app_config("events").get_models()] + [
        field.remote_field.through._meta.db_table
        for model in apps.get_app_config("events").get_models()
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the foreign keys, unique constraints and indexes of `tables` (primary keys stay).

    Returns the statements that recreate them. Bulk loading into bare tables and then
    building each index once (sorted, not row by row) and checking each foreign key with
    one join (not one lookup per row) is several times faster.
    """
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid))
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
        ORDER BY contype DESC  -- unique before foreign keys when recreating
        """,
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT format('DROP INDEX %%s', indexrelid::regclass), pg_get_indexdef(indexrelid)
        FROM pg_index
        WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for drop, _ in [*reversed(constraints), *indexes]:
        cursor.execute(drop)
    return [create for _, create in indexes] + [create for _, create in constraints]


class _Triggers:
    """The loaded tables' triggers, off for the load.

    The stored-list triggers (`events.read_model.stored`) would refresh the events of every
    link row copied in, one by one, before the indexes they need exist, and the rule that
    every event keeps a citation (`events.rules`) does not hold for this corpus, which has
    no sources. So every trigger of the loaded tables is off for the load, and the stored
    lists are written with the events (`_insert_events`).
    """

    def __init__(self, cursor, tables: list[str]):
        self.cursor, self.tables = cursor, tables

    def set_enabled(self, enabled: bool) -> None:
        for table in self.tables:
            self.cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")


STAGED_EVENTS = "seed_synthetic_event"


def _stage_events(cursor, columns: str) -> None:
    """A temporary table of the event columns the generator writes (`_insert_events` drops it)."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGED_EVENTS} AS SELECT {columns} FROM {Event._meta.db_table} WITH NO DATA"
    )


def _insert_events(cursor, columns: str) -> None:
    """Write every staged event once, in id order, with its stored lists from the read model's SQL.

    An event with no item in a list gets the empty list, as the list's own SQL gives it.
    """
    lists = stored.stored_lists()
    names = [name.strip() for name in columns.split(",")]
    targets = names + [f'"{lst.column}"' for lst in lists]
    values = [f"staged.{name}" for name in names] + [
        f"coalesce(list{number}.list, '[]'::json)" for number, _ in enumerate(lists)
    ]
    joins = "".join(
        f" LEFT JOIN ({sql.lists_by_owner(lst.shape, lst.key)}) list{number} ON list{number}.owner = staged.id"
        for number, lst in enumerate(lists)
    )
    cursor.execute(
        f"INSERT INTO {Event._meta.db_table} ({', '.join(targets)})"
        f" SELECT {', '.join(values)} FROM {STAGED_EVENTS} staged{joins} ORDER BY staged.id"
    )
    cursor.execute(f"DROP TABLE {STAGED_EVENTS}")  # at once: a caller's transaction may load again


def _copy(cursor, table: str, columns: str, lines: Iterator[str] | IO[str], tick: Callable[[int], None]):
    # FREEZE: the rows are written as already visible to all, so no later pass rewrites them.
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FREEZE)") as copy:
        if hasattr(lines, "read"):
            while chunk := lines.read(1 << 20):
                copy.write(chunk)
                tick(chunk.count("\n"))
            return
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) == 5_000:
                copy.write("".join(batch))
                tick(len(batch))
                batch.clear()
        copy.write("".join(batch))
        tick(len(batch))


def seed_synthetic(
    *,
    events: int,
    seed: int = 1,
    flush: bool = False,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> SyntheticCounts:
    """Fill the empty timeline tables with a synthetic corpus of `events` events.

    `flush` empties every timeline table first (all data in them is lost). Without it, a
    database holding any actor, event or statement raises NotEmpty and nothing changes.
    `progress(phase, total)` returns a callback taking the number of rows just written.
    """
    progress = progress or (lambda phase, total: lambda done: None)
    generator = _Generator(seed)
    rng = generator.rng
    with transaction.atomic(), connection.cursor() as cursor:
        if not flush and (Actor.objects.exists() or Event.objects.exists() or Statement.objects.exists()):
            raise NotEmpty("the database already holds timeline rows; use --flush to replace them")
        # Emptied in this transaction even when already empty: COPY ... FREEZE needs it, and
        # with wal_level=minimal PostgreSQL then writes the rows without logging them twice.
        cursor.execute(f"TRUNCATE {', '.join(_timeline_tables())} RESTART IDENTITY CASCADE")
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        loaded = [
            model._meta.db_table
            for model in (Actor, Conflict, Event, EventParticipant, Statement, Event.conflicts.through)
        ]
        # Index builds sort in memory when they can (the server's setting, if larger, stays).
        cursor.execute(
            "SELECT set_config('maintenance_work_mem', '1GB', true) "
            "WHERE current_setting('maintenance_work_mem') IN ('64MB', '128MB', '256MB', '512MB')"
        )
        recreate = _drop_secondary_indexes(cursor, loaded)

        actors = generator.make_actors()
        stamp = EPOCH.isoformat()
        _copy(
            raw,
            Actor._meta.db_table,
            "id, version, slug, name, kind, description, aliases, wikidata_qid, created_at, updated_at",
            (_row(a.id, 1, a.slug, a.name, a.kind, "", "{}", "", stamp, stamp) for a in actors),
            progress("actors", len(actors)),
        )
        conflict_places = rng.sample(vocabulary.COUNTRIES, CONFLICT_COUNT)
        conflicts = [
            (number, f"{place.lower()}-conflict", f"Conflict in {place}", place)
            for number, place in enumerate(conflict_places, start=1)
        ]
        _copy(
            raw,
            Conflict._meta.db_table,
            "id, version, slug, name, region, description, start_date, created_at, updated_at",
            (
                _row(
                    number, 1, slug, name, region, "", f"{rng.randint(FIRST_YEAR, 2015)}-01-01", stamp, stamp
                )
                for number, slug, name, region in conflicts
            ),
            progress("conflicts", len(conflicts)),
        )

        triggers = _Triggers(cursor, loaded)
        triggers.set_enabled(False)
        counts = {"participants": 0, "statements": 0, "event_conflicts": 0}
        with (
            tempfile.TemporaryFile("w+", encoding="utf-8") as participants,
            tempfile.TemporaryFile("w+", encoding="utf-8") as statements,
            tempfile.TemporaryFile("w+", encoding="utf-8") as event_conflicts,
        ):

            def event_rows() -> Iterator[str]:
                statement_id = 0
                for event_id in range(1, events + 1):
                    precision, start, end, date_text = generator.date()
                    status = generator.choice(generator.statuses)
                    event_type = generator.choice(generator.types)
                    cast = generator.pick_actors(rng.randint(2, 3))
                    place = rng.choice(vocabulary.PLACES)
                    title = (
                        f"{cast[0].name} {rng.choice(VERBS)} {cast[1].name} "
                        f"on {generator.halves[int(rng.random() * PHRASE_POOL)]} in {place}"
                    )
                    summary = generator.text()
                    created = (EPOCH + datetime.timedelta(seconds=event_id)).isoformat()
                    reviewed = created if status != ReviewStatus.DRAFT else None
                    published = created if status == ReviewStatus.PUBLISHED else None
                    # The columns `dated` names, shared by the event and its statements.
                    dated = (
                        date_text,
                        None,
                        start,
                        end,
                        precision,
                        1,
                        status,
                        reviewed,
                        published,
                        created,
                        created,
                    )
                    roles = [str(rng.choice(ROLES)) for _ in cast]
                    for actor, role in zip(cast, roles, strict=True):
                        participants.write(_row(event_id, actor.id, role))
                    counts["participants"] += len(cast)
                    conflict = rng.randint(1, CONFLICT_COUNT) if rng.random() < 0.6 else None
                    if conflict is not None:
                        event_conflicts.write(_row(event_id, conflict))
                        counts["event_conflicts"] += 1
                    for _ in range(rng.randint(0, 3)):
                        statement_id += 1
                        speaker = rng.choice(cast)
                        kind = StatementKind.QUOTE if rng.random() < 0.7 else StatementKind.PARAPHRASE
                        statements.write(
                            _row(
                                statement_id,
                                *dated,
                                f"{speaker.slug[:60]}-{statement_id}",
                                speaker.id,
                                kind,
                                generator.text(),
                                event_id,
                            )
                        )
                    counts["statements"] = statement_id
                    yield _row(
                        event_id,
                        *dated,
                        f"{'-'.join(title.lower().split())[:80].rstrip('-')}-{event_id}",
                        title,
                        summary,
                        event_type,
                        place,
                    )

            dated = (
                "date_text, date_anchor, date_start, date_end, date_precision, version, status, "
                "reviewed_at, published_at, created_at, updated_at, slug"
            )
            event_columns = f"id, {dated}, title, summary, type, location"
            _stage_events(cursor, event_columns)
            _copy(raw, STAGED_EVENTS, event_columns, event_rows(), progress("events", events))
            for spool, table, columns, total in (
                (participants, EventParticipant._meta.db_table, "event_id, actor_id, role", "participants"),
                (
                    event_conflicts,
                    Event.conflicts.through._meta.db_table,
                    "event_id, conflict_id",
                    "event_conflicts",
                ),
                (
                    statements,
                    Statement._meta.db_table,
                    f"id, {dated}, speaker_id, kind, text, occasion_id",
                    "statements",
                ),
            ):
                spool.seek(0)
                _copy(raw, table, columns, spool, progress(total, counts[total]))

        tick = progress("event rows", 1)
        _insert_events(cursor, event_columns)
        tick(1)
        # The change log's triggers were off too: every record is logged once, set-based.
        tick = progress("change log", 1)
        change_feed.log_everything()
        tick(1)
        triggers.set_enabled(True)
        tick = progress("indexes", len(recreate))
        for statement in recreate:
            cursor.execute(statement)
            tick(1)
        for table in loaded:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT max(id) FROM {table}), 1))"
            )
        # The facet summaries' triggers were off with the others: counted once, here.
        tick = progress("facet summaries", 1)
        summaries.rebuild(cursor)
        tick(1)
        for table in _timeline_tables():
            cursor.execute(f"ANALYZE {table}")
    return SyntheticCounts(
        actors=len(actors),
        conflicts=len(conflicts),
        events=events,
        participants=counts["participants"],
        statements=counts["statements"],
        event_conflicts=counts["event_conflicts"],
    )
