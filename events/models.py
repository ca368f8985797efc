"""The timeline's records: where they come from, who took part, what happened, who said what.

Each model's docstring says what a row means in the world. Rules that must always hold
are enforced by PostgreSQL itself (check constraints, unique constraints and the
triggers in migration 0002), so no writer — loader, admin, API or a raw SQL session —
can store a record that breaks them.
"""

import datetime
import hashlib

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import DatabaseError, models
from django.db.models import F, Q
from django.db.models.functions import Length, TruncMonth, TruncWeek, TruncYear
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from events.choices import (
    ActorKind,
    DatePrecision,
    EventType,
    MergeJobState,
    ParticipantRole,
    ProposalKind,
    ProposalState,
    ReviewStatus,
    StatementKind,
)
from events.rules import citation_still_kept, keeps_a_citation
from events.search import search_text
from events.sorting import sort_key_expression


def _plus_days(field: str, days: int) -> models.ExpressionWrapper:
    """`field + N days` as a date expression usable in check constraints."""
    return models.ExpressionWrapper(F(field) + datetime.timedelta(days=days), output_field=models.DateField())


def _exactly_one_of(*fields: str) -> Q:
    """A condition true when exactly one of the nullable foreign keys `fields` is set."""
    condition = Q()
    for chosen in fields:
        condition |= Q(**{f"{field}__isnull": field != chosen for field in fields})
    return condition


# The shape each precision implies, as SQL conditions over date_start/date_end.
_DAY_SHAPE = Q(date_end=F("date_start"))
_WEEK_SHAPE = Q(date_start=TruncWeek("date_start")) & Q(date_end=_plus_days("date_start", 6))
_MONTH_SHAPE = (
    Q(date_start=TruncMonth("date_start"))
    & Q(date_end__year=F("date_start__year"))
    & Q(date_end__month=F("date_start__month"))
    # The day after the end is the first of a month: the end is the month's last day.
    & Exact(TruncMonth(_plus_days("date_end", 1)), _plus_days("date_end", 1))
)
_YEAR_SHAPE = (
    Q(date_start=TruncYear("date_start"))
    & Q(date_end__year=F("date_start__year"))
    & Q(date_end__month=12)
    & Q(date_end__day=31)
)


# The text search configuration of every full-text index and query. What is indexed is
# each text as `events.search.search_text` makes it (accents off, compounds also joined).
SEARCH_CONFIG = "english"


def _date_key(ordering: str, kind_tag: str) -> models.GeneratedField:
    """The stored sort key of the "date" or "-date" ordering (see `events.sorting`).

    Stored and indexed so a page of the timeline is an index range scan, however deep.
    """
    return models.GeneratedField(
        expression=sort_key_expression(ordering, kind_tag=kind_tag),
        output_field=models.CharField(max_length=40, db_collation="C"),
        db_persist=True,
    )


DERIVED_FIELDS = ["search_vector", "date_key", "date_key_desc"]


class FuzzyDated(models.Model):
    """A date as a source words it, and the inclusive range of days it can mean.

    "on Thursday" in an article published 2017-03-03 is stored as date_text "on Thursday",
    date_anchor 2017-03-03, date_start = date_end = 2017-03-02, precision day. Unknown
    dates keep their words and have no bounds. Resolution lives in `events.dates`.
    """

    date_text = models.CharField(
        max_length=200,
        blank=True,
        help_text='The date as the source words it, e.g. "on Thursday" or "in December".',
    )
    date_anchor = models.DateField(
        null=True,
        blank=True,
        help_text="The date relative words were resolved against (usually the source's publication date).",
    )
    date_start = models.DateField(null=True, blank=True, help_text="First day the item may fall on.")
    date_end = models.DateField(null=True, blank=True, help_text="Last day the item may fall on.")
    date_precision = models.CharField(
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_date_start_lte_end",
                condition=Q(date_start__lte=F("date_end")) | Q(date_start__isnull=True),
                violation_error_message="The start date must not be after the end date.",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_date_bounds_iff_known",
                condition=(
                    Q(date_precision=DatePrecision.UNKNOWN, date_start__isnull=True, date_end__isnull=True)
                    | (
                        ~Q(date_precision=DatePrecision.UNKNOWN)
                        & Q(date_start__isnull=False, date_end__isnull=False)
                    )
                ),
                violation_error_message="A known date needs a start and an end; an unknown date has neither.",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_date_shape_matches_precision",
                condition=(
                    Q(date_precision=DatePrecision.UNKNOWN)
                    | (Q(date_precision=DatePrecision.DAY) & _DAY_SHAPE)
                    | (Q(date_precision=DatePrecision.WEEK) & _WEEK_SHAPE)
                    | (Q(date_precision=DatePrecision.MONTH) & _MONTH_SHAPE)
                    | (Q(date_precision=DatePrecision.YEAR) & _YEAR_SHAPE)
                ),
                violation_error_message=(
                    "The start and end do not fit the precision (a day is one day, a week runs Monday "
                    "to Sunday, a month from its first to its last day, a year from 1 Jan to 31 Dec)."
                ),
            ),
        ]


