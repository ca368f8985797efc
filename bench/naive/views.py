"""Read-only viewsets and a timeline view, written the way a first-cut DRF API usually is.

- Lists: `filterset_fields` (django-filter), `search_fields` (DRF's SearchFilter: each
  word of `?search=` must occur, in any case, in one of the fields), `ordering` through
  OrderingFilter, page-number pagination (`?page=`, `?page_size=`) with its COUNT query.
- Only published events and statements are served, as anonymous users of the real API see.
- No select_related/prefetch_related anywhere: the nested serializers fetch each
  relation of each item separately (N+1 queries per page).

Q1's "events of an actor overlapping a date range" is
`?participants=<actor id>&date_end__gte=<after>&date_start__lte=<before>&status=published`.

There is no CSV renderer: Q9 (an export of 10,000 timeline rows) is served by this
build as JSON, as one page of the events list with `page_size=10000` (see
bench/targets/naive.py). The timeline view is not used for it: it is an actor's timeline,
and no one actor need have 10,000 items; the events list always has them.
"""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from bench.naive.pagination import NaivePagination
from bench.naive.serializers import ActorSerializer, EventSerializer, StatementSerializer
from events.models import Actor, Event, Statement

PUBLISHED = "published"
DATE_LOOKUPS = ["gte", "lte"]


class NaiveAPIMixin:
    """What bench.naive.settings sets as defaults, set on the views too, so they behave the
    same when mounted under the project's own settings (the tests only swap the URLconf)."""

    permission_classes = [AllowAny]
    throttle_classes = []
    pagination_class = NaivePagination
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]


class EventViewSet(NaiveAPIMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Event.objects.filter(status=PUBLISHED)
    serializer_class = EventSerializer
    filterset_fields = {
        "participants": ["exact"],
        "conflicts": ["exact"],
        "date_start": DATE_LOOKUPS,
        "date_end": DATE_LOOKUPS,
        "status": ["exact"],
        "type": ["exact"],
    }
    search_fields = ["title", "summary"]
    ordering_fields = ["date_start", "date_end", "updated_at", "id"]
    ordering = ["date_start", "id"]


class StatementViewSet(NaiveAPIMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Statement.objects.filter(status=PUBLISHED)
    serializer_class = StatementSerializer
    filterset_fields = {
        "speaker": ["exact"],
        "about": ["exact"],
        "occasion": ["exact"],
        "kind": ["exact"],
        "date_start": DATE_LOOKUPS,
        "date_end": DATE_LOOKUPS,
        "status": ["exact"],
    }
    search_fields = ["text"]
    ordering_fields = ["date_start", "date_end", "updated_at", "id"]
    ordering = ["date_start", "id"]


class ActorViewSet(NaiveAPIMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Actor.objects.all()
    serializer_class = ActorSerializer
    filterset_fields = {"kind": ["exact"], "affiliation": ["exact"]}
    search_fields = ["name"]
    ordering_fields = ["name", "slug", "id"]
    ordering = ["name", "id"]


def _timeline_order(item: Event | Statement) -> tuple:
    """Start date (undated last), then events before statements, then id."""
    undated = item.date_start is None
    return (undated, datetime.date.min if undated else item.date_start, isinstance(item, Statement), item.pk)


def _timeline_item(item: Event | Statement, context: dict) -> dict:
    """`kind` "event" or "statement", then the item's fields (a statement's own kind,
    quote or paraphrase, as `statement_kind`, as in the real timeline)."""
    if isinstance(item, Event):
        return {"kind": "event", **EventSerializer(item, context=context).data}
    data = dict(StatementSerializer(item, context=context).data)
    data["statement_kind"] = data.pop("kind")
    return {"kind": "statement", **data}


class TimelineView(NaiveAPIMixin, APIView):
    """`?actor=<id>`: the actor's published events and statements, merged by date, 50 a page.

    Events are those the actor took part in; statements those the actor made or that are
    about the actor (as the real timeline's `actor` filter). Both lists are read whole
    (every row of the actor, on every request), merged and sorted in Python, cut into
    pages (`?page=`, `?page_size=`; the count is the length of the merged list), and the
    page is serialized with the full nested serializers (N+1 queries per item).

    Serializing both lists whole before cutting the page, the other obvious first cut,
    was tried and dropped: for an actor with 20,000 events one page took about 4.5 minutes,
    which no load test can measure.
    """

    def get(self, request):
        actor_id = request.query_params.get("actor", "")
        if not actor_id.isdigit():
            raise ValidationError({"actor": ["an actor id is required"]})
        actor = get_object_or_404(Actor, pk=int(actor_id))

        events = Event.objects.filter(status=PUBLISHED, participants=actor).distinct()
        statements = (
            Statement.objects.filter(status=PUBLISHED).filter(Q(speaker=actor) | Q(about=actor)).distinct()
        )
        items = sorted([*events, *statements], key=_timeline_order)

        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        context = {"request": request}
        data = [_timeline_item(item, context) for item in page]
        return paginator.get_paginated_response(data)
