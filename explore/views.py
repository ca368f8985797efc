"""The researchers' pages: thin views over `reading` (the timeline) and the API's documents (records).

Every record is read as the API reads it: through the selectors (drafts are a 404 to
whoever may not see them, exactly as in the API) and as its document
(`events.api.documents`), so a page shows what the API serves.
"""

from __future__ import annotations

import json

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from events import selectors
from events.api.documents import with_documents
from events.choices import DatePrecision, EventType
from events.models import Citation
from events.read_model import shapes
from explore import passages
from explore.items import decorated
from explore.reading import ApiRequest, timeline_page

FORM_CHOICES = {
    "type": EventType.choices,
    "kind": [("event", "Events"), ("statement", "Statements")],
    "precision": DatePrecision.choices,
}


# What the filters form sends for choices left as they were: the filters' own defaults.
FORM_DEFAULTS = {("actor_mode", "any"), ("date_match", "overlaps")}


def _as_chosen(query: QueryDict) -> QueryDict | None:
    """The query without what a submitted form adds unasked (empty fields, default choices); None if nothing.

    Those parameters change nothing in what is shown, so the address keeps only what was chosen.
    """

    def unasked(name, value):
        return not value or (name, value) in FORM_DEFAULTS

    if not any(unasked(name, value) for name, values in query.lists() for value in values):
        return None
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        chosen = [value for value in values if not unasked(name, value)]
        if chosen:
            kept.setlist(name, chosen)
    return kept


@require_GET
def timeline(request):
    """/: the timeline, filtered by the query string of /api/v1/timeline/."""
    kept = _as_chosen(request.GET)
    if kept is not None:
        # The filters form sends its empty fields too; the page's address keeps only what was chosen.
        return HttpResponseRedirect(request.path + (f"?{kept.urlencode()}" if kept else ""))
    page = timeline_page(request)
    context = {
        "page": page,
        "choices": {
            name: [(value, label, value in request.GET.getlist(name)) for value, label in options]
            for name, options in FORM_CHOICES.items()
        },
        "conflicts": list(
            selectors.conflicts_visible(user=request.user).order_by("name").values("slug", "name")
        ),
        "chosen_actors": list(page.cleaned.get("actor") or []),
        "chosen_conflicts": request.GET.getlist("conflict"),
    }
    return render(request, "explore/timeline.html", context, status=400 if page.errors else 200)


def _document(queryset, request, shape) -> dict:
    row = with_documents(queryset, ApiRequest(request), shape).first()
    if row is None:
        raise Http404("No such record, or not one you may see.")
    return json.loads(row["document"])


def _documents(queryset, request, shape) -> list[dict]:
    return [json.loads(row["document"]) for row in with_documents(queryset, ApiRequest(request), shape)]


def _timeline_of(request, **parameters):
    """The first page of the timeline filtered by `parameters`, for a record's own page."""
    query = QueryDict(mutable=True)
    query.update(parameters)
    return timeline_page(request, query=query)


@require_GET
def event(request, slug: str):
    document = _document(selectors.events_visible(user=request.user).filter(slug=slug), request, shapes.EVENT)
    spoken_there = (
        selectors.statements_visible(user=request.user).filter(occasion__slug=slug).order_by("date_key")
    )
    context = {
        "item": decorated(document, "event"),
        "statements": [
            decorated(d, "statement") for d in _documents(spoken_there, request, shapes.STATEMENT)
        ],
    }
    return render(request, "explore/event.html", context)


@require_GET
def statement(request, slug: str):
    document = _document(
        selectors.statements_visible(user=request.user).filter(slug=slug), request, shapes.STATEMENT
    )
    return render(request, "explore/statement.html", {"item": decorated(document, "statement")})


@require_GET
def actor(request, slug: str):
    actors = selectors.actors_visible(user=request.user)
    document = _document(actors.filter(slug=slug), request, shapes.ACTOR)
    affiliates = list(actors.filter(affiliation__slug=slug).order_by("name").values("slug", "name"))
    parties_to = list(
        selectors.conflicts_visible(user=request.user)
        .filter(parties__slug=slug)
        .order_by("name")
        .values("slug", "name")
    )
    context = {
        "actor": document,
        "affiliates": affiliates,
        "conflicts": parties_to,
        "timeline": _timeline_of(request, actor=slug, page_size="20"),
        "timeline_url": reverse("explore:timeline") + f"?actor={slug}",
    }
    return render(request, "explore/actor.html", context)


@require_GET
def conflict(request, slug: str):
    document = _document(
        selectors.conflicts_visible(user=request.user).filter(slug=slug), request, shapes.CONFLICT
    )
    context = {
        "conflict": document,
        "timeline": _timeline_of(request, conflict=slug, page_size="20"),
        "timeline_url": reverse("explore:timeline") + f"?conflict={slug}",
    }
    return render(request, "explore/conflict.html", context)


def _visible_citations(source, user) -> list[dict]:
    """The citations of `source` whose record the user may see, as {start, end, record: {label, page, kind}}."""
    events = selectors.events_visible(user=user).filter(pk=OuterRef("event_id"))
    statements = selectors.statements_visible(user=user).filter(pk=OuterRef("statement_id"))
    citations = (
        Citation.objects.filter(source=source)
        .filter(
            Q(Exists(events)) | Q(Exists(statements)) | Q(actor__isnull=False) | Q(conflict__isnull=False)
        )
        .select_related("event", "statement__speaker", "actor", "conflict")
        .order_by("start_offset", "end_offset", "id")
    )
    found = []
    for citation in citations:
        if citation.event_id:
            record = {
                "kind": "event",
                "label": citation.event.title,
                "page": reverse("explore:event", kwargs={"slug": citation.event.slug}),
            }
        elif citation.statement_id:
            record = {
                "kind": "statement",
                "label": f"{citation.statement.speaker.name}: {citation.statement.text}",
                "page": reverse("explore:statement", kwargs={"slug": citation.statement.slug}),
            }
        elif citation.actor_id:
            record = {
                "kind": "actor",
                "label": citation.actor.name,
                "page": reverse("explore:actor", kwargs={"slug": citation.actor.slug}),
            }
        else:
            record = {
                "kind": "conflict",
                "label": citation.conflict.name,
                "page": reverse("explore:conflict", kwargs={"slug": citation.conflict.slug}),
            }
        found.append({"start": citation.start_offset, "end": citation.end_offset, "record": record})
    return found


@require_GET
def source(request, slug: str):
    found = selectors.sources_visible(user=request.user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such source.")
    cited = passages.passages_of(_visible_citations(found, request.user))
    context = {
        "source": found,
        "lines": passages.lines(found.text, cited, found.furniture),
        "passages": cited,
        "furniture": found.furniture,
    }
    return render(request, "explore/source.html", context)
