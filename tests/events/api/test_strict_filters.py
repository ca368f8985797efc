"""The private internals of django-filter and Django forms that `events.api.strict_filters` relies on.

The strict FilterSets skip copies django-filter and Django make on every request (see the
module). Each test here names one internal behaviour that relies on, as the installed
versions have it, so an upgrade that changes one fails here, by name, rather than in a
list that quietly filters nothing.
"""

import copy

import pytest
from django import forms
from django.http import QueryDict
from django_filters import FilterSet
from django_filters import filters as django_filters
from django_filters.filters import FilterMethod
from django_filters.filterset import BaseFilterSet

from events.api.filters import EventFilter
from events.api.strict_filters import StrictFilterForm
from events.models import Event

pytestmark = pytest.mark.django_db


def test_basefilterset_init_sets_exactly_the_attributes_strictfilterset_init_sets():
    """StrictFilterSet.__init__ replaces BaseFilterSet.__init__: it must set the same attributes."""

    class Plain(FilterSet):
        title = django_filters.CharFilter()

        class Meta:
            model = Event
            fields = []

    plain = Plain(QueryDict("title=x"), queryset=Event.objects.all())
    strict = EventFilter(QueryDict("type=talks"), queryset=Event.objects.all())

    assert set(vars(plain)) == {"is_bound", "data", "queryset", "request", "form_prefix", "filters"}
    assert set(vars(plain)) <= set(vars(strict))
    assert all(f.parent is plain and f.model is Event for f in plain.filters.values())
    assert all(f.parent is strict and f.model is Event for f in strict.filters.values())


def test_assigning_filter_method_binds_a_filtermethod_to_that_filter():
    """A shallow copy's method is re-bound by assigning it (django_filters.filters.Filter.method's setter)."""
    base = EventFilter.base_filters["conflict"]
    shallow = copy.copy(base)

    shallow.method = base.method

    assert isinstance(shallow.filter, FilterMethod) and shallow.filter.f is shallow
    assert base.filter.f is base


def test_basefilterset_form_is_a_property_whose_getter_builds_the_form():
    """StrictFilterSet.form calls BaseFilterSet.form.fget, skipping the DRF FilterSet's crispy-forms lookup."""
    assert isinstance(BaseFilterSet.form, property)
    filterset = EventFilter(QueryDict("type=talks"), queryset=Event.objects.all())

    assert isinstance(filterset.form, StrictFilterForm)
    assert filterset.form is filterset.form  # built once, kept in _form
    assert "_form" in vars(filterset)


def test_get_form_class_is_what_basefilterset_form_builds_from():
    """The form class is built once per FilterSet class by overriding get_form_class."""
    first = EventFilter(QueryDict("type=talks"), queryset=Event.objects.all())
    second = EventFilter(QueryDict("type=ceasefire"), queryset=Event.objects.all())

    assert type(first.form) is type(second.form) is EventFilter._form_class
    assert set(type(first.form).base_fields) == set(EventFilter.base_filters)


def test_form_full_clean_cleans_through_clean_fields_over_self_fields():
    """StrictFilterForm._clean_fields narrows self.fields to the parameters given, then restores them."""
    seen = []

    class Recording(forms.Form):
        a = forms.IntegerField(required=False)
        b = forms.IntegerField(required=False)

        def _clean_fields(self):
            seen.append(sorted(self.fields))
            super()._clean_fields()

    form = Recording({"a": "1"})
    assert form.is_valid() and seen == [["a", "b"]]
    filterset = EventFilter(QueryDict("type=talks"), queryset=Event.objects.all())
    assert filterset.is_valid()
    assert set(filterset.form.fields) == set(EventFilter.base_filters)  # restored after cleaning
    assert set(filterset.form.cleaned_data) == {"type"}


def test_baseform_init_copies_fields_from_self_base_fields():
    """StrictFilterForm shares its class's fields by giving BaseForm.__init__ an empty instance base_fields."""

    class Plain(forms.Form):
        a = forms.IntegerField()

    assert Plain().fields["a"] is not Plain.base_fields["a"]  # Django copies each field per form
    form_class = EventFilter._form_class if "_form_class" in vars(EventFilter) else None
    form_class = form_class or type(EventFilter(QueryDict(), queryset=Event.objects.all()).form)
    form = form_class(QueryDict())
    assert set(form.fields) == set(form_class.base_fields)
    assert all(form.fields[name] is form_class.base_fields[name] for name in form.fields)


def test_form_errors_can_be_added_through_errors_dict():
    """StrictFilterSet.is_valid adds its own messages to form._errors (an ErrorDict) after form.is_valid()."""
    filterset = EventFilter(QueryDict("colour=red"), queryset=Event.objects.all())

    assert not filterset.is_valid()
    assert filterset.errors["colour"][0].startswith("unknown parameter; this list takes: ")
