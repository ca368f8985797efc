"""The timeline's query string: validated once, then applied to the event and statement streams.

`TimelineFilter` validates the whole query string (unknown parameters, bad values and
unknown slugs are a 400 naming the parameter, as on every list). Its parameters are of
two sorts:

- the timeline's own (`APPLIED_HERE`): `kind` picks the streams; `actor`, `actor_mode`,
  `conflict` and `source` are checked once here and applied to both streams with the
  records found, so each costs one query however many streams use it; `actor` on
  statements means the speaker or an actor spoken about;
- every other parameter is handed, as given, to the list filter of each stream that has
  it (`EventFilter`, `StatementFilter`): `passed_to()` derives which, so a parameter
  cannot be accepted here and silently not applied. `type` is an event type: statements
  have none, so giving it leaves statements out.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation

from events import selectors
from events.api.facets import facet_filter, histogram_filter
from events.api.filters import (
    DateRangeFilterSet,
    EventFilter,
    StatementFilter,
    citing,
    events_in_conflicts,
    events_involving,
    statements_in_conflicts,
)
from events.choices import EventType
from events.models import Actor, Conflict, Event, Source, Statement
from events.sorting import with_sort_key

KINDS = ("event", "statement")
KIND_TAGS = {Event: "e", Statement: "s"}
# Parameters the timeline applies itself; the others go to the streams' own filters.
APPLIED_HERE = frozenset({"actor", "actor_mode", "conflict", "source", "kind", "facet", "histogram"})


class TimelineFilter(DateRangeFilterSet):
    """Validates the timeline's query string and filters the event and statement streams.

    The date parameters (date_after, date_before, date_match, precision, updated_since,
    status) are DateRangeFilterSet's; there is no `ordering`: the timeline is in date order.
    """

    ordering = None  # drop the inherited parameter
    actor = filters.ModelMultipleChoiceFilter(
        queryset=Actor.objects.all(),
        to_field_name="slug",
        method="noop",
        help_text="Actor slug; repeat for several. Events: a participant; statements: the speaker or an "
        "actor spoken about. An unknown slug is a 400.",
    )
    actor_mode = filters.ChoiceFilter(
        method="noop",
        choices=[("any", "any"), ("all", "all")],
        help_text="any (default): at least one of the actors; all: every one.",
    )
    conflict = filters.ModelMultipleChoiceFilter(
        queryset=Conflict.objects.all(),
        to_field_name="slug",
        method="noop",
        help_text="Conflict slug; repeat for several.",
    )
    type = filters.MultipleChoiceFilter(
        choices=EventType.choices,
        method="noop",
        help_text="Event type; repeat for several. Statements have no type, so giving `type` restricts "
        "the stream to events.",
    )
    kind = filters.MultipleChoiceFilter(
        choices=[(kind, kind) for kind in KINDS],
        method="noop",
        help_text="event or statement (default: both).",
    )
    source = filters.ModelMultipleChoiceFilter(
        queryset=Source.objects.all(),
        to_field_name="slug",
        method="noop",
        help_text="Source slug: items citing that source.",
    )
    q = filters.CharFilter(
        method="noop",
        help_text="Full-text search (web-search syntax) of event titles and summaries, statements' words "
        "and cited excerpts.",
    )
    facet = facet_filter("timeline")
    histogram = histogram_filter()

    class Meta(DateRangeFilterSet.Meta):
        fields = []

    def __init__(self, data=None, *, request=None):
        # The timeline filters two tables; the queryset FilterSet insists on is not used.
        super().__init__(data, queryset=Event.objects.none(), request=request)

    def filter_queryset(self, queryset):  # pragma: no cover - guards against misuse
        raise TypeError("TimelineFilter filters two tables: use streams()")

    @classmethod
    def passed_to(cls, filterset_class) -> list[str]:
        """The parameters handed to a stream's own filter: those it has and the timeline does not apply itself."""
        return [
            name
            for name in cls.base_filters
            if name in filterset_class.base_filters and name not in APPLIED_HERE
        ]

    def _subset(self, names: Iterable[str]) -> QueryDict:
        subset = QueryDict(mutable=True)
        for name in names:
            if name in self.data:
                values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
                subset.setlist(name, values)
        return subset

    def _filtered(self, filterset_class, queryset: QuerySet) -> QuerySet:
        filterset = filterset_class(
            self._subset(self.passed_to(filterset_class)), queryset=queryset, request=self.request
        )
        if not filterset.is_valid():  # pragma: no cover - the same values already passed is_valid()
            raise translate_validation(filterset.errors)
        return filterset.qs

    def _statements_concerning(self, queryset: QuerySet, actors, mode: str | None) -> QuerySet:
        def concerning(chosen) -> Q:
            about = Statement.about.through.objects.filter(statement=OuterRef("pk"), actor__in=chosen)
            return Q(speaker__in=chosen) | Q(Exists(about))

        if mode == "all":
            for actor in actors:
                queryset = queryset.filter(concerning([actor]))
            return queryset
        return queryset.filter(concerning(actors))

    def streams(self, user) -> list[QuerySet]:
        """The filtered event and statement querysets (those `kind`/`type` keep), sort-keyed. Call after is_valid()."""
        data = self.form.cleaned_data
        kinds = set(data.get("kind") or KINDS)
        actors, conflicts, sources = (list(data.get(name) or []) for name in ("actor", "conflict", "source"))
        streams = []
        if "event" in kinds:
            events = self._filtered(EventFilter, selectors.events_visible(user=user))
            events = events_involving(events, actors, mode=data.get("actor_mode"))
            events = events_in_conflicts(events, conflicts) if conflicts else events
            events = citing(events, sources, "event") if sources else events
            streams.append(with_sort_key(events, "date", kind_tag=KIND_TAGS[Event]))
        if "statement" in kinds and not data.get("type"):
            statements = self._filtered(StatementFilter, selectors.statements_visible(user=user))
            if actors:
                statements = self._statements_concerning(statements, actors, data.get("actor_mode"))
            statements = statements_in_conflicts(statements, conflicts) if conflicts else statements
            statements = citing(statements, sources, "statement") if sources else statements
            streams.append(with_sort_key(statements, "date", kind_tag=KIND_TAGS[Statement]))
        return streams
