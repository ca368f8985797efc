"""Query-string filters of the API's lists: what each parameter means for events, statements, actors, ...

They are strict FilterSets (`events.api.strict_filters`): every parameter is validated,
a bad value is a 400 naming the parameter, an unknown parameter is a 400 too, and an
unknown actor, conflict or source slug is a 400 ("not one of the available choices")
rather than an empty list, so a typo is never mistaken for "no results".
"""

import datetime

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters

from events import selectors
from events.api.facets import facet_filter, histogram_filter
from events.api.strict_filters import (
    IdsFilter,
    InstantFilter,
    SlugsFilter,
    StrictFilterForm,
    StrictFilterSet,
    given,
    skip_empty,
)
from events.choices import ActorKind, DatePrecision, EventType, ParticipantRole, ReviewStatus, StatementKind
from events.models import SEARCH_CONFIG, Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from events.search import search_query, search_text
from events.sorting import ORDERINGS, day_key

# Dates are ISO only: "04/03/2017" means different days to different readers.
ISO_DATE = ["%Y-%m-%d"]


def earliest_start_overlapping(day: datetime.date) -> datetime.date:
    """The earliest start of a dated item whose range reaches `day`.

    The database holds every range to its precision's shape: a day, a Monday-to-Sunday
    week, a whole month, a whole year. So a range reaching `day` starts no earlier than
    1 January of `day`'s year (a year or a month), or six days before (a week).
    """
    week = day - datetime.timedelta(days=6) if day > datetime.date.min + datetime.timedelta(days=6) else day
    return min(day.replace(month=1, day=1), week)


# What `updated_since` is, and what it is not (README, "Keeping a copy in sync").
UPDATED_SINCE_HELP = (
    "ISO 8601 date-time: items whose own row was saved since then. Not for keeping a copy: it misses "
    "deleted, unpublished and merged records, documents changed by a related record (a renamed actor), and "
    "saves that committed after you asked; follow /api/v1/changes/ for that."
)


class DateRangeForm(StrictFilterForm):
    """A date range must not run backwards."""

    def clean(self):
        data = super().clean()
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and after > before:
            self.add_error("date_before", f"must not be before date_after ({after.isoformat()})")
        return data


class DateRangeFilterSet(StrictFilterSet):
    """`?date_after=&date_before=&date_match=overlaps|within&precision=` over fuzzy dates.

    overlaps (default): the item's range meets [date_after, date_before]: it may fall there.
    within: the item's whole range lies inside: it certainly falls there.
    Items with an unknown date match no date range.
    """

    date_after = filters.DateFilter(
        method="noop", input_formats=ISO_DATE, help_text="YYYY-MM-DD: items on or after this day."
    )
    date_before = filters.DateFilter(
        method="noop", input_formats=ISO_DATE, help_text="YYYY-MM-DD: items on or before this day."
    )
    date_match = filters.ChoiceFilter(
        method="noop",
        choices=[("overlaps", "overlaps"), ("within", "within")],
        help_text="overlaps (default): the item may fall in the range; within: it certainly does.",
    )
    precision = filters.MultipleChoiceFilter(field_name="date_precision", choices=DatePrecision.choices)
    updated_since = InstantFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)
    status = filters.MultipleChoiceFilter(
        choices=ReviewStatus.choices, help_text="Review status; only editors see anything but published."
    )
    ordering = filters.ChoiceFilter(
        method="noop",
        choices=[(o, o) for o in ORDERINGS],
        help_text="date (default), -date, updated, -updated, or relevance (with q).",
    )

    class Meta:
        form = DateRangeForm

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        after, before = data.get("date_after"), data.get("date_before")
        if after or before:
            queryset = queryset.filter(date_start__isnull=False)
            within = data.get("date_match") == "within"
            if within:
                if after:
                    queryset = queryset.filter(date_start__gte=after)
                if before:
                    queryset = queryset.filter(date_end__lte=before)
            else:
                if after:
                    queryset = queryset.filter(date_end__gte=after)
                if before:
                    queryset = queryset.filter(date_start__lte=before)
            if hasattr(queryset.model, "date_key"):
                # The same condition, implied, on the stored sort key of the ordering: a page
                # is then a walk of that key's index from the first possible day instead of
                # a sort of every match. (One key only: bounds on both would make PostgreSQL
                # multiply their selectivities and misjudge the plan.)
                key = "date_key_desc" if data.get("ordering") == "-date" else "date_key"
                first = after
                if after and not within:
                    first = earliest_start_overlapping(after)
                if first:
                    queryset = queryset.filter(**{f"{key}__gte": day_key(first)})
                if before and before < datetime.date.max:
                    queryset = queryset.filter(**{f"{key}__lt": day_key(before + datetime.timedelta(days=1))})
        return queryset

    def search(self, queryset: QuerySet, q: str) -> QuerySet:
        """Full-text match of `q` (web-search syntax, rewritten by `events.search`) on the stored
        `search_vector` or any cited excerpt.

        The records whose citations match are found first (one small query), so the list
        query is `search_vector @@ q OR id IN (those ids)`, which PostgreSQL answers from
        the GIN and primary-key indexes together; an OR with a subquery would make it
        read every row instead.
        """
        query = search_query(q, SEARCH_CONFIG)
        cited = list(
            Citation.objects.filter(**{f"{self.citation_link}__isnull": False})
            .annotate(document=SearchVector(search_text(F("excerpt")), config=SEARCH_CONFIG))
            .filter(document=query)
            .values_list(f"{self.citation_link}_id", flat=True)
            .distinct()
        )
        matching = Q(search_vector=query) | Q(pk__in=cited) if cited else Q(search_vector=query)
        return queryset.annotate(search_rank=SearchRank(F("search_vector"), query)).filter(matching)


