"""Answers made of documents: a JSON body spliced from PostgreSQL's text, and who may cache it.

Every read of the API is built from documents (`events.api.documents`). In JSON they are
passed through as PostgreSQL wrote them; any other renderer (the browsable API) is given
the parsed data. Caching headers are the same for every read.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, quote_etag
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


class DocumentsResponse(HttpResponse):
    """A JSON answer spliced from documents PostgreSQL wrote."""

    def __init__(self, body: str, status: int = 200):
        super().__init__(body, content_type="application/json", status=status)

    @classmethod
    def page(cls, documents: list[str], paginator, extra: dict | None = None) -> DocumentsResponse:
        """A page of documents in the paginators' shape: {next, previous, results, **extra}."""
        body = "".join(
            [
                '{"next":',
                json.dumps(paginator.get_next_link()),
                ',"previous":',
                json.dumps(paginator.get_previous_link()),
                ',"results":[',
                ",".join(documents),
                "]",
                *(f",{json.dumps(key)}:{json.dumps(value)}" for key, value in (extra or {}).items()),
                "}",
            ]
        )
        return cls(body)


def wants_json(request) -> bool:
    """Whether the answer is rendered as JSON (documents pass through) rather than by another renderer."""
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format == "json"


def document_response(request, document: str, status: int = 200) -> HttpResponse:
    """One document as the answer, in the format the client asked for."""
    if wants_json(request):
        return DocumentsResponse(document, status=status)
    return Response(json.loads(document), status=status)


def page_response(request, documents: list[str], paginator, extra: dict | None = None) -> HttpResponse:
    """A page of documents as the answer, in the format the client asked for; `extra` keys after the results."""
    if wants_json(request):
        return DocumentsResponse.page(documents, paginator, extra)
    response = paginator.get_paginated_response([json.loads(document) for document in documents])
    response.data.update(extra or {})
    return response


def etag_of(document: str) -> str:
    """The ETag a GET answering `document` carries (ConditionalGetMiddleware hashes the body the same way)."""
    return quote_etag(hashlib.md5(document.encode(), usedforsecurity=False).hexdigest())


def set_cache_headers(request, response) -> None:
    """Vary on the credentials, and who may keep a copy of a read for how long (settings.API_CACHE_SECONDS).

    Answers differ by user (editors see drafts), so caches must key on the credentials.
    Anonymous answers are the same for everyone, so a shared cache may hold them; editors'
    answers are private to their browser. ETag and 304s come from Django's
    ConditionalGetMiddleware, which hashes the body: exact, whatever changed.

    No Last-Modified: an answer embeds related records (an actor's name in every event it
    takes part in) and a page changes when an item leaves it, and no single timestamp
    follows all of that. A client sending only If-Modified-Since would get a 304 for a
    changed answer.
    """
    patch_vary_headers(response, ("Authorization", "Cookie"))
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return
    if request.user and request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    elif settings.API_CACHE_SECONDS > 0:
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    else:
        patch_cache_control(response, public=True, no_cache=True)


def errors_as_json(request, response) -> None:
    """An error answer is JSON whatever format was asked for (the browsable API, CSV, TimelineJS).

    Call before DRF finalizes the response: an error page in HTML or a CSV error body helps
    no client, and the schema documents every error as JSON.
    """
    renderer = getattr(request, "accepted_renderer", None)
    if response.status_code >= 400 and renderer is not None and renderer.format != "json":
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
