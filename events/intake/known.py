"""What the pipeline is told the database already holds: actors and conflicts as plain data.

The pipeline links mentions to these and proposes new actors for the rest. They come in as
values, not ORM rows, so every step stays pure: the ingest command builds them from the
database, the measurement from the seed file (`known_from_seed_file`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class KnownActor:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    affiliation: str | None = None  # another actor's slug


@dataclass(frozen=True)
class KnownConflict:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()  # actor slugs


@dataclass(frozen=True)
class Known:
    actors: tuple[KnownActor, ...] = ()
    conflicts: tuple[KnownConflict, ...] = ()


def known_from_seed_file(path: str | Path) -> Known:
    """The actors and conflicts of one seed file (`seeds/*.yaml` format), as a fresh install
    that loaded it has them."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return Known(
        actors=tuple(_actor(item) for item in data.get("actors") or ()),
        conflicts=tuple(_conflict(item) for item in data.get("conflicts") or ()),
    )


def known_from_seed_files(paths: Iterable[str | Path]) -> Known:
    actors: list[KnownActor] = []
    conflicts: list[KnownConflict] = []
    for path in paths:
        known = known_from_seed_file(path)
        actors.extend(known.actors)
        conflicts.extend(known.conflicts)
    return Known(actors=tuple(actors), conflicts=tuple(conflicts))


def _actor(item: dict) -> KnownActor:
    return KnownActor(
        slug=item["slug"],
        name=item["name"],
        kind=item.get("kind") or "organisation",
        aliases=tuple(item.get("aliases") or ()),
        description=item.get("description") or "",
        affiliation=item.get("affiliation"),
    )


def _conflict(item: dict) -> KnownConflict:
    return KnownConflict(
        slug=item["slug"],
        name=item["name"],
        aliases=tuple(item.get("aliases") or ()),
        parties=tuple(item.get("parties") or ()),
    )