def _slugs(model, field_name: str, help_text: str) -> filters.ModelMultipleChoiceFilter:
    return SlugsFilter(queryset=model.objects.all(), to_field_name="slug", method="noop", help_text=help_text)


def events_involving(queryset: QuerySet, actors: list, *, mode: str | None = None, roles=()) -> QuerySet:
    """Events with any (mode "all": every one) of `actors` as a participant, in `roles` if given."""
    if not actors and not roles:
        return queryset
    links = EventParticipant.objects.filter(event=OuterRef("pk"))
    if roles:
        links = links.filter(role__in=roles)
    if actors and mode == "all":
        for actor in actors:
            queryset = queryset.filter(Exists(links.filter(actor=actor)))
    elif actors:
        queryset = queryset.filter(Exists(links.filter(actor__in=actors)))
    elif roles:
        queryset = queryset.filter(Exists(links))
    return queryset


def events_in_conflicts(queryset: QuerySet, conflicts) -> QuerySet:
    return queryset.filter(
        Exists(Event.conflicts.through.objects.filter(event=OuterRef("pk"), conflict__in=conflicts))
    )


def statements_in_conflicts(queryset: QuerySet, conflicts) -> QuerySet:
    return queryset.filter(
        Exists(Statement.conflicts.through.objects.filter(statement=OuterRef("pk"), conflict__in=conflicts))
    )


def citing(queryset: QuerySet, sources, link: str) -> QuerySet:
    """Records (`link`: "event" or "statement") with a citation of one of `sources`."""
    return queryset.filter(Exists(Citation.objects.filter(**{link: OuterRef("pk")}, source__in=sources)))


class EventFilter(DateRangeFilterSet):
    actor = _slugs(Actor, "actor", "Actor slug; repeat for several (see actor_mode).")
    actor_id = IdsFilter(queryset=Actor.objects.all(), method="noop", help_text="Actor id.")
    actor_mode = filters.ChoiceFilter(
        method="noop",
        choices=[("any", "any"), ("all", "all")],
        help_text="any (default): events with at least one of the actors; all: with every one.",
    )
    role = filters.MultipleChoiceFilter(
        choices=ParticipantRole.choices,
        method="noop",
        help_text="Participant role; with actor, that actor's role.",
    )
    conflict = SlugsFilter(
        field_name="conflicts",
        queryset=Conflict.objects.all(),
        to_field_name="slug",
        distinct=False,
        method="filter_conflict",
        help_text="Conflict slug.",
    )
    type = filters.MultipleChoiceFilter(choices=EventType.choices)
    location = filters.CharFilter(lookup_expr="icontains", help_text="Part of the place name, any case.")
    source = SlugsFilter(
        queryset=Source.objects.all(), to_field_name="slug", method="filter_source", help_text="Source slug."
    )
    q = filters.CharFilter(
        method="noop", help_text="Full-text search of titles, summaries and cited excerpts."
    )
    facet = facet_filter("events")
    histogram = histogram_filter()

    citation_link = "event"

    class Meta(DateRangeFilterSet.Meta):
        model = Event
        fields = []

    @skip_empty
    def filter_conflict(self, queryset, name, conflicts):
        return events_in_conflicts(queryset, conflicts)

    @skip_empty
    def filter_source(self, queryset, name, sources):
        return citing(queryset, sources, "event")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        actors = [actor for name in ("actor", "actor_id") if given(data.get(name)) for actor in data[name]]
        queryset = events_involving(
            queryset, actors, mode=data.get("actor_mode"), roles=data.get("role") or []
        )
        if data.get("q"):
            queryset = self.search(queryset, data["q"])
        return queryset


