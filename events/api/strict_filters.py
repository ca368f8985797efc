"""A strict django-filter: every query parameter validated, none silently ignored.

What makes a FilterSet strict here, whatever it filters:

- a parameter it does not know is a 400 listing those it takes (a misspelt filter would
  otherwise silently return everything);
- a value with a null character, or longer than MAX_VALUE_LENGTH, is a 400 naming the
  parameter before it reaches a query;
- errors are keyed by parameter, with DRF's `non_field_errors` for the rest.

It is also cheap: django-filter deep-copies every filter and builds a form class for
every request, and Django deep-copies every form field; here filters are copied shallowly,
form classes are built once per FilterSet class, forms share their fields, and only the
parameters given are cleaned. Each private internal of django-filter and Django this
relies on is pinned by a test that names it (tests/events/api/test_strict_filters.py), so
an upgrade that changes one fails loudly.

The domain's filters are in `events.api.filters`.
"""

import copy
import datetime
import functools

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django_filters import rest_framework as filters
from django_filters.filterset import BaseFilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from events import selectors

# Parameters that are not filters but are allowed on every list.
PAGING_PARAMETERS = {"cursor", "page_size", "format"}
# No filter needs more: longer values are refused before they reach a query.
MAX_VALUE_LENGTH = 10_000


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
    """The form of a StrictFilterSet: fields shared by every form of a class, only given parameters cleaned."""

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
        view.filterset = None
        params = request.query_params
        if PAGING_PARAMETERS.issuperset(params) and not value_problems(params):
            return queryset
        # DjangoFilterBackend.filter_queryset, keeping the FilterSet for the view (facets read it).
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            from django_filters.utils import translate_validation

            raise translate_validation(filterset.errors)
        view.filterset = filterset
        return filterset.qs


def _did_you_mean(error: forms.ValidationError, closest: dict[str, list[str]]) -> str:
    """The error's message, followed by the closest slugs to the value it refused, if any.

    "%" is doubled: django-filter formats each message with its (here no) parameters again.
    """
    message = " ".join(error.messages).replace("%", "%%")
    value = str((error.params or {}).get("value", "")) if error.code == "invalid_choice" else ""
    offered = closest.get(value) or []
    if not offered:
        return message
    offered = [slug.replace("%", "%%") for slug in offered]
    names = offered[0] if len(offered) == 1 else ", ".join(offered[:-1]) + " or " + offered[-1]
    return f"{message} Did you mean {names}?"


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
        # An unknown slug's error offers the closest records ("Did you mean khalifa-haftar?").
        closest = self.closest_slugs()
        named = ErrorDict()
        for name, errors in self.form.errors.items():
            key = "non_field_errors" if name == NON_FIELD_ERRORS else name
            if name in closest:
                errors = self.form.error_class(
                    [
                        _did_you_mean(error, closest[name])
                        for error in self.form.errors.as_data()[name]
                        for error in error.error_list
                    ]
                )
            named[key] = errors
        return named

    def closest_slugs(self) -> dict[str, dict[str, list[str]]]:
        """{parameter: {unknown slug given: the closest existing slugs}}, for slugs that name no record.

        Computed once per FilterSet, after validation, and only for parameters whose value
        was refused as not one of the choices: one query per unknown slug.
        """
        if hasattr(self, "_closest"):
            return self._closest
        self._closest = closest = {}
        if not self.is_bound or self.form.is_valid():
            return closest
        for name, errors in self.form.errors.as_data().items():
            filter_ = self.filters.get(name)
            if not isinstance(filter_, filters.ModelMultipleChoiceFilter):
                continue
            if filter_.extra.get("to_field_name") != "slug":
                continue
            model = filter_.queryset.model
            for error in errors:
                for single in error.error_list:
                    if single.code == "invalid_choice" and single.params:
                        value = str(single.params["value"])
                        closest.setdefault(name, {})[value] = selectors.closest_slugs(model, value)
        return closest

    @staticmethod
    def noop(queryset, name, value):
        """For parameters applied together in `filter_queryset` or by the paginator."""
        return queryset