class Versioned(models.Model):
    """A record that counts its saves, so two editors cannot silently overwrite each other.

    Every save adds one to `version`. Editing paths (the admin form, the API's If-Match)
    compare the version the editor started from with the stored one, under a row lock,
    and refuse the save when someone else saved in between.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is None or self._state.adding:
            super().save(*args, **kwargs)
            return
        self.version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        # A record read from the database is updated, never inserted again: Django's save
        # falls back to an INSERT when its UPDATE finds no row, which would bring back a
        # record another editor deleted (or a merge removed) after this copy was read.
        kwargs.setdefault("force_update", True)
        try:
            super().save(*args, **kwargs)
        except DatabaseError as err:
            if str(err) in {
                "Forced update did not affect any rows.",
                "Save with update_fields did not affect any rows.",
            }:
                raise self.DoesNotExist(
                    f"{self._meta.verbose_name} {getattr(self, 'slug', self.pk)} no longer exists: it was "
                    "deleted (or merged into another) while this copy was being edited"
                ) from err
            raise


class Reviewed(models.Model):
    """A record that goes through editorial review before the public sees it.

    draft → reviewed → published; who moved it and when are kept (see `events.review`).
    """

    status = models.CharField(
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
        help_text="Only published records are shown to the public.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Source(Versioned):
    """A document the timeline's claims come from, with its full text.

    Citations point into `text` by character offsets, so the text is never edited in a
    way that moves a cited passage (a trigger refuses it). `checksum` is the SHA-256 of
    the text, set by the database, so a copy of the document can be checked against it.
    """

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    published_on = models.DateField(
        help_text="Publication date; relative dates in the text resolve against it."
    )
    language = models.CharField(max_length=16, help_text="BCP 47 language tag, e.g. en.")
    contributors = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    text = models.TextField(help_text="The full text exactly as received.")
    furniture = ArrayField(
        models.TextField(),
        default=list,
        blank=True,
        help_text="Lines of page furniture (video and link titles, advertisements): not claims; never cited.",
    )
    checksum = models.CharField(max_length=64, editable=False, help_text="SHA-256 of the text, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "slug"]

    def __str__(self) -> str:
        return f"{self.publisher}, {self.published_on:%Y-%m-%d}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        # The database sets the same value; computing it here keeps the instance current.
        self.checksum = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)


class ActorSearchNames(models.Func):
    """An actor's name and aliases as one lower-case, accent-free text: what a name search matches.

    `events_actor_search_names`, a database function (migration 0007) equal to
    unaccent(lower(concat_ws(' | ', name, array_to_string(aliases, ' | ')))). It is declared
    IMMUTABLE so a trigram index can hold it: `unaccent` itself is only STABLE, as its
    dictionary could change, and this project never changes it.
    """

    function = "events_actor_search_names"
    output_field = models.TextField()


class Actor(Versioned):
    """Someone who acts or speaks: a person, state, government body, organisation or armed group.

    `affiliation` ties an actor to another (Gatilov → Russia); `aliases` are the other
    names sources use for it ("U.S.", "the Kremlin"), searched alongside the name.
    """

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=ActorKind.choices, db_index=True)
    description = models.CharField(
        max_length=500, blank=True, help_text='Short, e.g. "Russian Deputy Foreign Minister".'
    )
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliates",
        help_text="The actor this one belongs to or speaks for.",
    )
    aliases = ArrayField(models.CharField(max_length=300), default=list, blank=True)
    wikidata_qid = models.CharField(
        max_length=20, blank=True, verbose_name="Wikidata QID", help_text="e.g. Q159 for Russia."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_not_affiliated_to_itself",
                condition=~Q(affiliation=F("pk")),
                violation_error_message="An actor cannot be affiliated to itself.",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_wikidata_qid_format",
                condition=Q(wikidata_qid="") | Q(wikidata_qid__regex=r"^Q[1-9][0-9]*$"),
                violation_error_message="A Wikidata QID is Q followed by digits, e.g. Q159.",
            ),
        ]
        indexes = [
            # Name searches are substring matches ("sarraj" in "Fayez al-Sarraj"): a trigram
            # index answers them without reading every actor.
            GinIndex(
                OpClass(ActorSearchNames(F("name"), F("aliases")), name="gin_trgm_ops"),
                name="events_actor_names_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Conflict(Versioned):
    """A named conflict or crisis (the Syrian civil war), with its region, dates and parties.

    Dates are plain days from reference knowledge; a null end means it is ongoing.
    """

    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=300)
    region = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Empty while the conflict is ongoing.")
    parties = models.ManyToManyField(Actor, related_name="conflicts", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_start_date_lte_end_date",
                condition=Q(start_date__lte=F("end_date"))
                | Q(start_date__isnull=True)
                | Q(end_date__isnull=True),
                violation_error_message="A conflict cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Event(FuzzyDated, Reviewed, Versioned):
    """Something that happened on a (fuzzy) date: talks, a ceasefire, a battle, an interview.

    Actors take part through `EventParticipant`, which says in what role.
    """

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    type = models.CharField(max_length=32, choices=EventType.choices, db_index=True)
    location = models.CharField(max_length=300, blank=True, help_text="Place name as the source gives it.")
    conflicts = models.ManyToManyField(Conflict, related_name="events", blank=True)
    participants = models.ManyToManyField(
        Actor, through="EventParticipant", related_name="events", blank=True
    )
    # Derived by PostgreSQL on every write; history leaves them out (DERIVED_FIELDS).
    search_vector = models.GeneratedField(
        expression=SearchVector(search_text(F("title")), weight="A", config=SEARCH_CONFIG)
        + SearchVector(search_text(F("summary")), weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    date_key = _date_key("date", "e")
    date_key_desc = _date_key("-date", "e")
    history = HistoricalRecords(m2m_fields=[conflicts], excluded_fields=DERIVED_FIELDS)

    class Meta:
        ordering = ["date_start", "id"]
        constraints = FuzzyDated.Meta.constraints
        indexes = [
            models.Index(fields=["date_start", "date_end"], name="events_event_date_idx"),
            models.Index(fields=["date_key"], name="events_event_date_key_idx"),
            models.Index(fields=["date_key_desc"], name="events_event_date_key_desc_idx"),
            GinIndex(fields=["search_vector"], name="events_event_search_idx"),
        ]
        permissions = [("publish_event", "Can publish and unpublish events")]
        triggers = [keeps_a_citation("events_event", "event")]

    def __str__(self) -> str:
        return self.title


class EventParticipant(models.Model):
    """An actor's part in an event, e.g. Russia as host of the Moscow talks."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=32, choices=ParticipantRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "role", "actor"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="%(app_label)s_%(class)s_unique_actor_role_per_event",
                violation_error_message="This actor already has this role in this event.",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "role"], name="events_part_actor_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role}) in {self.event}"