class StatementFilter(DateRangeFilterSet):
    speaker = SlugsFilter(
        field_name="speaker__slug",
        queryset=Actor.objects.all(),
        to_field_name="slug",
        help_text="Speaker's actor slug.",
    )
    about = SlugsFilter(
        queryset=Actor.objects.all(),
        to_field_name="slug",
        method="filter_about",
        help_text="Slug of an actor spoken about.",
    )
    conflict = SlugsFilter(
        queryset=Conflict.objects.all(),
        to_field_name="slug",
        method="filter_conflict",
        help_text="Conflict slug.",
    )
    event = SlugsFilter(
        field_name="occasion__slug",
        queryset=Event.objects.all(),
        to_field_name="slug",
        help_text="Slug of the occasion event.",
    )
    kind = filters.MultipleChoiceFilter(choices=StatementKind.choices)
    source = SlugsFilter(
        queryset=Source.objects.all(), to_field_name="slug", method="filter_source", help_text="Source slug."
    )
    q = filters.CharFilter(method="noop", help_text="Full-text search of the words and cited excerpts.")
    facet = facet_filter("statements")
    histogram = histogram_filter()

    citation_link = "statement"

    class Meta(DateRangeFilterSet.Meta):
        model = Statement
        fields = []

    @skip_empty
    def filter_about(self, queryset, name, actors):
        return queryset.filter(
            Exists(Statement.about.through.objects.filter(statement=OuterRef("pk"), actor__in=actors))
        )

    @skip_empty
    def filter_conflict(self, queryset, name, conflicts):
        return statements_in_conflicts(queryset, conflicts)

    @skip_empty
    def filter_source(self, queryset, name, sources):
        return citing(queryset, sources, "statement")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        q = self.form.cleaned_data.get("q")
        if q:
            queryset = self.search(queryset, q)
        return queryset


class ActorFilter(StrictFilterSet):
    kind = filters.MultipleChoiceFilter(choices=ActorKind.choices)
    q = filters.CharFilter(method="filter_q", help_text="Part of a name or alias; any case, any accents.")
    affiliation = SlugsFilter(
        field_name="affiliation__slug",
        queryset=Actor.objects.all(),
        to_field_name="slug",
        help_text="Slug of the actor they are affiliated to.",
    )
    conflict = SlugsFilter(
        field_name="conflicts",
        queryset=Conflict.objects.all(),
        to_field_name="slug",
        method="filter_conflict",
        help_text="Slug of a conflict they are a party to.",
    )
    updated_since = InstantFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Actor
        fields = []

    @skip_empty
    def filter_q(self, queryset, name, value):
        return selectors.actors_matching(queryset, value)

    @skip_empty
    def filter_conflict(self, queryset, name, conflicts):
        return queryset.filter(
            Exists(Conflict.parties.through.objects.filter(actor=OuterRef("pk"), conflict__in=conflicts))
        )


class ConflictFilter(StrictFilterSet):
    q = filters.CharFilter(
        method="filter_q", help_text="Part of the name or description; any case, any accents."
    )
    party = SlugsFilter(
        queryset=Actor.objects.all(),
        to_field_name="slug",
        method="filter_party",
        help_text="Slug of a party.",
    )
    active_on = filters.DateFilter(
        method="filter_active_on",
        input_formats=ISO_DATE,
        help_text="YYYY-MM-DD: conflicts under way that day.",
    )
    updated_since = InstantFilter(field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP)

    class Meta:
        model = Conflict
        fields = []

    @skip_empty
    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__unaccent__icontains=value) | Q(description__unaccent__icontains=value))

    @skip_empty
    def filter_party(self, queryset, name, actors):
        return queryset.filter(
            Exists(Conflict.parties.through.objects.filter(conflict=OuterRef("pk"), actor__in=actors))
        )

    @skip_empty
    def filter_active_on(self, queryset, name, day: datetime.date):
        return queryset.filter(Q(start_date__lte=day) | Q(start_date__isnull=True)).filter(
            Q(end_date__gte=day) | Q(end_date__isnull=True)
        )


class SourceFilter(StrictFilterSet):
    publisher = filters.CharFilter(lookup_expr="iexact")
    published_after = filters.DateFilter(field_name="published_on", lookup_expr="gte", input_formats=ISO_DATE)
    published_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", input_formats=ISO_DATE
    )
    language = filters.CharFilter()

    class Meta:
        model = Source
        fields = []
