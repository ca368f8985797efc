"""Load curated seed files into the database: all or nothing, idempotent on slugs.

`seeds_load(paths=[...])` reads each YAML file, checks it against the source text and
the database, and creates or updates records keyed on their slugs. A second run over
the same files changes nothing and says so in its counts. Any problem stops the whole
load with a `SeedError` naming the file, the record and what is wrong, and the database
is left exactly as it was (one transaction).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, models, transaction

from events import services
from events.choices import ReviewStatus
from events.excerpts import ExcerptError, locate_excerpt
from events.models import Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from events.seeding.format import SeedFile, SourceMetadata, flatten_errors


class SeedError(Exception):
    """A seed file cannot be loaded. The message names the file, the record and the problem."""

    def __init__(self, path: Path | str, problem: str, record: str = ""):
        self.path = Path(path)
        self.record = record
        self.problem = problem
        where = f"{path}: {record}: " if record else f"{path}: "
        super().__init__(where + problem)


@dataclass
class Counts:
    """How many records of one kind a load created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    """What a load did, per kind of record, in load order."""

    files: list[Path] = field(default_factory=list)
    counts: dict[str, Counts] = field(
        default_factory=lambda: {
            kind: Counts() for kind in ("sources", "actors", "conflicts", "events", "statements")
        }
    )

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


def seed_paths(targets: Sequence[Path]) -> list[Path]:
    """The seed files named by `targets`: files as given, folders searched for *.yaml / *.yml."""
    paths: list[Path] = []
    for target in targets:
        if target.is_dir():
            paths += sorted(p for p in target.iterdir() if p.suffix in {".yaml", ".yml"})
        elif target.exists():
            paths.append(target)
        else:
            raise SeedError(target, "no such file or folder")
    if not paths:
        raise SeedError(", ".join(map(str, targets)), "no seed files (*.yaml) found")
    return paths


def seeds_load(*, paths: Sequence[Path]) -> LoadReport:
    """Load the seed files at `paths` (files or folders) in one transaction; see the module doc."""
    files = seed_paths(paths)
    report = LoadReport(files=files)
    with transaction.atomic():
        for path in files:
            _FileLoader(path, report).load()
    return report