class Statement(FuzzyDated, Reviewed, Versioned):
    """Something an actor said: their exact words (a quote) or a source's report of them.

    `occasion` is the event it was said at (an interview, a press conference); `about`
    lists the actors it concerns and `conflicts` the conflicts.
    """

    slug = models.SlugField(max_length=200, unique=True)
    speaker = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(max_length=16, choices=StatementKind.choices, db_index=True)
    text = models.TextField(help_text="A quote's exact words, or the paraphrased claim.")
    occasion = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    about = models.ManyToManyField(Actor, related_name="mentioned_in", blank=True)
    conflicts = models.ManyToManyField(Conflict, related_name="statements", blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector(search_text(F("text")), weight="A", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    date_key = _date_key("date", "s")
    date_key_desc = _date_key("-date", "s")
    history = HistoricalRecords(m2m_fields=[about, conflicts], excluded_fields=DERIVED_FIELDS)

    class Meta:
        ordering = ["date_start", "id"]
        constraints = FuzzyDated.Meta.constraints
        indexes = [
            models.Index(fields=["date_start", "date_end"], name="events_stmt_date_idx"),
            models.Index(fields=["date_key"], name="events_stmt_date_key_idx"),
            models.Index(fields=["date_key_desc"], name="events_stmt_date_key_desc_idx"),
            GinIndex(fields=["search_vector"], name="events_stmt_search_idx"),
        ]
        permissions = [("publish_statement", "Can publish and unpublish statements")]
        triggers = [keeps_a_citation("events_statement", "statement")]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:80]}"


