"""Query-string filters of the API, as django-filter FilterSets.

Every parameter is validated: a bad value is a 400 naming the parameter, an unknown
parameter is a 400 too (a misspelt filter would otherwise silently return everything),
and an unknown actor, conflict or source slug is a 400 ("not one of the available
choices") rather than an empty list, so a typo is never mistaken for "no results".
"""

import copy
import datetime
import functools

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django_filters import rest_framework as filters
from django_filters.filterset import BaseFilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from events import selectors
from events.choices import ActorKind, DatePrecision, EventType, ParticipantRole, ReviewStatus, StatementKind
from events.models import SEARCH_CONFIG, Actor, Citation, Conflict, Event, EventParticipant, Source, Statement
from events.sorting import ORDERINGS, day_key

# Parameters that are not filters but are allowed on every list.
PAGING_PARAMETERS = {"cursor", "page_size", "format"}
# No filter needs more: longer values are refused before they reach a query.
MAX_VALUE_LENGTH = 10_000
# Dates are ISO only: "04/03/2017" means different days to different readers.
ISO_DATE = ["%Y-%m-%d"]


class InstantFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC.

    Python accepts offsets up to ±23:59 but PostgreSQL only up to ±15:59; converting to
    UTC first keeps a legal but unusual offset from becoming a database error.
    """

    def filter(self, qs, value):
        if value:
            value = value.astimezone(datetime.UTC)
        return super().filter(qs, value)


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    """Related records by slug; repeat the parameter for several."""


@extend_schema_field(OpenApiTypes.INT)
class IdsFilter(filters.ModelMultipleChoiceFilter):
    """Related records by numeric id; repeat the parameter for several."""


def earliest_start_overlapping(day: datetime.date) -> datetime.date:
    """The earliest start of a dated item whose range reaches `day`.

    The database holds every range to its precision's shape: a day, a Monday-to-Sunday
    week, a whole month, a whole year. So a range reaching `day` starts no earlier than
    1 January of `day`'s year (a year or a month), or six days before (a week).
    """
    week = day - datetime.timedelta(days=6) if day > datetime.date.min + datetime.timedelta(days=6) else day
    return min(day.replace(month=1, day=1), week)


def skip_empty(method):
    """Filter methods run only when the parameter was given.

    django-filter calls a method even for an absent multiple-choice parameter (its value
    is then an empty queryset, not one of the "empty" values it skips).
    """

    @functools.wraps(method)
    def wrapper(self, queryset, name, value):
        if not given(value):
            return queryset
        return method(self, queryset, name, value)

    return wrapper


def given(value) -> bool:
    """Whether a cleaned filter value holds anything, without running a query to find out.

    An absent multiple-choice parameter cleans to `queryset.none()`, whose truth value
    Django would compute by compiling (and abandoning) a query.
    """
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    return bool(value)


class StrictFilterForm(forms.Form):
    """Cross-parameter checks: a date range must not run backwards."""

    def __init__(self, *args, **kwargs):
        # Django deep-copies every field for every form, so that one form may change its
        # fields without touching others; copying the choices (lazy labels) of a dozen
        # choice fields cost milliseconds per request. These forms only validate query
        # strings and never change a field, so every form of a class shares its fields.
        self.base_fields = {}  # this instance's view only: BaseForm deep-copies nothing
        super().__init__(*args, **kwargs)
        del self.base_fields
        self.fields = dict(self.base_fields)

    def _clean_fields(self):
        # An absent parameter filters nothing: clean only those given (a list takes some
        # twenty). The filters read absent ones with .get(), as their empty value.
        every_field = self.fields
        self.fields = {
            name: field for name, field in every_field.items() if self.add_prefix(name) in self.data
        }
        try:
            super()._clean_fields()
        finally:
            self.fields = every_field

    def clean(self):
        data = super().clean()
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and after > before:
            self.add_error("date_before", f"must not be before date_after ({after.isoformat()})")
        return data


def value_problems(data: QueryDict) -> dict[str, str]:
    """What is wrong with any parameter's value whatever the parameter: null bytes, excess length.

    Null bytes are refused before any value reaches a query: PostgreSQL cannot store them.
    """
    problems = {
        name: "null characters are not allowed"
        for name, values in data.lists()
        if any("\x00" in value or "\x00" in name for value in values)
    }
    problems.update(
        {
            name: f"too long ({max(map(len, values))} characters; at most {MAX_VALUE_LENGTH})"
            for name, values in data.lists()
            if any(len(value) > MAX_VALUE_LENGTH for value in values)
        }
    )
    return problems


class FilterBackend(filters.DjangoFilterBackend):
    """DjangoFilterBackend, except that a request with no filter parameters skips the FilterSet.

    Paging through a whole list (a downstream app's sync, a first page) names no filter:
    building and validating a FilterSet of twenty filters to apply none of them costs
    about a tenth of such a request's time. Bad values still reach the FilterSet, whose
    400 names them.
    """

    def filter_queryset(self, request, queryset, view):
        params = request.query_params
        if PAGING_PARAMETERS.issuperset(params) and not value_problems(params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictFilterSet(filters.FilterSet):
    """A FilterSet that refuses parameters it does not know and null bytes in any value."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, but with a shallow copy of each filter where it deep-copies
        # them (a third of a list request's time). A filter keeps no per-request state
        # except its parent and its method's binding to it, both set here.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if base.method is not None:
                filter_.method = base.method  # binds a FilterMethod to this copy
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_
        self.unknown = sorted(set(data or {}) - set(self.filters) - PAGING_PARAMETERS)

    @property
    def form(self):
        # django-filter's DRF FilterSet looks in settings for crispy-forms on every access
        # (a dozen per request) to give the form a layout; no form here is rendered by it.
        return BaseFilterSet.form.fget(self)

    def get_form_class(self):
        # django-filter builds a new form class, field by field, for every request; the
        # fields of a FilterSet class never change, so build it once per class.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def is_valid(self) -> bool:
        data = self.data if hasattr(self.data, "lists") else QueryDict(mutable=True)
        problems = value_problems(data)
        known = ", ".join(sorted(self.filters))
        problems.update({name: f"unknown parameter; this list takes: {known}" for name in self.unknown})
        if problems:
            self.form.is_valid()
            for name, message in problems.items():
                if name in self.form.errors:
                    continue  # the field's own validation already said what is wrong
                self.form._errors.setdefault(name.replace("\x00", "\\x00"), self.form.error_class()).append(
                    message
                )
            return False
        return super().is_valid()

    @property
    def errors(self) -> ErrorDict:
        # DRF names errors that belong to no single field "non_field_errors"; so do we.
        return ErrorDict(
            ("non_field_errors" if name == NON_FIELD_ERRORS else name, errors)
            for name, errors in self.form.errors.items()
        )

    @staticmethod
    def noop(queryset, name, value):
        """For parameters applied together in `filter_queryset` or by the paginator."""
        return queryset


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
    updated_since = InstantFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601 date-time: items changed since then."
    )
    status = filters.MultipleChoiceFilter(
        choices=ReviewStatus.choices, help_text="Review status; only editors see anything but published."
    )
    ordering = filters.ChoiceFilter(
        method="noop",
        choices=[(o, o) for o in ORDERINGS],
        help_text="date (default), -date, updated, -updated, or relevance (with q).",
    )

    class Meta:
        form = StrictFilterForm

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
        """Full-text match of `q` (web-search syntax) on the stored `search_vector` or any cited excerpt.

        The records whose citations match are found first (one small query), so the list
        query is `search_vector @@ q OR id IN (those ids)`, which PostgreSQL answers from
        the GIN and primary-key indexes together; an OR with a subquery would make it
        read every row instead.
        """
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        cited = list(
            Citation.objects.filter(**{f"{self.citation_link}__isnull": False})
            .annotate(document=SearchVector("excerpt", config=SEARCH_CONFIG))
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
    updated_since = InstantFilter(field_name="updated_at", lookup_expr="gte")

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
    updated_since = InstantFilter(field_name="updated_at", lookup_expr="gte")

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