class _FileLoader:
    """Loads one seed file; references resolve against this file and the database."""

    def __init__(self, path: Path, report: LoadReport):
        self.path = path
        self.report = report
        self.source: Source | None = None

    # -- helpers ---------------------------------------------------------------

    def fail(self, problem: str, record: str = "") -> SeedError:
        return SeedError(self.path, problem, record)

    def read(self) -> dict:
        try:
            raw = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise self.fail(f"not valid YAML{where}: {getattr(err, 'problem', None) or err}") from err
        except (OSError, UnicodeDecodeError) as err:
            raise self.fail(f"cannot read the file: {err}") from err
        if not isinstance(raw, dict):
            raise self.fail(
                "a seed file is a mapping with the keys source, actors, conflicts, events, statements"
            )
        form = SeedFile(data=raw)
        if not form.is_valid():
            first, *rest = flatten_errors(form.errors)
            more = f" (and {len(rest)} more problems)" if rest else ""
            record, _, problem = first.partition(": ")
            raise self.fail(problem + more, self.label_from_path(record, raw))
        return form.validated_data

    @staticmethod
    def label_from_path(error_path: str, raw: dict) -> str:
        """'events[2].title' → 'events[2] "moscow-talks": title', naming the record by slug when it has one."""
        head, dot, rest = error_path.partition(".")
        if "[" in head:
            section, _, index = head.rstrip("]").partition("[")
            try:
                slug = raw[section][int(index)].get("slug")
            except (KeyError, IndexError, ValueError, AttributeError, TypeError):
                slug = None
            if slug:
                return f'{head} "{slug}"' + (f": {rest}" if dot else "")
        return error_path

    def locate(self, excerpt: str, record: str) -> tuple[int, int, str]:
        assert self.source is not None
        try:
            span = locate_excerpt(self.source.text, excerpt, furniture=self.source.furniture)
        except ExcerptError as err:
            raise self.fail(str(err), record) from err
        return span.start, span.end, span.excerpt

    def lookup(self, model: type[models.Model], slug: str, record: str, what: str) -> Any:
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise self.fail(
                f"unknown {what} {slug!r} (not in this file nor in the database)", record
            ) from None

    def count(self, kind: str, state: str) -> None:
        counts = self.report.counts[kind]
        setattr(counts, state, getattr(counts, state) + 1)

    # -- the load --------------------------------------------------------------

    def load(self) -> None:
        data = self.read()
        self.load_source(data["source"])
        actors = self.load_actors(data["actors"])
        self.load_conflicts(data["conflicts"], actors)
        self.load_events(data["events"])
        self.load_statements(data["statements"])

    def load_source(self, seed: dict) -> None:
        meta_path = self.path.parent / seed["metadata"]
        try:
            meta_raw = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise self.fail(f"cannot read the metadata file {meta_path}: {err}", "source") from err
        meta_form = SourceMetadata(data=meta_raw)
        if not meta_form.is_valid():
            raise self.fail(f"{meta_path}: " + "; ".join(flatten_errors(meta_form.errors)), "source")
        meta = meta_form.validated_data
        text_path = meta_path.parent / meta["file"]
        try:
            text = text_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise self.fail(f"cannot read the source text {text_path}: {err}", "source") from err
        values = {
            "title": meta["title"],
            "publisher": meta["publisher"],
            "url": meta["url"],
            "published_on": meta["published_on"],
            "language": meta["language"],
            "contributors": meta["contributors"],
            "furniture": meta["not_article_body"],
            "text": text,
        }
        self.source, state = self.upsert(Source, seed["slug"], values, record="source")
        self.count("sources", state)

    def load_actors(self, seeds: list[dict]) -> dict[str, Actor]:
        actors: dict[str, Actor] = {}
        states: dict[str, str] = {}
        labels = {seed["slug"]: f'actors[{i}] "{seed["slug"]}"' for i, seed in enumerate(seeds)}
        # First pass without affiliations: an actor may be affiliated to one defined later.
        for seed in seeds:
            slug = seed["slug"]
            values = {
                "name": seed["name"],
                "kind": seed["kind"],
                "description": seed["description"],
                "aliases": seed["aliases"],
                "wikidata_qid": seed["wikidata"],
            }
            actors[slug], states[slug] = self.upsert(Actor, slug, values, record=labels[slug])
        for seed in seeds:
            slug, record = seed["slug"], labels[seed["slug"]]
            actor = actors[slug]
            affiliation = None
            if seed["affiliation"]:
                affiliation = actors.get(seed["affiliation"]) or self.lookup(
                    Actor, seed["affiliation"], record, "affiliation actor"
                )
                if affiliation.pk == actor.pk:
                    raise self.fail("an actor cannot be affiliated to itself", record)
            changed = False
            if actor.affiliation_id != (affiliation.pk if affiliation else None):
                actor.affiliation = affiliation
                actor.save(update_fields=["affiliation", "updated_at"])
                changed = True
            changed |= self.sync_citations(
                actor, "actor", [seed["excerpt"]] if seed["excerpt"] else [], record
            )
            if changed and states[slug] == "unchanged":
                states[slug] = "updated"
            self.count("actors", states[slug])
        return actors

    def load_conflicts(self, seeds: list[dict], actors: dict[str, Actor]) -> None:
        for index, seed in enumerate(seeds):
            record = f'conflicts[{index}] "{seed["slug"]}"'
            values = {
                "name": seed["name"],
                "region": seed["region"],
                "description": seed["description"],
                "start_date": seed["start_date"],
                "end_date": seed["end_date"],
            }
            conflict, state = self.upsert(Conflict, seed["slug"], values, record=record)
            parties = self.actor_ids(seed["parties"], record, "party")
            changed = self.sync_m2m(conflict.parties, parties)
            changed |= self.sync_citations(
                conflict, "conflict", [seed["excerpt"]] if seed["excerpt"] else [], record
            )
            self.count("conflicts", "updated" if changed and state == "unchanged" else state)

    def load_events(self, seeds: list[dict]) -> None:
        for index, seed in enumerate(seeds):
            record = f'events[{index}] "{seed["slug"]}"'
            values = {
                "title": seed["title"],
                "summary": seed["summary"],
                "type": seed["type"],
                "location": seed["location"],
                **self.date_values(seed["date"], record),
            }
            event, state = self.upsert(Event, seed["slug"], values, record=record, status=seed["status"])
            changed = self.sync_m2m(event.conflicts, self.conflict_ids(seed["conflicts"], record))
            wanted = {
                (self.actor_ids([p["actor"]], record, "participant")[0], p["role"])
                for p in seed["participants"]
            }
            current = set(event.participations.values_list("actor_id", "role"))
            if wanted != current:
                services.rows_replace(
                    old=event.participations.all(),
                    new=[EventParticipant(event=event, actor_id=a, role=role) for a, role in sorted(wanted)],
                )
                changed = True
            changed |= self.sync_citations(event, "event", [c["excerpt"] for c in seed["citations"]], record)
            self.count("events", "updated" if changed and state == "unchanged" else state)

    def load_statements(self, seeds: list[dict]) -> None:
        for index, seed in enumerate(seeds):
            record = f'statements[{index}] "{seed["slug"]}"'
            speaker = self.lookup(Actor, seed["speaker"], record, "speaker")
            occasion = (
                self.lookup(Event, seed["occasion"], record, "occasion event") if seed["occasion"] else None
            )
            excerpts = [c["excerpt"] for c in seed["citations"]]
            values = {
                "speaker": speaker,
                "kind": seed["kind"],
                "text": self.statement_text(seed, excerpts, record),
                "occasion": occasion,
                **self.date_values(seed["date"], record),
            }
            statement, state = self.upsert(
                Statement, seed["slug"], values, record=record, status=seed["status"]
            )
            changed = self.sync_m2m(statement.about, self.actor_ids(seed["about"], record, "actor"))
            changed |= self.sync_m2m(statement.conflicts, self.conflict_ids(seed["conflicts"], record))
            changed |= self.sync_citations(statement, "statement", excerpts, record)
            self.count("statements", "updated" if changed and state == "unchanged" else state)

    # -- pieces ----------------------------------------------------------------

    def date_values(self, words: str, record: str) -> dict:
        """The date fields for the source's words, resolved against its publication date."""
        assert self.source is not None
        try:
            return services.fuzzy_date_fields(text=words, anchor=self.source.published_on)
        except services.RuleError as err:
            raise self.fail(f"date: {err}", record) from err

    def statement_text(self, seed: dict, excerpts: list[str], record: str) -> str:
        """A quote must be the source's words: stored as the source writes them (curly quotes and all)."""
        text = seed["text"].strip()
        if seed["kind"] != "quote":
            return text
        try:
            return services.quote_as_printed(text, [self.locate(excerpt, record)[2] for excerpt in excerpts])
        except services.RuleError as err:
            raise self.fail(f"text: {err}: {text!r}", record) from err

    def actor_ids(self, slugs: Iterable[str], record: str, what: str) -> list[int]:
        return [self.lookup(Actor, slug, record, what).pk for slug in slugs]

    def conflict_ids(self, slugs: Iterable[str], record: str) -> list[int]:
        return [self.lookup(Conflict, slug, record, "conflict").pk for slug in slugs]

    def upsert(
        self,
        model: type[models.Model],
        slug: str,
        values: dict,
        *,
        record: str,
        status: str | None = None,
    ) -> tuple[Any, str]:
        """Create the record with `slug`, or bring its fields to `values`; returns it and what happened.

        `status` (events and statements) is applied when given; a new record without one
        is published, and an existing record keeps the status editors gave it.
        """
        instance = model.objects.filter(slug=slug).first()
        try:
            if instance is None:
                if hasattr(model, "status"):
                    values = {**values, "status": status or ReviewStatus.PUBLISHED}
                return model.objects.create(slug=slug, **values), "created"
            if status:
                values = {**values, "status": status}
            changed = [name for name, value in values.items() if getattr(instance, name) != value]
            if not changed:
                return instance, "unchanged"
            for name in changed:
                setattr(instance, name, values[name])
            update_fields = [model._meta.get_field(name).attname for name in changed]
            instance.save(update_fields=[*update_fields, "updated_at"])
            return instance, "updated"
        except IntegrityError as err:
            raise self.fail(f"the database refused it: {_constraint_message(err)}", record) from err

    @staticmethod
    def sync_m2m(manager: Any, wanted: list[int]) -> bool:
        """Make a many-to-many relation hold exactly `wanted`; True if it changed."""
        current = set(manager.values_list("pk", flat=True))
        if current == set(wanted):
            return False
        manager.set(wanted)
        return True

    def sync_citations(self, instance: models.Model, kind: str, excerpts: list[str], record: str) -> bool:
        """Make `instance`'s citations of this file's source exactly `excerpts`; True if they changed."""
        assert self.source is not None
        spans = {self.locate(excerpt, record) for excerpt in excerpts}
        mine = Citation.objects.filter(source=self.source, **{kind: instance})
        current = set(mine.values_list("start_offset", "end_offset", "excerpt"))
        if current == spans:
            return False
        try:
            services.rows_replace(
                old=mine,
                new=[
                    Citation(
                        source=self.source,
                        excerpt=excerpt,
                        start_offset=start,
                        end_offset=end,
                        **{kind: instance},
                    )
                    for start, end, excerpt in sorted(spans)
                ],
            )
        except IntegrityError as err:
            raise self.fail(f"the database refused a citation: {_constraint_message(err)}", record) from err
        return True


def _constraint_message(err: IntegrityError) -> str:
    """The PostgreSQL message of a refused write, without the SQL context lines."""
    cause = err.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and diag.message_primary:
        name = f" ({diag.constraint_name})" if diag.constraint_name else ""
        return diag.message_primary + name
    return str(err).splitlines()[0]