class Citation(models.Model):
    """The exact words of a source that support one record: an event, a statement, an actor or a conflict.

    Events and statements must have at least one (every writer requires it, and so does the
    database: `events.rules`); for actors and conflicts a citation shows where the source
    names or describes them.

    `start_offset` and `end_offset` are character offsets into the source's text
    (Python slicing: text[start:end] == excerpt); a trigger checks that they are.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    conflict = models.ForeignKey(
        Conflict, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    excerpt = models.TextField()
    start_offset = models.PositiveIntegerField()
    end_offset = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "start_offset", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_cites_one_record",
                condition=_exactly_one_of("event", "statement", "actor", "conflict"),
                violation_error_message="A citation supports exactly one event, statement, actor or conflict.",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_offsets_span_excerpt",
                condition=Q(start_offset__lt=F("end_offset"))
                & Q(end_offset=F("start_offset") + Length("excerpt")),
                violation_error_message="The offsets must span exactly the excerpt.",
            ),
            models.UniqueConstraint(
                fields=["event", "source", "start_offset", "end_offset"],
                name="%(app_label)s_%(class)s_unique_event_passage",
                condition=Q(event__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["statement", "source", "start_offset", "end_offset"],
                name="%(app_label)s_%(class)s_unique_statement_passage",
                condition=Q(statement__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["actor", "source", "start_offset", "end_offset"],
                name="%(app_label)s_%(class)s_unique_actor_passage",
                condition=Q(actor__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["conflict", "source", "start_offset", "end_offset"],
                name="%(app_label)s_%(class)s_unique_conflict_passage",
                condition=Q(conflict__isnull=False),
            ),
        ]
        triggers = [citation_still_kept()]

    def __str__(self) -> str:
        return f"{self.source.slug} [{self.start_offset}:{self.end_offset}]"


class IntakeProposal(models.Model):
    """Something article intake proposes from a source, waiting for an editor's decision.

    A new actor, a statement or an event found in `source`'s text by the rule `rule`, with a
    `confidence` in [0, 1] and the exact passage it rests on (`source.text[start_offset:
    end_offset] == excerpt`). `data` holds what the pipeline proposed (the fields of
    `events.intake.proposals`' dataclass, as JSON). Nothing here is public: accepting turns
    it into a draft record through the services every writer uses (`events.intake.review`),
    and `actor`, `event` or `statement` then points at the record it became. Actors have no
    review status, so a proposed new actor becomes an Actor row only when accepted.
    `ref` is a new actor's provisional slug, by which the source's other proposals name it.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=16, choices=ProposalKind.choices)
    ref = models.CharField(
        max_length=200, blank=True, help_text="A new actor's provisional slug, as other proposals name it."
    )
    data = models.JSONField(help_text="What the pipeline proposed, as its dataclass's fields.")
    excerpt = models.TextField()
    start_offset = models.PositiveIntegerField()
    end_offset = models.PositiveIntegerField()
    rule = models.CharField(max_length=100, help_text="The pipeline rule that made the proposal.")
    confidence = models.FloatField()
    state = models.CharField(
        max_length=16, choices=ProposalState.choices, default=ProposalState.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "start_offset", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_offsets_span_excerpt",
                condition=Q(start_offset__lt=F("end_offset"))
                & Q(end_offset=F("start_offset") + Length("excerpt")),
                violation_error_message="The offsets must span exactly the excerpt.",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_confidence_in_unit_range",
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                violation_error_message="A confidence is between 0 and 1.",
            ),
            # Only an accepted proposal points at a record, and only at one of its own kind
            # (the record may be deleted later: the link is then empty, the decision kept).
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_record_matches_kind",
                condition=(
                    Q(event__isnull=True, statement__isnull=True, kind=ProposalKind.ACTOR)
                    | Q(actor__isnull=True, statement__isnull=True, kind=ProposalKind.EVENT)
                    | Q(actor__isnull=True, event__isnull=True, kind=ProposalKind.STATEMENT)
                )
                & (
                    Q(state=ProposalState.ACCEPTED)
                    | Q(actor__isnull=True, event__isnull=True, statement__isnull=True)
                ),
                violation_error_message="Only an accepted proposal points at a record, of its own kind.",
            ),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_decided_iff_not_pending",
                condition=Q(state=ProposalState.PENDING, decided_at__isnull=True)
                | (~Q(state=ProposalState.PENDING) & Q(decided_at__isnull=False)),
                violation_error_message="A decided proposal records when; a pending one has no decision.",
            ),
            models.UniqueConstraint(
                fields=["source", "ref"],
                condition=Q(kind=ProposalKind.ACTOR),
                name="%(app_label)s_%(class)s_unique_new_actor_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} [{self.start_offset}:{self.end_offset}] {self.excerpt[:60]}"


class MergeJob(models.Model):
    """A merge of actors too large for a request, queued for a worker (events.merge_jobs).

    `target` keeps `others` (actor ids, in the order chosen). The job stays `queued` until
    the worker's transaction commits the merge and marks it `done` in the same commit, or
    marks it `failed` with the reason (nothing merged): a worker that dies mid-merge leaves
    it queued, nothing half-moved, for the next worker. What a running job is doing is in
    its `MergeJobProgress`, written outside the merge's transaction so that others see it.
    """

    target = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, related_name="+")
    target_name = models.CharField(max_length=200, help_text="The kept actor's name when queued.")
    others = ArrayField(models.BigIntegerField(), help_text="Ids of the actors merged into the target.")
    others_names = ArrayField(models.CharField(max_length=200), help_text="Their names when queued.")
    confirm_kinds = models.BooleanField(default=False, help_text="Merge across kinds of actor.")
    links = models.PositiveIntegerField(help_text="Links to move, counted when queued.")
    state = models.CharField(
        max_length=16, choices=MergeJobState.choices, default=MergeJobState.QUEUED, db_index=True
    )
    report = models.JSONField(null=True, blank=True, help_text="What the merge moved (merging.MergeReport).")
    error = models.TextField(blank=True, help_text="Why the merge was refused, when it failed.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_finished_iff_not_queued",
                condition=Q(state=MergeJobState.QUEUED, finished_at__isnull=True)
                | (~Q(state=MergeJobState.QUEUED) & Q(finished_at__isnull=False)),
                violation_error_message="A finished job records when; a queued one has not finished.",
            ),
        ]

    def __str__(self) -> str:
        return f"Merge of {', '.join(self.others_names)} into {self.target_name}"


class MergeJobProgress(models.Model):
    """What a worker is doing with a merge job: its step, and the backend running the merge.

    Written by the worker on a second connection, committed at once, while the merge's own
    transaction is still open; `backend_pid` is that transaction's PostgreSQL backend, so a
    worker that died is seen as gone (its backend is no longer in pg_stat_activity).
    """

    job = models.OneToOneField(MergeJob, on_delete=models.CASCADE, primary_key=True, related_name="progress")
    step = models.CharField(max_length=200)
    done = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    backend_pid = models.IntegerField()
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.step} ({self.done} of {self.total})"


# The facet summaries PostgreSQL keeps (events.facets.summaries): models here so that
# migrations and test flushes know their tables.
# The change feed's log and horizon (events.changes), defined there, registered here.
from events.changes.models import Change, ChangeHorizon, ShownChange  # noqa: E402, F401
from events.facets.summaries import FacetItem, FacetSummary  # noqa: E402, F401
