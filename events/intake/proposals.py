"""What the intake pipeline proposes: plain, frozen dataclasses, each tied to the source.

Every proposal carries `start` and `end`, character offsets into the source text such
that `text[start:end] == excerpt` (Python slicing, like a Citation), the name of the
`rule` that produced it and a `confidence` in [0, 1], so an editor can sort the doubtful
ones first and a later step can store them as drafts without looking anything up again.
Actors are referred to by `ActorRef`: a known actor's slug, or the provisional slug of a
new-actor proposal made from the same article. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The kinds of actor and event, and the participant roles, the project stores
# (events.choices holds the same vocabularies for the models; this module stays pure).
ACTOR_KINDS = (
    "person",
    "state",
    "government_body",
    "organisation",
    "armed_group",
    "international_organisation",
)
EVENT_TYPES = (
    "talks",
    "negotiation_round",
    "ceasefire",
    "agreement",
    "military_action",
    "military_intervention",
    "territorial_change",
    "interview",
    "election",
    "other",
)
ROLES = (
    "host",
    "guest",
    "broker",
    "party",
    "mediator",
    "backer",
    "target",
    "participant",
    "interviewer",
    "interviewee",
)


@dataclass(frozen=True)
class ActorRef:
    """An actor a proposal points at: a known actor (`new=False`, its slug) or a new-actor
    proposal of the same result (`new=True`, its provisional slug)."""

    slug: str
    name: str
    new: bool = False


@dataclass(frozen=True)
class ProposedDate:
    """The date of a statement or an event: the words, where they are, and what they mean.

    `precision` "unknown" with no bounds and `words` "not stated" when the article gives no
    date for it: never a guess. `start_offset`/`end_offset` locate the words in the source
    (None when not stated); `anchor` is the publication date they were resolved against.
    """

    words: str
    start: date | None
    end: date | None
    precision: str
    anchor: date | None
    start_offset: int | None = None
    end_offset: int | None = None
    rule: str = "not_stated"

    @classmethod
    def not_stated(cls, anchor: date | None) -> ProposedDate:
        return cls(words="not stated", start=None, end=None, precision="unknown", anchor=anchor)

    @property
    def stated(self) -> bool:
        return self.start_offset is not None


@dataclass(frozen=True)
class FurnitureProposal:
    """A stretch of page furniture (a whole line, or a credit inside one): not article
    body, never the basis of a claim."""

    start: int
    end: int
    excerpt: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class DateProposal:
    """A date phrase of the body and what it resolves to (precision "unknown" when it
    cannot be dated honestly). `direction` is "past", "future" or "" as the finder read it."""

    start: int
    end: int
    excerpt: str
    date_start: date | None
    date_end: date | None
    precision: str
    anchor: date | None
    direction: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class ActorMention:
    """A place in the body that names an actor (known or proposed)."""

    start: int
    end: int
    excerpt: str
    actor: ActorRef
    rule: str
    confidence: float


@dataclass(frozen=True)
class NewActorProposal:
    """An actor the database does not have yet, split from its title: "Russian Foreign
    Minister Sergei Lavrov" gives name "Sergei Lavrov", description "Russian Foreign
    Minister", affiliation Russia. `start`/`end` is its first mention (title included);
    `kind` is a guess."""

    slug: str
    name: str
    kind: str
    description: str
    affiliation: ActorRef | None
    start: int
    end: int
    excerpt: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class StatementProposal:
    """Something an actor said: a direct quote (`kind` "quote": `words` are exactly the
    source's characters between the quote marks, at `words_start`..`words_end`) or reported
    speech (`kind` "paraphrase": `words` is the clause that carries it). `start`/`end` is the
    excerpt to cite: the quote with its attribution, or the reporting clause. `speaker` is
    None when no speaker could be found (confidence is then low)."""

    kind: str
    words: str
    words_start: int
    words_end: int
    speaker: ActorRef | None
    speaker_start: int | None
    speaker_end: int | None
    date: ProposedDate
    about: tuple[ActorRef, ...]
    conflicts: tuple[str, ...]
    start: int
    end: int
    excerpt: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class Participant:
    """An actor taking part in an event, in a role ("participant" when the sentence gives
    none); `rule` says which pattern gave the role."""

    actor: ActorRef
    role: str
    rule: str


@dataclass(frozen=True)
class EventProposal:
    """A sentence or clause reporting something that happened or is scheduled. The title
    is the clause itself; `location` is the place as the text gives it ("" when none)."""

    type: str
    title: str
    participants: tuple[Participant, ...]
    location: str
    location_start: int | None
    location_end: int | None
    conflicts: tuple[str, ...]
    date: ProposedDate
    start: int
    end: int
    excerpt: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class IntakeResult:
    """Everything the pipeline proposes for one article, each item with exact offsets."""

    text: str
    anchor: date | None
    furniture: tuple[FurnitureProposal, ...] = ()
    dates: tuple[DateProposal, ...] = ()
    mentions: tuple[ActorMention, ...] = ()
    new_actors: tuple[NewActorProposal, ...] = ()
    statements: tuple[StatementProposal, ...] = ()
    events: tuple[EventProposal, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def quotes(self) -> tuple[StatementProposal, ...]:
        return tuple(s for s in self.statements if s.kind == "quote")

    @property
    def paraphrases(self) -> tuple[StatementProposal, ...]:
        return tuple(s for s in self.statements if s.kind == "paraphrase")

    def claims(self) -> tuple[StatementProposal | EventProposal, ...]:
        """The proposals that assert something (statements and events): the ones that must
        never rest on page furniture."""
        return (*self.statements, *self.events)
